using System.CommandLine;
using ReleaseGovernor.EventStore.Projections;

namespace ReleaseGovernor.Cli.Commands;

/// <summary><c>booty governor rebuild</c>: replay the whole event log into fresh projections and swap them in.</summary>
public static class RebuildCommand
{
    public static Command Create(CommonOptions common, CliContext context)
    {
        var command = new Command("rebuild", "Rebuild every projection from the event log (appends go on meanwhile; nothing is lost)");
        common.AddTo(command, repoScoped: false);
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await Database.OpenAsync(parse.GetValue(common.Db), context.Environment, ct);
            var json = parse.GetValue(common.Json);
            var lastReported = 0L;
            var progress = new Progress<long>(n =>
            {
                if (json || n - lastReported < 50_000) return;
                lastReported = n;
                context.Error.WriteLine($"  replayed {n:N0} events…");
            });
            var result = await new ProjectionRebuilder(db).RebuildAsync(progress, ct);
            if (json)
                Output.Json(context.Out, new { events_replayed = result.EventsReplayed, release_streams = result.ReleaseStreams,
                    highest_sequence = result.HighestSequence, seconds = result.Elapsed.TotalSeconds, events_per_second = result.EventsPerSecond });
            else
                context.Out.WriteLine($"Rebuilt {result.ReleaseStreams} release stream(s) from {result.EventsReplayed:N0} events " +
                                      $"in {result.Elapsed.TotalSeconds:0.00} s ({result.EventsPerSecond:N0} events/s).");
            return ExitCodes.Ok;
        });
        return command;
    }
}
