using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.Processing.Protection;

/// <summary>Which environments of a repository have a protection rule request waiting for a sha (read from the store only).</summary>
public static class ProtectionStreams
{
    /// <summary>The release streams of <paramref name="repo"/> but <paramref name="except"/> with an undecided request for <paramref name="sha"/>.</summary>
    public static async Task<IReadOnlyList<string>> WaitingForAsync(IEventStore store, RepoRef repo, string sha, string except, CancellationToken ct)
    {
        var waiting = new List<string>();
        foreach (var streamId in (await store.ListReleaseStreamsAsync(ct)).Where(s => s.StartsWith(StreamIds.Release(repo, ""), StringComparison.Ordinal) && s != except))
            if (await store.LoadReleaseStateAsync(streamId, ct) is { } state
                && state.ProtectionRequests.Any(p => p.Answer is null && string.Equals(p.Sha, sha, StringComparison.Ordinal)))
                waiting.Add(streamId);
        return waiting;
    }
}
