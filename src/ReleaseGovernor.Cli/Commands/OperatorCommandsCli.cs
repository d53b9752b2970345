using System.CommandLine;
using System.Globalization;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.Processing.Runs;

namespace ReleaseGovernor.Cli.Commands;

/// <summary><c>approve</c>, <c>hold</c> and <c>release-hold</c>: operator facts appended to the release stream, with the actor.</summary>
public static class OperatorCommandsCli
{
    public static Command Approve(CommonOptions common, CliContext context)
    {
        var sha = ShaArgument.Create();
        var actorOption = ActorOption();
        var command = new Command("approve", "Approve a sha as one approver (counts in every approval_mode and toward required_approvals); a held sha is evaluated again")
            { sha, actorOption };
        common.AddTo(command);
        command.SetAction((parse, ct) => AppendAsync(parse, common, context, ct, actorOption, (state, actor, now) =>
        {
            var target = ShaArgument.Read(parse, sha).Value;
            var events = ReleaseDecider.Decide(state, new ReleaseCommand.Approve(target, actor, now));
            return (events, events.Count > 0 ? $"Approved {target} as {actor}." : $"{target} was already approved by {actor}.",
                state.LastDecision is { Outcome: DecisionOutcome.Hold } held && held.Sha == target
                || Core.Health.HealthProjection.RolledBackOf(state, target) is not null ? target : null);
        }));
        return command;
    }

    public static Command Hold(CommonOptions common, CliContext context)
    {
        var reason = new Option<string>("--reason") { Description = "Why deploys are frozen (shown in every HOLD)", Required = true };
        var until = new Option<string?>("--until") { Description = "When the hold ends by itself: an ISO 8601 time (2026-12-01T18:00Z) or a duration (30m, 2h, 1d)" };
        var actorOption = ActorOption();
        var command = new Command("hold", "Freeze deploys of this repository environment (HOLD frozen) until released or --until") { reason, until, actorOption };
        common.AddTo(command);
        command.SetAction((parse, ct) => AppendAsync(parse, common, context, ct, actorOption, (state, actor, now) =>
        {
            var end = ParseUntil(parse.GetValue(until), now);
            try
            {
                var events = ReleaseDecider.Decide(state, new ReleaseCommand.PlaceHold(parse.GetValue(reason) ?? "", actor, end, now));
                return (events, $"Hold placed by {actor}{(end is { } e ? $" until {Output.Show(e)}" : "")}: deploys are frozen. Lift it with: booty governor release-hold", null);
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message);
            }
        }));
        return command;
    }

    public static Command ReleaseHold(CommonOptions common, CliContext context)
    {
        var actorOption = ActorOption();
        var command = new Command("release-hold", "Lift the active hold; a sha held by it is evaluated again") { actorOption };
        common.AddTo(command);
        command.SetAction((parse, ct) => AppendAsync(parse, common, context, ct, actorOption, (state, actor, now) =>
        {
            var events = ReleaseDecider.Decide(state, new ReleaseCommand.LiftHold(actor, now));
            var frozen = state.LastDecision is { Reason: ReasonCodes.Frozen } d && !state.AlreadyDispatched(d.Sha) ? d.Sha : null;
            return (events, events.Count > 0 ? $"Hold lifted by {actor}." : "There is no active hold.", frozen);
        }));
        return command;
    }

    private delegate (IReadOnlyList<ReleaseEvent> Events, string Message, string? Reevaluate) Operation(ReleaseState state, string actor, DateTimeOffset now);

    private static Option<string?> ActorOption() =>
        new("--actor") { Description = "Who does this, as recorded in the history (default: BOOTY_ACTOR, else the OS user)" };

    private static async Task<int> AppendAsync(ParseResult parse, CommonOptions common, CliContext context, CancellationToken ct,
        Option<string?> actorOption, Operation operation)
    {
        var given = parse.GetValue(actorOption);
        if (given is not null && string.IsNullOrWhiteSpace(given))
            throw new CliException("--actor must name someone (or leave it out to use BOOTY_ACTOR, else the OS user)");
        await using var scope = await RepoScope.OpenAsync(parse, common, context, ct);
        var (repo, environment, streamId, store) = (scope.Repo, scope.Environment, scope.ReleaseStream, scope.Store);
        var actor = given?.Trim() ?? DecideCommands.Actor(context);

        var metadata = EventMetadata.ForCli(actor);
        var (events, message, reevaluate) = await new ReleaseWriter(store).WriteAsync(streamId, (state, _, _) =>
        {
            var (events, message, reevaluate) = operation(state, actor, DateTimeOffset.UtcNow);
            return Task.FromResult(new ReleaseWrite<(IReadOnlyList<ReleaseEvent>, string, string?)>(events, metadata, (events, message, reevaluate),
                async (session, _) =>
                {
                    if (events.Count > 0 && reevaluate is not null)
                        await RunClassifier.EnqueueEvaluationAsync(session, repo, null, streamId, reevaluate, $"{EventTypes.NameOf(events[0])} by {actor}", metadata, ct);
                }));
        }, ct);
        if (parse.GetValue(common.Json))
            Output.Json(context.Out, new { repository = repo.ToString(), environment, message, events = events.Select(EventTypes.NameOf), reevaluating = reevaluate });
        else
            context.Out.WriteLine(message + (events.Count > 0 && reevaluate is not null ? $" {reevaluate} will be evaluated again." : ""));
        return ExitCodes.Ok;
    }

    private static DateTimeOffset? ParseUntil(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (text.Length >= 2 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            switch (char.ToLowerInvariant(text[^1]))
            {
                case 'm': return now.AddMinutes(n);
                case 'h': return now.AddHours(n);
                case 'd': return now.AddDays(n);
            }
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new CliException($"--until '{text}' is neither an ISO 8601 time (2026-12-01T18:00Z) nor a duration (30m, 2h, 1d).");
    }
}
