using System.Text.Json.Nodes;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Cli;

/// <summary>Bad command lines: exit 2 and exactly one line on stderr, starting with "error:", saying what to do.</summary>
public sealed class CliInputTests : IAsyncLifetime
{
    private readonly FreshStore _db = new();
    private readonly string _workspace = Booty.Workspace("release_governor:\n  enabled: true\n");
    private static readonly RepoRef Repo = new("octo-org", "web");

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        await _db.Store.AppendAsync(StreamIds.Repo(Repo), null,
            [new MainAdvanced("main", new string('0', 40), new string('a', 40), "octocat\u202e\u001b[31m", 1, false) { At = DateTimeOffset.UtcNow }],
            EventMetadata.ForDelivery("d-1", "push", 5, "octocat\u202e\u001b[31m"));
    }

    public Task DisposeAsync() => _db.DisposeAsync();

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task History_with_a_limit_below_one_is_exit_2_with_one_error_line(string limit)
    {
        var run = await Booty.RunAsync(_db.ConnectionString, "governor", "history", "--repo", "octo-org/web", "--workspace", _workspace, "--limit", limit);

        AssertOneErrorLine(run, "--limit must be a whole number of 1 or more");
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task A_mistyped_command_is_one_error_line_with_a_suggestion()
    {
        var run = await Booty.RunAsync(_db.ConnectionString, "governor", "statu");

        AssertOneErrorLine(run, "unknown command 'statu'");
        Assert.Contains("did you mean 'status'?", run.Error);
    }

    [Fact]
    public async Task Hold_without_a_reason_is_one_error_line()
    {
        var run = await Booty.RunAsync(_db.ConnectionString, "governor", "hold", "--repo", "octo-org/web", "--workspace", _workspace);

        AssertOneErrorLine(run, "--reason");
    }

    [Fact]
    public async Task Names_from_payloads_are_printed_without_control_or_bidi_characters()
    {
        var run = await Booty.RunAsync(_db.ConnectionString, "governor", "history", "--repo", "octo-org/web", "--workspace", _workspace);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("octocat\\u202e\\u001b[31m", run.Out);
        Assert.DoesNotContain('\u202e', run.Out);
        Assert.DoesNotContain('\u001b', run.Out);
    }

    private static void AssertOneErrorLine(Booty.Run run, string says)
    {
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Error.TrimEnd('\n', '\r').Split('\n'));
        Assert.StartsWith("error: ", line);
        Assert.Contains(says, line);
        Assert.Contains("--help", line);
    }
}
