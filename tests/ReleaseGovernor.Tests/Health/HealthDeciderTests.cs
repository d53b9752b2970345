using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Health;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Risk;
using ReleaseGovernor.Tests.Releases;
using static ReleaseGovernor.Tests.Releases.Fixture;

namespace ReleaseGovernor.Tests.Health;

/// <summary>The watch after a deploy and the rollback, as the pure decider sees them.</summary>
public class HealthDeciderTests
{
    private const string Previous = "1111111111111111111111111111111111111111";
    private static readonly HealthCheckConfig Check = new() { Url = "https://app.example.com/healthz", Probes = 2, FailuresToDegrade = 2 };
    private static readonly GovernorConfig Rollback = GovernorConfig.Default with { HealthCheck = Check, RollbackOnUnhealthy = true };
    private static readonly ProbeResult Ok = new(ProbeVerdict.Healthy, 200, null, 12, "OK");
    private static readonly ProbeResult Down = new(ProbeVerdict.Unhealthy, 503, null, 15, "Service Unavailable");

    /// <summary><see cref="Previous"/> then <see cref="Production"/> deployed, and the watch of Production started.</summary>
    private static ReleaseState Watched(params ReleaseEvent[] more) => Fold(
    [
        .. Deployed(Previous, Now.AddDays(-2)), .. Deployed(Production, Now.AddDays(-1)),
        .. HealthDecider.Start(Fold([.. Deployed(Previous, Now.AddDays(-2)), .. Deployed(Production, Now.AddDays(-1))]), Production, Check, Now.AddMinutes(-10)),
        .. more,
    ]);

    private static ReleaseState Fold(IEnumerable<ReleaseEvent> events) => events.Aggregate(ReleaseState.Initial, ReleaseProjection.Apply);

    private static IReadOnlyList<ReleaseEvent> Probe(ReleaseState state, int probe, ProbeResult result, GovernorConfig? config = null,
        Core.Stops.ActiveStop? stop = null) =>
        ReleaseDecider.Decide(state, new ReleaseCommand.RecordHealthProbe(Production, probe, result, new RollbackInput(config ?? Rollback, stop, 2), Now));

    private static ReleaseState After(ReleaseState state, IReadOnlyList<ReleaseEvent> events) => events.Aggregate(state, ReleaseProjection.Apply);

    [Fact]
    public void The_watch_starts_only_for_the_sha_in_production_and_once()
    {
        var state = Watched();

        Assert.Equal((Production, true, 1, HealthStatus.Unknown), (state.Health.Sha, state.Health.Watching, state.Health.NextProbe, state.Health.Status));
        Assert.Empty(HealthDecider.Start(state, Production, Check, Now));
        Assert.Empty(HealthDecider.Start(state, Previous, Check, Now));
        Assert.Equal((1, Now.AddSeconds(30)), HealthDecider.Next(state, Check, Now));
    }

    [Fact]
    public void Probes_counted_healthy_end_the_watch_healthy_and_move_last_health_check()
    {
        var once = After(Watched(), Probe(Watched(), 1, Ok));
        var twice = After(once, Probe(once, 2, Ok));

        Assert.Equal((HealthStatus.Healthy, true), (once.Health.Status, once.Health.Watching));
        Assert.Equal((HealthStatus.Healthy, false, Now), (twice.Health.Status, twice.Health.Watching, twice.LastHealthCheck));
        Assert.Null(HealthDecider.Next(twice, Check, Now));
        Assert.Equal(false, twice.Health.DegradedSignal);
    }

    [Fact]
    public void A_stale_probe_records_nothing()
    {
        Assert.Empty(Probe(Watched(), 2, Ok));
        Assert.Empty(ReleaseDecider.Decide(Watched(), new ReleaseCommand.RecordHealthProbe(Previous, 1, Ok, new RollbackInput(Rollback, null, 2), Now)));
    }

    [Fact]
    public void Failures_to_degrade_in_a_row_mark_production_degraded_with_the_failing_probes_and_rechecks_come_at_recheck_minutes()
    {
        var first = Probe(Watched(), 1, Down, GovernorConfig.Default with { HealthCheck = Check });
        var once = After(Watched(), first);
        var second = Probe(once, 2, Down, GovernorConfig.Default with { HealthCheck = Check });
        var degraded = After(once, second);

        Assert.IsType<HealthCheckFailed>(Assert.Single(first));
        Assert.Equal([typeof(HealthCheckFailed), typeof(ProductionDegraded)], second.Select(e => e.GetType()));
        var evidence = Assert.IsType<ProductionDegraded>(second[1]).Evidence;
        Assert.Equal($"probe 2 at {HealthText.Time(Now)}: 503 in 15 ms (Service Unavailable)", evidence[^1]);
        Assert.Equal(2, evidence.Count);
        Assert.Equal((HealthStatus.Degraded, Now, true), (degraded.Health.Status, degraded.Health.DegradedSince, degraded.Health.DegradedSignal));
        Assert.Equal((3, Now.AddMinutes(5)), HealthDecider.Next(degraded, Check, Now));
    }

    [Fact]
    public void A_healthy_probe_while_degraded_records_the_recovery()
    {
        var degraded = Degrade(GovernorConfig.Default with { HealthCheck = Check });

        var events = Probe(degraded, 3, Ok);

        var recovered = Assert.IsType<ProductionRecovered>(events[1]);
        Assert.Equal((Production, 3, Now), (recovered.Sha, recovered.Probe, recovered.DegradedSince));
        Assert.Equal(HealthStatus.Healthy, After(degraded, events).Health.Status);
    }

    [Fact]
    public void With_rollback_on_unhealthy_degraded_production_goes_back_to_the_previous_sha_once()
    {
        var once = After(Watched(), Probe(Watched(), 1, Down));
        var events = Probe(once, 2, Down);

        Assert.Equal([typeof(HealthCheckFailed), typeof(ProductionDegraded), typeof(DeployDecided), typeof(RollbackRequested), typeof(DeployDispatchRequested)],
            events.Select(e => e.GetType()));
        var decided = Assert.IsType<DeployDecided>(events[2]);
        Assert.Equal((Previous, DecisionOutcome.Allow, ReasonCodes.RollbackUnhealthy), (decided.Sha, decided.Outcome, decided.Reason));
        var rollback = Assert.IsType<RollbackRequested>(events[3]);
        Assert.Equal((Production, Previous, "system", 2), (rollback.Sha, rollback.To, rollback.Actor, rollback.Evidence.Count));
        var dispatch = Assert.IsType<DeployDispatchRequested>(events[4]);
        Assert.Equal((Previous, 2), (dispatch.Inputs["sha"], dispatch.Attempt));

        var after = After(once, events);
        Assert.Equal(Previous, after.InFlight!.Sha);
        Assert.Equal(Production, Assert.Single(after.RolledBack).Sha);
        Assert.False(after.Health.Watching);
        Assert.Empty(Probe(after, 3, Down));
    }

    [Fact]
    public void An_operator_hold_or_an_emergency_stop_holds_the_rollback_once_and_a_later_recheck_rolls_back_when_it_is_gone()
    {
        var held = Watched(Hold(until: null));
        var once = After(held, Probe(held, 1, Down));
        var events = Probe(once, 2, Down);

        var waiting = Assert.IsType<RollbackHeld>(events[^1]);
        Assert.Equal((ReasonCodes.Frozen, Previous), (waiting.Reason, waiting.To));
        Assert.StartsWith("run 'booty governor release-hold'", waiting.Unblock);
        var degraded = After(once, events);
        Assert.DoesNotContain(Probe(degraded, 3, Down), e => e is RollbackHeld);

        var lifted = After(degraded, [new HoldLifted("oncall") { At = Now }]);
        Assert.Contains(Probe(lifted, 3, Down), e => e is RollbackRequested);

        var stop = new Core.Stops.ActiveStop("all", "incident", "oncall", Now.AddHours(-1));
        var stopped = Probe(once, 2, Down, stop: stop);
        Assert.Equal(ReasonCodes.EmergencyStop, Assert.IsType<RollbackHeld>(stopped[^1]).Reason);
    }

    [Fact]
    public void A_freeze_window_does_not_hold_a_rollback()
    {
        var frozen = Rollback with { FreezeWindows = [new Core.Freeze.FreezeWindow { Name = "all-day", Start = Now.AddHours(-1), End = Now.AddHours(1) }] };
        var once = After(Watched(), Probe(Watched(), 1, Down, frozen));

        Assert.Contains(Probe(once, 2, Down, frozen), e => e is RollbackRequested);
    }

    [Fact]
    public void A_refused_probe_ends_the_watch_and_says_nothing_about_production()
    {
        var events = Probe(Watched(), 1, ProbeResult.Refused("http to intranet is not probed"));
        var after = After(Watched(), events);

        Assert.Equal("http to intranet is not probed", Assert.IsType<HealthCheckRefused>(Assert.Single(events)).Reason);
        Assert.Equal((HealthStatus.Unknown, false, (bool?)null), (after.Health.Status, after.Health.Watching, after.Health.DegradedSignal));
    }

    [Fact]
    public void Rules_9_and_14_hold_on_the_degraded_state_with_what_fails_and_since_when_and_a_LOW_fix_ships()
    {
        var degraded = Degrade(GovernorConfig.Default with { HealthCheck = Check });
        var input = Input(risk: RiskClass.High) with { Degraded = degraded.Health.DegradedSignal };

        var high = Held(Decider.Decide(degraded, input), ReasonCodes.DegradedHighRisk);
        var medium = Held(Decider.Decide(degraded, Input(risk: RiskClass.Medium) with { Degraded = true }), ReasonCodes.DegradedMediumHold);
        Allowed(Decider.Decide(degraded, Input(risk: RiskClass.Low) with { Degraded = true }), ReasonCodes.AllowLow);

        Assert.Equal($"wait for production to recover, or ship a LOW-risk fix: degraded since {HealthText.Time(Now)} after the deploy of 0f0e0d0 "
                     + $"(last failure: probe 2 at {HealthText.Time(Now)}: 503 in 15 ms (Service Unavailable)); a1b2c3d is re-evaluated when it recovers (HIGH risk while degraded)", high);
        Assert.EndsWith("(MEDIUM risk while degraded)", medium);
    }

    [Fact]
    public void A_rolled_back_sha_is_held_until_an_operator_approves_it_again()
    {
        var once = After(Watched(), Probe(Watched(), 1, Down));
        var rolledBack = After(once, Probe(once, 2, Down));
        var back = After(rolledBack, [new DeploySucceeded(Previous, 9, null) { At = Now.AddMinutes(1) }]);

        var held = Held(Decider.Decide(back, Input(sha: Production)), ReasonCodes.RolledBack);
        Assert.StartsWith($"run 'booty governor approve {Production}' to deploy it again", held);

        var approved = After(back, ReleaseDecider.Decide(back, new ReleaseCommand.Approve(Production, "lead", Now.AddMinutes(2))));
        Assert.Empty(approved.RolledBack);
        Allowed(Decider.Decide(approved, Input(sha: Production, now: Now.AddMinutes(3))), ReasonCodes.AllowLow);
    }

    [Fact]
    public void An_operator_rollback_goes_the_same_way_and_is_refused_for_a_sha_never_deployed()
    {
        var state = Watched();
        var events = ReleaseDecider.Decide(state, new ReleaseCommand.RollBack(null, "errors after deploy", "lead", new RollbackInput(Rollback, null, 2), Now));

        var decided = Assert.IsType<DeployDecided>(events[0]);
        Assert.Equal((Previous, ReasonCodes.RollbackOperator), (decided.Sha, decided.Reason));
        Assert.Equal(("lead", "errors after deploy"), (Assert.IsType<RollbackRequested>(events[1]).Actor, ((RollbackRequested)events[1]).Why));
        var never = Assert.Throws<InvalidOperationException>(() =>
            ReleaseDecider.Decide(state, new ReleaseCommand.RollBack(Other, "x", "lead", new RollbackInput(Rollback, null, 1), Now)));
        Assert.StartsWith($"{Other} was never deployed successfully here", never.Message);
    }

    [Fact]
    public void Production_that_is_itself_a_rollback_target_is_never_rolled_back_again_automatically()
    {
        var once = After(Watched(), Probe(Watched(), 1, Down));
        var rolledBack = After(once, Probe(once, 2, Down));
        var back = After(rolledBack, [new DeploySucceeded(Previous, 9, null) { At = Now.AddMinutes(1) }]);
        var watched = After(back, HealthDecider.Start(back, Previous, Check, Now.AddMinutes(1)));
        var first = After(watched, ReleaseDecider.Decide(watched,
            new ReleaseCommand.RecordHealthProbe(Previous, 1, Down, new RollbackInput(Rollback, null, 3), Now.AddMinutes(2))));

        var events = ReleaseDecider.Decide(first, new ReleaseCommand.RecordHealthProbe(Previous, 2, Down, new RollbackInput(Rollback, null, 3), Now.AddMinutes(3)));

        var held = Assert.IsType<RollbackHeld>(events[^1]);
        Assert.Equal((ReasonCodes.RollbackUnavailable, Production), (held.Reason, held.To));
        Assert.StartsWith("fix forward: 1111111 is itself the rollback of 0f0e0d0", held.Unblock);
        Assert.DoesNotContain(events, e => e is DeployDispatchRequested);
    }

    private static ReleaseState Degrade(GovernorConfig config)
    {
        var once = After(Watched(), Probe(Watched(), 1, Down, config));
        return After(once, Probe(once, 2, Down, config));
    }
}
