
namespace ReleaseGovernor.IntegrationTests.GitHub;

public class CompareTests : GitHubTestBase
{
    [Fact]
    public async Task Compares_two_commits_with_basehead_and_maps_files()
    {
        Repo.SetCompare(BaseSha, Sha, new FakeCompare("ahead", 3, 0,
        [
            new("src/app.cs"),
            new("db/migrations/002.sql", "added"),
            new("docs/new.md", "renamed", "docs/old.md"),
        ]));

        var result = await Client().CompareAsync(Shop, InstallationId, BaseSha, Sha);

        Assert.Equal($"/repos/acme/shop/compare/{BaseSha}...{Sha}", Assert.Single(GitHub.Requests).Path);
        Assert.Equal("ahead", result.Status);
        Assert.Equal(3, result.AheadBy);
        Assert.Equal(0, result.BehindBy);
        Assert.False(result.Truncated);
        Assert.Equal(["src/app.cs", "db/migrations/002.sql", "docs/new.md"], result.Files.Select(f => f.Filename));
        Assert.Equal("added", result.Files[1].Status);
        Assert.Equal("docs/old.md", result.Files[2].PreviousFilename);
        Assert.Null(result.Files[0].PreviousFilename);
    }

    [Fact]
    public async Task Marks_a_comparison_at_the_300_file_cap_as_truncated()
    {
        var files = Enumerable.Range(0, 350).Select(i => new FakeChangedFile($"src/f{i}.cs")).ToArray();
        Repo.SetCompare(BaseSha, Sha, new FakeCompare("ahead", 1, 0, files));

        var result = await Client().CompareAsync(Shop, null, BaseSha, Sha);

        Assert.Equal(300, result.Files.Count);
        Assert.True(result.Truncated);
    }

    [Fact]
    public async Task Reads_the_files_of_one_commit()
    {
        Repo.SetCommit(Sha, new FakeChangedFile(".github/workflows/deploy.yml", "added"), new FakeChangedFile("README.md"));

        var commit = await Client().GetCommitAsync(Shop, InstallationId, Sha);

        Assert.Equal($"/repos/acme/shop/commits/{Sha}", Assert.Single(GitHub.Requests).Path);
        Assert.Equal(Sha, commit.Sha);
        Assert.Equal([".github/workflows/deploy.yml", "README.md"], commit.Files.Select(f => f.Filename));
        Assert.False(commit.Truncated);
    }

    [Fact]
    public async Task Marks_a_commit_with_300_files_as_truncated()
    {
        Repo.SetCommit(Sha, Enumerable.Range(0, 300).Select(i => new FakeChangedFile($"f{i}")).ToArray());

        var commit = await Client().GetCommitAsync(Shop, null, Sha);

        Assert.True(commit.Truncated);
    }
}
