using System.CommandLine;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.Cli.Commands;

/// <summary><c>booty governor history</c>: the repository's events (what GitHub said and what the governor did), newest first.</summary>
public static class HistoryCommand
{
    public sealed record Entry(long Sequence, DateTimeOffset Time, string Stream, string Type, string? Sha, string? Actor, string? DeliveryId, string Summary);

    public static Command Create(CommonOptions common, CliContext context)
    {
        var limit = new Option<int>("--limit") { Description = "How many events to show, newest first (1 or more)", DefaultValueFactory = _ => 50 };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
                result.AddError($"--limit must be a whole number of 1 or more, got {result.GetValueOrDefault<int>()}");
        });
        var command = new Command("history", "List the repository's events newest first: time, type, sha, actor, delivery id");
        common.AddTo(command);
        command.Options.Add(limit);
        command.SetAction(async (parse, ct) =>
        {
            await using var scope = await RepoScope.OpenAsync(parse, common, context, ct);
            var (repo, environment) = (scope.Repo, scope.Environment);
            var events = (await scope.Store.ReadStreamAsync(StreamIds.Repo(repo), ct))
                .Concat(await scope.Store.ReadStreamAsync(scope.ReleaseStream, ct))
                .OrderByDescending(e => e.Sequence)
                .Take(parse.GetValue(limit))
                .Select(e => new Entry(e.Sequence, e.Data.At, e.StreamId.StartsWith(StreamIds.ReleasePrefix, StringComparison.Ordinal) ? "release" : "repo",
                    e.Type, EventDescriptions.ShaOf(e.Data), e.Metadata.Actor, e.Metadata.DeliveryId, EventDescriptions.Summarize(e.Data)))
                .ToList();

            if (parse.GetValue(common.Json))
            {
                Output.Json(context.Out, events);
                return ExitCodes.Ok;
            }
            if (events.Count == 0)
            {
                context.Out.WriteLine($"No events yet for {repo} ({environment}).");
                return ExitCodes.Ok;
            }
            Output.Table(context.Out, ["time", "type", "sha", "actor", "delivery", "what"],
                events.Select(e => (IReadOnlyList<string?>)[Output.Show(e.Time), e.Type, e.Sha?[..Math.Min(12, e.Sha.Length)], e.Actor, e.DeliveryId, e.Summary]).ToList());
            return ExitCodes.Ok;
        });
        return command;
    }
}
