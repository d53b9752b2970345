using Npgsql;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.Processing.Effects;

/// <summary>
/// On a failed deploy: opens an issue labelled <c>deploy-failure</c>, <c>severity:high</c> with the run link, or
/// comments on the one opened for the same sha within the last 30 minutes.
/// </summary>
public sealed class FailureIssueEffect(IEventStore store, NpgsqlDataSource db, GitHubClient github, TimeProvider clock)
{
    public static readonly TimeSpan AppendWindow = TimeSpan.FromMinutes(30);
    public static readonly string[] Labels = ["deploy-failure", "severity:high"];

    public async Task RunAsync(ClaimedItem item, Func<EventSession, Task> complete, CancellationToken ct)
    {
        var p = EffectRecord.Payload<FailureIssuePayload>(item);
        var repo = RepoRef.Parse(p.Repository);
        var now = clock.GetUtcNow();
        // One failure report of a sha at a time, across workers and replicas: a second failure waits for the first
        // issue to be recorded, then comments on it instead of opening another.
        await using var gate = await db.OpenConnectionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended(@key, 0))", gate))
        {
            lockCmd.Parameters.AddWithValue("key", $"failure_issue:{item.StreamId}:{p.Sha}");
            await lockCmd.ExecuteNonQueryAsync(ct);
        }
        try
        {
            var events = await store.ReadStreamAsync(item.StreamId, [EventTypes.NameOf(typeof(FailureIssueOpened))], "sha", p.Sha, ct);
            var open = events.Select(e => e.Data).OfType<FailureIssueOpened>()
                .LastOrDefault(o => string.Equals(o.Sha, p.Sha, StringComparison.Ordinal) && o.At > now - AppendWindow);
            var text = $"Deploy of `{p.Sha}` ended `{p.Conclusion}`: {p.RunUrl ?? $"run {p.RunId}"}\n\n" +
                       $"The governor will not deploy this sha again. Fix forward and push; check `booty governor status --repo {p.Repository}`.";

            ReleaseEvent recorded;
            if (open is not null)
            {
                await github.CreateIssueCommentAsync(repo, p.InstallationId, open.IssueNumber, text, ct);
                recorded = new FailureIssueAppended(p.Sha, open.IssueNumber, p.RunUrl) { At = now };
            }
            else
            {
                var issue = await github.CreateIssueAsync(repo, p.InstallationId, $"Deploy failed: {p.Sha[..Math.Min(12, p.Sha.Length)]} ({p.Conclusion})", text, Labels, ct);
                recorded = new FailureIssueOpened(p.Sha, issue.Number, p.RunUrl) { At = now };
            }

            await EffectRecord.RecordAsync(store, item, recorded, complete, ct);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", gate);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
