using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Risk;
using static ReleaseGovernor.Tests.Releases.Fixture;

namespace ReleaseGovernor.Tests.Releases;

/// <summary>What a decision stores, and how the projection takes it.</summary>
public class DecisionEventsTests
{
    [Fact]
    public void An_allow_records_the_decision_then_requests_the_deploy_of_the_verified_sha()
    {
        var config = GovernorConfig.Default with { DeployWorkflowName = "release.yml", DeployWorkflowRef = "deploy-branch" };

        var result = DeciderSpec.Given(InProduction).When(Input(RiskClass.Medium, config: config));

        var dispatch = Allowed(result, ReasonCodes.AllowMedium);
        Assert.Equal((Sha, "release.yml", "deploy-branch", Now), (dispatch.Sha, dispatch.Workflow, dispatch.Ref, dispatch.At));
        Assert.Equal(new Dictionary<string, string> { ["sha"] = Sha }, dispatch.Inputs);
    }

    [Fact]
    public void The_decision_carries_risk_evidence_config_fingerprint_and_time()
    {
        var config = GovernorConfig.Default with { CooldownMinutes = 5 };

        var decided = Decided(DeciderSpec.Given(InProduction).When(Input(RiskClass.High, config: config)));

        Assert.Equal(
            (Sha, DecisionOutcome.Hold, ReasonCodes.HighRiskNoApproval, RiskClass.High, config.Fingerprint(), Now),
            (decided.Sha, decided.Outcome, decided.Reason, decided.Risk, decided.ConfigFingerprint, decided.At));
        Assert.Equal(RiskOf(RiskClass.High).Evidence, decided.Evidence);
        Assert.Empty(decided.ApprovalsSeen);
    }

    [Fact]
    public void An_allow_has_no_unblock_hint() =>
        Assert.Null(Decided(DeciderSpec.Given(InProduction).When(Input())).Unblock);

    [Fact]
    public void An_invalid_config_records_no_risk_and_no_fingerprint()
    {
        var decided = Decided(DeciderSpec.Given(InProduction)
            .When(Input(RiskClass.High, load: new ConfigLoadResult.Invalid([new ConfigError(".booty.yml", "x", 3, "unknown key")]))));

        Assert.Equal((null, null), (decided.Risk, decided.ConfigFingerprint));
        Assert.Empty(decided.Evidence);
    }

    [Fact]
    public void A_sha_is_requested_once_a_second_verification_of_it_is_a_no_op()
    {
        var spec = DeciderSpec.Given(InProduction);
        var first = spec.When(Input());

        var second = DeciderSpec.Given(first.Events.Aggregate(spec.State, ReleaseProjection.Apply)).When(Input(now: Now.AddMinutes(1)));

        Allowed(first, ReasonCodes.AllowLow);
        Skipped(second, ReasonCodes.AlreadyDispatched);
    }

    [Fact]
    public void The_newest_held_sha_replaces_the_waiting_one()
    {
        var spec = DeciderSpec.Given([.. InProduction, Dispatch(Other, Now.AddHours(-2))]);
        var older = spec.When(Input(sha: Production.Replace('0', '1')));
        var afterOlder = older.Events.Aggregate(spec.State, ReleaseProjection.Apply);

        var newer = DeciderSpec.Given(afterOlder).When(Input());

        Assert.Equal(Sha, newer.Events.Aggregate(afterOlder, ReleaseProjection.Apply).WaitingSha);
    }

    [Fact]
    public void The_waiting_sha_is_allowed_once_the_deploy_in_flight_ends()
    {
        var spec = DeciderSpec.Given([.. InProduction, Dispatch(Other, Now.AddHours(-2))]);
        var waiting = spec.When(Input()).Events.Aggregate(spec.State, ReleaseProjection.Apply);
        var ended = ReleaseProjection.Apply(waiting, new DeploySucceeded(Other, 7, null) { At = Now.AddMinutes(1) });

        var result = DeciderSpec.Given(ended).When(Input(now: Now.AddMinutes(1)));

        Allowed(result, ReasonCodes.AllowLow);
        Assert.Null(result.Events.Aggregate(ended, ReleaseProjection.Apply).WaitingSha);
    }
}
