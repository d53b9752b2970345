using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Risk;
using static ReleaseGovernor.Tests.Releases.Fixture;

namespace ReleaseGovernor.Tests.Releases;

/// <summary>trigger_mode: protection_rule: the same rules, answered as approved/rejected once per run instead of a dispatch.</summary>
public sealed class ProtectionRuleTests
{
    private static readonly GovernorConfig Protected = GovernorConfig.Default with { TriggerMode = TriggerMode.ProtectionRule };

    private static ProtectionRuleRequested Request(string sha = Sha, long runId = 900, string @event = "push", string gitRef = "main",
        DateTimeOffset? at = null) =>
        new("production", sha, runId, @event, gitRef, "main") { At = at ?? Now.AddMinutes(-1) };

    private static ReleaseState Pending(params ProtectionRuleRequested[] requests) =>
        requests.Aggregate(DeciderSpec.Given(InProduction).State, (s, r) => ReleaseDecider.Decide(s, new ReleaseCommand.ReceiveProtectionRequest(r))
            .Aggregate(s, ReleaseProjection.Apply));

    [Fact]
    public void A_low_risk_sha_with_a_pending_request_is_approved_instead_of_dispatched()
    {
        var result = Decider.Decide(Pending(Request()), Input(config: Protected));

        Assert.DoesNotContain(result.Events, e => e is DeployDispatchRequested);
        var answer = Assert.Single(result.Events.OfType<ProtectionRuleAnswerRequested>());
        Assert.Equal((900L, "approved", ReasonCodes.AllowLow), (answer.RunId, answer.State, answer.Reason));
        Assert.Equal("ReleaseGovernor: ALLOW allow_low (risk LOW). Approvals: none needed.", answer.Comment);
    }

    [Fact]
    public void The_approval_is_the_environments_deploy_in_flight_with_the_runs_id_and_the_sha_is_not_approved_twice()
    {
        var state = Pending(Request());
        var approved = Decider.Decide(state, Input(config: Protected)).Events.Aggregate(state, ReleaseProjection.Apply);

        Assert.Equal((Sha, 900L), (approved.InFlight!.Sha, approved.InFlight.RunId));
        Assert.Contains(approved.RecentRuns, r => r.RunId == 900 && r.Sha == Sha);
        var again = Decider.Decide(approved, Input(config: Protected));
        Assert.Empty(again.Events.OfType<ProtectionRuleAnswerRequested>());
        Assert.Equal(ReasonCodes.AlreadyDispatched, again.Decision.Reason);
    }

    [Fact]
    public void A_high_risk_sha_without_approval_stays_pending_with_the_unblock_hint()
    {
        var result = Decider.Decide(Pending(Request()), Input(RiskClass.High, config: Protected with { ApprovalMode = ApprovalMode.Label }));

        Assert.Empty(result.Events.OfType<ProtectionRuleAnswerRequested>());
        Assert.Contains("release:approved", Held(result, ReasonCodes.HighRiskNoApproval));
    }

    [Theory]
    [InlineData("failure", ReasonCodes.VerificationFailed)]
    [InlineData("success", ReasonCodes.NotAheadOfProduction)]
    public void A_hold_that_cannot_clear_for_the_sha_rejects_the_request_with_the_reason(string conclusion, string reason)
    {
        var result = Decider.Decide(Pending(Request()), Input(config: Protected, conclusion: conclusion, compare: CompareStatus.Behind));

        var answer = Assert.Single(result.Events.OfType<ProtectionRuleAnswerRequested>());
        Assert.Equal(("rejected", reason), (answer.State, answer.Reason));
        Assert.StartsWith($"ReleaseGovernor: REJECTED {reason}: ", answer.Comment);
    }

    [Fact]
    public void A_request_for_a_sha_whose_verification_has_not_finished_waits_and_records_nothing()
    {
        var result = Decider.Decide(Pending(Request()), Input(config: Protected, conclusion: UnblockHints.NotRecorded));

        Assert.Empty(result.Events);
        Assert.Equal((DecisionOutcome.Skip, ReasonCodes.AwaitingVerification), (result.Decision.Outcome, result.Decision.Reason));
    }

    [Fact]
    public void Without_a_request_an_allowed_sha_neither_dispatches_nor_spends_an_override()
    {
        var state = DeciderSpec.Given([.. InProduction, new OverrideGranted(Sha, "hotfix", "oncall", null, false) { At = Now.AddMinutes(-2) }]).State;

        var result = Decider.Decide(state, Input(config: Protected));

        Assert.Equal(DecisionOutcome.Allow, result.Decision.Outcome);
        Assert.Equal([typeof(DeployDecided)], result.Events.Select(e => e.GetType()));
    }

    [Fact]
    public void A_newer_request_rejects_the_older_pending_request_of_another_sha_as_superseded()
    {
        var state = Pending(Request(Other, runId: 1), Request(Sha, runId: 2));

        Assert.Equal([2L], state.ProtectionRequests.Where(p => p.Answer is null).Select(p => p.RunId));
        var older = Assert.Single(state.ProtectionRequests, p => p.RunId == 1);
        Assert.Equal(("rejected", ReasonCodes.Superseded), (older.Answer, older.Reason));
    }

    [Theory]
    [InlineData("pull_request", "main")]
    [InlineData("pull_request_target", "main")]
    [InlineData("push", "feature/x")]
    public void A_request_from_a_pull_request_run_or_another_branch_is_rejected_on_arrival(string @event, string gitRef)
    {
        var events = ReleaseDecider.Decide(DeciderSpec.Given(InProduction).State,
            new ReleaseCommand.ReceiveProtectionRequest(Request(@event: @event, gitRef: gitRef)));

        var answer = Assert.Single(events.OfType<ProtectionRuleAnswerRequested>());
        Assert.Equal(("rejected", ReasonCodes.NotOnDefaultBranch), (answer.State, answer.Reason));
    }

    [Fact]
    public void A_redelivered_request_adds_nothing_pending_or_answered()
    {
        var state = Pending(Request());
        Assert.Empty(ReleaseDecider.Decide(state, new ReleaseCommand.ReceiveProtectionRequest(Request())));

        var answered = state with { };
        answered = new ReleaseEvent[] { new ProtectionRuleApproved("production", Sha, 900, "ok") { At = Now } }.Aggregate(answered, ReleaseProjection.Apply);
        Assert.Empty(answered.ProtectionRequests);
        Assert.Empty(ReleaseDecider.Decide(answered, new ReleaseCommand.ReceiveProtectionRequest(Request())));
    }

    [Fact]
    public void In_dispatch_mode_a_pending_request_is_rejected_and_the_dispatch_happens_as_before()
    {
        var result = Decider.Decide(Pending(Request()), Input());

        Assert.Single(result.Events.OfType<DeployDispatchRequested>());
        var answer = Assert.Single(result.Events.OfType<ProtectionRuleAnswerRequested>());
        Assert.Equal(("rejected", ReasonCodes.TriggerModeDispatch), (answer.State, answer.Reason));
    }

    [Fact]
    public void In_dispatch_mode_the_governors_own_dispatched_run_is_approved_and_one_not_yet_confirmed_waits()
    {
        var dispatched = DeciderSpec.Given([.. InProduction, Dispatch(Sha, Now.AddMinutes(-3))]).State;
        var unconfirmed = ReleaseDecider.Decide(dispatched, new ReleaseCommand.ReceiveProtectionRequest(Request(runId: 77)))
            .Aggregate(dispatched, ReleaseProjection.Apply);

        Assert.Empty(Decider.Decide(unconfirmed, Input()).Events.OfType<ProtectionRuleAnswerRequested>());

        var confirmed = new DeployDispatched(Sha, 1, 77, null, null) { At = Now.AddMinutes(-2) };
        var answer = Assert.Single(Decider.Decide(ReleaseProjection.Apply(unconfirmed, confirmed), Input()).Events.OfType<ProtectionRuleAnswerRequested>());
        Assert.Equal(("approved", ReasonCodes.DispatchedByGovernor, 77L), (answer.State, answer.Reason, answer.RunId));
    }

    [Fact]
    public void A_disabled_config_rejects_the_request_rather_than_letting_the_change_through()
    {
        var result = Decider.Decide(Pending(Request()), Input(load: new ConfigLoadResult.Disabled("enabled: false", Explicit: true)));

        var answer = Assert.Single(result.Events.OfType<ProtectionRuleAnswerRequested>());
        Assert.Equal(("rejected", ReasonCodes.Disabled), (answer.State, answer.Reason));
    }

    [Fact]
    public void A_comment_longer_than_github_takes_is_cut_to_1024_characters()
    {
        var comment = ProtectionRules.RejectionComment(new Decision(DecisionOutcome.Hold, ReasonCodes.VerificationFailed, new string('x', 2000), null));

        Assert.Equal(ProtectionRules.MaxCommentLength, comment.Length);
        Assert.EndsWith("…", comment);
    }

    [Fact]
    public void Trigger_mode_is_read_from_the_block_and_a_wrong_value_says_what_is_allowed()
    {
        var loaded = BootyConfigLoader.Load("release_governor:\n  enabled: true\n  trigger_mode: protection_rule\n");
        Assert.Equal(TriggerMode.ProtectionRule, Assert.IsType<ConfigLoadResult.Loaded>(loaded).Config.TriggerMode);

        var invalid = Assert.IsType<ConfigLoadResult.Invalid>(BootyConfigLoader.Load("release_governor:\n  enabled: true\n  trigger_mode: webhook\n"));
        Assert.Contains(invalid.Errors, e => e.Message.Contains("must be one of dispatch, protection_rule", StringComparison.Ordinal));
        Assert.Equal(GovernorConfig.Default.Fingerprint(), (GovernorConfig.Default with { TriggerMode = TriggerMode.Dispatch }).Fingerprint());
    }
}
