using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.GitHub.Api;
using ReleaseGovernor.Processing.Observability;

namespace ReleaseGovernor.Processing.Effects;

/// <summary>
/// Sends the answer to one deployment protection rule request and records what GitHub did with it, exactly once per
/// (environment, run id): the outbox holds one item per pair, a replica answers only the item it leased, and an attempt
/// after a crash between the answer and its record sends it again, which GitHub refuses with 422 (already reviewed):
/// that counts as answered. 5xx and 429 are retried by the client, then by the outbox, up to
/// <see cref="GovernorSettings.MaxEffectAttempts"/>; a definite refusal is recorded as <c>protection_rule_answer_failed</c>.
/// </summary>
public sealed class ProtectionAnswerEffect(IEventStore store, GitHubClient github, GovernorSettings settings, TimeProvider clock, GovernorMetrics metrics)
{
    public const string ApprovedStatus = "Approved: the deploy job may run (deployment protection rule)";

    public async Task RunAsync(ClaimedItem item, Func<EventSession, Task> complete, CancellationToken ct)
    {
        var p = EffectRecord.Payload<ProtectionAnswerPayload>(item);
        var repo = RepoRef.Parse(p.Repository);
        if (await store.LoadReleaseStateAsync(item.StreamId, ct) is { } state && state.AnsweredRuns.Contains(p.RunId))
        {
            await using var session = await store.OpenSessionAsync(ct);
            await complete(session);
            await session.CommitAsync(ct);
            return;
        }

        ReleaseEvent outcome;
        try
        {
            var taken = await github.ReviewDeploymentProtectionRuleAsync(repo, p.InstallationId, p.RunId, p.Environment, p.State, p.Comment, ct);
            outcome = p.State == ProtectionRuleAnswerRequested.Approved
                ? new ProtectionRuleApproved(p.Environment, p.Sha, p.RunId, p.Comment, AlreadyReviewed: !taken) { At = clock.GetUtcNow() }
                : new ProtectionRuleRejected(p.Environment, p.Sha, p.RunId, p.Reason, p.Comment, AlreadyReviewed: !taken) { At = clock.GetUtcNow() };
        }
        catch (GitHubApiException e) when (!e.IsRetryable || item.Attempts >= settings.MaxEffectAttempts)
        {
            outcome = new ProtectionRuleAnswerFailed(p.Environment, p.Sha, p.RunId, p.State,
                $"{(e.StatusCode is { } code ? $"HTTP {(int)code}" : "no answer")} after {item.Attempts} attempt(s): {e.GitHubMessage ?? e.Message}") { At = clock.GetUtcNow() };
        }

        await EffectRecord.RecordAsync(store, item, outcome, complete, ct, async session =>
        {
            if (outcome is ProtectionRuleApproved { AlreadyReviewed: false })
                await Effect.EnqueueAsync(session, new Effect.CommitStatus(item.StreamId, repo, p.InstallationId, p.Sha, "success", ApprovedStatus),
                    item.CorrelationId, item.CausationId, ct);
        });
        metrics.ProtectionAnswer(outcome);
    }
}
