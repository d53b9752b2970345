using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.Tests.Releases;

/// <summary>The one decider of release streams, on the deploy-run and operator cases.</summary>
public sealed class ReleaseDeciderTests
{
    private static readonly RepoRef Repo = new("octo-org", "web");
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Sha = "abababababababababababababababababababab";

    private static ReleaseState InFlight(long? runId = null) =>
        new[] { (ReleaseEvent)new DeployDispatchRequested(Sha, "deploy.yml", "main", new Dictionary<string, string> { ["sha"] = Sha }) { At = Now } }
            .Concat(runId is { } id ? [new DeployDispatched(Sha, 1, id, null, null) { At = Now }] : [])
            .Aggregate(ReleaseState.Initial, ReleaseProjection.Apply);

    private static WorkflowRunReceived Run(long runId, string action, string? conclusion, string title = $"Deploy {Sha}", string head = "octo-org/web",
        bool fork = false, string trigger = "workflow_dispatch") =>
        new(action, "Deploy", ".github/workflows/deploy.yml", runId, 1, "cccccccccccccccccccccccccccccccccccccccc", "main", trigger, action,
            conclusion, title, null, "main", "octo-org/web", head, fork) { At = Now };

    private static IReadOnlyList<ReleaseEvent> Record(ReleaseState state, WorkflowRunReceived run) =>
        ReleaseDecider.Decide(state, new ReleaseCommand.RecordDeployRun(run, Repo, GovernorConfig.Default));

    [Fact]
    public void A_run_with_the_dispatched_run_id_ends_the_deploy_of_its_sha_whatever_its_title()
    {
        var outcome = Assert.Single(Record(InFlight(runId: 77), Run(77, "completed", "success", title: "anything")));
        Assert.Equal((Sha, 77L), (Assert.IsType<DeploySucceeded>(outcome).Sha, ((DeploySucceeded)outcome).RunId));
    }

    [Fact]
    public void The_title_matches_only_while_no_run_id_is_known_and_never_for_a_forks_run()
    {
        Assert.IsType<DeployFailed>(Assert.Single(Record(InFlight(), Run(5, "completed", "failure"))));
        Assert.IsType<DeployRunUnmatched>(Assert.Single(Record(InFlight(runId: 77), Run(5, "completed", "failure"))));
        Assert.IsType<DeployRunUnmatched>(Assert.Single(Record(InFlight(), Run(5, "completed", "success", head: "mallory/web", fork: true))));
        Assert.IsType<DeployRunUnmatched>(Assert.Single(Record(InFlight(), Run(5, "completed", "success", trigger: "push"))));
    }

    [Fact]
    public void An_outcome_already_recorded_or_an_unmatched_run_seen_before_adds_nothing()
    {
        var state = InFlight(runId: 77);
        var ended = Record(state, Run(77, "completed", "success")).Aggregate(state, ReleaseProjection.Apply);
        Assert.Empty(Record(ended, Run(77, "completed", "success")));
        var unmatched = Record(ended, Run(9, "completed", "failure")).Aggregate(ended, ReleaseProjection.Apply);
        Assert.Empty(Record(unmatched, Run(9, "completed", "failure")));
    }

    [Fact]
    public void Operator_commands_are_cases_of_the_same_decider()
    {
        var held = ReleaseDecider.Decide(ReleaseState.Initial, new ReleaseCommand.PlaceHold("incident 7", "oncall", null, Now))
            .Aggregate(ReleaseState.Initial, ReleaseProjection.Apply);
        Assert.Equal("incident 7", held.Hold!.Reason);
        Assert.IsType<HoldLifted>(Assert.Single(ReleaseDecider.Decide(held, new ReleaseCommand.LiftHold("oncall", Now))));
        Assert.IsType<ApprovalGranted>(Assert.Single(ReleaseDecider.Decide(held, new ReleaseCommand.Approve(Sha, "alice", Now))));
    }
}
