using ReleaseGovernor.Core.Stops;

namespace ReleaseGovernor.Core.Releases;

/// <summary>
/// What a decision was based on besides the release state and the config, recorded with it (<c>seen</c> on
/// <c>deploy_decided</c>) so <c>booty governor replay</c> can decide it again under another config without asking GitHub.
/// The state is not copied: it is the fold of the stream up to the decision. Decisions stored before this was recorded
/// have none and are not replayed.
/// </summary>
/// <param name="Clock">The decision time the rules were judged at.</param>
/// <param name="Verification">The verification run's conclusion.</param>
/// <param name="ChangedPaths">The diff's paths (both names of a rename), at most <see cref="PathLimit"/>.</param>
/// <param name="PathsTruncated">True when the diff had more paths than were kept.</param>
/// <param name="DiffTruncated">True when GitHub listed only part of the diff (which is HIGH risk by itself).</param>
/// <param name="PolicyKeysChanged">release_governor keys the change altered against production's config.</param>
/// <param name="ApprovalsGathered">Whether approvals were asked for (only for HIGH risk or a first deploy that needed one).</param>
/// <param name="Approvals">The approval signals considered, as resolved then (role, approvers, self-approval).</param>
/// <param name="Compare">Where the sha stood against production.</param>
/// <param name="DefaultBranch">Whether, and how, the sha was found on the default branch.</param>
/// <param name="Degraded">The production degraded signal.</param>
/// <param name="Hold">The operator hold in the state when deciding.</param>
/// <param name="Stop">The emergency stop in force.</param>
/// <param name="RecordedDispatches">Dispatches of the sha recorded before, however old.</param>
/// <param name="RecordedRetryable">Whether the sha's last deploy could be retried.</param>
public sealed record DecisionSeen(
    DateTimeOffset Clock,
    string Verification,
    IReadOnlyList<string> ChangedPaths,
    bool PathsTruncated,
    bool DiffTruncated,
    IReadOnlyList<string> PolicyKeysChanged,
    bool ApprovalsGathered,
    IReadOnlyList<ApprovalSignal> Approvals,
    CompareStatus? Compare,
    DefaultBranchCheck? DefaultBranch,
    bool? Degraded,
    ActiveHold? Hold,
    ActiveStop? Stop,
    int RecordedDispatches,
    bool RecordedRetryable)
{
    /// <summary>How many changed paths a decision keeps: enough for any diff GitHub lists in full, bounded for the log.</summary>
    public const int PathLimit = 3_000;

    public static DecisionSeen Of(ReleaseState state, DecisionInput input) => new(
        input.Now,
        input.VerificationConclusion,
        [.. input.ChangedPaths.Take(PathLimit)],
        input.ChangedPaths.Count > PathLimit,
        input.Risk.DiffTruncated,
        input.PolicyKeysChanged,
        input.ApprovalsGathered,
        input.Approvals,
        input.Compare,
        input.DefaultBranch,
        input.Degraded,
        state.Hold,
        input.Stop,
        input.Recorded?.Dispatches ?? 0,
        input.Recorded?.Retryable ?? false);
}
