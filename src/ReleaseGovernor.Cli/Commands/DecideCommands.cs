using ReleaseGovernor.Core.Commits;
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.Processing.Decisions;
using ReleaseGovernor.Processing.Effects;
using ReleaseGovernor.Processing.Outbox;

namespace ReleaseGovernor.Cli.Commands;

/// <summary>
/// <c>simulate</c> (the decision, nothing recorded), <c>trigger</c> (decide, record, and dispatch now when ALLOW)
/// and <c>reevaluate</c> (decide again and record; the server performs the effects).
/// </summary>
public static class DecideCommands
{
    public static Command Simulate(CommonOptions common, CliContext context)
    {
        var sha = ShaArgument.Create();
        var showPaths = new Option<bool>("--show-paths") { Description = "List each changed path that drove the risk class and the pattern it matched" };
        var at = new Option<string?>("--at") { Description = "Decide as at this instant, an ISO 8601 time with its offset (2026-12-25T10:00:00+01:00): freeze windows, rate limit and cooldown are judged then" };
        var command = new Command("simulate", "Show the decision for a sha without side effects: no events, no GitHub writes") { sha, showPaths, at };
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var instant = ParseAt(parse.GetValue(at));
            await using var scope = await RepoScope.OpenAsync(parse, common, context, ct);
            var evaluation = await GovernorServices.GitHubAsync(() =>
                scope.Services.GetRequiredService<ReleaseEvaluator>().SimulateAsync(scope.Repo, null, ShaArgument.Read(parse, sha), ct, instant));
            return DecisionOutput.Print(context, DecisionOutput.Of(evaluation, parse.GetValue(showPaths)), parse.GetValue(common.Json));
        });
        return command;
    }

    private static DateTimeOffset? ParseAt(string? text) =>
        text is null ? null
        : System.Text.RegularExpressions.Regex.IsMatch(text.Trim(), @"(Z|[+-]\d{2}:\d{2})$")
          && DateTimeOffset.TryParse(text.Trim(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var instant)
            ? instant
            : throw new CliException($"--at '{text}' is not an ISO 8601 time with its offset, e.g. 2026-12-25T10:00:00+01:00 or 2026-12-25T09:00:00Z");

    public static Command Trigger(CommonOptions common, CliContext context) =>
        Deciding("trigger", "Decide for a verified sha and, when ALLOW, dispatch the deploy workflow now; exit 1 with the reason on HOLD",
            dispatchNow: true, common, context);

    public static Command Reevaluate(CommonOptions common, CliContext context) =>
        Deciding("reevaluate", "Decide again for a held sha and record it (the server dispatches on ALLOW)",
            dispatchNow: false, common, context);

    public static Command Retry(CommonOptions common, CliContext context) =>
        Deciding("retry", "Deploy a sha whose last deploy failed (or was cancelled) again, once cooldown_minutes have passed; exit 1 with the reason otherwise",
            dispatchNow: true, common, context, mustBeRetryable: true);

    /// <summary>Decides and records; on ALLOW either runs the dispatch here (trigger) or leaves it to the server (reevaluate).</summary>
    private static Command Deciding(string name, string description, bool dispatchNow, CommonOptions common, CliContext context,
        bool mustBeRetryable = false)
    {
        var sha = ShaArgument.Create();
        var command = new Command(name, description) { sha };
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            await using var scope = await RepoScope.OpenAsync(parse, common, context, ct);
            var commit = ShaArgument.Read(parse, sha);
            var target = commit.Value;
            if (mustBeRetryable && await scope.Store.LoadReleaseStateAsync(scope.ReleaseStream, ct) is var state
                && (state is null || state.DispatchCount(target) == 0 || state.AlreadyDispatched(target)))
                throw new CliException(state is not null && state.AlreadyDispatched(target)
                    ? $"{target} is in flight or deployed; retry only deploys a sha whose last deploy failed or was cancelled"
                    : $"{target} was never dispatched in {scope.ReleaseStream}; use 'booty governor trigger {target}' for a first deploy",
                    ExitCodes.Refused);
            var evaluation = await EvaluateAsync(scope, commit, ct);
            string? dispatch = null;
            if (evaluation.Recorded.Select(e => e.Data).OfType<ProtectionRuleAnswerRequested>().LastOrDefault(a => a.IsApproval) is { } answer)
                dispatch = $"no dispatch (trigger_mode: protection_rule): the server's worker approves run {answer.RunId} at '{answer.Environment}'";
            else if (evaluation.Decision.Outcome == DecisionOutcome.Allow)
                dispatch = dispatchNow
                    ? await DispatchNowAsync(scope.Services, StreamIds.Release(scope.Repo, evaluation.Environment), target,
                        evaluation.Recorded.Select(e => e.Data).OfType<DeployDispatchRequested>().LastOrDefault()?.Attempt, ct)
                    : "queued: the server's worker sends it";
            return DecisionOutput.Print(context, DecisionOutput.Of(evaluation, showPaths: false, dispatch), parse.GetValue(common.Json));
        });
        return command;
    }

    /// <summary>Runs the dispatch the decision enqueued, here and now, through the same code the server uses.</summary>
    private static async Task<string> DispatchNowAsync(ServiceProvider services, string streamId, string sha, int? attempt, CancellationToken ct)
    {
        var outbox = services.GetRequiredService<OutboxStore>();
        var owner = $"cli:{Environment.MachineName}:{Environment.ProcessId}";
        var item = await outbox.ClaimByKeyAsync(EffectKinds.DispatchKey(streamId, sha, attempt), owner, TimeSpan.FromMinutes(2), ct);
        if (item is null) return "queued: another worker holds it";
        await services.GetRequiredService<OutboxProcessor>().RunAsync(item, owner, ct);
        var state = await services.GetRequiredService<IEventStore>().LoadReleaseStateAsync(streamId, ct) ?? ReleaseState.Initial;
        return state.InFlight is { } f && f.Sha == sha
            ? $"dispatched{(f.HtmlUrl is { } url ? $": {url}" : f.RunId is { } id ? $": run {id}" : "")}"
            : state.DeployHistory.FirstOrDefault(h => h.Sha == sha) is { Result: "dispatch_failed" }
                ? "failed: see booty governor history"
                : "queued: GitHub did not answer yet; the server's worker retries it";
    }

    private static Task<Evaluation> EvaluateAsync(RepoScope scope, Sha sha, CancellationToken ct) =>
        GovernorServices.GitHubAsync(() => scope.Services.GetRequiredService<ReleaseEvaluator>()
            .EvaluateAsync(scope.Repo, null, sha, [], EventMetadata.ForCli(Actor(scope.Context)), null, ct,
                target: new EvaluationTarget(scope.Environment, Always: false)));

    public static string Actor(CliContext context) =>
        context.Environment.GetValueOrDefault("BOOTY_ACTOR") ?? context.Environment.GetValueOrDefault("USER") ?? Environment.UserName;
}
