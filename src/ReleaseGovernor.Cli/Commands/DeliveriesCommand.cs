using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Processing.Recovery;

namespace ReleaseGovernor.Cli.Commands;

/// <summary>
/// <c>booty governor deliveries</c>: GitHub's delivery log beside what was stored (received, recovered, missing, failed
/// with why); <c>deliveries recover</c> runs a delivery sweep now. Both read the log with the GitHub settings of the
/// environment, as the server does.
/// </summary>
public static class DeliveriesCommand
{
    public static Command Create(CommonOptions common, CliContext context)
    {
        var since = new Option<string>("--since") { Description = "How far back to list: a duration such as 30m, 24h or 3d (GitHub keeps 3 days)", DefaultValueFactory = _ => "24h" };
        var command = new Command("deliveries", "List GitHub's webhook deliveries against what was stored: received, recovered, missing, failed (and why)")
        {
            since,
            Recover(common, context),
        };
        common.AddTo(command, repoScoped: false);
        command.SetAction(async (parse, ct) =>
        {
            var window = ParseDuration(parse.GetValue(since));
            await using var db = await Database.OpenAsync(parse.GetValue(common.Db), context.Environment, ct);
            await using var services = GovernorServices.Build(db, context.Environment);
            var report = await GovernorServices.GitHubAsync(() =>
                services.GetRequiredService<DeliveryReport>().LoadAsync(DateTimeOffset.UtcNow - window, ct));
            if (parse.GetValue(common.Json))
            {
                Output.Json(context.Out, new
                {
                    log = report.Log, since = report.Since, complete = report.Complete, stopped_because = report.StoppedBecause,
                    counts = report.Deliveries.GroupBy(d => d.State).ToDictionary(g => g.Key, g => g.Count()),
                    deliveries = report.Deliveries, last_sweep = report.LastSweep is { } s ? SweepJson(s) : null,
                });
                return ExitCodes.Ok;
            }
            context.Out.WriteLine($"Delivery log of {report.Log} since {Output.Show(report.Since)}: {report.Deliveries.Count} deliveries" +
                                  (report.Deliveries.Count == 0 ? "." : " (" + string.Join(", ", report.Deliveries.GroupBy(d => d.State)
                                      .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}")) + ")."));
            if (report.StoppedBecause is { } stopped) context.Out.WriteLine($"Incomplete: {stopped}.");
            if (report.Deliveries.Count > 0)
                Output.Table(context.Out, ["delivered", "guid", "event", "attempts", "last", "state", "why"],
                    report.Deliveries.Select(d => (IReadOnlyList<string?>)[Output.Show(d.DeliveredAt), d.Guid,
                        d.Action is null ? d.Event : $"{d.Event}.{d.Action}", d.Attempts.ToString(CultureInfo.InvariantCulture),
                        d.LastStatusCode.ToString(CultureInfo.InvariantCulture), d.State, d.Why]).ToList());
            context.Out.WriteLine(report.LastSweep is { } last
                ? $"Last sweep {Output.Show(last.At)} ({last.Trigger}): {Describe(last)}"
                : "No sweep has run yet: booty governor deliveries recover runs one.");
            if (report.Deliveries.Any(d => d.State == DeliveryReport.Missing))
                context.Out.WriteLine("Missing deliveries are recovered by the next sweep, or now with: booty governor deliveries recover");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Recover(CommonOptions common, CliContext context)
    {
        var command = new Command("recover", "Run a delivery sweep now: store every delivery GitHub sent that the server never took");
        common.AddTo(command, repoScoped: false);
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await Database.OpenAsync(parse.GetValue(common.Db), context.Environment, ct);
            await using var services = GovernorServices.Build(db, context.Environment);
            var result = await services.GetRequiredService<DeliverySweep>().SweepAsync("cli", ct);
            switch (result)
            {
                case SweepResult.NotConfigured off:
                    throw new CliException($"No delivery log to read: {off.Reason}");
                case SweepResult.Busy:
                    throw new CliException("A sweep is running on another replica right now; its result shows in: booty governor deliveries", ExitCodes.Refused);
                case SweepResult.Waiting waiting:
                    throw new CliException($"GitHub asked to wait (rate limit) until {Output.Show(waiting.NotBefore)}; run it again after that.", ExitCodes.Refused);
            }
            var record = ((SweepResult.Swept)result).Record;
            if (parse.GetValue(common.Json))
                Output.Json(context.Out, SweepJson(record));
            else
            {
                context.Out.WriteLine($"Swept {record.Log}: {Describe(record)}");
                foreach (var d in record.Deliveries.Where(d => d.Outcome != SweepOutcomes.Recovered && d.Outcome != SweepOutcomes.AlreadyStored))
                    context.Out.WriteLine($"  {d.Guid} {d.Event}: {d.Outcome}{(d.Why is { } why ? $" — {why}" : "")}");
            }
            return record.Failed > 0 ? ExitCodes.Refused : ExitCodes.Ok;
        });
        return command;
    }

    private static object SweepJson(DeliverySweepCompleted s) => new
    {
        at = s.At, trigger = s.Trigger, log = s.Log, checkpoint = s.Checkpoint, previous_checkpoint = s.PreviousCheckpoint, listed = s.Listed,
        guids = s.Guids, received = s.Received, missing = s.Missing, recovered = s.Recovered, already_stored = s.AlreadyStored,
        failed = s.Failed, requests = s.Requests, stopped_because = s.StoppedBecause, not_before = s.NotBefore, deliveries = s.Deliveries,
    };

    private static string Describe(DeliverySweepCompleted s) =>
        $"{s.Guids} deliveries read, {s.Missing} missing, {s.Recovered} recovered, {s.AlreadyStored} already stored, {s.Failed} failed, " +
        $"{s.Requests} GitHub request(s); checkpoint {(s.Checkpoint is { } c ? $"{c.DeliveryId} ({Output.Show(c.DeliveredAt)})" : "none")}" +
        (s.StoppedBecause is { } why ? $"; stopped early: {why}" : "") + ".";

    private static TimeSpan ParseDuration(string? text)
    {
        text = text?.Trim() ?? "";
        if (text.Length >= 2 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            switch (char.ToLowerInvariant(text[^1]))
            {
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
            }
        }
        throw new CliException($"--since {text} is not a duration: use minutes, hours or days, e.g. 30m, 24h or 3d.");
    }
}
