using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.Tests.Releases;

public class StandingApprovalsTests
{
    private const string Head = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string NewHead = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string Merge = "cccccccccccccccccccccccccccccccccccccccc";
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static PullRequestLabeled Labeled(string by, string? head = Head) => new(7, "release:approved", by, "dev", head, null) { At = At };
    private static PullRequestUnlabeled Unlabeled(string by) => new(7, "release:approved", by) { At = At };
    private static IssueCommentCreated Created(long id, string by, string body = "/approve-release", string association = "MEMBER") =>
        new(7, true, id, body, by, association, "dev") { At = At };

    [Fact]
    public void The_last_labeled_event_decides_and_names_who_applied_it_last() =>
        Assert.Equal("dev", StandingApprovals.Label([Labeled("lead"), Unlabeled("lead"), Labeled("dev")], "release:approved", Head, Head, null));

    [Fact]
    public void A_removed_label_approves_nothing() =>
        Assert.Null(StandingApprovals.Label([Labeled("lead"), Unlabeled("lead")], "release:approved", Head, Head, null));

    [Fact]
    public void Another_label_neither_approves_nor_revokes() =>
        Assert.Equal("lead", StandingApprovals.Label(
            [Labeled("lead"), new PullRequestUnlabeled(7, "bug", "x") { At = At }], "RELEASE:approved", Head, Head, null));

    [Fact]
    public void A_label_binds_to_the_head_it_was_given_for_and_to_the_merge_commit_of_that_head()
    {
        ReleaseEvent[] events = [Labeled("lead")];

        Assert.Equal("lead", StandingApprovals.Label(events, "release:approved", Merge, Head, Merge));
        Assert.Null(StandingApprovals.Label(events, "release:approved", NewHead, NewHead, null));
        Assert.Null(StandingApprovals.Label(events, "release:approved", Merge, NewHead, Merge));
    }

    [Fact]
    public void A_deleted_or_edited_away_comment_is_revoked_and_one_edited_but_still_the_command_stands()
    {
        ReleaseEvent[] events =
        [
            Created(1, "a"), Created(2, "b"), Created(3, "c"),
            new IssueCommentChanged(7, 1, "deleted", null, "a") { At = At },
            new IssueCommentChanged(7, 2, "edited", "actually no", "b") { At = At },
            new IssueCommentChanged(7, 3, "edited", "  /approve-release ", "c") { At = At },
        ];

        Assert.Equal(["c"], StandingApprovals.Comments(events, "/approve-release", Head, Head, null));
    }

    [Fact]
    public void A_comment_before_new_commits_or_from_a_reader_does_not_count()
    {
        ReleaseEvent[] events =
        [
            Created(1, "early"), new PullRequestSynchronized(7, Head, NewHead) { At = At },
            Created(2, "reader", association: "NONE"), Created(3, "late"),
        ];

        Assert.Equal(["late"], StandingApprovals.Comments(events, "/approve-release", NewHead, NewHead, null));
        Assert.Empty(StandingApprovals.Comments(events, "/approve-release", Head, NewHead, null));
    }
}
