using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Risk;

namespace ReleaseGovernor.Tests.Releases;

/// <summary>Given a release history, when a verified sha is decided, then this verdict.</summary>
internal sealed class DeciderSpec(ReleaseState state)
{
    public static DeciderSpec Given(params ReleaseEvent[] history) =>
        new(history.Aggregate(ReleaseState.Initial, ReleaseProjection.Apply));

    public static DeciderSpec Given(ReleaseState state) => new(state);

    public ReleaseState State => state;

    public DecisionResult When(DecisionInput input) => Decider.Decide(state, input);
}

/// <summary>The fixed clock, shas and builders the decider tests share.</summary>
internal static class Fixture
{
    public static readonly DateTimeOffset Now = new(2025, 6, 2, 12, 0, 0, TimeSpan.Zero);
    public const string Sha = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
    public const string Production = "0f0e0d0c0b0a09080706050403020100ffeeddcc";
    public const string Other = "9999999999999999999999999999999999999999";

    public static ConfigLoadResult Loaded(GovernorConfig? config = null) => new ConfigLoadResult.Loaded(config ?? GovernorConfig.Default);

    public static RiskAssessment RiskOf(RiskClass risk) => risk switch
    {
        RiskClass.High => new RiskAssessment(risk, [new RiskEvidence(".github/workflows/deploy.yml", ".github/workflows/**", risk)], false),
        RiskClass.Medium => new RiskAssessment(risk, [new RiskEvidence("package.json", "package.json", risk)], false),
        _ => new RiskAssessment(risk, [], false),
    };

    public static DecisionInput Input(
        RiskClass risk = RiskClass.Low,
        GovernorConfig? config = null,
        ConfigLoadResult? load = null,
        string conclusion = "success",
        CompareStatus? compare = CompareStatus.Ahead,
        bool? degraded = null,
        string sha = Sha,
        DateTimeOffset? now = null,
        IReadOnlyList<ApprovalSignal>? approvals = null,
        DefaultBranchCheck? branch = null) =>
        new(sha, conclusion, load ?? Loaded(config), compare, RiskOf(risk), approvals ?? [], degraded, now ?? Now,
            branch ?? OnMain);

    /// <summary>The sha was pushed to main (what a verified commit normally is).</summary>
    public static readonly DefaultBranchCheck OnMain = new(true, "main", "push");

    /// <summary>The history of a sha that reached production <paramref name="at"/>.</summary>
    public static ReleaseEvent[] Deployed(string sha, DateTimeOffset at) =>
    [
        Dispatch(sha, at),
        new DeploySucceeded(sha, 1, null) { At = at.AddMinutes(5) },
    ];

    /// <summary>Production at <see cref="Production"/>, deployed long enough ago to be outside every window.</summary>
    public static ReleaseEvent[] InProduction => Deployed(Production, Now.AddDays(-1));

    /// <summary>Finished deploys of distinct shas, one dispatched each given number of minutes before <see cref="Now"/>.</summary>
    public static ReleaseEvent[] DeploysMinutesAgo(params int[] minutes) =>
        [.. minutes.SelectMany(m => Deployed($"{m:x40}", Now.AddMinutes(-m)))];

    public static DeployDispatchRequested Dispatch(string sha, DateTimeOffset at) =>
        new(sha, "deploy.yml", "main", new Dictionary<string, string> { ["sha"] = sha }) { At = at };

    public static HoldPlaced Hold(DateTimeOffset? until, string reason = "incident 42") => new(reason, "oncall", until) { At = Now.AddHours(-1) };

    public static DeployDecided Decided(DecisionResult result) =>
        Assert.IsType<DeployDecided>(result.Events[0]);

    /// <summary>Asserts a HOLD with <paramref name="reason"/> and its one recorded decision; returns the unblock hint.</summary>
    public static string Held(DecisionResult result, string reason)
    {
        Assert.Equal(new { Outcome = DecisionOutcome.Hold, Reason = reason }, new { result.Decision.Outcome, result.Decision.Reason });
        var decided = Assert.IsType<DeployDecided>(Assert.Single(result.Events));
        Assert.Equal((DecisionOutcome.Hold, reason), (decided.Outcome, decided.Reason));
        Assert.False(string.IsNullOrWhiteSpace(decided.Unblock));
        return decided.Unblock!;
    }

    /// <summary>Asserts an ALLOW with <paramref name="reason"/>: the decision, then the dispatch.</summary>
    public static DeployDispatchRequested Allowed(DecisionResult result, string reason)
    {
        Assert.Equal(new { Outcome = DecisionOutcome.Allow, Reason = reason }, new { result.Decision.Outcome, result.Decision.Reason });
        Assert.Equal(2, result.Events.Count);
        var decided = Assert.IsType<DeployDecided>(result.Events[0]);
        Assert.Equal((DecisionOutcome.Allow, reason), (decided.Outcome, decided.Reason));
        return Assert.IsType<DeployDispatchRequested>(result.Events[1]);
    }

    public static void Skipped(DecisionResult result, string reason)
    {
        Assert.Empty(result.Events);
        Assert.Equal((DecisionOutcome.Skip, reason), (result.Decision.Outcome, result.Decision.Reason));
    }
}
