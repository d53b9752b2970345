using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.Processing.Effects;

/// <summary>Posts the <c>booty/release-governor</c> commit status (≤ 140 characters) and records that it did.</summary>
public sealed class CommitStatusEffect(IEventStore store, GitHubClient github, TimeProvider clock)
{
    public async Task RunAsync(ClaimedItem item, Func<EventSession, Task> complete, CancellationToken ct)
    {
        var p = EffectRecord.Payload<CommitStatusPayload>(item);
        var state = p.State switch
        {
            "success" => CommitState.Success,
            "pending" => CommitState.Pending,
            "error" => CommitState.Error,
            _ => CommitState.Failure,
        };
        var description = CommitStatus.Truncate(p.Description) ?? "";
        await github.CreateCommitStatusAsync(RepoRef.Parse(p.Repository), p.InstallationId, p.Sha, state, description, p.TargetUrl,
            CommitStatusTexts.Context, ct);

        await EffectRecord.RecordAsync(store, item, new CommitStatusPosted(p.Sha, p.State, description, p.TargetUrl) { At = clock.GetUtcNow() }, complete, ct);
    }
}
