using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Risk;

namespace ReleaseGovernor.Core.Releases;

/// <summary>
/// The deploy decision for one verified sha (design.md §4): nineteen rules, first match wins. Pure: the
/// handler passes the config, diff risk, approvals, degraded signal and clock in <see cref="DecisionInput"/>.
/// </summary>
public static class Decider
{
    /// <summary>The verdict, with pending deployment protection rule requests of the sha answered (<see cref="ProtectionRules"/>).</summary>
    public static DecisionResult Decide(ReleaseState state, DecisionInput input) => ProtectionRules.Apply(state, input, Rules(state, input));

    private static DecisionResult Rules(ReleaseState state, DecisionInput input) => input.Config switch
    {
        ConfigLoadResult.Disabled disabled => Skipped(ReasonCodes.Disabled, UnblockHints.Disabled(disabled), risk: null),
        ConfigLoadResult.Invalid invalid => Recorded(state, input, new Decision(
            DecisionOutcome.Hold, ReasonCodes.ConfigInvalid, UnblockHints.ConfigInvalid(invalid.Errors), Risk: null),
            fingerprint: null, approvalsSeen: []),
        ConfigLoadResult.Loaded loaded => Evaluate(new DecisionFacts(state, input, loaded.Config)),
        _ => throw new ArgumentOutOfRangeException(nameof(input), input.Config, "Unknown configuration result."),
    };

    private static DecisionResult Evaluate(DecisionFacts f) => f switch
    {
        { Stop: { } stop } =>
            Held(f, ReasonCodes.EmergencyStop, UnblockHints.EmergencyStop(stop)),
        { VerificationSucceeded: false } =>
            Held(f, ReasonCodes.VerificationFailed, UnblockHints.VerificationFailed(f.Input.VerificationConclusion, f.Config)),
        { AlreadyDispatched: true } =>
            Skipped(ReasonCodes.AlreadyDispatched, unblock: null, f.Risk),
        { OnDefaultBranch: false } =>
            Held(f, ReasonCodes.NotOnDefaultBranch, UnblockHints.NotOnDefaultBranch(f.Sha, f.Input.DefaultBranch)),
        { DeployConfigured: false } =>
            Held(f, ReasonCodes.DeployNotConfigured, UnblockHints.DeployNotConfigured()),
        { ActiveHold: { } hold } =>
            Held(f, ReasonCodes.Frozen, UnblockHints.Frozen(hold)),
        { RolledBack: { } rolledBack } =>
            Held(f, ReasonCodes.RolledBack, UnblockHints.RolledBack(rolledBack)),
        { AheadOfProduction: false } =>
            Held(f, ReasonCodes.NotAheadOfProduction, UnblockHints.NotAheadOfProduction(f.Sha, f.State.ProductionShaCurrent, f.Input.Compare)),
        { Freeze: { } freeze, Override: null } =>
            Held(f, ReasonCodes.FreezeWindow, UnblockHints.FreezeWindow(freeze, f.Sha)),
        { FirstDeploy: true, Config.RequireApprovalForFirstDeploy: true, Approvals.Approved: false } =>
            Held(f, ReasonCodes.FirstDeployRequired, UnblockHints.FirstDeployRequired(f.Config, f.Sha, f.Approvals)),
        { Degraded: true, Risk: RiskClass.High } =>
            Held(f, ReasonCodes.DegradedHighRisk, UnblockHints.Degraded(RiskClass.High, f.Sha, f.State.Health)),
        { CooldownFailure: { } failure, Override: null } =>
            Held(f, ReasonCodes.Cooldown, UnblockHints.Cooldown(failure, f.Config, f.Now)),
        { RateLimitFreesAt: { } freesAt, Override: null } =>
            Held(f, ReasonCodes.RateLimit, UnblockHints.RateLimit(f.DispatchesInLastHour.Count, f.Config, freesAt, f.Now)),
        { InFlight: { } inFlight } =>
            Held(f, ReasonCodes.DeployInProgress, UnblockHints.DeployInProgress(inFlight, f.Sha)),
        { Risk: RiskClass.Low } =>
            Allowed(f, ReasonCodes.AllowLow),
        { Risk: RiskClass.Medium, Degraded: true } =>
            Held(f, ReasonCodes.DegradedMediumHold, UnblockHints.Degraded(RiskClass.Medium, f.Sha, f.State.Health)),
        { Risk: RiskClass.Medium } =>
            Allowed(f, ReasonCodes.AllowMedium),
        { Approvals.Approved: true } or { ApprovalOverridden: true } =>
            Allowed(f, ReasonCodes.AllowHighApproved),
        _ =>
            Held(f, ReasonCodes.HighRiskNoApproval, UnblockHints.HighRiskNoApproval(f.Config, f.Sha, f.Approvals)),
    };

    private static DecisionResult Skipped(string reason, string? unblock, RiskClass? risk) =>
        new([], new Decision(DecisionOutcome.Skip, reason, unblock, risk));

    private static DecisionResult Held(DecisionFacts f, string reason, string unblock) =>
        Recorded(f.State, f.Input, new Decision(DecisionOutcome.Hold, reason, unblock, f.Risk), f.Config.Fingerprint(), SeenBy(f));

    /// <summary>ALLOW: the decision, then the one dispatch of the deploy workflow for this sha.</summary>
    private static DecisionResult Allowed(DecisionFacts f, string reason)
    {
        var decided = Recorded(f.State, f.Input, new Decision(DecisionOutcome.Allow, reason, Unblock: null, f.Risk), f.Config.Fingerprint(), SeenBy(f));
        var dispatch = new DeployDispatchRequested(
            f.Sha, f.Config.DeployWorkflowName, f.Config.DeployWorkflowRef, new Dictionary<string, string> { ["sha"] = f.Sha },
            f.NextAttempt)
        {
            At = f.Now,
        };
        // An override is spent only on a deploy it let through: recorded with the rules it bypassed.
        IReadOnlyList<ReleaseEvent> spent = f.Override is { } o && f.Bypassed is { Count: > 0 } bypassed
            ? [new OverrideUsed(f.Sha, o.Reason, o.Actor, bypassed) { At = f.Now }]
            : [];
        return decided with { Events = [.. decided.Events, .. spent, dispatch] };
    }

    private static DecisionResult Recorded(ReleaseState state, DecisionInput input, Decision decision, string? fingerprint,
        IReadOnlyList<string> approvalsSeen)
    {
        var evidence = decision.Risk is null ? [] : input.Risk.Evidence;
        var decided = new DeployDecided(
            input.Sha, decision.Outcome, decision.Reason, decision.Unblock, decision.Risk, evidence, fingerprint, approvalsSeen,
            input.JudgedBy, input.DefaultBranch is { OnBranch: true } branch ? branch.How : null, DecisionSeen.Of(state, input))
        {
            At = input.Now,
        };
        return new DecisionResult([decided], decision);
    }

    /// <summary>The approvals that counted, as <c>via:actor</c>.</summary>
    private static IReadOnlyList<string> SeenBy(DecisionFacts f) => [.. f.Approvals.Counted.Select(a => a.ToString())];
}
