using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Risk;
using static ReleaseGovernor.Tests.Releases.Fixture;

namespace ReleaseGovernor.Tests.Releases;

/// <summary>Which approvals count for a HIGH risk or first deploy, by approval_mode and self-approval.</summary>
public class ApprovalTests
{
    [Theory]
    [InlineData(ApprovalMode.Environment, ApprovalVia.Environment)]
    [InlineData(ApprovalMode.Label, ApprovalVia.Label)]
    [InlineData(ApprovalMode.Comment, ApprovalVia.Comment)]
    public void The_channel_of_the_approval_mode_approves(ApprovalMode mode, ApprovalVia via) =>
        Allowed(HighRisk(mode, (new ApprovalSignal(via, "reviewer", Sha) with { Role = "write", CanWrite = true })), ReasonCodes.AllowHighApproved);

    [Theory]
    [InlineData(ApprovalMode.Environment, ApprovalVia.Label)]
    [InlineData(ApprovalMode.Environment, ApprovalVia.Comment)]
    [InlineData(ApprovalMode.Label, ApprovalVia.Environment)]
    [InlineData(ApprovalMode.Label, ApprovalVia.Comment)]
    [InlineData(ApprovalMode.Comment, ApprovalVia.Environment)]
    [InlineData(ApprovalMode.Comment, ApprovalVia.Label)]
    public void Another_channel_than_the_approval_mode_does_not_approve(ApprovalMode mode, ApprovalVia via) =>
        Held(HighRisk(mode, (new ApprovalSignal(via, "reviewer", Sha) with { Role = "write", CanWrite = true })), ReasonCodes.HighRiskNoApproval);

    [Theory]
    [InlineData(ApprovalMode.Environment)]
    [InlineData(ApprovalMode.Label)]
    [InlineData(ApprovalMode.Comment)]
    public void A_cli_approval_in_the_state_approves_in_every_mode(ApprovalMode mode) =>
        Allowed(DeciderSpec.Given([.. InProduction, new ApprovalGranted(Sha, "cli", "operator") { At = Now.AddMinutes(-3) }])
            .When(Input(RiskClass.High, config: GovernorConfig.Default with { ApprovalMode = mode })), ReasonCodes.AllowHighApproved);

    [Fact]
    public void A_cli_approval_of_another_sha_does_not_approve() =>
        Held(DeciderSpec.Given([.. InProduction, new ApprovalGranted(Other, "cli", "operator") { At = Now.AddMinutes(-3) }])
            .When(Input(RiskClass.High)), ReasonCodes.HighRiskNoApproval);

    [Fact]
    public void A_signal_for_another_sha_does_not_approve() =>
        Held(HighRisk(ApprovalMode.Label, (new ApprovalSignal(ApprovalVia.Label, "reviewer", Other) with { Role = "write", CanWrite = true })), ReasonCodes.HighRiskNoApproval);

    [Fact]
    public void The_pull_request_author_cannot_approve_their_own_change()
    {
        var unblock = Held(HighRisk(ApprovalMode.Label, (new ApprovalSignal(ApprovalVia.Label, "author", Sha, ByPullRequestAuthor: true) with { Role = "write", CanWrite = true })),
            ReasonCodes.HighRiskNoApproval);

        Assert.Contains("not counted: label:author (write) (the pull request's author; allow_self_approval is false)", unblock);
    }

    [Fact]
    public void The_pull_request_author_approves_with_allow_self_approval() =>
        Allowed(HighRisk(ApprovalMode.Comment, (new ApprovalSignal(ApprovalVia.Comment, "author", Sha, ByPullRequestAuthor: true) with { Role = "write", CanWrite = true }), allowSelf: true),
            ReasonCodes.AllowHighApproved);

    [Fact]
    public void A_cli_approval_counts_even_from_the_pull_request_author() =>
        Allowed(HighRisk(ApprovalMode.Label, (new ApprovalSignal(ApprovalVia.Cli, "author", Sha, ByPullRequestAuthor: true) with { Role = "write", CanWrite = true })),
            ReasonCodes.AllowHighApproved);

    [Fact]
    public void A_label_in_environment_mode_is_named_as_not_counted()
    {
        var unblock = Held(HighRisk(ApprovalMode.Environment, (new ApprovalSignal(ApprovalVia.Label, "reviewer", Sha) with { Role = "write", CanWrite = true })), ReasonCodes.HighRiskNoApproval);

        Assert.Contains("not counted: label:reviewer (write) (approval_mode is environment)", unblock);
    }

    [Fact]
    public void The_counted_approvals_are_recorded_as_via_and_actor()
    {
        var result = DeciderSpec.Given([.. InProduction, new ApprovalGranted(Sha, "cli", "operator") { At = Now.AddMinutes(-3) }])
            .When(Input(RiskClass.High, config: GovernorConfig.Default with { ApprovalMode = ApprovalMode.Label }, approvals:
            [
                (new ApprovalSignal(ApprovalVia.Label, "reviewer", Sha) with { Role = "write", CanWrite = true }),
                (new ApprovalSignal(ApprovalVia.Label, "reviewer", Sha) with { Role = "write", CanWrite = true }),
                (new ApprovalSignal(ApprovalVia.Comment, "ignored", Sha) with { Role = "write", CanWrite = true }),
            ]));

        Assert.Equal(["cli:operator", "label:reviewer (write)"], Decided(result).ApprovalsSeen);
    }

    [Fact]
    public void A_label_from_someone_who_cannot_write_does_not_count_and_the_hint_says_why()
    {
        var triage = new ApprovalSignal(ApprovalVia.Label, "helper", Sha) { Role = "triage", CanWrite = false };

        var unblock = Held(HighRisk(ApprovalMode.Label, triage), ReasonCodes.HighRiskNoApproval);

        Assert.Contains("not counted: label:helper (triage) (helper has triage access; an approver needs write)", unblock);
    }

    [Fact]
    public void A_label_or_comment_whose_permission_was_never_asked_does_not_count() =>
        Held(HighRisk(ApprovalMode.Comment, new ApprovalSignal(ApprovalVia.Comment, "lead", Sha)), ReasonCodes.HighRiskNoApproval);

    [Fact]
    public void The_pusher_of_the_sha_cannot_approve_it()
    {
        var pusher = new ApprovalSignal(ApprovalVia.Comment, "bob", Sha) { Role = "write", CanWrite = true, ByPusher = true };

        var unblock = Held(HighRisk(ApprovalMode.Comment, pusher), ReasonCodes.HighRiskNoApproval);

        Assert.Contains("pushed this sha to the default branch; allow_self_approval is false", unblock);
    }

    [Fact]
    public void With_approvers_set_a_writer_outside_them_does_not_count()
    {
        var config = GovernorConfig.Default with { ApprovalMode = ApprovalMode.Label, Approvers = ["acme/release-managers"] };
        var outsider = new ApprovalSignal(ApprovalVia.Label, "dev2", Sha) { Role = "write", CanWrite = true, InApprovers = false };

        var unblock = Held(DeciderSpec.Given(InProduction).When(Input(RiskClass.High, config: config, approvals: [outsider])), ReasonCodes.HighRiskNoApproval);

        Assert.Contains("dev2 is not in approvers (acme/release-managers)", unblock);
    }

    [Fact]
    public void Required_approvals_counts_distinct_people_across_channels_and_the_hint_says_how_many_are_missing()
    {
        var config = GovernorConfig.Default with { ApprovalMode = ApprovalMode.Label, RequiredApprovals = 2 };
        var lead = new ApprovalSignal(ApprovalVia.Label, "lead", Sha) { Role = "write", CanWrite = true };
        var given = DeciderSpec.Given([.. InProduction, new ApprovalGranted(Sha, "cli", "lead") { At = Now.AddMinutes(-1) }]);

        var unblock = Held(given.When(Input(RiskClass.High, config: config, approvals: [lead])), ReasonCodes.HighRiskNoApproval);
        Assert.Contains("1 of 2 required approvals (lead)", unblock);

        var ops = new ApprovalSignal(ApprovalVia.Label, "ops", Sha) { Role = "admin", CanWrite = true };
        Allowed(given.When(Input(RiskClass.High, config: config, approvals: [lead, ops])), ReasonCodes.AllowHighApproved);
    }

    [Theory]
    [InlineData(ApprovalMode.Environment, "set RELEASE_GOVERNOR_APPROVED=true on the server")]
    [InlineData(ApprovalMode.Label, "add the label 'ship-it' to the pull request")]
    [InlineData(ApprovalMode.Comment, "comment '/ship' on the pull request (someone with write access)")]
    public void The_approval_hint_follows_the_approval_mode(ApprovalMode mode, string hint)
    {
        var config = GovernorConfig.Default with { ApprovalMode = mode, ApprovalLabel = "ship-it", ApprovalCommand = "/ship" };

        var unblock = Held(DeciderSpec.Given(InProduction).When(Input(RiskClass.High, config: config)), ReasonCodes.HighRiskNoApproval);

        Assert.Equal($"{hint}, or run: booty governor approve {Sha}", unblock);
    }

    [Fact]
    public void An_approved_first_deploy_goes_on_to_the_risk_rules() =>
        Allowed(DeciderSpec.Given(new ApprovalGranted(Sha, "cli", "operator") { At = Now.AddMinutes(-3) })
            .When(Input(RiskClass.Medium, compare: null, config: GovernorConfig.Default with { RequireApprovalForFirstDeploy = true })),
            ReasonCodes.AllowMedium);

    [Fact]
    public void A_first_deploy_without_required_approval_follows_the_risk_rules() =>
        Allowed(DeciderSpec.Given().When(Input(RiskClass.Low, compare: null)), ReasonCodes.AllowLow);

    [Fact]
    public void A_first_deploy_of_high_risk_still_needs_approval_when_first_deploy_approval_is_off() =>
        Held(DeciderSpec.Given().When(Input(RiskClass.High, compare: null)), ReasonCodes.HighRiskNoApproval);

    private static DecisionResult HighRisk(ApprovalMode mode, ApprovalSignal signal, bool allowSelf = false) =>
        DeciderSpec.Given(InProduction).When(Input(RiskClass.High,
            config: GovernorConfig.Default with { ApprovalMode = mode, AllowSelfApproval = allowSelf }, approvals: [signal]));
}
