using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Risk;
using static ReleaseGovernor.Tests.Releases.Fixture;

namespace ReleaseGovernor.Tests.Releases;

/// <summary>One fact per row of the rule table (design.md §4).</summary>
public class DeciderRuleTests
{
    [Fact]
    public void Rule_1_a_disabled_governor_records_no_decision_and_dispatches_nothing()
    {
        var result = DeciderSpec.Given(InProduction)
            .When(Input(load: new ConfigLoadResult.Disabled("absent: no release_governor key in .booty.yml", Explicit: false)));

        Skipped(result, ReasonCodes.Disabled);
        Assert.Contains("add a release_governor block to .booty.yml", result.Decision.Unblock);
    }

    [Fact]
    public void Rule_2_an_invalid_config_holds_with_every_error_by_file_key_and_line()
    {
        var errors = new ConfigLoadResult.Invalid(
        [
            new ConfigError(".booty.yml", "release_governor.cooldown_minutes", 7, "must be an integer >= 0, got \"soon\""),
            new ConfigError(".booty.yml", "release_governor.colldown", 9, "unknown key; did you mean cooldown_minutes?"),
        ]);

        var unblock = Held(DeciderSpec.Given(InProduction).When(Input(load: errors)), ReasonCodes.ConfigInvalid);

        Assert.Equal(
            ".booty.yml:7: release_governor.cooldown_minutes: must be an integer >= 0, got \"soon\"; "
            + ".booty.yml:9: release_governor.colldown: unknown key; did you mean cooldown_minutes?",
            unblock);
    }

    [Fact]
    public void Rule_3_a_failed_verification_holds_until_a_fix_is_pushed()
    {
        var unblock = Held(DeciderSpec.Given(InProduction).When(Input(conclusion: "failure")), ReasonCodes.VerificationFailed);

        Assert.Equal("fix the failure and push: 'Verify main' concluded failure", unblock);
    }

    [Fact]
    public void Rule_4_an_already_dispatched_sha_is_a_no_op()
    {
        var result = DeciderSpec.Given([.. InProduction, Dispatch(Sha, Now.AddHours(-3))]).When(Input());

        Skipped(result, ReasonCodes.AlreadyDispatched);
    }

    [Fact]
    public void Rule_4b_a_sha_not_shown_to_be_on_the_default_branch_holds_with_how_to_get_it_there()
    {
        var branch = new DefaultBranchCheck(false, "main", "compare:diverged");

        var result = DeciderSpec.Given(InProduction).When(Input(branch: branch));
        var unblock = Held(result, ReasonCodes.NotOnDefaultBranch);

        Assert.Empty(result.Events.OfType<DeployDispatchRequested>());
        Assert.StartsWith("merge a1b2c3d into main", unblock);
        Assert.Contains("compare of main with it is 'diverged'", unblock);
    }

    [Fact]
    public void Rule_4b_an_unchecked_branch_never_allows()
    {
        var input = Input() with { DefaultBranch = null };

        Held(DeciderSpec.Given(InProduction).When(input), ReasonCodes.NotOnDefaultBranch);
    }

    [Fact]
    public void Rule_4b_how_the_branch_was_established_is_recorded_with_the_decision()
    {
        var result = DeciderSpec.Given(InProduction).When(Input(branch: new DefaultBranchCheck(true, "main", "compare:behind")));

        var decided = result.Events.OfType<DeployDecided>().Single();
        Assert.Equal(ReasonCodes.AllowLow, decided.Reason);
        Assert.Equal("compare:behind", decided.OnDefaultBranchBy);
    }

    [Fact]
    public void Rule_5_an_empty_deploy_workflow_name_holds_and_names_the_key()
    {
        var config = GovernorConfig.Default with { DeployWorkflowName = " " };

        var unblock = Held(DeciderSpec.Given(InProduction).When(Input(config: config)), ReasonCodes.DeployNotConfigured);

        Assert.Contains("deploy_workflow_name", unblock);
    }

    [Fact]
    public void Rule_6_an_operator_hold_freezes_deploys_until_its_end()
    {
        var unblock = Held(DeciderSpec.Given([.. InProduction, Hold(Now.AddHours(2))]).When(Input()), ReasonCodes.Frozen);

        Assert.Equal("run 'booty governor release-hold' or wait until 2025-06-02T14:00:00Z (held by oncall: incident 42)", unblock);
    }

    [Fact]
    public void Rule_6_a_hold_without_end_freezes_until_released()
    {
        var unblock = Held(DeciderSpec.Given([.. InProduction, Hold(until: null)]).When(Input()), ReasonCodes.Frozen);

        Assert.Equal("run 'booty governor release-hold' (held by oncall: incident 42)", unblock);
    }

    [Theory]
    [InlineData(CompareStatus.Behind, "is behind production")]
    [InlineData(CompareStatus.Diverged, "has diverged")]
    [InlineData(CompareStatus.Identical, "is already in production")]
    public void Rule_7_a_sha_not_ahead_of_production_holds(CompareStatus compare, string says)
    {
        var unblock = Held(DeciderSpec.Given(InProduction).When(Input(compare: compare)), ReasonCodes.NotAheadOfProduction);

        Assert.Contains(says, unblock);
    }

    [Fact]
    public void Rule_7_the_production_sha_itself_is_not_ahead_whatever_the_compare_says() =>
        Held(DeciderSpec.Given(ReleaseState.Initial with { ProductionShaCurrent = Sha }).When(Input(compare: CompareStatus.Ahead)),
            ReasonCodes.NotAheadOfProduction);

    [Fact]
    public void Rule_8_a_first_deploy_requiring_approval_holds_with_the_approval_hint()
    {
        var config = GovernorConfig.Default with { RequireApprovalForFirstDeploy = true };

        var unblock = Held(DeciderSpec.Given().When(Input(config: config, compare: null)), ReasonCodes.FirstDeployRequired);

        Assert.StartsWith($"set RELEASE_GOVERNOR_APPROVED=true on the server, or run: booty governor approve {Sha}", unblock);
        Assert.Contains("require_approval_for_first_deploy", unblock);
    }

    [Fact]
    public void Rule_9_a_degraded_production_holds_high_risk()
    {
        var unblock = Held(DeciderSpec.Given(InProduction).When(Input(RiskClass.High, degraded: true)), ReasonCodes.DegradedHighRisk);

        Assert.StartsWith("resolve the production incident", unblock);
    }

    [Fact]
    public void Rule_10_holds_a_sha_that_failed_within_the_cooldown()
    {
        var state = DeciderSpec.Given(InProduction).State with { RecentFailures = [new Failure(Sha, Now.AddMinutes(-5))] };

        var unblock = Held(DeciderSpec.Given(state).When(Input()), ReasonCodes.Cooldown);

        Assert.StartsWith("wait 25 minutes, then re-run verification", unblock);
        Assert.Contains("cooldown_minutes: 30", unblock);
    }

    [Fact]
    public void Rule_10_holds_a_sha_whose_real_deploy_failed_within_the_cooldown_instead_of_skipping_it()
    {
        var given = DeciderSpec.Given([.. InProduction, Dispatch(Sha, Now.AddMinutes(-10)), new DeployFailed(Sha, 7, "failure", null) { At = Now.AddMinutes(-5) }]);

        var unblock = Held(given.When(Input()), ReasonCodes.Cooldown);

        Assert.StartsWith("wait 25 minutes, then re-run verification", unblock);
    }

    [Fact]
    public void After_the_cooldown_a_failed_sha_is_dispatched_again_as_its_second_attempt()
    {
        var given = DeciderSpec.Given([.. InProduction, Dispatch(Sha, Now.AddHours(-2)), new DeployFailed(Sha, 7, "failure", null) { At = Now.AddMinutes(-31) }]);

        var result = given.When(Input());

        Assert.Equal(ReasonCodes.AllowLow, result.Decision.Reason);
        Assert.Equal(2, result.Events.OfType<DeployDispatchRequested>().Single().Attempt);
    }

    [Fact]
    public void A_sha_deployed_successfully_is_never_dispatched_again() =>
        Skipped(DeciderSpec.Given(Deployed(Sha, Now.AddDays(-1))).When(Input()), ReasonCodes.AlreadyDispatched);

    [Fact]
    public void Rule_11_holds_when_the_hourly_deploy_limit_is_reached()
    {
        var unblock = Held(DeciderSpec.Given([.. InProduction, .. DeploysMinutesAgo(5, 15, 25, 35, 45, 55)]).When(Input()), ReasonCodes.RateLimit);

        Assert.Equal("wait until 2025-06-02T12:05:00Z (5 minutes) for a slot: 6 deploys in the last hour (max_deploys_per_hour: 6)", unblock);
    }

    [Fact]
    public void Rule_12_waits_while_another_deploy_is_in_flight_and_keeps_the_sha_waiting()
    {
        var spec = DeciderSpec.Given([.. InProduction, Dispatch(Other, Now.AddHours(-2))]);

        var result = spec.When(Input());

        Assert.StartsWith("automatic:", Held(result, ReasonCodes.DeployInProgress));
        Assert.Equal(Sha, result.Events.Aggregate(spec.State, ReleaseProjection.Apply).WaitingSha);
    }

    [Fact]
    public void Rule_13_low_risk_deploys() =>
        Allowed(DeciderSpec.Given(InProduction).When(Input(RiskClass.Low)), ReasonCodes.AllowLow);

    [Fact]
    public void Rule_14_medium_risk_deploys() =>
        Allowed(DeciderSpec.Given(InProduction).When(Input(RiskClass.Medium)), ReasonCodes.AllowMedium);

    [Fact]
    public void Rule_14_medium_risk_holds_while_production_is_degraded() =>
        Held(DeciderSpec.Given(InProduction).When(Input(RiskClass.Medium, degraded: true)), ReasonCodes.DegradedMediumHold);

    [Fact]
    public void Rule_15_approved_high_risk_deploys() =>
        Allowed(DeciderSpec.Given([.. InProduction, CliApproval(Sha, "alice")]).When(Input(RiskClass.High)), ReasonCodes.AllowHighApproved);

    [Fact]
    public void Rule_16_unapproved_high_risk_holds_with_the_approval_hint()
    {
        var unblock = Held(DeciderSpec.Given(InProduction).When(Input(RiskClass.High)), ReasonCodes.HighRiskNoApproval);

        Assert.Equal($"set RELEASE_GOVERNOR_APPROVED=true on the server, or run: booty governor approve {Sha}", unblock);
    }

    private static ApprovalGranted CliApproval(string sha, string actor) => new(sha, "cli", actor) { At = Now.AddMinutes(-1) };
}
