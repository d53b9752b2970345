using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Freeze;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Risk;
using ReleaseGovernor.Core.Stops;
using static ReleaseGovernor.Tests.Releases.Fixture;

namespace ReleaseGovernor.Tests.Releases;

/// <summary>The freeze_window and emergency_stop rules, and where they stand among the others.</summary>
public class FreezeAndStopRuleTests
{
    // Fixture.Now is Monday 2025-06-02 12:00Z; Berlin is on summer time (+02:00).
    private static readonly GovernorConfig Frozen = GovernorConfig.Default with
    {
        FreezeWindows = [new FreezeWindow { Name = "monday", Cron = "0 9 * * MON", Duration = TimeSpan.FromHours(8), TimeZone = "Europe/Berlin" }],
    };

    private static readonly ActiveStop StopAll = new(StopScopes.All, "incident 7", "oncall", Now.AddMinutes(-5));

    [Fact]
    public void A_verified_sha_inside_a_window_is_held_until_the_window_ends_with_the_time_in_both_zones()
    {
        var unblock = Held(DeciderSpec.Given(InProduction).When(Input(config: Frozen)), ReasonCodes.FreezeWindow);

        Assert.Equal($"frozen by 'monday' until Mon 2025-06-02 17:00 Europe/Berlin (15:00Z); to ship now: booty governor override {Sha} --reason …; "
                     + "else automatic: the newest sha verified in the window is decided again when it ends", unblock);
    }

    [Fact]
    public void The_same_sha_is_allowed_at_the_windows_end()
    {
        var result = DeciderSpec.Given(InProduction).When(Input(config: Frozen, now: new DateTimeOffset(2025, 6, 2, 15, 0, 0, TimeSpan.Zero)));

        Allowed(result, ReasonCodes.AllowLow);
    }

    [Fact]
    public void A_window_does_not_hide_a_failed_verification_or_an_operator_hold()
    {
        Held(DeciderSpec.Given(InProduction).When(Input(config: Frozen, conclusion: "failure")), ReasonCodes.VerificationFailed);
        Held(DeciderSpec.Given([.. InProduction, Hold(until: null)]).When(Input(config: Frozen)), ReasonCodes.Frozen);
    }

    [Fact]
    public void A_window_holds_before_the_rate_limit_and_approvals_are_asked()
    {
        Held(DeciderSpec.Given(InProduction).When(Input(RiskClass.High, config: Frozen)), ReasonCodes.FreezeWindow);
    }

    [Fact]
    public void An_emergency_stop_holds_every_decision_even_an_approved_one_and_names_who_stopped_and_why()
    {
        var approved = new ApprovalSignal(ApprovalVia.Environment, "server-environment", Sha);

        var unblock = Held(DeciderSpec.Given(InProduction).When(Input(RiskClass.High, approvals: [approved]) with { Stop = StopAll }),
            ReasonCodes.EmergencyStop);

        Assert.Equal("run 'booty governor resume --all' once deploys are safe again (emergency stop of every repository by oncall at 2025-06-02T11:55:00Z: incident 7)", unblock);
        Held(DeciderSpec.Given(InProduction).When(Input(config: Frozen, conclusion: "failure") with { Stop = StopAll }), ReasonCodes.EmergencyStop);
    }

    [Fact]
    public void A_stop_of_one_repository_holds_that_repository_only_and_resume_lifts_it()
    {
        var web = new RepoRef("octo-org", "web");
        var api = new RepoRef("octo-org", "api");
        var stopped = StopState.Initial;
        foreach (var e in StopCommands.Stop(stopped, StopScopes.Of(web), "bad release", "oncall", Now)) stopped = StopState.Apply(stopped, e);

        Assert.Equal(("octo-org/web", "bad release"), (stopped.For(web)?.Scope, stopped.For(web)?.Reason));
        Assert.Null(stopped.For(api));

        var resumed = StopCommands.Resume(stopped, StopScopes.Of(web), "oncall", Now).Aggregate(stopped, StopState.Apply);
        Assert.Null(resumed.For(web));
        Assert.Empty(StopCommands.Resume(resumed, StopScopes.Of(web), "oncall", Now));
        Assert.Throws<ArgumentException>(() => StopCommands.Stop(resumed, StopScopes.All, " ", "oncall", Now));
    }

    [Fact]
    public void Shas_held_by_a_window_are_remembered_newest_last_until_decided_otherwise_or_superseded()
    {
        var held = (string sha) => new DeployDecided(sha, DecisionOutcome.Hold, ReasonCodes.FreezeWindow, "frozen", RiskClass.Low, [], null, []) { At = Now };
        var state = new ReleaseEvent[]
        {
            held("a"), held("b"), held("a"), held("c"),
            new ShaSuperseded("b", "c", Now) { At = Now },
            new DeployDecided("c", DecisionOutcome.Allow, ReasonCodes.AllowLow, null, RiskClass.Low, [], null, []) { At = Now },
        }.Aggregate(ReleaseState.Initial, ReleaseProjection.Apply);

        Assert.Equal(["a"], state.FrozenShas);
    }
}
