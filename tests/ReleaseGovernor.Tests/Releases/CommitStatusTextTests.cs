using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Risk;
using static ReleaseGovernor.Tests.Releases.Fixture;

namespace ReleaseGovernor.Tests.Releases;

public class CommitStatusTextTests
{
    [Fact]
    public void An_allow_says_the_deploy_workflow_was_triggered() =>
        Assert.Equal("Triggered: deploy workflow run",
            CommitStatusText.For(new Decision(DecisionOutcome.Allow, ReasonCodes.AllowLow, null, RiskClass.Low)));

    [Fact]
    public void A_hold_says_the_reason_and_how_to_unblock() =>
        Assert.Equal("HOLD frozen: run 'booty governor release-hold' (held by oncall: incident 42)",
            CommitStatusText.For(Held(DeciderSpec.Given([.. InProduction, Hold(null)]))));

    [Fact]
    public void The_longest_unblock_is_cut_to_140_characters_with_an_ellipsis()
    {
        var errors = Enumerable.Range(1, 10)
            .Select(i => new ConfigError(".booty.yml", $"release_governor.unknown_key_{i}", i, "unknown key; allowed keys are listed in the docs"))
            .ToList();
        var decision = Held(DeciderSpec.Given(InProduction), load: new ConfigLoadResult.Invalid(errors));

        var text = CommitStatusText.For(decision);

        Assert.Equal(140, text.Length);
        Assert.StartsWith("HOLD config_invalid: .booty.yml:1: release_governor.unknown_key_1: unknown key", text);
        Assert.EndsWith("…", text);
    }

    [Theory]
    [InlineData(ApprovalMode.Environment)]
    [InlineData(ApprovalMode.Label)]
    [InlineData(ApprovalMode.Comment)]
    public void Every_hold_fits_in_a_commit_status(ApprovalMode mode)
    {
        var config = GovernorConfig.Default with { ApprovalMode = mode };
        var decision = Held(DeciderSpec.Given(InProduction), RiskClass.High, config: config,
            approvals: [(new ApprovalSignal(ApprovalVia.Label, "a-rather-long-github-login-name", Sha, ByPullRequestAuthor: true) with { Role = "write", CanWrite = true })]);

        Assert.InRange(CommitStatusText.For(decision).Length, 1, CommitStatusText.MaxLength);
    }

    [Fact]
    public void A_short_hold_is_not_cut() =>
        Assert.Equal("HOLD deploy_in_progress: automatic: a1b2c3d is re-evaluated when the deploy of 9999999 ends (newest waiting sha wins)",
            CommitStatusText.For(Held(DeciderSpec.Given([.. InProduction, Dispatch(Other, Now.AddHours(-2))]))));

    private static Decision Held(DeciderSpec spec, RiskClass risk = RiskClass.Low, GovernorConfig? config = null,
        ConfigLoadResult? load = null, IReadOnlyList<ApprovalSignal>? approvals = null)
    {
        var decision = spec.When(Input(risk, config: config, load: load, approvals: approvals)).Decision;
        Assert.Equal(DecisionOutcome.Hold, decision.Outcome);
        return decision;
    }
}
