using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Cli;

/// <summary><c>booty governor deliveries</c>: help, bad durations and a missing delivery log are said in one line with what to do.</summary>
public sealed class DeliveriesCommandTests
{
    [Fact]
    public async Task Help_names_since_json_and_recover()
    {
        var help = await Booty.RunAsync(null, "governor", "deliveries", "--help");
        var recoverHelp = await Booty.RunAsync(null, "governor", "deliveries", "recover", "--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--since", help.Out);
        Assert.Contains("--json", help.Out);
        Assert.Contains("recover", help.Out);
        Assert.Equal(0, recoverHelp.ExitCode);
        Assert.Contains("Run a delivery sweep now", recoverHelp.Out);
    }

    [Fact]
    public async Task A_since_that_is_not_a_duration_is_exit_2_saying_what_to_write()
    {
        var run = await Booty.RunAsync(null, "governor", "deliveries", "--since", "yesterday");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --since yesterday is not a duration: use minutes, hours or days, e.g. 30m, 24h or 3d.", run.Error.Trim());
    }

    [Fact]
    public async Task Recover_with_a_token_and_no_hook_id_is_exit_2_naming_the_settings()
    {
        var db = new FreshStore();
        await db.InitializeAsync();
        try
        {
            var env = new Dictionary<string, string?> { ["GitHub__Token"] = "t", ["GitHub__ApiBaseUrl"] = "http://127.0.0.1:9" };

            var run = await Booty.RunWithEnvAsync(db.ConnectionString, env, "governor", "deliveries", "recover");

            Assert.Equal(2, run.ExitCode);
            Assert.StartsWith("error: No delivery log to read: With GitHub__Token the delivery log is a repository webhook's: set GitHub__HookId", run.Error);
            Assert.Contains("GitHub__HookRepository", run.Error);
        }
        finally
        {
            await db.DisposeAsync();
        }
    }
}
