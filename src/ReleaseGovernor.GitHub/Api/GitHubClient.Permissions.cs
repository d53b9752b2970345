using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>A user's permission on a repository as GitHub answers it: <c>admin</c>, <c>write</c>, <c>read</c> or <c>none</c>, and the role name (<c>maintain</c>, <c>triage</c>, a custom role ...).</summary>
public sealed record RepositoryPermission(string Permission, string? RoleName)
{
    /// <summary>The role as people name it: the role name when GitHub gives one, else the permission.</summary>
    public string Role => RoleName ?? Permission;

    /// <summary>True for write, maintain and admin: the roles that can push to the repository.</summary>
    public bool CanWrite => Permission is "admin" or "write" || RoleName is "admin" or "maintain" or "write";
}

public sealed partial class GitHubClient
{
    /// <summary>
    /// The permission of <paramref name="username"/> on the repository
    /// (<c>GET /repos/{o}/{r}/collaborators/{username}/permission</c>); a user GitHub does not know is <c>none</c>.
    /// </summary>
    public async Task<RepositoryPermission> GetPermissionAsync(RepoRef repo, long? installationId, string username, CancellationToken ct = default)
    {
        var wire = await GetOrNullAsync<PermissionWire>(
            $"{GitHubPaths.Repo(repo)}/collaborators/{GitHubPaths.Escape(username)}/permission", installationId, ct).ConfigureAwait(false);
        return new RepositoryPermission(wire?.Permission ?? "none", wire?.RoleName);
    }

    /// <summary>
    /// Whether <paramref name="username"/> is an active member of the team <c>org/team</c>
    /// (<c>GET /orgs/{org}/teams/{team_slug}/memberships/{username}</c>; 404 means not a member).
    /// </summary>
    public async Task<bool> IsActiveTeamMemberAsync(string org, string teamSlug, string username, long? installationId, CancellationToken ct = default)
    {
        var wire = await GetOrNullAsync<MembershipWire>(
            $"/orgs/{GitHubPaths.Escape(org)}/teams/{GitHubPaths.Escape(teamSlug)}/memberships/{GitHubPaths.Escape(username)}", installationId, ct)
            .ConfigureAwait(false);
        return wire?.State == "active";
    }

    // Read by Octokit's serializer (snake_case names to settable properties).
    private sealed class PermissionWire
    {
        public string? Permission { get; set; }
        public string? RoleName { get; set; }
    }

    private sealed class MembershipWire
    {
        public string? State { get; set; }
    }
}
