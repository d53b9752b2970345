using System.Net;
using System.Text.Json.Nodes;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Governor;

/// <summary>
/// trigger_mode: protection_rule end to end: GitHub asks (deployment_protection_rule requested), the governor decides with
/// the same rules and answers the run's review endpoint once; the run's outcome moves production of that environment.
/// </summary>
public sealed class ProtectionRuleTests : GovernedRepoTests
{
    private const string Yml = "release_governor:\n  enabled: true\n  trigger_mode: protection_rule\n  approval_mode: label\n  approval_label: release:approved\n";
    private const string Low = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
    private const string High = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
    private const string Newer = "c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3";

    protected override void Arrange()
    {
        foreach (var sha in new[] { Low, High, Newer }) _gh.SetFile(sha, ".booty.yml", Yml);
        _gh.OnDefaultBranch(Low, High, Newer);
        _gh.SetCommit(Low, new FakeChangedFile("src/app.cs"));
        _gh.SetCommit(Newer, new FakeChangedFile("src/other.cs"));
        _gh.SetCommit(High, new FakeChangedFile(".github/workflows/deploy.yml"));
        _gh.SetPullRequestsForCommit(High, new FakePullRequest(7, High, AuthorLogin: "dev"));
        _gh.SetPermission("lead", "write");
    }

    [Fact]
    public async Task A_low_risk_verified_sha_gets_one_approved_answer_with_the_reason_and_the_runs_outcome_makes_it_production()
    {
        await VerifyAsync(Low, 100);
        await RequestAsync(Low, runId: 5001);
        var review = await ReviewAsync(5001);

        Assert.Equal("/repos/octo-org/web/actions/runs/5001/deployment_protection_rule", review.Path);
        Assert.Equal("production", (string?)review.Json!["environment_name"]);
        Assert.Equal("approved", (string?)review.Json!["state"]);
        Assert.StartsWith("ReleaseGovernor: ALLOW allow_low (risk LOW).", (string?)review.Json!["comment"]);
        Assert.Empty(_gh.Dispatches);
        await AnsweredAsync(5001);
        var approved = Assert.Single((await ReleaseAsync()).OfType<ProtectionRuleApproved>());
        Assert.Equal((Low, 5001L, false), (approved.Sha, approved.RunId, approved.AlreadyReviewed));
        var status = await _app.GitHub.WaitForRequestAsync(r => r.Path == $"/repos/octo-org/web/statuses/{Low}" && (string?)r.Json!["state"] == "success", Bound);
        Assert.Contains("deployment protection rule", (string?)status.Json!["description"]);

        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, 5001, tipSha: Low, deployedSha: Low, "completed", "success", @event: "push"));
        var state = await Wait.ForStateAsync(_app.Store, Release, s => s.ProductionShaCurrent is not null);

        Assert.Equal(Low, state.ProductionShaCurrent);
        Assert.Empty(state.ProtectionRequests);
        Assert.Single(_gh.ProtectionReviews);
        var types = (await ReleaseAsync()).Select(e => EventTypes.NameOf(e)).Where(t => t != "commit_status_posted").ToList();
        Assert.Equal(["verification_completed", "deploy_decided", "protection_rule_requested", "deploy_decided", "protection_rule_answer_requested",
            "protection_rule_approved", "deploy_succeeded"], types);
    }

    [Fact]
    public async Task A_request_held_by_the_deploy_in_flight_is_approved_when_that_runs_deploy_finishes()
    {
        _gh.SetCompare(Low, Newer, new FakeCompare("ahead", 1, 0, [new FakeChangedFile("src/other.cs")]));
        await VerifyAsync(Low, 120);
        // As on GitHub: the deploy workflow's run starts on the push, before its job reaches the environment.
        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, 5020, tipSha: Low, deployedSha: Low, "requested", null, @event: "push"));
        await RequestAsync(Low, runId: 5020);
        await ReviewAsync(5020);
        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, 5020, tipSha: Low, deployedSha: Low, "in_progress", null, @event: "push"));
        await Wait.ForStateAsync(_app.Store, Release, s => s.InFlight is { RunId: 5020, Started: true });

        await VerifyAsync(Newer, 121);
        await RequestAsync(Newer, runId: 5021);
        var waiting = await Wait.ForStateAsync(_app.Store, Release, s => s.WaitingSha == Newer);
        await Wait.ForOutboxDrainedAsync(_app.Db);
        Assert.Equal(ReasonCodes.DeployInProgress, waiting.LastDecision!.Reason);
        Assert.Equal([5020L], _gh.ProtectionReviews.Select(r => r.RunId));

        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, 5020, tipSha: Low, deployedSha: Low, "completed", "success", @event: "push"));
        var review = await ReviewAsync(5021);

        Assert.Equal("approved", (string?)review.Json!["state"]);
        var state = await Wait.ForStateAsync(_app.Store, Release, s => s.InFlight?.RunId == 5021);
        Assert.Equal(Low, state.ProductionShaCurrent);
    }

    [Fact]
    public async Task A_request_that_arrives_before_the_verification_finishes_is_answered_after_it()
    {
        await RequestAsync(Low, runId: 5002);
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Empty(_gh.ProtectionReviews);
        var waiting = Assert.Single((await _app.Store.LoadReleaseStateAsync(Release))!.ProtectionRequests);
        Assert.Equal((5002L, Low, (string?)null), (waiting.RunId, waiting.Sha, waiting.Answer));

        await VerifyAsync(Low, 101);
        var review = await ReviewAsync(5002);

        Assert.Equal("approved", (string?)review.Json!["state"]);
        await Wait.ForOutboxDrainedAsync(_app.Db);
        Assert.Single(_gh.ProtectionReviews);
    }

    [Fact]
    public async Task A_high_risk_sha_waits_with_the_unblock_hint_in_its_status_then_a_label_approval_approves_it_once()
    {
        await VerifyAsync(High, 102);
        await RequestAsync(High, runId: 5003);
        var held = await _app.GitHub.WaitForRequestAsync(r => r.Path == $"/repos/octo-org/web/statuses/{High}", Bound);
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Equal("failure", (string?)held.Json!["state"]);
        Assert.Contains("high_risk_no_approval", (string?)held.Json!["description"]);
        Assert.Contains("release:approved", (string?)held.Json!["description"]);
        Assert.Empty(_gh.ProtectionReviews);

        _gh.SetPullRequestsForCommit(High, new FakePullRequest(7, High, AuthorLogin: "dev", Labels: ["release:approved"]));
        await _app.PostAsync("pull_request", Deliveries.Labeled(Repo, 7, "release:approved", by: "lead", author: "dev", headSha: High));
        var review = await ReviewAsync(5003);
        await _app.PostAsync("pull_request", Deliveries.Labeled(Repo, 7, "release:approved", by: "lead", author: "dev", headSha: High));
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Equal("approved", (string?)review.Json!["state"]);
        Assert.Contains("allow_high_approved", (string?)review.Json!["comment"]);
        Assert.Contains("label:lead (write)", (string?)review.Json!["comment"]);
        Assert.Single(_gh.ProtectionReviews);
        Assert.Single((await ReleaseAsync()).OfType<ProtectionRuleApproved>());
    }

    [Fact]
    public async Task A_failed_verification_is_answered_rejected_with_the_reason()
    {
        await VerifyAsync(Low, 103, conclusion: "failure");
        await RequestAsync(Low, runId: 5004);
        var review = await ReviewAsync(5004);

        Assert.Equal("rejected", (string?)review.Json!["state"]);
        Assert.StartsWith("ReleaseGovernor: REJECTED verification_failed", (string?)review.Json!["comment"]);
        await AnsweredAsync(5004);
        var rejected = Assert.Single((await ReleaseAsync()).OfType<ProtectionRuleRejected>());
        Assert.Equal((ReasonCodes.VerificationFailed, 5004L), (rejected.Reason, rejected.RunId));
        Assert.Null((await _app.Store.LoadReleaseStateAsync(Release))!.InFlight);
    }

    [Fact]
    public async Task The_same_request_delivered_twice_and_redelivered_under_a_new_id_is_answered_once()
    {
        await VerifyAsync(Low, 104);
        var body = Deliveries.ProtectionRule(Repo, "production", Low, 5005);

        var answers = new[]
        {
            await _app.PostAsync("deployment_protection_rule", body, delivery: "same"),
            await _app.PostAsync("deployment_protection_rule", body, delivery: "same"),
        };
        await ReviewAsync(5005);
        var redelivered = await _app.PostAsync("deployment_protection_rule", body, delivery: "redelivered-with-new-id");
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], [.. answers.Select(a => a.StatusCode), redelivered.StatusCode]);
        Assert.Single(_gh.ProtectionReviews);
        Assert.Empty(_gh.RefusedReviews);
        var events = await ReleaseAsync();
        Assert.Single(events.OfType<ProtectionRuleRequested>());
        Assert.Single(events.OfType<ProtectionRuleAnswerRequested>());
        Assert.Equal(2, await _app.CountAsync("SELECT count(*) FROM mt_events WHERE type = 'deployment_protection_rule_received'"));
    }

    [Fact]
    public async Task An_answer_github_already_has_from_before_a_crash_counts_as_done_without_a_second_review()
    {
        // As after a crash between GitHub taking the answer and the governor recording it: GitHub refuses the repeat with 422.
        _gh.MarkReviewed(5006, "production");
        await VerifyAsync(Low, 105);
        await RequestAsync(Low, runId: 5006);

        var approved = await WaitForAsync<ProtectionRuleApproved>();
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.True(approved.AlreadyReviewed);
        Assert.Single(_gh.RefusedReviews);
        Assert.Single(_app.GitHub.RequestsTo("POST", "/repos/octo-org/web/actions/runs/5006/deployment_protection_rule"));
        Assert.Equal(5006L, (await _app.Store.LoadReleaseStateAsync(Release))!.InFlight!.RunId);
    }

    [Fact]
    public async Task An_answer_met_with_500s_and_a_429_is_retried_and_given_once()
    {
        const string path = "/repos/octo-org/web/actions/runs/5007/deployment_protection_rule";
        _app.GitHub.InjectFault("POST", path, FakeFault.TooManyRequests(0), times: 1);
        _app.GitHub.InjectFault("POST", path, FakeFault.Status(502, "Bad Gateway"), times: 2);
        await VerifyAsync(Low, 106);
        await RequestAsync(Low, runId: 5007);

        await WaitForAsync<ProtectionRuleApproved>();
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.True(_app.GitHub.RequestsTo("POST", path).Count >= 4);
        Assert.Equal("approved", Assert.Single(_gh.ProtectionReviews).State);
        Assert.Empty(_gh.RefusedReviews);
    }

    [Fact]
    public async Task An_answer_github_refuses_for_good_is_recorded_failed_with_its_message_ends_the_deploy_and_is_counted()
    {
        var failed = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "releasegovernor.protection_rule.answers") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var labels = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            if (labels.GetValueOrDefault("state") == "approved" && labels.GetValueOrDefault("outcome") == "failed") Interlocked.Add(ref failed, (int)value);
        });
        listener.Start();
        _app.GitHub.InjectFault("POST", "/repos/octo-org/web/actions/runs/5016/deployment_protection_rule", FakeFault.Status(404, "Not Found"), times: 1);
        await VerifyAsync(Low, 115);
        await RequestAsync(Low, runId: 5016);

        var answerFailed = await WaitForAsync<ProtectionRuleAnswerFailed>();
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Equal(("approved", 5016L), (answerFailed.State, answerFailed.RunId));
        Assert.StartsWith("HTTP 404 after 1 attempt(s): Not Found", answerFailed.Error);
        var state = (await _app.Store.LoadReleaseStateAsync(Release))!;
        Assert.Null(state.InFlight);
        Assert.Equal("answer_failed", state.DeployHistory[0].Result);
        Assert.Empty(_gh.ProtectionReviews);
        Assert.Equal(1, Volatile.Read(ref failed));
    }

    [Fact]
    public async Task A_request_from_a_fork_pull_request_run_is_rejected_without_reading_the_forks_config()
    {
        var forkSha = Deliveries.RandomSha();
        await _app.PostAsync("deployment_protection_rule", Deliveries.ProtectionRule(Repo, "production", forkSha, 5008, @event: "pull_request",
            gitRef: "refs/pull/9/merge"));
        var review = await ReviewAsync(5008);

        Assert.Equal("rejected", (string?)review.Json!["state"]);
        Assert.Contains("not_on_default_branch", (string?)review.Json!["comment"]);
        Assert.Contains("pull_request event", (string?)review.Json!["comment"]);
        Assert.DoesNotContain(_app.GitHub.Requests, r => r.Method == "GET" && r.QueryString.Contains(forkSha, StringComparison.Ordinal));
        Assert.DoesNotContain(_app.GitHub.Requests, r => r.Path.Contains(forkSha, StringComparison.Ordinal));
        Assert.Empty((await ReleaseAsync()).OfType<DeployDecided>());
    }

    [Fact]
    public async Task A_request_for_a_sha_that_was_never_verified_is_not_approved()
    {
        await VerifyAsync(Low, 107);
        var unverified = Deliveries.RandomSha();
        _gh.SetFile(unverified, ".booty.yml", Yml).SetCommit(unverified, new FakeChangedFile("src/app.cs"));
        await RequestAsync(unverified, runId: 5009);
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Empty(_gh.ProtectionReviews);
        var pending = Assert.Single((await _app.Store.LoadReleaseStateAsync(Release))!.ProtectionRequests);
        Assert.Equal((unverified, (string?)null), (pending.Sha, pending.Answer));
        Assert.Null((await _app.Store.LoadReleaseStateAsync(Release))!.InFlight);
    }

    [Theory]
    [InlineData("callback", "deployment_callback_url")]
    [InlineData("environment", "environment")]
    [InlineData("deployment_environment", "deployment.environment")]
    [InlineData("sha", "deployment.sha")]
    public async Task A_request_with_a_spoofed_field_is_a_400_naming_it_and_stores_nothing(string spoof, string field)
    {
        var body = spoof switch
        {
            "callback" => Deliveries.ProtectionRule(Repo, "production", Low, 5010, callbackRepo: "mallory/elsewhere"),
            "environment" => Deliveries.ProtectionRule(Repo, "production/../staging", Low, 5010),
            "deployment_environment" => Deliveries.ProtectionRule(Repo, "production", Low, 5010, deploymentEnvironment: "staging"),
            _ => Deliveries.ProtectionRule(Repo, "production", "main", 5010),
        };

        var answer = await _app.PostAsync("deployment_protection_rule", body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal(field, (string?)JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["detail"]!["field"]);
        Assert.Equal(0, await _app.CountAsync("SELECT count(*) FROM mt_events"));
    }

    [Fact]
    public async Task Environments_are_governed_apart_and_the_payloads_top_level_sha_is_read()
    {
        await VerifyAsync(Low, 108);
        await _app.PostAsync("deployment_protection_rule", Deliveries.ProtectionRule(Repo, "Staging", Low, 5011, topLevelSha: true));
        var review = await ReviewAsync(5011);

        Assert.Equal("Staging", (string?)review.Json!["environment_name"]);
        Assert.Equal("approved", (string?)review.Json!["state"]);
        var staging = StreamIds.Release(RepoRef.Parse(Repo), "staging");
        await AnsweredAsync(5011, staging);
        Assert.Single((await _app.Store.ReadStreamAsync(staging)).Select(e => e.Data).OfType<ProtectionRuleApproved>());
        Assert.Null((await _app.Store.LoadReleaseStateAsync(Release))!.InFlight);

        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, 5011, tipSha: Low, deployedSha: Low, "completed", "success", @event: "push"));
        var state = await Wait.ForStateAsync(_app.Store, staging, s => s.ProductionShaCurrent is not null);
        Assert.Equal(Low, state.ProductionShaCurrent);
        Assert.Null((await _app.Store.LoadReleaseStateAsync(Release))!.ProductionShaCurrent);
    }

    [Fact]
    public async Task A_newer_request_supersedes_a_held_one_which_is_rejected()
    {
        await VerifyAsync(High, 109);
        await RequestAsync(High, runId: 5012);
        await Wait.ForOutboxDrainedAsync(_app.Db);
        await VerifyAsync(Newer, 110);
        await RequestAsync(Newer, runId: 5013);

        var rejected = await ReviewAsync(5012);
        var approved = await ReviewAsync(5013);

        Assert.Equal("rejected", (string?)rejected.Json!["state"]);
        Assert.Contains("superseded", (string?)rejected.Json!["comment"]);
        Assert.Equal("approved", (string?)approved.Json!["state"]);
    }

    [Fact]
    public async Task In_dispatch_mode_a_request_is_rejected_and_says_how_to_turn_the_mode_on()
    {
        const string dispatchMode = "release_governor:\n  enabled: true\n";
        _gh.SetFile(Low, ".booty.yml", dispatchMode);
        await VerifyAsync(Low, 111);
        await _app.GitHub.WaitForRequestAsync(r => r.Path.EndsWith("/dispatches"), Bound);
        await RequestAsync(Newer, runId: 5014);
        _gh.SetFile(Newer, ".booty.yml", dispatchMode);
        await VerifyAsync(Newer, 112);

        var review = await ReviewAsync(5014);
        Assert.Equal("rejected", (string?)review.Json!["state"]);
        Assert.Contains("trigger_mode: protection_rule", (string?)review.Json!["comment"]);
    }

    [Fact]
    public async Task In_dispatch_mode_the_run_the_governor_dispatched_is_approved_at_an_environment_with_the_rule()
    {
        _gh.SetFile(Low, ".booty.yml", "release_governor:\n  enabled: true\n");
        await VerifyAsync(Low, 114);
        var runId = (await Wait.ForStateAsync(_app.Store, Release, s => s.InFlight?.RunId is not null)).InFlight!.RunId!.Value;

        await _app.PostAsync("deployment_protection_rule", Deliveries.ProtectionRule(Repo, "production", Low, runId, @event: "workflow_dispatch"));
        var review = await ReviewAsync(runId);

        Assert.Equal("approved", (string?)review.Json!["state"]);
        Assert.Contains("dispatched_by_governor", (string?)review.Json!["comment"]);
        Assert.Single(_gh.Dispatches);
    }

    [Fact]
    public async Task Status_lists_the_requests_still_waiting_for_an_answer()
    {
        await VerifyAsync(High, 113);
        await RequestAsync(High, runId: 5015);
        await Wait.ForOutboxDrainedAsync(_app.Db);

        var run = await Booty.RunAsync(_app.ConnectionString, "governor", "status", "--repo", Repo, "--workspace", Booty.Workspace(Yml));
        var json = await Booty.RunAsync(_app.ConnectionString, "governor", "status", "--repo", Repo, "--workspace", Booty.Workspace(Yml), "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("protection_requests_pending", run.Out);
        Assert.Contains($"5015", run.Out);
        Assert.Contains("pending: HOLD high_risk_no_approval", run.Out);
        var request = Assert.Single(JsonNode.Parse(json.Out)!["protection_requests"]!.AsArray());
        Assert.Equal(5015L, (long?)request!["run_id"]);
        Assert.Equal(High, (string?)request["sha"]);
    }

    private async Task VerifyAsync(string sha, long runId, string conclusion = "success")
    {
        var answer = await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, sha, runId, conclusion));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        await Wait.ForOutboxDrainedAsync(_app.Db);
    }

    private async Task RequestAsync(string sha, long runId, string environment = "production")
    {
        var answer = await _app.PostAsync("deployment_protection_rule", Deliveries.ProtectionRule(Repo, environment, sha, runId));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    private Task<RecordedRequest> ReviewAsync(long runId) =>
        _app.GitHub.WaitForRequestAsync(r => r.Method == "POST" && r.Path == $"/repos/octo-org/web/actions/runs/{runId}/deployment_protection_rule", Bound);

    /// <summary>Until the stream recorded GitHub's answer to the run's review (the fake sees the request before it is recorded).</summary>
    private Task<ReleaseState> AnsweredAsync(long runId, string? stream = null) =>
        Wait.ForStateAsync(_app.Store, stream ?? Release, s => s.AnsweredRuns.Contains(runId));

    private async Task<T> WaitForAsync<T>() where T : ReleaseEvent
    {
        await Wait.ForStateAsync(_app.Store, Release, s => s.AnsweredRuns.Count > 0);
        return (await ReleaseAsync()).OfType<T>().Single();
    }
}
