using ReleaseGovernor.Core.Commits;
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Freeze;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.GitHub.Api;
using ReleaseGovernor.Processing.Decisions;
using ReleaseGovernor.Processing.Runs;

namespace ReleaseGovernor.Cli.Commands;

/// <summary>
/// <c>booty governor override &lt;sha&gt;</c>: a break-glass grant that lets one deploy of the sha through the soft rules.
/// The command first decides the sha as if the grant were recorded: when a rule no override bypasses would still hold it,
/// nothing is recorded and it says which (exit 2). Otherwise it records the grant and the server decides the sha again.
/// </summary>
public static class OverrideCommand
{
    public static readonly IReadOnlyList<string> Bypassable = [ReasonCodes.FreezeWindow, ReasonCodes.RateLimit, ReasonCodes.Cooldown];
    private static readonly TimeSpan DefaultExpiry = TimeSpan.FromHours(2);

    public static Command Create(CommonOptions common, CliContext context)
    {
        var sha = ShaArgument.Create();
        var reason = new Option<string>("--reason") { Description = "Why this sha must ship now (recorded and shown in the commit status)", Required = true };
        var expires = new Option<string?>("--expires") { Description = "How long the override may be used: a duration in hours and minutes (default 2h)" };
        var includeApproval = new Option<bool>("--include-approval") { Description = "Also stand in for the approval of a HIGH-risk sha (not by the change's author)" };
        var actorOption = new Option<string?>("--actor") { Description = "Who overrides, as recorded in the history (default: BOOTY_ACTOR, else the OS user)" };
        var command = new Command("override",
            "Break glass: one deploy of the sha may bypass freeze_window, rate_limit and cooldown (and with --include-approval the HIGH-risk approval); never verification_failed, emergency_stop, config_invalid, deploy_in_progress or an operator hold")
            { sha, reason, expires, includeApproval, actorOption };
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var why = parse.GetValue(reason)?.Trim();
            if (string.IsNullOrEmpty(why)) throw new CliException("--reason must say why the sha must ship now (e.g. \"hotfix for incident 42\")");
            var expiry = DefaultExpiry;
            if (parse.GetValue(expires) is { } text && (!Durations.TryParse(text, out expiry) || expiry <= TimeSpan.Zero))
                throw new CliException($"--expires '{text}' {Durations.Expectation}");
            var given = parse.GetValue(actorOption);
            if (given is not null && string.IsNullOrWhiteSpace(given))
                throw new CliException("--actor must name someone (or leave it out to use BOOTY_ACTOR, else the OS user)");
            var actor = given?.Trim() ?? DecideCommands.Actor(context);

            await using var scope = await RepoScope.OpenAsync(parse, common, context, ct);
            var commit = ShaArgument.Read(parse, sha);
            var target = commit.Value;
            var now = DateTimeOffset.UtcNow;
            var grant = (OverrideGranted)ReleaseDecider.Decide(ReleaseState.Initial,
                new ReleaseCommand.GrantOverride(target, why, actor, now + expiry, parse.GetValue(includeApproval), now)).Single();
            if (grant.IncludeApproval && await AuthorsAsync(scope, target, ct) is var authors
                && authors.Contains(actor, StringComparer.OrdinalIgnoreCase))
                throw new CliException($"{actor} is an author of {target} (pushed it or wrote its pull request): the approval of a HIGH-risk change must come from someone else; override without --include-approval, or ask another operator");

            var evaluator = scope.Services.GetRequiredService<ReleaseEvaluator>();
            var without = await GovernorServices.GitHubAsync(() => evaluator.SimulateAsync(scope.Repo, null, commit, ct));
            if (without.Decision.Outcome == DecisionOutcome.Allow)
                throw new CliException($"nothing to override: {target} is allowed without one ({without.Decision.Reason}); run 'booty governor trigger {target}'", ExitCodes.Refused);
            var with = await GovernorServices.GitHubAsync(() => evaluator.SimulateAsync(scope.Repo, null, commit, ct, assuming: [grant]));
            if (with.Decision.Outcome != DecisionOutcome.Allow)
                throw new CliException(
                    $"override refused: {target} would still be held by {with.Decision.Reason}{(with.Decision.Unblock is { } u ? $" ({u})" : "")}. "
                    + $"An override bypasses only {string.Join(", ", Bypassable)} (and with --include-approval the approval of HIGH risk); "
                    + "never verification_failed, emergency_stop, config_invalid, deploy_in_progress or an operator hold. Nothing was recorded");

            var streamId = StreamIds.Release(scope.Repo, with.Environment);
            var metadata = EventMetadata.ForCli(actor);
            await new ReleaseWriter(scope.Store).WriteAsync(streamId, (state, _, _) => Task.FromResult(new ReleaseWrite<bool>(
                ReleaseDecider.Decide(state, new ReleaseCommand.GrantOverride(target, why, actor, grant.Until!.Value, grant.IncludeApproval, now)), metadata, true,
                async (session, _) => await RunClassifier.EnqueueEvaluationAsync(session, scope.Repo, null, streamId, target,
                    $"override by {actor}", metadata, ct))), ct);

            var message = $"Override granted by {actor} until {Output.Show(grant.Until!.Value)}: one deploy of {target} may bypass {without.Decision.Reason}. "
                          + $"{target} will be evaluated again; its commit status will read: {CommitStatusText.Override(actor, why)}";
            if (parse.GetValue(common.Json))
                Output.Json(context.Out, new
                {
                    repository = scope.Repo.ToString(), environment = with.Environment, sha = target, actor, reason = why,
                    until = grant.Until, include_approval = grant.IncludeApproval, bypasses = without.Decision.Reason, message,
                });
            else
                context.Out.WriteLine(message);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Who pushed the sha to the default branch (as received) and who wrote its pull requests (as GitHub answers).</summary>
    private static async Task<IReadOnlyList<string>> AuthorsAsync(RepoScope scope, string sha, CancellationToken ct)
    {
        var pushes = await scope.Store.ReadStreamAsync(StreamIds.Repo(scope.Repo), [EventTypes.NameOf(typeof(MainAdvanced))], "after", sha, ct);
        var pulls = await GovernorServices.GitHubAsync(() =>
            scope.Services.GetRequiredService<GitHubClient>().ListPullRequestsForCommitAsync(scope.Repo, null, sha, ct));
        return
        [
            .. pushes.Select(e => e.Data).OfType<MainAdvanced>().Select(m => m.Pusher).OfType<string>(),
            .. pulls.Select(p => p.User?.Login).OfType<string>(),
        ];
    }
}
