using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Risk;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.Processing.Decisions;

/// <summary>
/// Fetches what the decider needs from GitHub and the log: the diff against production (or, for the first
/// deploy, the verified commit's own changes), the risk, and the approvals for the sha.
/// </summary>
public sealed class DecisionInputGatherer(GitHubClient github, IEventStore store, GovernorSettings settings)
{
    private static readonly string[] WriteAccess = ["OWNER", "MEMBER", "COLLABORATOR"];

    public async Task<DecisionInput> GatherAsync(RepoRef repo, long? installationId, string sha, string conclusion,
        ConfigLoadResult config, ReleaseState state, DateTimeOffset now, CancellationToken ct)
    {
        if (config is not ConfigLoadResult.Loaded { Config: var c } || conclusion != "success" || state.AlreadyDispatched(sha))
            return new DecisionInput(sha, conclusion, config, null, new RiskAssessment(RiskClass.Low, [], false), [], null, now);

        CompareStatus? compare = null;
        RiskAssessment risk;
        if (state.ProductionShaCurrent is { } production)
        {
            var diff = await github.CompareAsync(repo, installationId, production, sha, ct);
            compare = diff.Status switch
            {
                "ahead" => CompareStatus.Ahead,
                "behind" => CompareStatus.Behind,
                "identical" => CompareStatus.Identical,
                _ => CompareStatus.Diverged,
            };
            risk = RiskClassifier.Classify(diff.Files.SelectMany(Paths).ToList(), diff.Truncated, c);
        }
        else
        {
            var commit = await github.GetCommitAsync(repo, installationId, sha, ct);
            risk = RiskClassifier.Classify(commit.Files.SelectMany(Paths).ToList(), commit.Truncated, c);
        }

        var approvals = risk.Class == RiskClass.High || (c.RequireApprovalForFirstDeploy && state.ProductionShaCurrent is null)
            ? await ApprovalsAsync(repo, installationId, sha, c, ct)
            : [];
        return new DecisionInput(sha, conclusion, config, compare, risk, approvals, null, now);
    }

    private async Task<IReadOnlyList<ApprovalSignal>> ApprovalsAsync(RepoRef repo, long? installationId, string sha, GovernorConfig c, CancellationToken ct)
    {
        var signals = new List<ApprovalSignal>();
        if (EnvironmentOverrides.IsEnvironmentApproved(settings.Environment))
            signals.Add(new ApprovalSignal(ApprovalVia.Environment, "server-environment", sha));
        if (c.ApprovalMode == ApprovalMode.Environment) return signals;

        var pulls = await github.ListPullRequestsForCommitAsync(repo, installationId, sha, ct);
        if (pulls.Count == 0) return signals;
        var received = await store.ReadStreamAsync(StreamIds.Repo(repo), ct);
        foreach (var pr in pulls)
        {
            var author = pr.User?.Login;
            if (c.ApprovalMode == ApprovalMode.Label && pr.HasLabel(c.ApprovalLabel))
            {
                // The label is on the pull request now; who added it comes from the labeled deliveries we stored.
                foreach (var labeled in received.Select(e => e.Data).OfType<PullRequestLabeled>()
                             .Where(l => l.Number == pr.Number && string.Equals(l.Label, c.ApprovalLabel, StringComparison.OrdinalIgnoreCase)))
                    signals.Add(new ApprovalSignal(ApprovalVia.Label, labeled.LabeledBy ?? "unknown", sha, SameUser(labeled.LabeledBy, author)));
            }
            if (c.ApprovalMode == ApprovalMode.Comment)
            {
                // Comments count as created (edits do not), from users with write access.
                foreach (var comment in received.Select(e => e.Data).OfType<IssueCommentCreated>()
                             .Where(m => m.Number == pr.Number && m.Body.Trim() == c.ApprovalCommand.Trim()
                                         && WriteAccess.Contains(m.AuthorAssociation ?? "", StringComparer.OrdinalIgnoreCase)))
                    signals.Add(new ApprovalSignal(ApprovalVia.Comment, comment.Author ?? "unknown", sha, SameUser(comment.Author, author)));
            }
        }
        return signals;
    }

    private static bool SameUser(string? a, string? b) => a is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> Paths(ChangedFile f) =>
        f.PreviousFilename is { } previous ? [f.Filename, previous] : [f.Filename];
}
