using System.CommandLine;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Text;
using ReleaseGovernor.EventStore.Status;

namespace ReleaseGovernor.Cli.Commands;

/// <summary><c>booty governor status</c>: the release-state projection of one repository environment.</summary>
public static class StatusCommand
{
    public static Command Create(CommonOptions common, CliContext context)
    {
        var command = new Command("status", "Show the release state: production sha, last deploy, last decision, in-flight deploy, holds");
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            await using var scope = await RepoScope.OpenAsync(parse, common, context, ct);
            var config = scope.Config;
            var fallback = new EnabledFallback(config.Enabled, config.Describe(), config.Path);
            var status = await ReleaseStatusQuery.LoadAsync(scope.Db, scope.Repo, scope.Environment, fallback, ct) switch
            {
                StatusLookup.Found found => found.Status,
                StatusLookup.UnknownRepository unknown => throw new CliException(unknown.Message),
                _ => throw new InvalidOperationException("unreachable"),
            };

            if (parse.GetValue(common.Json))
            {
                Output.Json(context.Out, status);
                return ExitCodes.Ok;
            }
            var enabled = status.Enabled switch { true => "enabled", false => "disabled", null => "unknown" };
            context.Out.WriteLine(SafeText.Clean($"Release governor: {status.Repository} ({status.Environment}) — {enabled}, from {status.EnabledFrom}"));
            Output.KeyValues(context.Out,
            [
                ("production_sha_current", status.ProductionShaCurrent),
                ("production_sha_previous", status.ProductionShaPrevious),
                ("last_deploy_attempt_sha", status.LastDeployAttemptSha),
                ("last_deploy_time", status.LastDeployTime),
                ("last_deploy_result", status.LastDeployResult),
                ("health", HealthLine(status)),
                ("last_health_check", status.LastHealthCheck),
                ("last_decision", status.LastDecision is { } d ? $"{Output.Show(d.Outcome).ToUpperInvariant()} {d.Reason} {d.Sha} at {Output.Show(d.At)}" : null),
                ("unblock", status.LastDecision?.Unblock),
                ("judged_by", status.LastDecision?.JudgedBy),
                ("in_flight", status.InFlight is { } f ? $"{f.Sha}{(f.RunId is { } id ? $" run {id}" : "")} since {Output.Show(f.RequestedAt)}" : null),
                ("waiting_sha", status.WaitingSha),
                ("emergency_stop", status.EmergencyStop is { } stop
                    ? $"{stop.Reason} by {stop.Actor} since {Output.Show(stop.At)} ({(stop.IsAll ? "every repository" : stop.Scope)}); resume with: booty governor resume {(stop.IsAll ? "--all" : $"--repo {stop.Scope}")}"
                    : null),
                ("frozen_shas", status.FrozenShas.Count == 0 ? null : string.Join(", ", status.FrozenShas)),
                ("hold", status.Hold is { } h ? $"{h.Reason} by {h.Actor}{(h.Until is { } u ? $" until {Output.Show(u)}" : "")}" : null),
                ("rolled_back", status.RolledBack.Count == 0 ? null
                    : string.Join(", ", status.RolledBack.Select(r => $"{r.Sha} (to {r.To} by {r.Actor} at {Output.Show(r.At)}; held until approved again)"))),
                ("deploys_recorded", status.DeployHistory.Count),
                ("protection_requests_pending", status.ProtectionRequests.Count == 0 ? null : status.ProtectionRequests.Count),
            ]);
            if (status.ProtectionRequests.Count > 0)
            {
                context.Out.WriteLine();
                context.Out.WriteLine("Deployment protection rule requests waiting for an answer:");
                Output.Table(context.Out, ["since", "run", "environment", "sha", "answer"],
                    status.ProtectionRequests.Select(p => (IReadOnlyList<string?>)[Output.Show(p.RequestedAt), p.RunId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        p.Environment, p.Sha, p.Answer is { } a ? $"{a} ({p.Reason}), sending" : status.LastDecision is { } d && d.Sha == p.Sha
                            ? $"pending: {Output.Show(d.Outcome).ToUpperInvariant()} {d.Reason}" : "pending: waiting for verification"]).ToList());
            }
            if (status.DeployHistory.Count > 0)
            {
                context.Out.WriteLine();
                Output.Table(context.Out, ["time", "sha", "result", "run"],
                    status.DeployHistory.Select(h => (IReadOnlyList<string?>)[Output.Show(h.At), h.Sha, h.Result, h.HtmlUrl ?? h.RunId?.ToString()]).ToList());
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>"degraded since … after the deploy of …: last failure …", "healthy (probe 2 of 3 …)", or "unknown (why)".</summary>
    private static string HealthLine(ReleaseStatus status)
    {
        var h = status.HealthWatch;
        var watching = h.Watching ? $", watching {h.Sha}: next probe {h.NextProbe}" : "";
        return status.Health switch
        {
            "degraded" => $"degraded since {Output.Show(h.DegradedSince)} after the deploy of {h.Sha}{(h.Failing.Count > 0 ? $"; last failure: {h.Failing[^1]}" : "")}{watching}",
            "healthy" => $"healthy ({h.ConsecutivePasses} consecutive healthy probe(s) of {h.Sha}{watching})",
            _ => h.Refused is { } refused ? $"unknown: the probe was refused ({refused})"
                : h.Sha is null ? "unknown (no health_check watch yet)" : $"unknown{watching}",
        };
    }
}
