using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Webhooks;

/// <summary>
/// Deliveries GitHub sent while the server could not take them are read back from the delivery log by the sweep and
/// stored through the webhook's ingestion path, once.
/// </summary>
public sealed class DeliveryRecoveryTests : IAsyncLifetime
{
    private const string Yml = "release_governor:\n  enabled: true\n";
    private static readonly string VerifiedSha = new('c', 40);
    private readonly GovernorApp _app = new(settings: DeliveryLogs.Settings());

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        await _app.WaitReadyAsync();
        await DeliveryLogs.WaitForSweepsAsync(_app.Store, 1); // the startup sweep, of an empty log
        _app.GitHub.Repo("octo-org", "web").SetFile(VerifiedSha, ".booty.yml", Yml)
            .SetCommit(VerifiedSha, new FakeChangedFile("src/app.cs")).OnDefaultBranch(VerifiedSha);
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    private int LogRequests() => _app.GitHub.Requests.Count(r => r.Path.Contains("/deliveries", StringComparison.Ordinal));

    private Dictionary<string, string?> CliEnvironment() =>
        DeliveryLogs.Environment(_app.GitHub.BaseUrl, _app.GitHub.Token).ToDictionary(e => e.Key, e => (string?)e.Value);

    [Fact]
    public async Task Twenty_deliveries_never_received_are_stored_once_the_verified_sha_dispatched_once_and_a_second_sweep_does_nothing()
    {
        var log = DeliveryLogs.Log(_app.GitHub);
        var lost = DeliveryLogs.NeverReceived(VerifiedSha, runId: 900);
        for (var i = 0; i < lost.Count; i++)
        {
            log.Add(lost[i].Guid, lost[i].Event, lost[i].Body, DeliveryLogs.LostStatus(i));
            if (i % 4 == 0) // the five the server did receive, between them
                Assert.True((await _app.PostLoggedAsync("push", Deliveries.Push($"octo-org/got{i}", new string('0', 40), $"{i + 100:x40}"), $"received-{i}")).IsSuccessStatusCode);
        }

        var first = await Booty.RunWithEnvAsync(_app.ConnectionString, CliEnvironment(), "governor", "deliveries", "recover", "--json");
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.True(first.ExitCode == 0, first.Out + first.Error);
        var sweep = JsonDocument.Parse(first.Out).RootElement;
        Assert.Equal(25, sweep.GetProperty("guids").GetInt32());
        Assert.Equal(5, sweep.GetProperty("received").GetInt32());
        Assert.Equal(20, sweep.GetProperty("recovered").GetInt32());
        Assert.Equal(0, sweep.GetProperty("failed").GetInt32());
        // One list page of 25 and one read per missing delivery; the five received are never read back.
        Assert.Equal(21, sweep.GetProperty("requests").GetInt32());
        var receivedIds = log.Attempts.Where(a => a.Guid.StartsWith("received-", StringComparison.Ordinal)).Select(a => $"/deliveries/{a.Id}").ToList();
        Assert.Equal(5, receivedIds.Count);
        Assert.DoesNotContain(_app.GitHub.Requests, r => receivedIds.Any(id => r.Path.EndsWith(id, StringComparison.Ordinal)));
        foreach (var (guid, _, _) in lost)
        {
            Assert.Equal(1, await _app.CountAsync($"SELECT count(*) FROM rg_deliveries WHERE delivery_id = '{guid}'"));
            Assert.Equal(1, await _app.CountAsync($"SELECT count(*) FROM mt_events WHERE correlation_id = '{guid}' AND causation_id LIKE 'delivery-log:%'"));
        }
        for (var i = 0; i < 20; i += 4)
            Assert.Equal(1, await _app.CountAsync($"SELECT count(*) FROM mt_events WHERE correlation_id = 'received-{i}' AND causation_id IS NULL"));
        var release = (await _app.Store.ReadStreamAsync(StreamIds.Release(RepoRef.Parse("octo-org/web"), "production"))).Select(e => e.Data).ToList();
        Assert.Single(release.OfType<VerificationCompleted>());
        Assert.Equal(DecisionOutcome.Allow, Assert.Single(release.OfType<DeployDecided>()).Outcome);
        Assert.Equal(VerifiedSha, Assert.Single(_app.GitHub.Repo("octo-org", "web").Dispatches).Inputs["sha"]);

        var logRequestsBefore = LogRequests();
        var second = await Booty.RunWithEnvAsync(_app.ConnectionString, CliEnvironment(), "governor", "deliveries", "recover", "--json");
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.True(second.ExitCode == 0, second.Out + second.Error);
        var again = JsonDocument.Parse(second.Out).RootElement;
        Assert.Equal(0, again.GetProperty("missing").GetInt32());
        Assert.Equal(0, again.GetProperty("recovered").GetInt32());
        Assert.Equal(1, again.GetProperty("requests").GetInt32()); // the first page, which ends at the checkpoint
        Assert.Equal(1, LogRequests() - logRequestsBefore);
        Assert.Single(_app.GitHub.Repo("octo-org", "web").Dispatches);
        Assert.Single((await _app.Store.ReadStreamAsync(StreamIds.Release(RepoRef.Parse("octo-org/web"), "production"))).Select(e => e.Data).OfType<DeployDecided>());
        Assert.Equal(20, await _app.CountAsync("SELECT count(*) FROM mt_events WHERE causation_id LIKE 'delivery-log:%'"));
        var repoEvents = await _app.Store.ReadStreamAsync(StreamIds.Repo(RepoRef.Parse("octo-org/web")));
        Assert.All(repoEvents.Where(e => e.Metadata.CausationId?.StartsWith("delivery-log:", StringComparison.Ordinal) == true),
            e => Assert.True(e.Metadata.Recovered, $"{e.Type} from {e.Metadata.DeliveryId} is not marked recovered"));
        Assert.All(repoEvents.Where(e => e.Metadata.CausationId is null), e => Assert.False(e.Metadata.Recovered));
    }

    [Fact]
    public async Task Deliveries_lists_the_log_against_what_was_stored_and_says_why_one_could_not_be_recovered()
    {
        var log = DeliveryLogs.Log(_app.GitHub);
        await _app.PostLoggedAsync("push", Deliveries.Push("octo-org/web", new string('0', 40), new string('1', 40)), "got-it");
        log.Add("lost-one", "push", Deliveries.Push("octo-org/web", new string('1', 40), new string('2', 40)), 503);
        log.Add("lost-bad", "push", Deliveries.Push("octo-org/web", new string('2', 40), "not-a-sha"), 0);
        var env = CliEnvironment();

        var before = await Booty.RunWithEnvAsync(_app.ConnectionString, env, "governor", "deliveries", "--since", "1h", "--json");
        var recover = await Booty.RunWithEnvAsync(_app.ConnectionString, env, "governor", "deliveries", "recover");
        var after = await Booty.RunWithEnvAsync(_app.ConnectionString, env, "governor", "deliveries", "--since", "1h");
        var afterJson = await Booty.RunWithEnvAsync(_app.ConnectionString, env, "governor", "deliveries", "--json");

        Assert.Equal(0, before.ExitCode);
        var listed = JsonDocument.Parse(before.Out).RootElement;
        Assert.Equal(1, listed.GetProperty("counts").GetProperty("received").GetInt32());
        Assert.Equal(2, listed.GetProperty("counts").GetProperty("missing").GetInt32());
        Assert.Equal(0, recover.ExitCode);
        Assert.Contains("1 recovered", recover.Out);
        Assert.Contains("lost-bad push: unusable", recover.Out);
        Assert.Equal(0, after.ExitCode);
        Assert.Contains("1 received", after.Out);
        Assert.Contains("1 recovered", after.Out);
        Assert.Contains("1 unusable", after.Out);
        Assert.Contains("after must be a 40-character hex sha, got", after.Out);
        var rows = JsonDocument.Parse(afterJson.Out).RootElement.GetProperty("deliveries").EnumerateArray()
            .ToDictionary(d => d.GetProperty("guid").GetString()!, d => d.GetProperty("state").GetString());
        Assert.Equal("received", rows["got-it"]);
        Assert.Equal("recovered", rows["lost-one"]);
        Assert.Equal("unusable", rows["lost-bad"]);
        Assert.Equal(0, await _app.CountAsync("SELECT count(*) FROM rg_deliveries WHERE delivery_id = 'lost-bad'"));
    }

    [Fact]
    public async Task A_sweep_stops_at_its_request_cap_keeps_its_checkpoint_and_the_next_sweep_finishes()
    {
        var log = DeliveryLogs.Log(_app.GitHub);
        for (var i = 0; i < 6; i++)
            log.Add($"capped-{i}", "push", Deliveries.Push($"octo-org/c{i}", new string('0', 40), $"{i + 1:x40}"), 503);
        var env = CliEnvironment();
        env["ReleaseGovernor__Recovery__DeliveriesMaxRequests"] = "4";

        var first = await Booty.RunWithEnvAsync(_app.ConnectionString, env, "governor", "deliveries", "recover", "--json");
        var second = await Booty.RunWithEnvAsync(_app.ConnectionString, env, "governor", "deliveries", "recover", "--json");

        var a = JsonDocument.Parse(first.Out).RootElement;
        var b = JsonDocument.Parse(second.Out).RootElement;
        Assert.Equal(1, first.ExitCode); // three left for the next sweep
        Assert.Equal(4, a.GetProperty("requests").GetInt32());
        Assert.Equal(3, a.GetProperty("recovered").GetInt32());
        Assert.Contains("request cap of 4", a.GetProperty("stopped_because").GetString());
        // The checkpoint stops before the oldest delivery not yet read back.
        Assert.Equal(log.Attempts.Single(x => x.Guid == "capped-2").Id, a.GetProperty("checkpoint").GetProperty("delivery_id").GetInt64());
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(3, b.GetProperty("recovered").GetInt32()); // the settled three are not read again
        Assert.Equal(6, await _app.CountAsync("SELECT count(*) FROM rg_deliveries WHERE delivery_id LIKE 'capped-%'"));
    }

    [Fact]
    public async Task A_rate_limited_sweep_stops_says_until_when_and_loses_nothing()
    {
        var log = DeliveryLogs.Log(_app.GitHub);
        var first = log.Add("limited-0", "push", Deliveries.Push("octo-org/l0", new string('0', 40), new string('1', 40)), 503);
        log.Add("limited-1", "push", Deliveries.Push("octo-org/l1", new string('0', 40), new string('2', 40)), 503);
        _app.GitHub.InjectFault("GET", $"/repos/octo-org/web/hooks/{DeliveryLogs.HookId}/deliveries/{first.Id}", FakeFault.SecondaryRateLimit(retryAfterSeconds: 3600), times: 10);

        var run = await Booty.RunWithEnvAsync(_app.ConnectionString, CliEnvironment(), "governor", "deliveries", "recover", "--json");

        var sweep = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("rate limited", sweep.GetProperty("stopped_because").GetString());
        Assert.Equal(JsonValueKind.String, sweep.GetProperty("not_before").ValueKind);
        Assert.Single(_app.GitHub.Requests, r => r.Path.EndsWith($"/deliveries/{first.Id}", StringComparison.Ordinal)); // Retry-After past the bound: not retried
        var waiting = await Booty.RunWithEnvAsync(_app.ConnectionString, CliEnvironment(), "governor", "deliveries", "recover");
        Assert.Equal(1, waiting.ExitCode);
        Assert.Contains("GitHub asked to wait", waiting.Error);
        Assert.Equal(0, await _app.CountAsync("SELECT count(*) FROM rg_deliveries WHERE delivery_id LIKE 'limited-%'"));
        Assert.Contains("missing", (await Booty.RunWithEnvAsync(_app.ConnectionString, CliEnvironment(), "governor", "deliveries")).Out);
    }

    [Fact]
    public async Task A_sweep_leaves_the_rate_reserve_to_deploys_and_none_starts_before_the_reset()
    {
        DeliveryLogs.Log(_app.GitHub).Add("reserved", "push", Deliveries.Push("octo-org/z", new string('0', 40), new string('3', 40)), 503);
        _app.GitHub.RateLimitRemaining = 499;
        var before = LogRequests();

        var low = await Booty.RunWithEnvAsync(_app.ConnectionString, CliEnvironment(), "governor", "deliveries", "recover", "--json");
        var next = await Booty.RunWithEnvAsync(_app.ConnectionString, CliEnvironment(), "governor", "deliveries", "recover");

        var sweep = JsonDocument.Parse(low.Out).RootElement;
        Assert.Equal(1, low.ExitCode);
        Assert.Equal(1, sweep.GetProperty("requests").GetInt32()); // the list page only
        Assert.Contains("499 of 5000 left, 500 kept for deploys", sweep.GetProperty("stopped_because").GetString());
        Assert.True(sweep.GetProperty("not_before").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(50));
        Assert.Equal(0, await _app.CountAsync("SELECT count(*) FROM rg_deliveries WHERE delivery_id = 'reserved'"));
        Assert.Equal(1, next.ExitCode);
        Assert.Contains("GitHub asked to wait", next.Error);
        Assert.Equal(1, LogRequests() - before);
    }

    [Fact]
    public async Task An_event_the_governor_does_not_handle_is_settled_from_the_log_without_reading_it_back()
    {
        var log = DeliveryLogs.Log(_app.GitHub);
        var unhandled = log.Add("not-ours", "check_suite", System.Text.Encoding.UTF8.GetBytes("""{"action":"completed"}"""), 503);
        log.Add("ours", "push", Deliveries.Push("octo-org/z", new string('0', 40), new string('3', 40)), 503);

        var run = await Booty.RunWithEnvAsync(_app.ConnectionString, CliEnvironment(), "governor", "deliveries", "recover", "--json");

        var sweep = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, sweep.GetProperty("requests").GetInt32()); // the list page and the push
        var outcomes = sweep.GetProperty("deliveries").EnumerateArray().ToDictionary(d => d.GetProperty("guid").GetString()!, d => d.GetProperty("outcome").GetString());
        Assert.Equal("ignored", outcomes["not-ours"]);
        Assert.Equal("recovered", outcomes["ours"]);
        Assert.DoesNotContain(_app.GitHub.Requests, r => r.Path.EndsWith($"/deliveries/{unhandled.Id}", StringComparison.Ordinal));
    }
}
