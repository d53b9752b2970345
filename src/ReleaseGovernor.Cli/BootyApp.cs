using System.CommandLine;
using ReleaseGovernor.Cli.Commands;
using ReleaseGovernor.Core.Text;

namespace ReleaseGovernor.Cli;

/// <summary>The <c>booty</c> command line. Exit 0 ok, 1 HOLD or refused, 2 usage or environment error.</summary>
public static class BootyApp
{
    public static RootCommand Build(CliContext context)
    {
        var common = new CommonOptions();
        var governor = new Command("governor", "Release governor: status, history and control of deploys")
        {
            StatusCommand.Create(common, context),
            HistoryCommand.Create(common, context),
            RebuildCommand.Create(common, context),
            DecideCommands.Simulate(common, context),
            DecideCommands.Trigger(common, context),
            DecideCommands.Reevaluate(common, context),
            DecideCommands.Retry(common, context),
            OperatorCommandsCli.Approve(common, context),
            OperatorCommandsCli.Hold(common, context),
            OperatorCommandsCli.ReleaseHold(common, context),
            StopCommandsCli.Stop(common, context),
            StopCommandsCli.Resume(common, context),
            OverrideCommand.Create(common, context),
            RollbackCommand.Create(common, context),
            DeliveriesCommand.Create(common, context),
            ReplayCommand.Create(common, context),
        };
        return new RootCommand("booty — operator tools for ReleaseGovernor") { governor };
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?> environment,
        CancellationToken ct = default)
    {
        var context = new CliContext(output, error, environment);
        var parse = Build(context).Parse(args);
        if (parse.Errors.Count > 0)
        {
            error.WriteLine($"error: {SafeText.Clean(UsageError.Describe(parse))}");
            return ExitCodes.UsageOrEnvironment;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, ct);
        }
        catch (CliException e)
        {
            error.WriteLine($"error: {SafeText.Clean(e.Message)}");
            return e.ExitCode;
        }
    }
}
