using ReleaseGovernor.Core.Releases;
using System.Text;
using System.Text.Json;

namespace ReleaseGovernor.GitHub.Api;

public sealed partial class GitHubClient
{
    /// <summary>
    /// Text of a file at <paramref name="gitRef"/> (<c>GET /repos/{o}/{r}/contents/{path}?ref=</c>), or null when
    /// GitHub answers 404. Files over 1 MB are not returned inline by this endpoint and throw.
    /// </summary>
    public async Task<string?> GetFileContentAsync(RepoRef repo, long? installationId, string path, string gitRef, CancellationToken ct = default)
    {
        var request = GitHubRequest.Get($"{GitHubPaths.Repo(repo)}/contents/{GitHubPaths.FilePath(path)}{GitHubPaths.Query(("ref", gitRef))}")
            with { AllowNotFound = true };
        var response = await SendAsync(request, installationId, ct).ConfigureAwait(false);
        if (response.IsNotFound) return null;

        using var doc = JsonDocument.Parse(response.Body);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.GetString() != "file")
            throw new InvalidOperationException($"{path} at {gitRef} in {repo} is not a file.");
        var encoding = root.TryGetProperty("encoding", out var e) ? e.GetString() : null;
        if (encoding != "base64")
            throw new InvalidOperationException(
                $"{path} at {gitRef} in {repo} came back with encoding '{encoding}' (GitHub only inlines files up to 1 MB).");
        var content = root.TryGetProperty("content", out var c) ? c.GetString() ?? "" : "";
        return Encoding.UTF8.GetString(Convert.FromBase64String(content)); // GitHub wraps base64 in newlines; they are ignored
    }

    /// <summary>Diff between two commits (<c>GET /repos/{o}/{r}/compare/{base}...{head}</c>); see <see cref="CompareResult"/> about the 300-file cap.</summary>
    public async Task<CompareResult> CompareAsync(RepoRef repo, long? installationId, string baseSha, string headSha, CancellationToken ct = default)
    {
        var wire = await GetAsync<CompareWire>(
            $"{GitHubPaths.Repo(repo)}/compare/{GitHubPaths.Escape(baseSha)}...{GitHubPaths.Escape(headSha)}", installationId, ct).ConfigureAwait(false);
        var files = wire.Files ?? [];
        return new CompareResult(wire.Status, wire.AheadBy, wire.BehindBy, files, files.Count >= ChangedFileLimits.MaxFiles);
    }

    /// <summary>
    /// How <paramref name="headSha"/> stands against <paramref name="baseRef"/> (<c>ahead</c>, <c>behind</c>, <c>identical</c>,
    /// <c>diverged</c>), or null when GitHub knows no such commit in the repository (404). <c>behind</c> or
    /// <c>identical</c> against a branch means the sha is on that branch.
    /// </summary>
    public async Task<string?> CompareStatusAsync(RepoRef repo, long? installationId, string baseRef, string headSha, CancellationToken ct = default)
    {
        var request = GitHubRequest.Get($"{GitHubPaths.Repo(repo)}/compare/{GitHubPaths.Escape(baseRef)}...{GitHubPaths.Escape(headSha)}")
            with { AllowNotFound = true };
        var response = await SendAsync(request, installationId, ct).ConfigureAwait(false);
        if (response.IsNotFound) return null;
        using var doc = JsonDocument.Parse(response.Body);
        return doc.RootElement.TryGetProperty("status", out var status) ? status.GetString() : null;
    }

    /// <summary>The repository's default branch (<c>GET /repos/{o}/{r}</c>).</summary>
    public async Task<string> GetDefaultBranchAsync(RepoRef repo, long? installationId, CancellationToken ct = default) =>
        (await GetAsync<RepositoryWire>(GitHubPaths.Repo(repo), installationId, ct).ConfigureAwait(false)).DefaultBranch;

    /// <summary>Files changed by one commit, for a first deploy with nothing to compare against.</summary>
    public async Task<CommitFiles> GetCommitAsync(RepoRef repo, long? installationId, string sha, CancellationToken ct = default)
    {
        var wire = await GetAsync<CommitWire>($"{GitHubPaths.Repo(repo)}/commits/{GitHubPaths.Escape(sha)}", installationId, ct).ConfigureAwait(false);
        var files = wire.Files ?? [];
        return new CommitFiles(wire.Sha, files, files.Count >= ChangedFileLimits.MaxFiles);
    }

    private sealed record CompareWire(string Status, int AheadBy, int BehindBy, IReadOnlyList<ChangedFile>? Files);

    private sealed record RepositoryWire(string DefaultBranch);

    private sealed record CommitWire(string Sha, IReadOnlyList<ChangedFile>? Files);
}
