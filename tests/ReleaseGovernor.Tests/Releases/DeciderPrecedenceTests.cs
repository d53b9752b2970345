using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Risk;
using static ReleaseGovernor.Tests.Releases.Fixture;

namespace ReleaseGovernor.Tests.Releases;

/// <summary>First match wins: when several rules apply, the earlier one decides.</summary>
public class DeciderPrecedenceTests
{
    /// <summary>A history where every holding rule from 4 on would apply.</summary>
    private static readonly DeciderSpec Everything = DeciderSpec.Given(
        DeciderSpec.Given([.. InProduction, Dispatch(Sha, Now.AddMinutes(-1)), Hold(null)]).State with
        {
            RecentFailures = [new Failure(Sha, Now.AddMinutes(-1))],
        });

    [Fact]
    public void Disabled_beats_everything() =>
        Skipped(Everything.When(Input(RiskClass.High, conclusion: "failure", compare: CompareStatus.Behind, degraded: true,
            load: new ConfigLoadResult.Disabled("disabled: RELEASE_GOVERNOR_ENABLED is false", Explicit: true))), ReasonCodes.Disabled);

    [Fact]
    public void An_invalid_config_beats_a_failed_verification() =>
        Held(Everything.When(Input(conclusion: "failure", load: new ConfigLoadResult.Invalid([new ConfigError(".booty.yml", "x", 1, "unknown key")]))),
            ReasonCodes.ConfigInvalid);

    [Fact]
    public void A_failed_verification_beats_already_dispatched_and_frozen() =>
        Held(Everything.When(Input(conclusion: "failure")), ReasonCodes.VerificationFailed);

    [Fact]
    public void Already_dispatched_beats_a_hold() =>
        Skipped(Everything.When(Input(RiskClass.High)), ReasonCodes.AlreadyDispatched);

    [Fact]
    public void An_unconfigured_deploy_beats_a_hold() =>
        Held(DeciderSpec.Given([.. InProduction, Hold(null)]).When(Input(config: GovernorConfig.Default with { DeployWorkflowName = "" })),
            ReasonCodes.DeployNotConfigured);

    [Fact]
    public void Frozen_beats_not_ahead_and_high_risk() =>
        Held(DeciderSpec.Given([.. InProduction, Hold(null)]).When(Input(RiskClass.High, compare: CompareStatus.Behind)), ReasonCodes.Frozen);

    [Fact]
    public void Not_ahead_beats_degraded_high_risk() =>
        Held(DeciderSpec.Given(InProduction).When(Input(RiskClass.High, compare: CompareStatus.Diverged, degraded: true)),
            ReasonCodes.NotAheadOfProduction);

    [Fact]
    public void First_deploy_approval_beats_degraded_high_risk() =>
        Held(DeciderSpec.Given().When(Input(RiskClass.High, compare: null, degraded: true,
            config: GovernorConfig.Default with { RequireApprovalForFirstDeploy = true })), ReasonCodes.FirstDeployRequired);

    [Fact]
    public void Degraded_high_risk_beats_cooldown_even_when_approved()
    {
        var state = DeciderSpec.Given(InProduction).State with { RecentFailures = [new Failure(Sha, Now.AddMinutes(-1))] };

        Held(DeciderSpec.Given(state).When(Input(RiskClass.High, degraded: true, approvals: [new ApprovalSignal(ApprovalVia.Environment, "server", Sha)])),
            ReasonCodes.DegradedHighRisk);
    }

    [Fact]
    public void Cooldown_beats_the_rate_limit()
    {
        var state = DeciderSpec.Given([.. InProduction, .. DeploysMinutesAgo(1, 2, 3, 4, 5, 6)]).State with
        {
            RecentFailures = [new Failure(Sha, Now.AddMinutes(-1))],
        };

        Held(DeciderSpec.Given(state).When(Input()), ReasonCodes.Cooldown);
    }

    [Fact]
    public void The_rate_limit_beats_a_deploy_in_flight() =>
        Held(DeciderSpec.Given([.. InProduction, .. DeploysMinutesAgo(1, 2, 3, 4, 5), Dispatch(Other, Now.AddMinutes(-1))]).When(Input()),
            ReasonCodes.RateLimit);

    [Fact]
    public void A_deploy_in_flight_beats_an_approved_high_risk_allow() =>
        Held(DeciderSpec.Given([.. InProduction, Dispatch(Other, Now.AddHours(-2))])
                .When(Input(RiskClass.High, approvals: [new ApprovalSignal(ApprovalVia.Environment, "server", Sha)])),
            ReasonCodes.DeployInProgress);

    [Fact]
    public void Degraded_does_not_hold_low_risk() =>
        Allowed(DeciderSpec.Given(InProduction).When(Input(RiskClass.Low, degraded: true)), ReasonCodes.AllowLow);

    [Fact]
    public void An_unknown_degraded_signal_is_not_degraded() =>
        Allowed(DeciderSpec.Given(InProduction).When(Input(RiskClass.Medium, degraded: null)), ReasonCodes.AllowMedium);
}
