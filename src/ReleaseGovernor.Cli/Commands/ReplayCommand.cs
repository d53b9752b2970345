using System.CommandLine;
using System.Globalization;
using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Freeze;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Replay;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.Cli.Commands;

/// <summary>
/// <c>booty governor replay --config FILE</c>: what a proposed <c>.booty.yml</c> would have done to the recorded decisions
/// (<see cref="DecisionReplay"/>). Prints only the decisions that would change, then the totals. Reads the log; appends
/// nothing. Exit 0 when nothing would change, 1 when something would, 2 for bad input.
/// </summary>
public static class ReplayCommand
{
    public sealed record Output(IReadOnlyList<ReplayChange> Changes, ReplaySummary Summary, DateTimeOffset Since, IReadOnlyList<string> Streams);

    public static Command Create(CommonOptions common, CliContext context)
    {
        var config = new Option<string>("--config") { Description = "The proposed .booty.yml to judge the recorded decisions with", Required = true };
        var repo = new Option<string?>("--repo") { Description = "Only this repository (owner/name); default: every repository in the database" };
        var env = new Option<string?>("--env") { Description = "Only this environment; default: every environment" };
        var since = new Option<string>("--since")
        {
            Description = "How far back: days, hours or minutes (30d, 12h, 90m) or a date (2026-11-01)",
            DefaultValueFactory = _ => "30d",
        };
        var command = new Command("replay",
            "What-if of a config change: decide every recorded decision in range again with the proposed config and list the ones that would change (reads only)")
            { config, repo, env, since };
        command.Options.Add(common.Db);
        command.Options.Add(common.Json);
        command.SetAction(async (parse, ct) =>
        {
            var proposed = LoadProposed(parse.GetValue(config)!, context);
            var from = Since(parse.GetValue(since)!, DateTimeOffset.UtcNow);
            RepoRef? only = null;
            if (parse.GetValue(repo) is { } name && !RepoRef.TryParse(name, out only))
                throw new CliException($"--repo '{name}' is not owner/name, e.g. octo-org/web");
            var environment = parse.GetValue(env)?.Trim().ToLowerInvariant();

            await using var db = await Database.OpenAsync(parse.GetValue(common.Db), context.Environment, ct);
            var store = new MartenEventStore(db);
            var streams = (await store.ListReleaseStreamsAsync(ct))
                .Where(s => Selected(s, only, environment))
                .ToList();
            if (only is not null && streams.Count == 0)
                throw new CliException($"No release stream for {only}{(environment is null ? "" : $" ({environment})")} in the database; check --repo and --env");
            var read = new List<(string, IReadOnlyList<StoredEvent>)>();
            foreach (var s in streams) read.Add((s, await store.ReadStreamAsync(s, ct)));
            var report = DecisionReplay.Run(read, proposed, from);

            if (parse.GetValue(common.Json))
                Cli.Output.Json(context.Out, new Output(report.Changes, report.Summary, from, streams));
            else
                Print(context.Out, report, from);
            return report.Changes.Count == 0 ? ExitCodes.Ok : ExitCodes.Refused;
        });
        return command;
    }

    private static ConfigLoadResult LoadProposed(string path, CliContext context)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot read --config '{path}': {e.Message}. Pass the path of the proposed .booty.yml.");
        }
        var loaded = BootyConfigLoader.LoadEffective(text, context.Environment, Path.GetFileName(path));
        return loaded switch
        {
            ConfigLoadResult.Invalid invalid => throw new CliException(
                $"The proposed config is invalid: {string.Join("; ", invalid.Errors)}. Fix it and replay again."),
            ConfigLoadResult.Disabled { Explicit: false } d => throw new CliException(
                $"The proposed config has no release_governor block ({d.Reason}); replay needs the block to judge with."),
            _ => loaded,
        };
    }

    /// <summary><c>30d</c>, <c>12h</c>, <c>90m</c>, <c>1h30m</c> before now, or a date or instant.</summary>
    public static DateTimeOffset Since(string text, DateTimeOffset now)
    {
        var t = text.Trim();
        if (t.EndsWith('d') && int.TryParse(t[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is > 0 and <= 36_500)
            return now.AddDays(-days);
        if (Durations.TryParse(t, out var duration) && duration > TimeSpan.Zero)
            return now - duration;
        if (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at;
        throw new CliException($"--since '{text}' must be a number of days, hours or minutes (30d, 12h, 90m) or a date (2026-11-01)");
    }

    private static bool Selected(string streamId, RepoRef? repo, string? environment)
    {
        var (r, e) = StreamIds.ParseRelease(streamId);
        return (repo is null || string.Equals(r.ToString(), repo.ToString(), StringComparison.OrdinalIgnoreCase))
               && (environment is null || e == environment);
    }

    private static void Print(TextWriter w, ReplayReport report, DateTimeOffset since)
    {
        var s = report.Summary;
        if (report.Changes.Count > 0)
        {
            Cli.Output.Table(w, ["time", "repository", "env", "sha", "was", "would be", "paths"],
                report.Changes.Select(c => (IReadOnlyList<string?>)
                [
                    Cli.Output.Show(c.At), c.Repository, c.Environment, c.Sha[..Math.Min(12, c.Sha.Length)],
                    $"{Verdict(c.WasOutcome)} {c.WasReason}", $"{Verdict(c.WouldOutcome)} {c.WouldReason}", Paths(c),
                ]).ToList());
            Note(w, report.Changes.Where(c => c.ApprovalsNotGathered),
                "approvals were not asked for then (the risk needed none); an approval given since may count");
            Note(w, report.Changes.Where(c => c.PathsIncomplete), $"only the first {DecisionSeen.PathLimit} paths of the diff were recorded");
            w.WriteLine();
        }
        w.WriteLine($"{s.Replayed} decision(s) since {Cli.Output.Show(since)} replayed with config {s.ProposedFingerprint ?? "(disabled)"}: " +
                    (s.Changed == 0 ? "no decision would change." : $"{s.Changed} would change."));
        w.WriteLine($"  allowed → held: {s.AllowedToHeld}   held → allowed: {s.HeldToAllowed}   reason changed: {s.ReasonChanged}   → skipped: {s.ToSkipped}");
        if (s.NotRecorded > 0)
            w.WriteLine($"  {s.NotRecorded} decision(s) stored before decisions recorded what they saw were not replayed.");
    }

    private static void Note(TextWriter w, IEnumerable<ReplayChange> changes, string note)
    {
        var shas = changes.Select(c => c.Sha[..Math.Min(12, c.Sha.Length)]).ToList();
        if (shas.Count > 0) w.WriteLine($"note: {string.Join(", ", shas)}: {note}");
    }

    private static string Verdict(DecisionOutcome o) => o.ToString().ToUpperInvariant();

    private static string Paths(ReplayChange c) =>
        string.Join(", ", c.NowMatching.Select(e => $"{e.Path} ({e.Pattern})")
            .Concat(c.NoLongerMatching.Select(e => $"{e.Path} (no longer {e.Pattern})")));
}
