using ReleaseGovernor.Core.Commits;
using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Risk;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.Processing.Decisions;

/// <summary>
/// Fetches what the decider needs from GitHub and the log: whether the sha is on the default branch, which config
/// judges it (the stricter of production's and the sha's), the diff against production (or, for the first deploy,
/// the verified commit's own changes), the risk, and the approvals that still stand for the sha.
/// </summary>
public sealed class DecisionInputGatherer(GitHubClient github, IEventStore store, ConfigSource configs, ApproverCheck approvers,
    GovernorSettings settings)
{
    private static readonly string[] Pushes = [EventTypes.NameOf(typeof(MainAdvanced))];

    /// <summary>What was received about one pull request (all carry its <c>number</c>).</summary>
    private static readonly string[] PullRequestFacts =
    [
        EventTypes.NameOf(typeof(PullRequestLabeled)), EventTypes.NameOf(typeof(PullRequestUnlabeled)),
        EventTypes.NameOf(typeof(PullRequestSynchronized)),
        EventTypes.NameOf(typeof(IssueCommentCreated)), EventTypes.NameOf(typeof(IssueCommentChanged)),
        EventTypes.NameOf(typeof(ApprovalCommentBound)),
    ];

    private static readonly TimeSpan DefaultBranchCacheFor = TimeSpan.FromMinutes(10);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Branch, DateTimeOffset Until)> _defaultBranches = new();

    /// <param name="defaultBranch">The default branch as the triggering delivery named it, when there was one.</param>
    public async Task<DecisionInput> GatherAsync(RepoRef repo, long? installationId, string sha, string conclusion,
        ConfigLoadResult config, ReleaseState state, DateTimeOffset now, CancellationToken ct, string? defaultBranch = null)
    {
        if (config is not ConfigLoadResult.Loaded { Config: var atSha } || conclusion != "success" || state.AlreadyDispatched(sha))
            return new DecisionInput(sha, conclusion, config, null, new RiskAssessment(RiskClass.Low, [], false), [], null, now);

        var branch = await DefaultBranchAsync(repo, installationId, sha, defaultBranch, now, ct);
        var production = state.ProductionShaCurrent ?? await ProductionElsewhereAsync(repo, atSha, ct);
        var (judging, changedKeys, judgedBy) = await JudgingConfigAsync(repo, installationId, sha, atSha, production, state, ct);

        CompareStatus? compare = null;
        RiskAssessment risk;
        IReadOnlyList<string> paths;
        if (production is not null && !Sha.Same(production, sha))
        {
            var diff = await github.CompareAsync(repo, installationId, production, sha, ct);
            if (state.ProductionShaCurrent is not null)
                compare = diff.Status switch
                {
                    "ahead" => CompareStatus.Ahead,
                    "behind" => CompareStatus.Behind,
                    "identical" => CompareStatus.Identical,
                    _ => CompareStatus.Diverged,
                };
            paths = [.. diff.Files.SelectMany(Paths)];
            risk = RiskClassifier.Classify(paths, diff.Truncated, judging);
        }
        else
        {
            var commit = await github.GetCommitAsync(repo, installationId, sha, ct);
            paths = [.. commit.Files.SelectMany(Paths)];
            risk = RiskClassifier.Classify(paths, commit.Truncated, judging);
        }
        risk = PolicyChangeRisk.Escalate(risk, changedKeys);

        var gatherApprovals = risk.Class == RiskClass.High || (judging.RequireApprovalForFirstDeploy && state.ProductionShaCurrent is null);
        var approvals = gatherApprovals ? await ApprovalsAsync(repo, installationId, sha, judging, ct) : [];
        return new DecisionInput(sha, conclusion, new ConfigLoadResult.Loaded(judging), compare, risk, approvals, null, now, branch, judgedBy)
        {
            ChangedPaths = paths,
            PolicyKeysChanged = changedKeys,
            ApprovalsGathered = gatherApprovals,
        };
    }

    /// <summary>
    /// The sha is on the default branch when a push of it to that branch was received, else when GitHub's compare of
    /// the branch with the sha says <c>behind</c> or <c>identical</c> (the sha is an ancestor of the tip).
    /// </summary>
    private async Task<DefaultBranchCheck> DefaultBranchAsync(RepoRef repo, long? installationId, string sha, string? named,
        DateTimeOffset now, CancellationToken ct)
    {
        var branch = named ?? await CachedDefaultBranchAsync(repo, installationId, now, ct);
        var pushes = await store.ReadStreamAsync(StreamIds.Repo(repo), Pushes, "after", sha, ct);
        if (pushes.Select(e => e.Data).OfType<MainAdvanced>().Any(m => m.Branch == branch))
            return new DefaultBranchCheck(true, branch, "push");
        var status = await github.CompareStatusAsync(repo, installationId, branch, sha, ct);
        return new DefaultBranchCheck(status is "behind" or "identical", branch, $"compare:{status ?? "not_found"}");
    }

    private async Task<string> CachedDefaultBranchAsync(RepoRef repo, long? installationId, DateTimeOffset now, CancellationToken ct)
    {
        var key = repo.ToString().ToLowerInvariant();
        if (_defaultBranches.TryGetValue(key, out var cached) && cached.Until > now) return cached.Branch;
        var branch = await github.GetDefaultBranchAsync(repo, installationId, ct);
        _defaultBranches[key] = (branch, now + DefaultBranchCacheFor);
        return branch;
    }

    /// <summary>
    /// With nothing in production in this environment, the production of another environment of the repository:
    /// a change that renames <c>production_environment_name</c> is still judged against what runs in production,
    /// never as a first deploy of a fresh stream.
    /// </summary>
    private async Task<string?> ProductionElsewhereAsync(RepoRef repo, GovernorConfig atSha, CancellationToken ct)
    {
        var own = StreamIds.Release(repo, atSha.ProductionEnvironmentName);
        var prefix = StreamIds.Release(repo, "");
        ReleaseState? latest = null;
        foreach (var streamId in (await store.ListReleaseStreamsAsync(ct)).Where(s => s.StartsWith(prefix, StringComparison.Ordinal) && s != own))
            if (await store.LoadReleaseStateAsync(streamId, ct) is { ProductionShaCurrent: not null } other
                && (latest is null || other.LastDeployTime > latest.LastDeployTime))
                latest = other;
        return latest?.ProductionShaCurrent;
    }

    /// <summary>
    /// The config that judges the sha, the release_governor keys the change alters, and which config it was, in words.
    /// Fails closed: when production's config cannot be read or is invalid, the defaults stand in for it, so a change
    /// cannot loosen the rules below them without an approval.
    /// </summary>
    private async Task<(GovernorConfig Judging, IReadOnlyList<string> ChangedKeys, string JudgedBy)> JudgingConfigAsync(
        RepoRef repo, long? installationId, string sha, GovernorConfig atSha, string? production, ReleaseState state, CancellationToken ct)
    {
        if (production is null || Sha.Same(production, sha))
            return (atSha, [], $".booty.yml at {Short(sha)} (nothing in production yet)");
        var where = state.ProductionShaCurrent is null ? "production of another environment" : "production";
        var trusted = await configs.LoadAsync(repo, installationId, production, ct);
        var atProduction = trusted switch
        {
            ConfigLoadResult.Loaded { Config: var c } => c,
            ConfigLoadResult.Disabled { Explicit: false } => null, // no block in production: the governor was not in use
            _ => GovernorConfig.Default,
        };
        if (atProduction is null)
            return (atSha, [], $".booty.yml at {Short(sha)} ({where} {Short(production)} has no release_governor block)");
        var label = trusted is ConfigLoadResult.Loaded
            ? $"the stricter of .booty.yml at {where} {Short(production)} and at {Short(sha)}"
            : $"the stricter of the defaults (.booty.yml at {where} {Short(production)} is unusable) and .booty.yml at {Short(sha)}";
        return (StricterConfig.Of(atProduction, atSha), atSha.ChangedKeys(atProduction), label);
    }

    private async Task<IReadOnlyList<ApprovalSignal>> ApprovalsAsync(RepoRef repo, long? installationId, string sha, GovernorConfig c,
        CancellationToken ct)
    {
        var signals = new List<ApprovalSignal>();
        if (EnvironmentOverrides.IsEnvironmentApproved(settings.Environment))
            signals.Add(new ApprovalSignal(ApprovalVia.Environment, "server-environment", sha));
        if (c.ApprovalMode == ApprovalMode.Environment) return signals;

        var pulls = await github.ListPullRequestsForCommitAsync(repo, installationId, sha, ct);
        var given = new List<ApprovalSignal>();
        foreach (var pr in pulls)
        {
            var author = pr.User?.Login;
            var ofPull = (await store.ReadStreamAsync(StreamIds.Repo(repo), PullRequestFacts, "number",
                pr.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), ct)).Select(e => e.Data).ToList();
            if (c.ApprovalMode == ApprovalMode.Label && pr.HasLabel(c.ApprovalLabel)
                && StandingApprovals.Label(ofPull, c.ApprovalLabel, sha, pr.Head.Sha, pr.MergeCommitSha) is { } labeledBy)
                given.Add(new ApprovalSignal(ApprovalVia.Label, labeledBy, sha, SameUser(labeledBy, author)));
            if (c.ApprovalMode == ApprovalMode.Comment)
                foreach (var commenter in StandingApprovals.Comments(ofPull, c.ApprovalCommand, sha, pr.Head.Sha, pr.MergeCommitSha))
                    given.Add(new ApprovalSignal(ApprovalVia.Comment, commenter, sha, SameUser(commenter, author)));
        }
        if (given.Count == 0) return signals;

        // Who pushed the sha to the default branch: not an approver of it without allow_self_approval.
        var pushers = (await store.ReadStreamAsync(StreamIds.Repo(repo), Pushes, "after", sha, ct))
            .Select(e => e.Data).OfType<MainAdvanced>().Select(m => m.Pusher).OfType<string>().ToList();
        foreach (var signal in given)
            signals.Add(await approvers.ResolveAsync(repo, installationId, signal, c, pushers, ct));
        return signals;
    }

    private static bool SameUser(string? a, string? b) => a is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);


    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    private static IEnumerable<string> Paths(ChangedFile f) =>
        f.PreviousFilename is { } previous ? [f.Filename, previous] : [f.Filename];
}
