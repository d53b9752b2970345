using System.CommandLine;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Stops;
using ReleaseGovernor.EventStore.Status;
using ReleaseGovernor.EventStore.Stops;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.Cli.Commands;

/// <summary><c>stop</c> and <c>resume</c>: the emergency stop of every repository or of one, in the <c>governor/stops</c> stream.</summary>
public static class StopCommandsCli
{
    public static Command Stop(CommonOptions common, CliContext context)
    {
        var all = AllOption("Stop deploys of every repository");
        var reason = new Option<string>("--reason") { Description = "Why every deploy must wait (shown in every HOLD emergency_stop)", Required = true };
        var actor = ActorOption();
        var command = new Command("stop", "Emergency stop: every decision of the scope (--all or --repo) is HOLD emergency_stop until resumed")
            { all, reason, actor };
        AddOptions(command, common);
        command.SetAction((parse, ct) => RunAsync(parse, common, context, all, actor, ct, (state, scope, who, now) =>
        {
            try
            {
                var events = StopCommands.Stop(state, scope, parse.GetValue(reason) ?? "", who, now);
                return (events, events.Count > 0
                    ? $"Emergency stop of {Describe(scope)} by {who}: every decision is HOLD emergency_stop. Resume with: booty governor resume {Flag(scope)}"
                    : $"{Describe(scope)} is already stopped for that reason.");
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message);
            }
        }));
        return command;
    }

    public static Command Resume(CommonOptions common, CliContext context)
    {
        var all = AllOption("Resume the stop of every repository (a stop of one repository stays)");
        var actor = ActorOption();
        var command = new Command("resume", "Lift the emergency stop of the scope (--all or --repo); held shas are decided again when next verified or re-evaluated")
            { all, actor };
        AddOptions(command, common);
        command.SetAction((parse, ct) => RunAsync(parse, common, context, all, actor, ct, (state, scope, who, now) =>
        {
            var events = StopCommands.Resume(state, scope, who, now);
            return (events, events.Count > 0 ? $"Emergency stop of {Describe(scope)} lifted by {who}." : $"{Describe(scope)} is not stopped.");
        }));
        return command;
    }

    private delegate (IReadOnlyList<ReleaseEvent> Events, string Message) Operation(StopState state, string scope, string actor, DateTimeOffset now);

    private static async Task<int> RunAsync(ParseResult parse, CommonOptions common, CliContext context, Option<bool> allOption,
        Option<string?> actorOption, CancellationToken ct, Operation operation)
    {
        var all = parse.GetValue(allOption);
        var repoText = parse.GetValue(common.Repo);
        if (all == (repoText is not null))
            throw new CliException("name the scope: either --all (every repository) or --repo owner/name, not both");
        RepoRef? repo = null;
        if (repoText is not null)
            repo = RepoRef.TryParse(repoText, out var parsed) ? parsed : throw new CliException($"--repo '{repoText}' is not of the form owner/name");
        var given = parse.GetValue(actorOption);
        if (given is not null && string.IsNullOrWhiteSpace(given))
            throw new CliException("--actor must name someone (or leave it out to use BOOTY_ACTOR, else the OS user)");
        var actor = given?.Trim() ?? DecideCommands.Actor(context);

        await using var db = await Database.OpenAsync(parse.GetValue(common.Db), context.Environment, ct);
        if (repo is not null)
        {
            var known = await ReleaseStatusQuery.KnownRepositoriesAsync(db, ct);
            if (!known.Contains(StopScopes.Of(repo)))
                throw new CliException(ReleaseStatusQuery.UnknownRepositoryMessage(repo, known));
        }
        var scope = repo is null ? StopScopes.All : StopScopes.Of(repo);
        string message = "";
        var events = await new EmergencyStopStore(new MartenEventStore(db)).WriteAsync(state =>
        {
            (var decided, message) = operation(state, scope, actor, DateTimeOffset.UtcNow);
            return decided;
        }, EventMetadata.ForCli(actor), ct);

        if (parse.GetValue(common.Json))
            Output.Json(context.Out, new { scope, message, events = events.Select(EventTypes.NameOf) });
        else
            context.Out.WriteLine(message);
        return ExitCodes.Ok;
    }

    private static void AddOptions(Command command, CommonOptions common)
    {
        command.Options.Add(common.Repo);
        common.AddTo(command, repoScoped: false);
    }

    private static Option<bool> AllOption(string description) => new("--all") { Description = description };

    private static Option<string?> ActorOption() =>
        new("--actor") { Description = "Who does this, as recorded in the history (default: BOOTY_ACTOR, else the OS user)" };

    private static string Describe(string scope) => scope == StopScopes.All ? "every repository" : scope;

    private static string Flag(string scope) => scope == StopScopes.All ? "--all" : $"--repo {scope}";
}
