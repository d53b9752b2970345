using ReleaseGovernor.Core.Commits;
using ReleaseGovernor.Core.Events;

namespace ReleaseGovernor.Core.Releases;

/// <summary>
/// Which label and comment approvals of one pull request still stand for a sha, from the facts received about it
/// in order. A label approves while its last change is "labeled", by whoever applied it last; a comment approves
/// while it is neither deleted nor edited away from the command. Both bind to the commit they were given for: the
/// pull request's head at that time, or the merge commit of that same head — never to later commits.
/// </summary>
public static class StandingApprovals
{
    /// <summary>Who may approve by comment until permissions are asked of GitHub: the repository's owners, members and collaborators.</summary>
    public static readonly IReadOnlyList<string> CommentAssociations = ["OWNER", "MEMBER", "COLLABORATOR"];

    /// <summary>The user whose label still approves <paramref name="sha"/>, or null.</summary>
    public static string? Label(IReadOnlyList<ReleaseEvent> ofPull, string label, string sha, string? currentHead, string? mergeCommitSha)
    {
        var last = ofPull.LastOrDefault(e =>
            e is PullRequestLabeled l && Same(l.Label, label) || e is PullRequestUnlabeled u && Same(u.Label, label));
        if (last is not PullRequestLabeled labeled) return null;
        var bound = Sha.Same(sha, labeled.HeadSha) || Sha.Same(sha, labeled.MergeCommitSha)
                    || (Sha.Same(sha, mergeCommitSha) && Sha.Same(labeled.HeadSha, currentHead));
        return bound ? labeled.LabeledBy ?? "unknown" : null;
    }

    /// <summary>The users whose approval comments still stand for <paramref name="sha"/>.</summary>
    /// <remarks>
    /// A comment bound to the head GitHub reported when it was processed (<see cref="ApprovalCommentBound"/>) counts for
    /// that head and its merge commit, as a label does; one without (stored before binding existed) counts for the current
    /// head or merge commit until a <c>synchronize</c> arrives after it.
    /// </remarks>
    public static IReadOnlyList<string> Comments(IReadOnlyList<ReleaseEvent> ofPull, string command, string sha, string? currentHead, string? mergeCommitSha)
    {
        var actors = new List<string>();
        for (var i = 0; i < ofPull.Count; i++)
        {
            if (ofPull[i] is not IssueCommentCreated { IsPullRequest: true } created || !IsCommand(created.Body, command)
                || !CommentAssociations.Contains(created.AuthorAssociation ?? "", StringComparer.OrdinalIgnoreCase))
                continue;
            var later = ofPull.Skip(i + 1).ToList();
            var revoked = later.OfType<IssueCommentChanged>().LastOrDefault(c => c.CommentId == created.CommentId) is { } change
                          && (change.Action == "deleted" || !IsCommand(change.Body, command));
            var bound = later.OfType<ApprovalCommentBound>().FirstOrDefault(b => b.CommentId == created.CommentId);
            var forSha = bound is not null
                ? Sha.Same(sha, bound.HeadSha) || (Sha.Same(sha, mergeCommitSha) && Sha.Same(bound.HeadSha, currentHead))
                : (Sha.Same(sha, currentHead) || Sha.Same(sha, mergeCommitSha)) && !later.OfType<PullRequestSynchronized>().Any();
            if (!revoked && forSha) actors.Add(created.Author ?? "unknown");
        }
        return actors;
    }

    public static bool IsCommand(string? body, string command) => body is not null && body.Trim() == command.Trim();

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

}
