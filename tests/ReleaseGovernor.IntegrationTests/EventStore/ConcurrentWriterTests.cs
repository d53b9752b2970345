using System.Text.Json;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.EventStore;

/// <summary>
/// Many writers on the same release streams at once, through the one write path: every snapshot must end equal to the
/// fold of its stream, no append may be lost, and no exception other than the bounded retry's may escape.
/// </summary>
public sealed class ConcurrentWriterTests : IAsyncLifetime
{
    private const int Writers = 8;
    private const int AppendsPerWriter = 500;
    private const int Streams = 5;
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly FreshStore _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task Eight_writers_on_five_shared_streams_leave_every_snapshot_equal_to_the_fold_of_its_stream()
    {
        var writer = new ReleaseWriter(_db.Store);
        var streams = Enumerable.Range(0, Streams).Select(i => StreamIds.Release(new RepoRef("load", $"r{i}"), "production")).ToArray();
        var facts = StreamIds.Repo(new RepoRef("load", "facts"));

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < AppendsPerWriter; i++)
            {
                var stream = streams[(w + i) % Streams];
                var sha = $"{w:x2}{i:x38}";
                await writer.WriteAsync<bool>(stream, (state, _, _) => Task.FromResult(new ReleaseWrite<bool>(
                    [Next(state, w, i, sha)], EventMetadata.ForCli($"writer-{w}"), true)), CancellationToken.None);
                // Fact streams take no snapshot and no expected version: concurrent appends must all land too.
                await _db.Store.AppendAsync(facts, null, [new WebhookPinged(w * AppendsPerWriter + i, null, null) { At = T0 }], EventMetadata.ForCli("facts"));
            }
        })));

        long total = 0;
        foreach (var stream in streams)
        {
            var events = await _db.Store.ReadStreamAsync(stream);
            total += events.Count;
            Assert.Equal(Enumerable.Range(1, events.Count).Select(v => (long)v), events.Select(e => e.Version));
            var folded = ReleaseProjection.Fold(events);
            var snapshot = (await _db.Store.LoadReleaseStateAsync(stream))!;
            Assert.Equal(JsonSerializer.Serialize(folded, EventJson.Options), JsonSerializer.Serialize(snapshot, EventJson.Options));
            Assert.Equal(await _db.ScalarAsync($"SELECT version FROM mt_streams WHERE id = '{stream}'"), snapshot.Version);
        }
        Assert.Equal(Writers * AppendsPerWriter, total);
        Assert.Equal(Writers * AppendsPerWriter, (await _db.Store.ReadStreamAsync(facts)).Count);
    }

    /// <summary>An event that depends on the state read: a hold when none is active, else its lift; approvals and dispatches in between.</summary>
    private static ReleaseEvent Next(ReleaseState state, int writer, int i, string sha) => (i % 4) switch
    {
        0 => state.Hold is null ? new HoldPlaced($"by {writer}", $"writer-{writer}", null) { At = T0.AddSeconds(i) } : new HoldLifted($"writer-{writer}") { At = T0.AddSeconds(i) },
        1 => new ApprovalGranted(sha, "cli", $"writer-{writer}") { At = T0.AddSeconds(i) },
        2 => new DeployDispatchRequested(sha, "deploy.yml", "main", new Dictionary<string, string> { ["sha"] = sha }) { At = T0.AddSeconds(i) },
        _ => state.InFlight is { } f ? new DeploySucceeded(f.Sha, 1000 + i, null) { At = T0.AddSeconds(i) } : new HoldLifted($"writer-{writer}") { At = T0.AddSeconds(i) },
    };
}
