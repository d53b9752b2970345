using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Risk;
using ReleaseGovernor.Core.Text;

namespace ReleaseGovernor.Server.Page;

/// <summary>A link shown on the page: its text and, when it may be followed, where it goes.</summary>
public sealed record PageLink(string Text, string? Href);

/// <summary>
/// One entry of a release timeline, ready to show: when, what kind (<see cref="Kind"/> is a CSS class too), the sha,
/// a headline, detail lines, links, and where it came from (delivery id and event).
/// </summary>
public sealed record TimelineEntry(
    DateTimeOffset At,
    string Kind,
    string? Sha,
    string Headline,
    IReadOnlyList<string> Details,
    IReadOnlyList<RiskEvidence> Evidence,
    IReadOnlyList<string> Notes,
    IReadOnlyList<PageLink> Links,
    string? DeliveryId,
    long Sequence,
    string EventType,
    string? Actor)
{
    public static TimelineEntry From(StoredEvent e, RepoRef repo, PageLinks links)
    {
        var sha = EventDescriptions.ShaOf(e.Data);
        var entry = new TimelineEntry(e.Data.At, "event", sha, SafeText.Clean(EventDescriptions.Summarize(e.Data)), [], [], [], [],
            e.Metadata.DeliveryId, e.Sequence, e.Type, e.Metadata.Actor is { } a ? SafeText.Clean(a) : null);
        return e.Data switch
        {
            DeployDecided d => entry with
            {
                Kind = d.Outcome.ToString().ToLowerInvariant(),
                Headline = $"{d.Outcome.ToString().ToUpperInvariant()} — {ReasonWords.For(d.Reason)} ({d.Reason})",
                Details = [.. Verdict(d)],
                Evidence = d.Evidence,
                Notes = [.. Seen(d)],
            },
            VerificationCompleted v => entry with
            {
                Kind = v.Conclusion == "success" ? "verified" : "failed",
                Headline = $"Verified: {SafeText.Clean(v.Conclusion)}",
                Links = Run("verification run", v.RunId, v.HtmlUrl),
            },
            DeployDispatchRequested r => entry with { Kind = "dispatch", Headline = $"Deploy requested: {SafeText.Clean(r.Workflow)} at {SafeText.Clean(r.Ref)} (attempt {r.Attempt ?? 1})" },
            DeployDispatched d => entry with { Kind = "dispatch", Links = Run("deploy run", d.RunId, d.HtmlUrl ?? d.RunUrl) },
            DeployStarted s => entry with { Kind = "dispatch", Links = Run("deploy run", s.RunId, s.HtmlUrl) },
            DeploySucceeded s => entry with { Kind = "allow", Headline = $"Deployed: run {s.RunId} succeeded", Links = Run("deploy run", s.RunId, s.HtmlUrl) },
            DeployFailed f => entry with { Kind = "hold", Headline = $"Deploy failed: run {f.RunId} {SafeText.Clean(f.Conclusion)}", Links = Run("deploy run", f.RunId, f.HtmlUrl) },
            DeployDispatchFailed => entry with { Kind = "hold" },
            DeployStalled => entry with { Kind = "hold" },
            FailureIssueOpened o => entry with { Kind = "hold", Links = [new PageLink($"issue #{o.IssueNumber}", links.Issue(repo, o.IssueNumber))] },
            FailureIssueAppended o => entry with { Kind = "hold", Links = [new PageLink($"issue #{o.IssueNumber}", links.Issue(repo, o.IssueNumber))] },
            HoldPlaced h => entry with { Kind = "hold", Headline = $"Hold placed by {SafeText.Clean(h.Actor)}: {SafeText.Clean(h.Reason)}", Details = h.Until is { } u ? [$"until {u:u}"] : [] },
            HoldLifted h => entry with { Kind = "allow", Headline = $"Hold lifted by {SafeText.Clean(h.Actor)}" },
            ApprovalGranted g => entry with { Kind = "allow", Headline = $"Approved by {SafeText.Clean(g.Actor)} via {SafeText.Clean(g.Via)}" },
            CommitStatusPosted c => entry with { Links = PageLinks.Safe(c.TargetUrl) is { } t ? [new PageLink("status target", t)] : [] },
            _ => entry,
        };
    }

    /// <summary>What to do about it and the risk; the evidence follows these lines.</summary>
    private static IEnumerable<string> Verdict(DeployDecided d)
    {
        if (d.Unblock is { } unblock) yield return $"To unblock: {SafeText.Clean(unblock)}";
        if (d.Risk is { } risk) yield return $"Risk {risk.ToString().ToUpperInvariant()}" + (d.Evidence.Count == 0 ? "" : " set by:");
    }

    /// <summary>What the decision saw: approvals, the diff's size, the hold or stop, and which config judged it.</summary>
    private static IEnumerable<string> Seen(DeployDecided d)
    {
        foreach (var approval in d.ApprovalsSeen) yield return $"Approval counted: {SafeText.Clean(approval)}";
        if (d.Seen is { } seen)
        {
            foreach (var ignored in seen.Approvals.Where(a => !d.ApprovalsSeen.Contains(a.ToString())))
                yield return $"Approval seen: {SafeText.Clean(ignored.ToString())}";
            yield return $"Diff: {seen.ChangedPaths.Count}{(seen.PathsTruncated ? "+" : "")} path(s){(seen.DiffTruncated ? ", listed only in part by GitHub" : "")}";
            if (seen.Hold is { } hold) yield return $"Hold in place: {SafeText.Clean(hold.Reason)} (by {SafeText.Clean(hold.Actor)})";
            if (seen.Stop is { } stop) yield return $"Emergency stop of {SafeText.Clean(stop.Scope)} by {SafeText.Clean(stop.Actor)}: {SafeText.Clean(stop.Reason)}";
        }
        if (d.JudgedBy is { } by) yield return $"Judged by {SafeText.Clean(by)}";
        if (d.ConfigFingerprint is { } fingerprint) yield return $"Config fingerprint {fingerprint}";
    }

    private static IReadOnlyList<PageLink> Run(string what, long? runId, string? url) =>
        runId is null && url is null ? [] : [new PageLink($"{what}{(runId is { } id ? $" {id}" : "")}", PageLinks.Safe(url))];
}
