using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Health;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Stops;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.Processing.Decisions;
using ReleaseGovernor.Processing.Health;

namespace ReleaseGovernor.Cli.Commands;

/// <summary>
/// <c>booty governor rollback [--to SHA] --reason TEXT</c>: production goes back to the sha given (default
/// production_sha_previous) through the same decision, record and dispatch as an automatic rollback, with the operator
/// as actor. Refused (exit 1) when the target never deployed successfully, or a hold, emergency stop or deploy in
/// flight stands in the way; the message says what to do.
/// </summary>
public static class RollbackCommand
{
    public static Command Create(CommonOptions common, CliContext context)
    {
        var to = new Option<string?>("--to") { Description = "The sha production goes back to (default: production_sha_previous); it must have deployed successfully" };
        var reason = new Option<string>("--reason") { Description = "Why production goes back (recorded, and in the notice on the issue)", Required = true };
        var actorOption = new Option<string?>("--actor") { Description = "Who rolls back, as recorded in the history (default: BOOTY_ACTOR, else the OS user)" };
        var command = new Command("rollback",
            "Roll production back: dispatch the deploy workflow for production_sha_previous (or --to SHA); the rolled-back sha is held (rolled_back) until approved again")
            { to, reason, actorOption };
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var why = parse.GetValue(reason)?.Trim();
            if (string.IsNullOrEmpty(why)) throw new CliException("--reason must say why production goes back (e.g. \"errors after deploy, incident 42\")");
            var target = parse.GetValue(to) is { } givenTo ? ShaArgument.Parse(givenTo, "--to").Value : null;
            var given = parse.GetValue(actorOption);
            if (given is not null && string.IsNullOrWhiteSpace(given))
                throw new CliException("--actor must name someone (or leave it out to use BOOTY_ACTOR, else the OS user)");
            var actor = given?.Trim() ?? DecideCommands.Actor(context);

            await using var scope = await RepoScope.OpenAsync(parse, common, context, ct);
            var (repo, streamId, store) = (scope.Repo, scope.ReleaseStream, scope.Store);
            var installationId = await store.FindInstallationIdAsync(StreamIds.Repo(repo), ct);
            var current = (await store.LoadReleaseStateAsync(streamId, ct))?.ProductionShaCurrent;
            // The deploy workflow is named by the config of what runs in production (the defaults when it cannot be read).
            var config = current is null ? GovernorConfig.Default
                : await GovernorServices.GitHubAsync(() => scope.Services.GetRequiredService<ConfigSource>().LoadAsync(repo, installationId, current, ct))
                    is ConfigLoadResult.Loaded { Config: var c } ? c : GovernorConfig.Default;
            var stop = (await new EmergencyStopStore(store).LoadAsync(ct)).For(repo);

            var metadata = EventMetadata.ForCli(actor);
            var events = await new ReleaseWriter(store).WriteAsync(streamId, async (state, _, token) =>
            {
                var goal = target ?? state.ProductionShaPrevious;
                var record = goal is null ? null : await store.LoadShaAsync(streamId, goal, token);
                var attempt = Math.Max(goal is null ? 0 : state.DispatchCount(goal), record?.Dispatches ?? 0) + 1;
                IReadOnlyList<ReleaseEvent> decided;
                try
                {
                    decided = ReleaseDecider.Decide(state, new ReleaseCommand.RollBack(target, why, actor, new RollbackInput(config, stop, attempt), DateTimeOffset.UtcNow));
                }
                catch (InvalidOperationException e)
                {
                    throw new CliException(e.Message, ExitCodes.Refused);
                }
                return new ReleaseWrite<IReadOnlyList<ReleaseEvent>>(decided, metadata, decided,
                    (session, recorded) => HealthEffects.EnqueueAsync(session, repo, installationId, streamId, state, recorded, token));
            }, ct);
            var rollback = events.OfType<RollbackRequested>().Single();
            var message = $"Rolling back {rollback.Sha}: dispatching {config.DeployWorkflowName} at {config.DeployWorkflowRef} for {rollback.To}. "
                          + $"{rollback.Sha} is held (rolled_back) until approved again: booty governor approve {rollback.Sha}";
            if (parse.GetValue(common.Json))
                Output.Json(context.Out, new { repository = repo.ToString(), environment = scope.Environment, message, from = rollback.Sha, to = rollback.To,
                    events = events.Select(EventTypes.NameOf) });
            else
                context.Out.WriteLine(message);
            return ExitCodes.Ok;
        });
        return command;
    }
}
