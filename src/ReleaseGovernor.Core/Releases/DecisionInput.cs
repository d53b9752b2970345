using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Risk;

namespace ReleaseGovernor.Core.Releases;

/// <summary>Where the verified sha stands against production: <c>compare(production_sha, sha)</c>.</summary>
public enum CompareStatus
{
    Ahead,
    Behind,
    Diverged,
    Identical,
}

/// <summary>How an approval was given (design §4, "Approvals").</summary>
public enum ApprovalVia
{
    Environment,
    Label,
    Comment,
    Cli,
}

/// <summary>
/// An approval the handler found for a sha: the server flag, a label or a comment on an associated
/// pull request, or a CLI approval. <paramref name="ByPullRequestAuthor"/> is true when
/// <paramref name="Actor"/> wrote the pull request. Which signals count is the decider's call.
/// </summary>
public sealed record ApprovalSignal(ApprovalVia Via, string Actor, string Sha, bool ByPullRequestAuthor = false)
{
    /// <summary>The actor pushed the sha to the default branch (the <c>push</c> sender that moved it there).</summary>
    public bool ByPusher { get; init; }

    /// <summary>The actor's role on the repository as GitHub answered it (write, maintain, admin, triage, read, none); null when not asked (CLI, environment).</summary>
    public string? Role { get; init; }

    /// <summary>Whether that role can push (write, maintain, admin). Label and comment approvals count only when true.</summary>
    public bool? CanWrite { get; init; }

    /// <summary>With <c>approvers</c> set: whether the actor is listed or an active member of a listed team; null when not set.</summary>
    public bool? InApprovers { get; init; }

    /// <summary>As stored in <c>approvals_seen</c>: <c>via:actor</c>, e.g. <c>label:alice</c>, with the role when GitHub was asked: <c>label:alice (write)</c>.</summary>
    public override string ToString() => $"{ApprovalChannels.Name(Via)}:{Actor}{(Role is { } role ? $" ({role})" : "")}";
}

/// <summary>
/// Whether the sha is on the repository's default branch <paramref name="Branch"/>, and how that was established:
/// <c>push</c> (it was the <c>after</c> of a push to the branch the governor received) or <c>compare:&lt;status&gt;</c>
/// (GitHub's compare of the branch with the sha). <paramref name="OnBranch"/> false means neither showed it.
/// </summary>
public sealed record DefaultBranchCheck(bool OnBranch, string Branch, string How);

/// <summary>
/// Everything a decision reads besides the release state, gathered by the handler. The decider reads
/// no clock, environment or network: <paramref name="Now"/> is the clock.
/// </summary>
/// <param name="Sha">The verified head_sha from the payload (never "latest main").</param>
/// <param name="VerificationConclusion">The verification run's conclusion (<c>success</c>, <c>failure</c>, ...).</param>
/// <param name="Config">The effective <c>.booty.yml</c> at that sha.</param>
/// <param name="Compare">
/// <c>compare(production_sha, sha)</c>; null when there is no production sha yet. When production
/// exists and this is null, only an equal sha counts as not ahead.
/// </param>
/// <param name="Risk">The risk of that diff (for a disabled or invalid config it is recorded by no event).</param>
/// <param name="Approvals">Approval signals for the sha; CLI approvals in the state count too.</param>
/// <param name="Degraded">The production degraded signal; null means unknown and is treated as not degraded.</param>
/// <param name="Now">The decision time.</param>
/// <param name="DefaultBranch">Whether the sha is on the default branch; null (not checked) never allows a deploy.</param>
/// <param name="JudgedBy">Which config judged the sha, in words (shown by status and simulate).</param>
/// <param name="Recorded">What the release stream recorded about this sha (dispatches, verification), however old; null when nothing.</param>
/// <param name="Stop">The emergency stop in force for the repository (governor/stops), or null.</param>
public sealed record DecisionInput(
    string Sha,
    string VerificationConclusion,
    ConfigLoadResult Config,
    CompareStatus? Compare,
    RiskAssessment Risk,
    IReadOnlyList<ApprovalSignal> Approvals,
    bool? Degraded,
    DateTimeOffset Now,
    DefaultBranchCheck? DefaultBranch = null,
    string? JudgedBy = null,
    ShaRecord? Recorded = null,
    Stops.ActiveStop? Stop = null)
{
    /// <summary>The diff's changed paths the risk was classified on (both names of a rename); empty when no diff was read.</summary>
    public IReadOnlyList<string> ChangedPaths { get; init; } = [];

    /// <summary>The release_governor keys the change alters against production's config (each makes the risk HIGH).</summary>
    public IReadOnlyList<string> PolicyKeysChanged { get; init; } = [];

    /// <summary>Whether approvals were asked for: only for HIGH risk, or a first deploy that needs an approval.</summary>
    public bool ApprovalsGathered { get; init; }
}
