namespace ReleaseGovernor.Testing.Fakes;

public sealed partial class FakeGitHub
{
    /// <summary>GitHub's cap on changed files listed by compare and by one commit page.</summary>
    public const int MaxListedFiles = 300;

    private Task GetContent(RouteCall call)
    {
        var repo = RepoOf(call);
        var gitRef = call.Context.Request.Query["ref"].FirstOrDefault() ?? repo.DefaultBranch;
        var path = call["path"];
        if (repo.File(gitRef, path) is not { } content) return FakeHttp.NotFound(call.Context);
        return FakeHttp.Json(call.Context, 200, new
        {
            type = "file",
            encoding = "base64",
            size = content.Length,
            name = path.Split('/')[^1],
            path,
            sha = "3d21ec53a331a6f037a91c368710b99387d012c1",
            content = FakeHttp.WrappedBase64(content),
            download_url = $"https://raw.githubusercontent.com/{repo.Owner}/{repo.Name}/{gitRef}/{path}",
        });
    }

    private Task GetRepository(RouteCall call)
    {
        var repo = RepoOf(call);
        return FakeHttp.Json(call.Context, 200, new { full_name = $"{repo.Owner}/{repo.Name}", default_branch = repo.DefaultBranch });
    }

    /// <summary>A user's permission; users the test did not name have read access, as on a public repository.</summary>
    private Task GetPermission(RouteCall call)
    {
        var (permission, role) = RepoOf(call).PermissionOf(call["user"]);
        return FakeHttp.Json(call.Context, 200, new { permission, role_name = role, user = new { login = call["user"] } });
    }

    private Task GetTeamMembership(RouteCall call) =>
        IsTeamMember(call["org"], call["team"], call["user"])
            ? FakeHttp.Json(call.Context, 200, new { state = "active", role = "member" })
            : FakeHttp.NotFound(call.Context);

    private Task Compare(RouteCall call)
    {
        var repo = RepoOf(call);
        if (repo.Compare(call["base"], call["head"]) is not { } compare) return FakeHttp.NotFound(call.Context);
        return FakeHttp.Json(call.Context, 200, new
        {
            status = compare.Status,
            ahead_by = compare.AheadBy,
            behind_by = compare.BehindBy,
            total_commits = compare.AheadBy,
            html_url = HtmlUrl(repo, $"compare/{call["base"]}...{call["head"]}"),
            commits = Array.Empty<object>(),
            files = compare.Files.Take(MaxListedFiles).Select(RenderFile).ToArray(),
        });
    }

    private Task GetCommit(RouteCall call)
    {
        var repo = RepoOf(call);
        if (repo.Commit(call["sha"]) is not { } files) return FakeHttp.NotFound(call.Context);
        return FakeHttp.Json(call.Context, 200, new
        {
            sha = call["sha"],
            html_url = HtmlUrl(repo, $"commit/{call["sha"]}"),
            commit = new { message = "A commit" },
            files = files.Take(MaxListedFiles).Select(RenderFile).ToArray(),
        });
    }

    private Task ListPullsForCommit(RouteCall call)
    {
        var repo = RepoOf(call);
        return FakeHttp.Page(call.Context, repo.PullRequestsForCommit(call["sha"]), pr => RenderPull(repo, pr));
    }

    private Task GetPullRequest(RouteCall call)
    {
        var repo = RepoOf(call);
        return repo.PullRequest(int.Parse(call["number"], System.Globalization.CultureInfo.InvariantCulture)) is { } pr
            ? FakeHttp.Json(call.Context, 200, RenderPull(repo, pr))
            : FakeHttp.NotFound(call.Context);
    }

    private static object RenderPull(FakeRepo repo, FakePullRequest pr) => new
    {
        number = pr.Number,
        state = pr.State,
        title = $"Pull request {pr.Number}",
        html_url = HtmlUrl(repo, $"pull/{pr.Number}"),
        user = new { login = pr.AuthorLogin },
        labels = (pr.Labels ?? []).Select(RenderLabel).ToArray(),
        merged_at = pr.MergedAt is { } merged ? FakeHttp.Iso(merged) : null,
        merge_commit_sha = pr.MergeCommitSha,
        head = new { sha = pr.HeadSha, @ref = $"feature-{pr.Number}" },
        @base = new { @ref = repo.DefaultBranch },
    };

    private static object RenderFile(FakeChangedFile file) => new
    {
        filename = file.Filename,
        status = file.Status,
        additions = 1,
        deletions = 0,
        changes = 1,
        previous_filename = file.PreviousFilename,
    };

    private static object RenderLabel(string name) => new { id = name.GetHashCode(), name, color = "ededed", @default = false, description = (string?)null };
}
