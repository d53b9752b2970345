using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Processing.Decisions;

namespace ReleaseGovernor.Cli.Commands;

/// <summary>How simulate, trigger and reevaluate print a decision: decision, sha, risk_class, reason, unblock (and paths).</summary>
public static class DecisionOutput
{
    public sealed record Paths(string Path, string Pattern, string RiskClass);

    public sealed record View(string Repository, string Environment, string Decision, string Sha, string? RiskClass, string Reason,
        string? Unblock, IReadOnlyList<Paths>? Paths, string? Dispatch, string? JudgedBy = null, string? OnDefaultBranchBy = null);

    public static View Of(Evaluation e, bool showPaths, string? dispatch = null) => new(
        e.Repo.ToString(), e.Environment, Output.Show(e.Decision.Outcome).ToUpperInvariant(), e.Sha,
        e.Decision.Risk is { } r ? Output.Show(r).ToUpperInvariant() : null, e.Decision.Reason, e.Decision.Unblock,
        showPaths ? e.Input.Risk.Evidence.Select(p => new Paths(p.Path, p.Pattern, Output.Show(p.Class).ToUpperInvariant())).ToList() : null,
        dispatch, e.Input.JudgedBy, e.Input.DefaultBranch is { } b ? (b.OnBranch ? $"{b.Branch} ({b.How})" : $"not on {b.Branch} ({b.How})") : null);

    public static int Print(CliContext context, View view, bool json)
    {
        if (json)
            Output.Json(context.Out, view);
        else
        {
            Output.KeyValues(context.Out,
            [
                ("decision", view.Decision),
                ("sha", view.Sha),
                ("risk_class", view.RiskClass),
                ("reason", view.Reason),
                ("unblock", view.Unblock),
                .. view.JudgedBy is null ? Array.Empty<(string, object?)>() : [("judged_by", view.JudgedBy)],
                .. view.OnDefaultBranchBy is null ? Array.Empty<(string, object?)>() : [("default_branch", view.OnDefaultBranchBy)],
                .. view.Dispatch is null ? Array.Empty<(string, object?)>() : [("dispatch", view.Dispatch)],
            ]);
            if (view.Paths is { } paths)
            {
                context.Out.WriteLine();
                if (paths.Count == 0) context.Out.WriteLine("  no changed path matched a risk pattern");
                else Output.Table(context.Out, ["path", "pattern", "risk"], paths.Select(p => (IReadOnlyList<string?>)[p.Path, p.Pattern, p.RiskClass]).ToList());
            }
        }
        return view.Decision == Output.Show(DecisionOutcome.Allow).ToUpperInvariant() ? ExitCodes.Ok : ExitCodes.Refused;
    }
}
