using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.EventStore.Outbox;

/// <summary>
/// Whose work an outbox item is: claims take turns between installations, then between the repositories of an
/// installation, and cap how many items of one repository are in flight (see <see cref="OutboxStore.ClaimAsync"/>).
/// </summary>
public sealed record OutboxLane(long? InstallationId, string Repository)
{
    /// <summary>The lane of a repository, named as its streams are (lower case <c>owner/name</c>).</summary>
    public static OutboxLane For(RepoRef repo, long? installationId) =>
        new(installationId, repo.ToString().ToLowerInvariant());
}
