using ReleaseGovernor.Core.Commits;
using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.Processing.Decisions;

namespace ReleaseGovernor.Processing.Runs;

/// <summary>
/// A label or comment that may be an approval: every release stream of the repository whose last decision is a
/// HOLD waiting for approval gets that sha evaluated again — no push needed. Only a signal that can approve does
/// this: the approval label being added, or the approval command on a pull request from an owner, member or
/// collaborator. Anything else (another label, other text, an issue, an outsider, a removal) is stored and
/// triggers no evaluation and no GitHub call, so outsiders cannot spend the installation's rate limit.
/// </summary>
public sealed class ApprovalSignalHandler(IEventStore store, ConfigSource configs, GitHub.Api.GitHubClient github)
{
    private static readonly string[] WaitingForApproval = [ReasonCodes.HighRiskNoApproval, ReasonCodes.FirstDeployRequired];

    public async Task HandleAsync(StoredEvent stored, Func<EventSession, Task> complete, CancellationToken ct)
    {
        var repo = RunClassifier.RepoFromStream(stored.StreamId);
        var metadata = stored.Metadata.CausedBy(stored.Id.ToString());
        var held = new List<(string StreamId, string Sha)>();
        if (MayApprove(stored.Data))
        {
            foreach (var streamId in (await store.ListReleaseStreamsAsync(ct)).Where(s => s.StartsWith(StreamIds.Release(repo, ""), StringComparison.Ordinal)))
            {
                var state = await store.LoadReleaseStateAsync(streamId, ct);
                if (state?.LastDecision is not { Outcome: DecisionOutcome.Hold } last || !WaitingForApproval.Contains(last.Reason)
                    || state.AlreadyDispatched(last.Sha))
                    continue;
                if (await IsApprovalSignalAsync(stored.Data, repo, stored.Metadata.InstallationId, last.Sha, state, ct))
                    held.Add((streamId, last.Sha));
            }
        }
        var bound = await BindAsync(stored, repo, ct);
        // The transaction opens after the reads (which may ask GitHub), never across them.
        await using var session = await store.OpenSessionAsync(ct);
        if (bound is not null)
            await session.AppendAsync(stored.StreamId, null, [bound], metadata, ct);
        foreach (var (streamId, sha) in held)
            await RunClassifier.EnqueueEvaluationAsync(session, repo, stored.Metadata.InstallationId, streamId, sha,
                $"{stored.Type} may approve it", metadata, ct);
        await complete(session);
        await session.CommitAsync(ct);
    }

    /// <summary>
    /// An approval command from someone who may approve is bound to the pull request's head as GitHub reports it now, so
    /// the approval never reaches commits pushed after it — even when their <c>synchronize</c> delivery was lost.
    /// </summary>
    private async Task<ApprovalCommentBound?> BindAsync(StoredEvent stored, RepoRef repo, CancellationToken ct)
    {
        if (stored.Data is not IssueCommentCreated c || !MayApprove(c)) return null;
        var command = (configs.LastKnown(repo) ?? GovernorConfig.Default).ApprovalCommand;
        if (!StandingApprovals.IsCommand(c.Body, command) && !StandingApprovals.IsCommand(c.Body, GovernorConfig.Default.ApprovalCommand)) return null;
        var pull = await github.GetPullRequestAsync(repo, stored.Metadata.InstallationId, c.Number, ct);
        return pull is null ? null : new ApprovalCommentBound(c.Number, c.CommentId, Sha.Parse(pull.Head.Sha, "the pull request's head sha GitHub answered").Value) { At = c.At };
    }

    /// <summary>What the payload alone tells: a label being added, or a comment on a pull request by someone who may approve.</summary>
    public static bool MayApprove(ReleaseEvent e) => e switch
    {
        PullRequestLabeled => true,
        IssueCommentCreated { IsPullRequest: true } c =>
            StandingApprovals.CommentAssociations.Contains(c.AuthorAssociation ?? "", StringComparer.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>The label or command the config that judges the held sha approves with (configs are cached by sha).</summary>
    private async Task<bool> IsApprovalSignalAsync(ReleaseEvent e, RepoRef repo, long? installationId, string heldSha, ReleaseState state,
        CancellationToken ct)
    {
        var trusted = state.ProductionShaCurrent is { } production ? await configs.LoadAsync(repo, installationId, production, ct) : null;
        var config = trusted is ConfigLoadResult.Loaded { Config: var p } ? p
            : await configs.LoadAsync(repo, installationId, heldSha, ct) is ConfigLoadResult.Loaded { Config: var s } ? s
            : null;
        return config is not null && e switch
        {
            PullRequestLabeled l => config.ApprovalMode == ApprovalMode.Label && string.Equals(l.Label, config.ApprovalLabel, StringComparison.OrdinalIgnoreCase),
            IssueCommentCreated c => config.ApprovalMode == ApprovalMode.Comment && StandingApprovals.IsCommand(c.Body, config.ApprovalCommand),
            _ => false,
        };
    }
}
