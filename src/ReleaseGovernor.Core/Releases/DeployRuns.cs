using ReleaseGovernor.Core.Commits;
using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;

namespace ReleaseGovernor.Core.Releases;

/// <summary>How a run of the deploy workflow moves the release: which dispatch it is, and what it means (pure).</summary>
public static class DeployRuns
{
    /// <summary>What the run means for the release stream, or null when it adds nothing (late, repeated).</summary>
    /// <remarks>Runs are known from the state's recent runs: an outcome of a run older than the window is recorded as unmatched.</remarks>
    public static ReleaseEvent? Outcome(ReleaseState state, WorkflowRunReceived run, RepoRef repo, GovernorConfig names)
    {
        var sha = MatchDispatch(state, run, repo, names);
        var known = state.RecentRuns.LastOrDefault(r => r.RunId == run.RunId);
        if (sha is null)
            return known is { Sha: null } && known.UnmatchedConclusion == run.Conclusion
                ? null
                : new DeployRunUnmatched(run.RunId, run.HeadSha, run.DisplayTitle ?? run.WorkflowName, run.Conclusion, run.HtmlUrl) { At = run.At };

        var attempt = run.RunAttempt ?? 1;
        var ended = known is { Sha: not null, EndedAttempt: { } endedAttempt } && endedAttempt >= attempt;
        var inFlight = state.InFlight is { } f && string.Equals(f.Sha, sha, StringComparison.Ordinal);
        if (run.Action == "completed")
        {
            if (ended) return null;
            return run.Conclusion == "success"
                ? new DeploySucceeded(sha, run.RunId, run.HtmlUrl, run.RunAttempt) { At = run.At }
                : new DeployFailed(sha, run.RunId, run.Conclusion ?? "unknown", run.HtmlUrl, run.RunAttempt) { At = run.At };
        }
        return inFlight && !state.InFlight!.Started && !ended ? new DeployStarted(sha, run.RunId, run.HtmlUrl) { At = run.At } : null;
    }

    /// <summary>
    /// The dispatched sha this run is. By run id first: the id the dispatch returned, or one adopted earlier. Only
    /// when no run id is known for a dispatched sha, by the title <c>Deploy &lt;sha&gt;</c> — and then only for a
    /// <c>workflow_dispatch</c> run on <c>deploy_workflow_ref</c> from the repository itself (never a fork's run).
    /// </summary>
    public static string? MatchDispatch(ReleaseState state, WorkflowRunReceived run, RepoRef repo, GovernorConfig names)
    {
        if (state.RecentRuns.LastOrDefault(r => r.RunId == run.RunId) is { Sha: { } byId }) return byId;
        if (run.TriggerEvent != "workflow_dispatch" || run.HeadBranch != BranchName(names.DeployWorkflowRef) || !FromTheRepositoryItself(run, repo))
            return null;
        foreach (var title in new[] { run.DisplayTitle, run.WorkflowName })
        {
            if (title is null || !title.StartsWith("Deploy ", StringComparison.Ordinal)) continue;
            if (!Sha.TryParse(title["Deploy ".Length..].Trim(), out var sha)) continue;
            if (state.InFlight is { RunId: null } f && f.Sha == sha.Value) return sha.Value;
        }
        return null;
    }

    /// <summary>A ref as a run's <c>head_branch</c> names it: <c>refs/heads/main</c> is <c>main</c>.</summary>
    public static string BranchName(string gitRef) =>
        gitRef.StartsWith("refs/heads/", StringComparison.Ordinal) ? gitRef["refs/heads/".Length..] : gitRef;

    /// <summary>Whether the run's code is the repository's own: its head repository is the repository itself, not a fork.</summary>
    public static bool FromTheRepositoryItself(WorkflowRunReceived run, RepoRef repo) =>
        run.HeadRepositoryFullName is { } head && run.HeadRepositoryFork != true
        && string.Equals(head, run.RepositoryFullName ?? repo.ToString(), StringComparison.OrdinalIgnoreCase)
        && string.Equals(head, repo.ToString(), StringComparison.OrdinalIgnoreCase);
}
