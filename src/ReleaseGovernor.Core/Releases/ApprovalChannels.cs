using ReleaseGovernor.Core.Config;

namespace ReleaseGovernor.Core.Releases;

/// <summary>The stored names of the approval channels and the hint that tells a person how to approve.</summary>
public static class ApprovalChannels
{
    /// <summary>The <c>via</c> of an <see cref="Events.ApprovalGranted"/> recorded by <c>booty governor approve</c>.</summary>
    public const string Cli = "cli";

    public static string Name(ApprovalVia via) => via switch
    {
        ApprovalVia.Environment => "environment",
        ApprovalVia.Label => "label",
        ApprovalVia.Comment => "comment",
        ApprovalVia.Cli => Cli,
        _ => throw new ArgumentOutOfRangeException(nameof(via), via, "Unknown approval channel."),
    };

    /// <summary>The one channel, besides the CLI, that approves under <paramref name="mode"/>.</summary>
    public static ApprovalVia ChannelOf(ApprovalMode mode) => mode switch
    {
        ApprovalMode.Environment => ApprovalVia.Environment,
        ApprovalMode.Label => ApprovalVia.Label,
        ApprovalMode.Comment => ApprovalVia.Comment,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown approval mode."),
    };

    /// <summary>How to approve <paramref name="sha"/> under the config's approval_mode, CLI included.</summary>
    public static string Hint(GovernorConfig config, string sha)
    {
        var byMode = config.ApprovalMode switch
        {
            ApprovalMode.Label => $"add the label '{config.ApprovalLabel}' to the pull request",
            ApprovalMode.Comment => $"comment '{config.ApprovalCommand}' on the pull request (someone with write access)",
            _ => "set RELEASE_GOVERNOR_APPROVED=true on the server",
        };
        var who = config.Approvers.Count > 0 ? $" (approvers: {string.Join(", ", config.Approvers)})" : "";
        var many = config.RequiredApprovals > 1 ? $"; {config.RequiredApprovals} distinct approvers needed" : "";
        return $"{byMode}{who}, or run: booty governor approve {sha}{many}";
    }
}
