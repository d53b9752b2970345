using ReleaseGovernor.Core.Config;

namespace ReleaseGovernor.Core.Releases;

/// <summary>An approval signal that did not count, and why.</summary>
public sealed record IgnoredApproval(ApprovalSignal Signal, string Why)
{
    public override string ToString() => $"{Signal} ({Why})";
}

/// <summary>The approvals of a sha that count, and the ones that were seen but do not.</summary>
public sealed record ApprovalTally(IReadOnlyList<ApprovalSignal> Counted, IReadOnlyList<IgnoredApproval> Ignored)
{
    public bool Approved => Counted.Count > 0;
}

/// <summary>
/// Which approvals count (design §4, "Approvals"): CLI approvals always; the environment flag, a label
/// or a comment only in its approval_mode; the pull request author's own only with allow_self_approval.
/// </summary>
public static class ApprovalPolicy
{
    public static ApprovalTally Tally(ReleaseState state, GovernorConfig config, string sha, IEnumerable<ApprovalSignal> signals)
    {
        var fromCli = state.Approvals
            .Where(a => SameSha(a.Sha, sha) && string.Equals(a.Via, ApprovalChannels.Cli, StringComparison.OrdinalIgnoreCase))
            .Select(a => new ApprovalSignal(ApprovalVia.Cli, a.Actor, a.Sha));

        var counted = new List<ApprovalSignal>();
        var ignored = new List<IgnoredApproval>();
        foreach (var signal in fromCli.Concat(signals.Where(s => SameSha(s.Sha, sha))))
        {
            var why = WhyIgnored(signal, config);
            if (why is not null)
                ignored.Add(new IgnoredApproval(signal, why));
            else if (!counted.Any(c => c.Via == signal.Via && string.Equals(c.Actor, signal.Actor, StringComparison.OrdinalIgnoreCase)))
                counted.Add(signal);
        }

        return new ApprovalTally(counted, ignored);
    }

    private static string? WhyIgnored(ApprovalSignal signal, GovernorConfig config) => signal switch
    {
        { Via: ApprovalVia.Cli } => null,
        _ when signal.Via != ApprovalChannels.ChannelOf(config.ApprovalMode) =>
            $"approval_mode is {ApprovalChannels.Name(ApprovalChannels.ChannelOf(config.ApprovalMode))}",
        { ByPullRequestAuthor: true } when !config.AllowSelfApproval => "the pull request's author; allow_self_approval is false",
        _ => null,
    };

    private static bool SameSha(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
