namespace ReleaseGovernor.Core.Config;

/// <summary>How a HIGH risk deploy gets approved (design §4, "Approvals").</summary>
public enum ApprovalMode
{
    /// <summary><c>RELEASE_GOVERNOR_APPROVED</c> = 1/true/yes on the server.</summary>
    Environment,

    /// <summary>A pull request associated with the sha carries <c>approval_label</c>.</summary>
    Label,

    /// <summary>A pull request comment equal to <c>approval_command</c> from a user with write access.</summary>
    Comment,
}
