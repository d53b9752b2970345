using ReleaseGovernor.Core.Releases;
using System.Text;

namespace ReleaseGovernor.GitHub.Api;

public sealed partial class GitHubClient
{
    /// <summary>
    /// Text of a file at <paramref name="gitRef"/> (<c>GET /repos/{o}/{r}/contents/{path}?ref=</c>), or null when
    /// GitHub answers 404. Files over 1 MB are not returned inline by this endpoint and throw.
    /// </summary>
    public async Task<string?> GetFileContentAsync(RepoRef repo, long? installationId, string path, string gitRef, CancellationToken ct = default)
    {
        // A list: GitHub answers an array for a directory, and Octokit wraps a single object in one.
        var entries = await GetOrNullAsync<List<Octokit.RepositoryContent>>(
            $"{GitHubPaths.Repo(repo)}/contents/{GitHubPaths.FilePath(path)}{GitHubPaths.Query(("ref", gitRef))}", installationId, ct)
            .ConfigureAwait(false);
        if (entries is null) return null;
        if (entries is not [{ Type.StringValue: "file" } file])
            throw new InvalidOperationException($"{path} at {gitRef} in {repo} is not a file.");
        if (file.Encoding != "base64")
            throw new InvalidOperationException(
                $"{path} at {gitRef} in {repo} came back with encoding '{file.Encoding}' (GitHub only inlines files up to 1 MB).");
        return Encoding.UTF8.GetString(Convert.FromBase64String(file.EncodedContent ?? "")); // GitHub wraps base64 in newlines; they are ignored
    }

    /// <summary>
    /// Diff between two commits (<c>GET /repos/{o}/{r}/compare/{base}...{head}</c>); see <see cref="CompareResult"/>
    /// about the 300-file cap. Octokit's <c>CompareResult</c> has no "truncated" flag, so the cap is applied here.
    /// </summary>
    public async Task<CompareResult> CompareAsync(RepoRef repo, long? installationId, string baseSha, string headSha, CancellationToken ct = default)
    {
        var compare = await GetBodyAsync<Octokit.CompareResult>(ComparePath(repo, baseSha, headSha), installationId, ct).ConfigureAwait(false);
        var files = OctokitModels.Files(compare.Files);
        return new CompareResult(compare.Status, compare.AheadBy, compare.BehindBy, files, files.Count >= ChangedFileLimits.MaxFiles);
    }

    /// <summary>
    /// How <paramref name="headSha"/> stands against <paramref name="baseRef"/> (<c>ahead</c>, <c>behind</c>, <c>identical</c>,
    /// <c>diverged</c>), or null when GitHub knows no such commit in the repository (404). <c>behind</c> or
    /// <c>identical</c> against a branch means the sha is on that branch.
    /// </summary>
    public async Task<string?> CompareStatusAsync(RepoRef repo, long? installationId, string baseRef, string headSha, CancellationToken ct = default) =>
        (await GetOrNullAsync<Octokit.CompareResult>(ComparePath(repo, baseRef, headSha), installationId, ct).ConfigureAwait(false))?.Status;

    /// <summary>The repository's default branch (<c>GET /repos/{o}/{r}</c>).</summary>
    public async Task<string> GetDefaultBranchAsync(RepoRef repo, long? installationId, CancellationToken ct = default) =>
        (await GetBodyAsync<Octokit.Repository>(GitHubPaths.Repo(repo), installationId, ct).ConfigureAwait(false)).DefaultBranch;

    /// <summary>Files changed by one commit, for a first deploy with nothing to compare against.</summary>
    public async Task<CommitFiles> GetCommitAsync(RepoRef repo, long? installationId, string sha, CancellationToken ct = default)
    {
        var commit = await GetBodyAsync<Octokit.GitHubCommit>($"{GitHubPaths.Repo(repo)}/commits/{GitHubPaths.Escape(sha)}", installationId, ct)
            .ConfigureAwait(false);
        var files = OctokitModels.Files(commit.Files);
        return new CommitFiles(commit.Sha, files, files.Count >= ChangedFileLimits.MaxFiles);
    }

    private static string ComparePath(RepoRef repo, string baseRef, string headRef) =>
        $"{GitHubPaths.Repo(repo)}/compare/{GitHubPaths.Escape(baseRef)}...{GitHubPaths.Escape(headRef)}";
}
