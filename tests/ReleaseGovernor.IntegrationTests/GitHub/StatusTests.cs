using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.IntegrationTests.GitHub;

public class StatusTests : GitHubTestBase
{
    [Fact]
    public async Task Creates_a_commit_status_with_a_description_cut_to_140_characters()
    {
        var longDescription = "HOLD: cooldown after a failed deploy; " + new string('x', 200);

        await Client().CreateCommitStatusAsync(Shop, InstallationId, Sha, CommitState.Pending, longDescription,
            "https://governor.example/acme/shop", "release-governor/production");

        var request = Assert.Single(GitHub.Requests);
        Assert.Equal($"/repos/acme/shop/statuses/{Sha}", request.Path);
        Assert.Equal("pending", (string?)request.Json!["state"]);
        Assert.Equal("https://governor.example/acme/shop", (string?)request.Json["target_url"]);
        Assert.Equal("release-governor/production", (string?)request.Json["context"]);
        var sent = (string)request.Json["description"]!;
        Assert.Equal(140, sent.Length);
        Assert.StartsWith("HOLD: cooldown", sent);
        Assert.EndsWith("…", sent);
        Assert.Equal(CommitStatus.Truncate(longDescription), Assert.Single(Repo.Statuses).Description);
    }

    [Fact]
    public async Task Leaves_out_a_null_target_url()
    {
        await Client().CreateCommitStatusAsync(Shop, null, Sha, CommitState.Success, "Deployed", null, "release-governor/production");

        var json = (System.Text.Json.Nodes.JsonObject)Assert.Single(GitHub.Requests).Json!;
        Assert.False(json.ContainsKey("target_url"));
        Assert.Equal("success", (string?)json["state"]);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    [InlineData("short", "short")]
    public void Truncate_keeps_short_descriptions(string? input, string? expected) =>
        Assert.Equal(expected, CommitStatus.Truncate(input));

    [Fact]
    public void Truncate_keeps_exactly_140_characters()
    {
        var exact = new string('a', 140);
        Assert.Same(exact, CommitStatus.Truncate(exact));
    }

    [Fact]
    public void Truncate_cuts_to_140_with_an_ellipsis()
    {
        var cut = CommitStatus.Truncate(new string('a', 141))!;
        Assert.Equal(140, cut.Length);
        Assert.Equal(new string('a', 139) + "…", cut);
    }

    [Fact]
    public void Truncate_never_splits_a_surrogate_pair()
    {
        var input = new string('a', 138) + "😀" + "tail"; // the emoji sits at 138..139
        var cut = CommitStatus.Truncate(input)!;
        Assert.True(cut.Length <= 140);
        Assert.Equal(new string('a', 138) + "…", cut);
    }
}
