using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;

namespace ReleaseGovernor.Core.Releases;

/// <summary>
/// Everything that can ask a release stream to change, as one closed set of commands: the deploy decision for a
/// verified sha, what a run of the deploy workflow means, and what operators do by hand.
/// </summary>
public abstract record ReleaseCommand
{
    private ReleaseCommand() { }

    /// <summary>Decide ALLOW or HOLD for a verified sha (<see cref="Decider"/>).</summary>
    public sealed record DecideDeploy(DecisionInput Input) : ReleaseCommand;

    /// <summary>A run of the deploy workflow was seen: started, succeeded or failed, or unmatched (<see cref="DeployRuns"/>).</summary>
    public sealed record RecordDeployRun(WorkflowRunReceived Run, RepoRef Repo, GovernorConfig Names) : ReleaseCommand;

    /// <summary><c>booty governor approve</c>.</summary>
    public sealed record Approve(string Sha, string Actor, DateTimeOffset Now) : ReleaseCommand;

    /// <summary><c>booty governor hold</c>.</summary>
    public sealed record PlaceHold(string Reason, string Actor, DateTimeOffset? Until, DateTimeOffset Now) : ReleaseCommand;

    /// <summary><c>booty governor release-hold</c>.</summary>
    public sealed record LiftHold(string Actor, DateTimeOffset Now) : ReleaseCommand;

    /// <summary><c>booty governor override</c>.</summary>
    public sealed record GrantOverride(string Sha, string Reason, string Actor, DateTimeOffset Until, bool IncludeApproval, DateTimeOffset Now)
        : ReleaseCommand;

    /// <summary>A freeze window ended: every sha it held but the newest is superseded by the newest.</summary>
    public sealed record SupersedeFrozen(DateTimeOffset WindowEnd, DateTimeOffset Now) : ReleaseCommand;

    /// <summary>The deploy of <paramref name="Sha"/> succeeded and the repository has a health_check: watch it.</summary>
    public sealed record StartHealthWatch(string Sha, Health.HealthCheckConfig Config, DateTimeOffset Now) : ReleaseCommand;

    /// <summary>Probe <paramref name="Probe"/> of the deployed sha ended with <paramref name="Result"/> (<see cref="Health.HealthDecider"/>).</summary>
    public sealed record RecordHealthProbe(string Sha, int Probe, Health.ProbeResult Result, Health.RollbackInput Rollback, DateTimeOffset Now)
        : ReleaseCommand;

    /// <summary><c>booty governor rollback</c>: production goes back to <paramref name="To"/> (default production_sha_previous).</summary>
    public sealed record RollBack(string? To, string Reason, string Actor, Health.RollbackInput Rollback, DateTimeOffset Now) : ReleaseCommand;

    /// <summary>A deployment protection rule request of the stream's environment arrived (<see cref="ProtectionRules.Receive"/>).</summary>
    public sealed record ReceiveProtectionRequest(ProtectionRuleRequested Request) : ReleaseCommand;
}

/// <summary>The one decider of release streams: state and command in, events out. Pure: no clock, no I/O.</summary>
public static class ReleaseDecider
{
    public static IReadOnlyList<ReleaseEvent> Decide(ReleaseState state, ReleaseCommand command) => command switch
    {
        ReleaseCommand.DecideDeploy d => Decider.Decide(state, d.Input).Events,
        ReleaseCommand.RecordDeployRun r => DeployRuns.Outcome(state, r.Run, r.Repo, r.Names) is { } outcome ? [outcome] : [],
        ReleaseCommand.Approve a => OperatorCommands.Approve(state, a.Sha, a.Actor, a.Now),
        ReleaseCommand.PlaceHold h => OperatorCommands.PlaceHold(state, h.Reason, h.Actor, h.Until, h.Now),
        ReleaseCommand.LiftHold l => OperatorCommands.LiftHold(state, l.Actor, l.Now),
        ReleaseCommand.GrantOverride o => OperatorCommands.GrantOverride(state, o.Sha, o.Reason, o.Actor, o.Until, o.IncludeApproval, o.Now),
        ReleaseCommand.SupersedeFrozen t =>
            [.. state.FrozenShas.SkipLast(1).Select(sha => new ShaSuperseded(sha, state.FrozenShas[^1], t.WindowEnd) { At = t.Now })],
        ReleaseCommand.StartHealthWatch w => Health.HealthDecider.Start(state, w.Sha, w.Config, w.Now),
        ReleaseCommand.RecordHealthProbe p => Health.HealthDecider.Record(state, p.Sha, p.Probe, p.Result, p.Rollback, p.Now),
        ReleaseCommand.RollBack r => OperatorCommands.RollBack(state, r.To, r.Reason, r.Actor, r.Rollback, r.Now),
        ReleaseCommand.ReceiveProtectionRequest p => ProtectionRules.Receive(state, p.Request),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown release command."),
    };
}
