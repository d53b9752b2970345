using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.GitHub.Api;
using ReleaseGovernor.Processing.Effects;

namespace ReleaseGovernor.Processing.Health;

/// <summary>
/// Tells people about a rollback where they look for deploy trouble: a comment on the failure issue of the rolled-back
/// sha when one was opened, else a new issue labelled like a failed deploy. Recorded as the issue's events.
/// </summary>
public sealed class RollbackNoticeEffect(IEventStore store, GitHubClient github, TimeProvider clock)
{
    public async Task RunAsync(ClaimedItem item, Func<EventSession, Task> complete, CancellationToken ct)
    {
        var p = EffectRecord.Payload<RollbackNoticePayload>(item);
        var repo = RepoRef.Parse(p.Repository);
        var now = clock.GetUtcNow();
        var opened = (await store.ReadStreamAsync(item.StreamId, [EventTypes.NameOf(typeof(FailureIssueOpened))], "sha", p.Sha, ct))
            .Select(e => e.Data).OfType<FailureIssueOpened>()
            .LastOrDefault(o => string.Equals(o.Sha, p.Sha, StringComparison.Ordinal));
        var evidence = p.Evidence.Count == 0 ? "" : "\n\nFailing probes:\n" + string.Join("\n", p.Evidence.Select(e => $"- {e}"));
        var text = $"Rolled back `{p.Sha}`: production goes back to `{p.To}` ({p.Reason}, by {p.Actor}): {p.Why}.{evidence}\n\n" +
                   $"`{p.Sha}` is held (`rolled_back`) until it is approved again (`booty governor approve {p.Sha} --repo {p.Repository}`) " +
                   $"or a newer sha ships. Check `booty governor status --repo {p.Repository}`.";
        ReleaseEvent recorded;
        if (opened is not null)
        {
            await github.CreateIssueCommentAsync(repo, p.InstallationId, opened.IssueNumber, text, ct);
            recorded = new FailureIssueAppended(p.Sha, opened.IssueNumber, null) { At = now };
        }
        else
        {
            var issue = await github.CreateIssueAsync(repo, p.InstallationId, $"Rolled back: {p.Sha[..Math.Min(12, p.Sha.Length)]} ({p.Reason})", text,
                FailureIssueEffect.Labels, ct);
            recorded = new FailureIssueOpened(p.Sha, issue.Number, null) { At = now };
        }
        await EffectRecord.RecordAsync(store, item, recorded, complete, ct);
    }
}
