using ReleaseGovernor.Core.Commits;
using ReleaseGovernor.Core.Config;

namespace ReleaseGovernor.Core.Releases;

/// <summary>An approval signal that did not count, and why.</summary>
public sealed record IgnoredApproval(ApprovalSignal Signal, string Why)
{
    public override string ToString() => $"{Signal} ({Why})";
}

/// <summary>The approvals of a sha that count, and the ones that were seen but do not.</summary>
public sealed record ApprovalTally(IReadOnlyList<ApprovalSignal> Counted, IReadOnlyList<IgnoredApproval> Ignored, int Required = 1)
{
    /// <summary>Distinct people who approved, across channels.</summary>
    public IReadOnlyList<string> Approvers => [.. Counted.Select(c => c.Actor).Distinct(StringComparer.OrdinalIgnoreCase)];

    public bool Approved => Approvers.Count >= Math.Max(Required, 1);
}

/// <summary>
/// Which approvals count (design §4, "Approvals"): CLI approvals always; the environment flag, a label
/// or a comment only in its approval_mode, and a label or comment only from someone GitHub says can write to the
/// repository and, with <c>approvers</c> set, who is listed or in a listed team; never the pull request's author's
/// or the sha's pusher's own without allow_self_approval. <c>required_approvals</c> distinct people approve a sha.
/// </summary>
public static class ApprovalPolicy
{
    public static ApprovalTally Tally(ReleaseState state, GovernorConfig config, string sha, IEnumerable<ApprovalSignal> signals)
    {
        var fromCli = state.Approvals
            .Where(a => Sha.Same(a.Sha, sha) && string.Equals(a.Via, ApprovalChannels.Cli, StringComparison.OrdinalIgnoreCase))
            .Select(a => new ApprovalSignal(ApprovalVia.Cli, a.Actor, a.Sha));

        var counted = new List<ApprovalSignal>();
        var ignored = new List<IgnoredApproval>();
        foreach (var signal in fromCli.Concat(signals.Where(s => Sha.Same(s.Sha, sha))))
        {
            var why = WhyIgnored(signal, config);
            if (why is not null)
                ignored.Add(new IgnoredApproval(signal, why));
            else if (!counted.Any(c => c.Via == signal.Via && string.Equals(c.Actor, signal.Actor, StringComparison.OrdinalIgnoreCase)))
                counted.Add(signal);
        }

        return new ApprovalTally(counted, ignored, config.RequiredApprovals);
    }

    private static string? WhyIgnored(ApprovalSignal signal, GovernorConfig config) => signal switch
    {
        { Via: ApprovalVia.Cli } => null,
        _ when signal.Via != ApprovalChannels.ChannelOf(config.ApprovalMode) =>
            $"approval_mode is {ApprovalChannels.Name(ApprovalChannels.ChannelOf(config.ApprovalMode))}",
        { ByPullRequestAuthor: true } when !config.AllowSelfApproval => "the pull request's author; allow_self_approval is false",
        { ByPusher: true } when !config.AllowSelfApproval => "pushed this sha to the default branch; allow_self_approval is false",
        { CanWrite: false } => $"{signal.Actor} has {signal.Role ?? "no"} access; an approver needs write",
        { InApprovers: false } => $"{signal.Actor} is not in approvers ({string.Join(", ", config.Approvers)})",
        { Via: ApprovalVia.Label or ApprovalVia.Comment, CanWrite: null } => "GitHub was not asked for the approver's permission",
        _ => null,
    };

}
