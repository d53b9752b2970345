using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Replay;
using ReleaseGovernor.Core.Risk;
using ReleaseGovernor.Testing.Replay;

namespace ReleaseGovernor.Tests.Replay;

/// <summary>What a config change would have done to a recorded month of decisions.</summary>
public class DecisionReplayTests
{
    private const string Stream = "release/octo-org/web/production";
    private const string Today = "release_governor:\n  enabled: true\n  approval_mode: label\n";
    private const string WithInfraHighRisk = Today + "  high_risk_paths:\n    - .github/workflows/**\n    - \"**/migrations/**\"\n    - infra/**\n";
    private static readonly DateTimeOffset Start = new(2026, 10, 1, 9, 0, 0, TimeSpan.Zero);

    private static ReplayReport Replay(RecordedMonth month, string yaml, DateTimeOffset? since = null) =>
        DecisionReplay.Run([(month.StreamId, month.Stored())], BootyConfigLoader.Load(yaml), since ?? Start);

    [Fact]
    public void Every_decision_of_the_month_was_allowed_and_records_what_it_saw()
    {
        var month = new RecordedMonth(Today, Start, Stream);

        var decided = month.Events.OfType<DeployDecided>().ToList();

        Assert.Equal(RecordedMonth.Days, decided.Count);
        Assert.All(decided, d => Assert.Equal(DecisionOutcome.Allow, d.Outcome));
        var infra = decided.Single(d => d.Sha == month.InfraShas[0]);
        Assert.Equal([RecordedMonth.InfraPath, "src/day5.cs"], infra.Seen!.ChangedPaths);
        Assert.Equal(infra.At, infra.Seen.Clock);
        Assert.False(infra.Seen.PathsTruncated);
    }

    [Fact]
    public void The_same_config_changes_nothing()
    {
        var report = Replay(new RecordedMonth(Today, Start, Stream), Today);

        Assert.Empty(report.Changes);
        Assert.Equal(new ReplaySummary(RecordedMonth.Days, 0, 0, 0, 0, 0, 0, ((ConfigLoadResult.Loaded)BootyConfigLoader.Load(Today)).Config.Fingerprint()),
            report.Summary);
    }

    [Fact]
    public void A_new_high_risk_path_flips_exactly_the_decisions_touching_it_to_hold_naming_the_path()
    {
        var month = new RecordedMonth(Today, Start, Stream);

        var report = Replay(month, WithInfraHighRisk);

        Assert.Equal(month.InfraShas.Reverse(), report.Changes.Select(c => c.Sha));
        Assert.All(report.Changes, c =>
        {
            Assert.Equal((DecisionOutcome.Allow, ReasonCodes.AllowLow), (c.WasOutcome, c.WasReason));
            Assert.Equal((DecisionOutcome.Hold, ReasonCodes.HighRiskNoApproval, RiskClass.High), (c.WouldOutcome, c.WouldReason, c.WouldRisk));
            Assert.Equal(new RiskEvidence(RecordedMonth.InfraPath, "infra/**", RiskClass.High), Assert.Single(c.NowMatching));
            Assert.True(c.ApprovalsNotGathered);
        });
        Assert.Equal((RecordedMonth.Days, 6, 6, 0, 0), (report.Summary.Replayed, report.Summary.Changed, report.Summary.AllowedToHeld,
            report.Summary.HeldToAllowed, report.Summary.ReasonChanged));
    }

    [Fact]
    public void Removing_the_high_risk_path_again_flips_the_held_decisions_back_to_allow()
    {
        var month = new RecordedMonth(WithInfraHighRisk, Start, Stream);

        var report = Replay(month, Today);

        Assert.Equal(month.InfraShas.Count, report.Summary.HeldToAllowed);
        Assert.All(report.Changes, c => Assert.Equal(RecordedMonth.InfraPath, Assert.Single(c.NoLongerMatching).Path));
    }

    [Fact]
    public void Only_decisions_since_the_start_of_the_range_are_replayed()
    {
        var report = Replay(new RecordedMonth(Today, Start, Stream), WithInfraHighRisk, since: Start.AddDays(21));

        Assert.Equal(10, report.Summary.Replayed);
        Assert.Equal(2, report.Summary.AllowedToHeld);
    }

    [Fact]
    public void A_decision_stored_before_what_it_saw_was_recorded_is_counted_and_not_replayed()
    {
        var month = new RecordedMonth(Today, Start, Stream);
        var old = month.Stored().Select(e => e.Data is DeployDecided d ? e with { Data = d with { Seen = null } } : e).ToList();

        var report = DecisionReplay.Run([(Stream, old)], BootyConfigLoader.Load(WithInfraHighRisk), Start);

        Assert.Empty(report.Changes);
        Assert.Equal((0, RecordedMonth.Days), (report.Summary.Replayed, report.Summary.NotRecorded));
    }

    [Fact]
    public void A_decision_event_stored_without_seen_still_reads()
    {
        const string old = """{"sha":"abc","outcome":"allow","reason":"allow_low","unblock":null,"risk":"low","evidence":[],"config_fingerprint":"f","approvals_seen":[],"at":"2026-01-01T00:00:00+00:00"}""";

        var decided = Assert.IsType<DeployDecided>(EventJson.Deserialize("deploy_decided", old));

        Assert.Null(decided.Seen);
        Assert.Equal(ReasonCodes.AllowLow, decided.Reason);
    }

    [Fact]
    public void What_a_decision_saw_survives_the_stored_json()
    {
        var decided = new RecordedMonth(Today, Start, Stream).Events.OfType<DeployDecided>().First();

        var read = Assert.IsType<DeployDecided>(EventJson.Deserialize("deploy_decided", EventJson.Serialize(decided)));

        Assert.Equal(decided.Seen!.ChangedPaths, read.Seen!.ChangedPaths);
        Assert.Equal(decided.Seen.DefaultBranch, read.Seen.DefaultBranch);
        Assert.Equal(decided.Seen.Clock, read.Seen.Clock);
    }

    [Fact]
    public void A_diff_of_more_than_the_limit_keeps_the_first_paths_and_says_it_is_truncated()
    {
        IReadOnlyList<string> paths = [.. Enumerable.Range(0, DecisionSeen.PathLimit + 5).Select(i => $"src/f{i}.cs")];
        var input = new DecisionInput("abc", "success", BootyConfigLoader.Load(Today), null, new RiskAssessment(RiskClass.Low, [], false), [], null,
            Start, new DefaultBranchCheck(true, "main", "push")) { ChangedPaths = paths };

        var seen = DecisionSeen.Of(ReleaseState.Initial, input);

        Assert.Equal(DecisionSeen.PathLimit, seen.ChangedPaths.Count);
        Assert.True(seen.PathsTruncated);
    }
}
