using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.Processing.Runs;

/// <summary>What a received workflow run is to the governor.</summary>
public abstract record RunKind
{
    private RunKind() { }

    /// <summary>The verification workflow finished on the default branch, from the repository's own code: it starts a decision.</summary>
    public sealed record Verification : RunKind;

    /// <summary>Looks like the verification workflow but does not count; recorded, decides nothing.</summary>
    public sealed record IgnoredVerification(string Reason, string Detail) : RunKind;

    /// <summary>A run of the deploy workflow file: it may be the outcome of one of the governor's dispatches.</summary>
    public sealed record Deploy : RunKind;

    /// <summary>Anything else.</summary>
    public sealed record Other : RunKind;

    public const string Fork = "fork";
    public const string Event = "event";
    public const string Branch = "branch";
    public const string WorkflowPath = "workflow_path";

    /// <summary>
    /// A verification counts only when all hold: completed, the verification workflow's name, a workflow file of the
    /// repository itself (when the path is known), an event in <c>verification_events</c>, the run's code from the
    /// repository itself (never a fork; a missing head repository counts as another one), and the default branch.
    /// </summary>
    public static RunKind Of(WorkflowRunReceived run, RepoRef repo, GovernorConfig names)
    {
        if (IsDeployWorkflow(run, names)) return new Deploy();
        if (run.Action != "completed" || run.WorkflowName != names.VerificationWorkflowName) return new Other();
        if (!FromTheRepositoryItself(run, repo))
            return new IgnoredVerification(Fork, run.HeadRepositoryFullName is { } head
                ? $"the run's code comes from {head}{(run.HeadRepositoryFork == true ? " (a fork)" : "")}, not {repo}"
                : $"the payload names no head_repository, so the code cannot be shown to come from {repo}");
        if (run.WorkflowPath is { } path && !path.StartsWith(".github/workflows/", StringComparison.Ordinal))
            return new IgnoredVerification(WorkflowPath, $"workflow '{path}' is not a workflow file of {repo}");
        if (run.TriggerEvent is not { } trigger || !names.VerificationEvents.Contains(trigger, StringComparer.Ordinal))
            return new IgnoredVerification(Event,
                $"event '{run.TriggerEvent ?? "(none)"}' is not in verification_events [{string.Join(", ", names.VerificationEvents)}]");
        if (run.HeadBranch is null || run.HeadBranch != run.DefaultBranch)
            return new IgnoredVerification(Branch, $"branch '{run.HeadBranch ?? "(none)"}' is not the default branch '{run.DefaultBranch ?? "(unknown)"}'");
        return new Verification();
    }

    public static bool IsDeployWorkflow(WorkflowRunReceived run, GovernorConfig names) =>
        run.WorkflowPath is { } path && names.DeployWorkflowName.Length > 0 &&
        string.Equals(path, $".github/workflows/{names.DeployWorkflowName}", StringComparison.Ordinal);

    /// <summary>The run's code is the repository's own: head repository named and equal to the repository, and not a fork.</summary>
    public static bool FromTheRepositoryItself(WorkflowRunReceived run, RepoRef repo) => DeployRuns.FromTheRepositoryItself(run, repo);
}
