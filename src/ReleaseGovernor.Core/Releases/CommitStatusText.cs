using ReleaseGovernor.Core.Events;

namespace ReleaseGovernor.Core.Releases;

/// <summary>The description of the <c>booty/release-governor</c> commit status (GitHub allows 140 characters).</summary>
public static class CommitStatusText
{
    public const int MaxLength = 140;
    public const string Triggered = "Triggered: deploy workflow run";

    public static string For(Decision decision) => decision.Outcome switch
    {
        DecisionOutcome.Allow => Triggered,
        _ => Truncate(decision.Unblock is { Length: > 0 } unblock
            ? $"{decision.Outcome.ToString().ToUpperInvariant()} {decision.Reason}: {unblock}"
            : $"{decision.Outcome.ToString().ToUpperInvariant()} {decision.Reason}"),
    };

    /// <summary>The description of the deploy an override let through.</summary>
    public static string Override(string actor, string reason) => Truncate($"ALLOW (override by {actor}: {reason})");

    /// <summary>The description of a rollback's deploy of the sha production goes back to.</summary>
    public static string Rollback(string from, string actor, string reason) =>
        Truncate($"ALLOW {reason} (rollback of {(from.Length > 7 ? from[..7] : from)} by {actor})");

    private static string Truncate(string text) =>
        text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength - 1), "…");
}
