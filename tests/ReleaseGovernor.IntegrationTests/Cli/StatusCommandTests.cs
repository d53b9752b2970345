using System.Text.Json.Nodes;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Cli;

public sealed class StatusCommandTests : IAsyncLifetime
{
    private readonly FreshStore _db = new();
    private readonly string _enabled = Booty.Workspace("other_tool:\n  x: 1\nrelease_governor:\n  enabled: true\n");
    private static readonly RepoRef Repo = new("octo-org", "web");
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    private const string A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task Json_before_any_deploy_prints_every_field_null_and_the_result_pending()
    {
        await KnownAsync();
        var run = await Booty.RunAsync(_db.ConnectionString, "governor", "status", "--repo", "octo-org/web", "--workspace", _enabled, "--json");

        Assert.Equal(0, run.ExitCode);
        var json = JsonNode.Parse(run.Out)!.AsObject();
        foreach (var field in new[] { "production_sha_current", "production_sha_previous", "last_deploy_attempt_sha", "last_deploy_time", "last_health_check", "last_decision", "in_flight", "waiting_sha" })
        {
            Assert.True(json.ContainsKey(field), field);
            Assert.Null(json[field]);
        }
        Assert.Equal("pending", (string?)json["last_deploy_result"]);
        Assert.True((bool)json["enabled"]!);
        Assert.Empty(json["deploy_history"]!.AsArray());
    }

    [Fact]
    public async Task A_workspace_without_the_block_says_disabled()
    {
        await KnownAsync();
        var run = await Booty.RunAsync(_db.ConnectionString, "governor", "status", "--repo", "octo-org/web", "--workspace", Booty.Workspace("other_tool: {}\n"));
        var json = await Booty.RunAsync(_db.ConnectionString, "governor", "status", "--repo", "octo-org/web", "--workspace", Booty.Workspace(null), "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("disabled", run.Out.Split('\n')[0]);
        Assert.False((bool)JsonNode.Parse(json.Out)!["enabled"]!);
    }

    /// <summary>The repository has sent a push: known, with no release history yet.</summary>
    private Task KnownAsync() =>
        _db.Store.AppendAsync(StreamIds.Repo(Repo), null, [new MainAdvanced("main", new string('0', 40), A, "octocat", 1, false) { At = T0 }],
            EventMetadata.ForDelivery("delivery-0", "push", 5, "octocat"));

    [Fact]
    public async Task Table_and_json_on_a_populated_database_show_the_projection()
    {
        await _db.Store.AppendAsync(StreamIds.Release(Repo, "production"), 0,
        [
            new DeployDispatchRequested(A, "deploy.yml", "main", new Dictionary<string, string> { ["sha"] = A }) { At = T0 },
            new DeploySucceeded(A, 77, "https://github.com/octo-org/web/actions/runs/77") { At = T0.AddMinutes(5) },
        ], EventMetadata.ForCli("t"));

        var table = await Booty.RunAsync(_db.ConnectionString, "governor", "status", "--repo", "octo-org/web", "--workspace", _enabled);
        var json = await Booty.RunAsync(_db.ConnectionString, "governor", "status", "--repo", "octo-org/web", "--workspace", _enabled, "--json");

        Assert.Equal(0, table.ExitCode);
        Assert.Matches($@"production_sha_current\s+{A}", table.Out);
        Assert.Matches(@"last_deploy_result\s+success", table.Out);
        Assert.Contains("https://github.com/octo-org/web/actions/runs/77", table.Out);
        var doc = JsonNode.Parse(json.Out)!;
        Assert.Equal(A, (string?)doc["production_sha_current"]);
        Assert.Equal("success", (string?)doc["last_deploy_result"]);
        Assert.Equal(2, (long?)doc["version"]);
    }

    [Fact]
    public async Task An_unreachable_database_is_one_line_and_exit_2()
    {
        var run = await Booty.RunAsync("Host=127.0.0.1;Port=1;Username=nobody;Password=secret-pw;Timeout=2", "governor", "status", "--repo", "octo-org/web", "--workspace", _enabled);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        var line = Assert.Single(run.Error.Trim().Split('\n'));
        Assert.StartsWith("error: Cannot reach the database at 127.0.0.1:1", line);
        Assert.DoesNotContain("secret-pw", line);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task An_unknown_repository_is_one_line_and_exit_2()
    {
        await _db.Store.AppendAsync(StreamIds.Release(Repo, "production"), 0, [new HoldPlaced("x", "t", null) { At = T0 }], EventMetadata.ForCli("t"));

        var run = await Booty.RunAsync(_db.ConnectionString, "governor", "status", "--repo", "nobody/nothing", "--workspace", _enabled);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: Unknown repository nobody/nothing: the database has no events for it (known: octo-org/web).", run.Error.Trim());
    }

    [Fact]
    public async Task A_mistyped_command_is_a_usage_error_with_exit_2()
    {
        var run = await Booty.RunAsync(_db.ConnectionString, "governor", "statsu");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("statsu", run.Error);
        Assert.Contains("--help", run.Error);
    }

    [Fact]
    public async Task History_lists_events_newest_first_with_sha_actor_and_delivery()
    {
        await _db.Store.AppendAsync(StreamIds.Repo(Repo), null, [new MainAdvanced("main", new string('0', 40), A, "octocat", 1, false) { At = T0 }],
            EventMetadata.ForDelivery("delivery-1", "push", 5, "octocat"));
        await _db.Store.AppendAsync(StreamIds.Release(Repo, "production"), null, [new VerificationCompleted(A, 9, 1, "success", null) { At = T0.AddMinutes(3) }],
            EventMetadata.ForDelivery("delivery-2", "workflow_run", 5, "octocat"));

        var run = await Booty.RunAsync(_db.ConnectionString, "governor", "history", "--repo", "octo-org/web", "--workspace", _enabled, "--json");

        Assert.Equal(0, run.ExitCode);
        var entries = JsonNode.Parse(run.Out)!.AsArray();
        Assert.Equal(["verification_completed", "main_advanced"], entries.Select(e => (string?)e!["type"]));
        Assert.Equal(["delivery-2", "delivery-1"], entries.Select(e => (string?)e!["delivery_id"]));
        Assert.All(entries, e => Assert.Equal(A, (string?)e!["sha"]));
        Assert.All(entries, e => Assert.Equal("octocat", (string?)e!["actor"]));
    }

    [Fact]
    public async Task Rebuild_reports_what_it_replayed()
    {
        await _db.Store.AppendAsync(StreamIds.Release(Repo, "production"), 0, [new HoldPlaced("x", "t", null) { At = T0 }], EventMetadata.ForCli("t"));

        var run = await Booty.RunAsync(_db.ConnectionString, "governor", "rebuild");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Rebuilt 1 release stream(s) from 1 events", run.Out);
    }
}
