using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Freeze;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Risk;
using ReleaseGovernor.Core.Stops;
using static ReleaseGovernor.Tests.Releases.Fixture;

namespace ReleaseGovernor.Tests.Releases;

/// <summary>A break-glass override bypasses only freeze_window, rate_limit, cooldown (and with the approval flag, HIGH-risk approval).</summary>
public class OverrideRuleTests
{
    private static readonly GovernorConfig Frozen = GovernorConfig.Default with
    {
        FreezeWindows = [new FreezeWindow { Name = "launch", Start = Now.AddHours(-1), End = Now.AddHours(1) }],
    };

    private static OverrideGranted Grant(bool includeApproval = false, DateTimeOffset? until = null, string sha = Sha) =>
        new(sha, "hotfix 42", "lead", until ?? Now.AddHours(2), includeApproval) { At = Now.AddMinutes(-1) };

    private static ReleaseEvent[] With(params ReleaseEvent[] more) => [.. InProduction, .. more];

    [Fact]
    public void An_override_lets_one_deploy_through_a_freeze_window_and_records_what_it_bypassed()
    {
        var result = DeciderSpec.Given(With(Grant())).When(Input(config: Frozen));

        Assert.Equal((DecisionOutcome.Allow, ReasonCodes.AllowLow), (result.Decision.Outcome, result.Decision.Reason));
        var used = Assert.Single(result.Events.OfType<OverrideUsed>());
        Assert.Equal(("lead", "hotfix 42"), (used.Actor, used.Reason));
        Assert.Equal([ReasonCodes.FreezeWindow], used.Bypassed);
        Assert.Single(result.Events.OfType<DeployDispatchRequested>());

        var after = result.Events.Aggregate(DeciderSpec.Given(With(Grant())).State, ReleaseProjection.Apply);
        Assert.Empty(after.Overrides);
    }

    [Fact]
    public void An_override_bypasses_the_rate_limit_and_the_cooldown()
    {
        var busy = DeploysMinutesAgo(10, 20, 30, 40, 50, 55);
        var rate = DeciderSpec.Given([.. InProduction, .. busy, Grant()]).When(Input());
        Assert.Equal([ReasonCodes.RateLimit], Assert.Single(rate.Events.OfType<OverrideUsed>()).Bypassed);

        var failed = new ReleaseEvent[] { Dispatch(Sha, Now.AddMinutes(-20)), new DeployFailed(Sha, 5, "failure", null) { At = Now.AddMinutes(-10) } };
        var cooldown = DeciderSpec.Given([.. InProduction, .. failed, Grant()]).When(Input());
        Assert.Equal([ReasonCodes.Cooldown], Assert.Single(cooldown.Events.OfType<OverrideUsed>()).Bypassed);
    }

    [Fact]
    public void Without_the_approval_flag_a_high_risk_sha_still_needs_its_approval_and_with_it_is_allowed()
    {
        Held(DeciderSpec.Given(With(Grant())).When(Input(RiskClass.High, config: Frozen)), ReasonCodes.HighRiskNoApproval);

        var approved = DeciderSpec.Given(With(Grant(includeApproval: true))).When(Input(RiskClass.High, config: Frozen));

        Assert.Equal(ReasonCodes.AllowHighApproved, approved.Decision.Reason);
        Assert.Equal([ReasonCodes.FreezeWindow, ReasonCodes.HighRiskNoApproval], Assert.Single(approved.Events.OfType<OverrideUsed>()).Bypassed);
    }

    [Fact]
    public void An_override_never_bypasses_a_failed_verification_a_stop_a_bad_config_a_deploy_in_flight_or_an_operator_hold()
    {
        var stop = new ActiveStop(StopScopes.All, "incident", "oncall", Now);
        var invalid = new ConfigLoadResult.Invalid([new ConfigError(".booty.yml", "release_governor.x", 2, "unknown key")]);
        var inFlight = Dispatch(Other, Now.AddMinutes(-2));

        Held(DeciderSpec.Given(With(Grant())).When(Input(config: Frozen, conclusion: "failure")), ReasonCodes.VerificationFailed);
        Held(DeciderSpec.Given(With(Grant())).When(Input(config: Frozen) with { Stop = stop }), ReasonCodes.EmergencyStop);
        Held(DeciderSpec.Given(With(Grant())).When(Input(load: invalid)), ReasonCodes.ConfigInvalid);
        Held(DeciderSpec.Given(With(Grant(), inFlight)).When(Input()), ReasonCodes.DeployInProgress);
        Held(DeciderSpec.Given(With(Grant(), Hold(until: null))).When(Input(config: Frozen)), ReasonCodes.Frozen);
    }

    [Fact]
    public void An_expired_override_or_one_for_another_sha_bypasses_nothing()
    {
        Held(DeciderSpec.Given(With(Grant(until: Now))).When(Input(config: Frozen)), ReasonCodes.FreezeWindow);
        Held(DeciderSpec.Given(With(Grant(sha: Other))).When(Input(config: Frozen)), ReasonCodes.FreezeWindow);
    }

    [Fact]
    public void Granting_needs_a_reason_and_an_end_in_the_future()
    {
        var granted = ReleaseDecider.Decide(ReleaseState.Initial, new ReleaseCommand.GrantOverride(Sha, " hotfix ", "lead", Now.AddHours(1), false, Now));

        Assert.Equal("hotfix", Assert.IsType<OverrideGranted>(Assert.Single(granted)).Reason);
        Assert.Throws<ArgumentException>(() => ReleaseDecider.Decide(ReleaseState.Initial, new ReleaseCommand.GrantOverride(Sha, " ", "lead", Now.AddHours(1), false, Now)));
        Assert.Throws<ArgumentException>(() => ReleaseDecider.Decide(ReleaseState.Initial, new ReleaseCommand.GrantOverride(Sha, "x", "lead", Now, false, Now)));
    }

    [Fact]
    public void At_the_thaw_every_frozen_sha_but_the_newest_is_superseded_by_it()
    {
        var held = (string sha) => new DeployDecided(sha, DecisionOutcome.Hold, ReasonCodes.FreezeWindow, "frozen", RiskClass.Low, [], null, []) { At = Now };
        var state = new ReleaseEvent[] { held("a"), held("b"), held("c") }.Aggregate(ReleaseState.Initial, ReleaseProjection.Apply);

        var superseded = ReleaseDecider.Decide(state, new ReleaseCommand.SupersedeFrozen(Now, Now)).Cast<ShaSuperseded>();

        Assert.Equal([("a", "c"), ("b", "c")], superseded.Select(s => (s.Sha, s.By)));
        Assert.Empty(ReleaseDecider.Decide(ReleaseState.Initial, new ReleaseCommand.SupersedeFrozen(Now, Now)));
    }

    [Fact]
    public void The_commit_status_names_the_override() =>
        Assert.Equal("ALLOW (override by lead: hotfix 42)", CommitStatusText.Override("lead", "hotfix 42"));
}
