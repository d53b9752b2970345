using System.Diagnostics;
using System.Diagnostics.Metrics;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Observability;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.Processing.Decisions;

namespace ReleaseGovernor.Processing.Observability;

/// <summary>
/// The governor's own metrics, on the <c>ReleaseGovernor</c> meter. Labels are few and bounded (event, outcome,
/// reason, kind): never a repository, sha or delivery id — those are span attributes and log scope.
/// Recorded where the work happens: the webhook endpoint, the outbox processor, the effects.
/// </summary>
public sealed class GovernorMetrics
{
    /// <summary>Durations from seconds to an hour: a verification to its decision is seconds, to a dispatch after an approval can be an hour.</summary>
    private static readonly IReadOnlyList<double> DurationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _decisionDuration;
    private readonly Histogram<double> _dispatchDuration;
    private readonly Counter<long> _dispatches;
    private readonly Counter<long> _deploys;
    private readonly Counter<long> _outboxProcessed;
    private readonly Counter<long> _recovered;
    private readonly Counter<long> _health;
    private readonly Counter<long> _rollbacks;
    private readonly Counter<long> _protectionAnswers;
    private OutboxBacklog? _backlog;

    public GovernorMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(GovernorTelemetry.MeterName);
        var seconds = new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets };
        _deliveries = meter.CreateCounter<long>("releasegovernor.deliveries", "{delivery}",
            "Webhook deliveries answered, by GitHub event and outcome (stored, duplicate, acknowledged, ignored, unauthorized, bad_request, …).");
        _decisions = meter.CreateCounter<long>("releasegovernor.decisions", "{decision}",
            "Decisions recorded, by outcome (allow, hold, skip) and reason code.");
        _decisionDuration = meter.CreateHistogram("releasegovernor.decision.duration", "s",
            "From a verification's delivery being stored to its decision being recorded.", advice: seconds);
        _dispatchDuration = meter.CreateHistogram("releasegovernor.dispatch.duration", "s",
            "From a verification's delivery being stored to GitHub acknowledging the deploy dispatch for its sha.", advice: seconds);
        _dispatches = meter.CreateCounter<long>("releasegovernor.dispatches", "{dispatch}",
            "Deploy dispatches recorded, by outcome (dispatched, failed, cancelled).");
        _deploys = meter.CreateCounter<long>("releasegovernor.deploys", "{deploy}",
            "Deploy outcomes recorded, by outcome (succeeded, failed, stalled) and source (delivery, or reconcile when recovered from GitHub without a delivery).");
        _recovered = meter.CreateCounter<long>("releasegovernor.deliveries.recovered", "{delivery}",
            "Deliveries GitHub never got a 2xx for, read back from its delivery log by the sweep and stored, by GitHub event.");
        _health = meter.CreateCounter<long>("releasegovernor.health.verdicts", "{verdict}",
            "Production health verdicts recorded after deploys, by verdict (passed, failed, refused, degraded, recovered).");
        _rollbacks = meter.CreateCounter<long>("releasegovernor.rollbacks", "{rollback}",
            "Rollbacks decided, by reason (rollback_unhealthy, rollback_operator) and outcome (dispatched, held).");
        _protectionAnswers = meter.CreateCounter<long>("releasegovernor.protection_rule.answers", "{answer}",
            "Deployment protection rule answers recorded, by state (approved, rejected) and outcome (answered, already_reviewed, failed).");
        _outboxProcessed = meter.CreateCounter<long>("releasegovernor.outbox.processed", "{item}",
            "Outbox items run, by kind and outcome (completed, retry).");
        meter.CreateObservableGauge("releasegovernor.outbox.depth", () => _backlog is { } b ? [new Measurement<long>(b.Pending)] : Array.Empty<Measurement<long>>(),
            "{item}", "Outbox items not yet completed (due or scheduled), as last sampled.");
        meter.CreateObservableGauge("releasegovernor.outbox.lag", () => _backlog is { } b ? [new Measurement<double>(b.OldestDueAge.TotalSeconds)] : Array.Empty<Measurement<double>>(),
            "s", "How long the oldest due outbox item has waited, as last sampled (0 when none is due).");
    }

    /// <param name="gitHubEvent">An event the governor handles, else counted as <c>other</c>: the header is the sender's to choose.</param>
    public void Delivery(string gitHubEvent, string outcome) =>
        _deliveries.Add(1, new TagList { { "event", gitHubEvent }, { "outcome", outcome } });

    /// <summary>
    /// Counts the decisions an evaluation recorded; one recorded with the verification that prompted it also gives the
    /// time since that verification's delivery.
    /// </summary>
    public void Decided(Evaluation evaluation, DateTimeOffset now)
    {
        foreach (var e in evaluation.Recorded)
        {
            switch (e.Data)
            {
                case DeployDecided d:
                    _decisions.Add(1, new TagList { { "outcome", Name(d.Outcome) }, { "reason", d.Reason } });
                    break;
                case VerificationCompleted v:
                    _decisionDuration.Record(Seconds(now - v.At));
                    break;
            }
        }
    }

    public void Dispatch(ReleaseEvent outcome)
    {
        var name = outcome switch
        {
            DeployDispatched => "dispatched",
            DeployDispatchFailed => "failed",
            DeployDispatchCancelled => "cancelled",
            _ => null,
        };
        if (name is not null) _dispatches.Add(1, new KeyValuePair<string, object?>("outcome", name));
    }

    /// <param name="sinceVerified">From the verification's delivery to GitHub's answer to the dispatch.</param>
    public void DispatchAcknowledged(TimeSpan sinceVerified) => _dispatchDuration.Record(Seconds(sinceVerified));

    /// <param name="source"><c>delivery</c> or <c>reconcile</c>.</param>
    public void Deploy(ReleaseEvent outcome, string source)
    {
        var name = outcome switch
        {
            DeploySucceeded => "succeeded",
            DeployFailed => "failed",
            DeployStalled => "stalled",
            _ => null,
        };
        if (name is not null) _deploys.Add(1, new TagList { { "outcome", name }, { "source", source } });
    }

    /// <summary>Counts a recorded health or rollback event (other events are not counted here).</summary>
    public void Health(ReleaseEvent e)
    {
        var verdict = e switch
        {
            HealthCheckPassed => "passed",
            HealthCheckFailed => "failed",
            HealthCheckRefused => "refused",
            ProductionDegraded => "degraded",
            ProductionRecovered => "recovered",
            _ => null,
        };
        if (verdict is not null) _health.Add(1, new KeyValuePair<string, object?>("verdict", verdict));
        if (e is RollbackRequested r) _rollbacks.Add(1, new TagList { { "reason", r.Reason }, { "outcome", "dispatched" } });
        if (e is RollbackHeld h) _rollbacks.Add(1, new TagList { { "reason", h.Reason }, { "outcome", "held" } });
    }

    /// <param name="gitHubEvent">An event the governor handles: the sweep stores no other.</param>
    public void Recovered(string gitHubEvent) => _recovered.Add(1, new KeyValuePair<string, object?>("event", gitHubEvent));

    public void OutboxProcessed(string kind, bool completed) =>
        _outboxProcessed.Add(1, new TagList { { "kind", kind }, { "outcome", completed ? "completed" : "retry" } });

    public void Backlog(OutboxBacklog backlog) => _backlog = backlog;

    public void ProtectionAnswer(ReleaseEvent outcome)
    {
        var (state, result) = outcome switch
        {
            ProtectionRuleApproved a => ("approved", a.AlreadyReviewed ? "already_reviewed" : "answered"),
            ProtectionRuleRejected r => ("rejected", r.AlreadyReviewed ? "already_reviewed" : "answered"),
            ProtectionRuleAnswerFailed f => (f.State, "failed"),
            _ => (null, null),
        };
        if (state is not null) _protectionAnswers.Add(1, new TagList { { "state", state }, { "outcome", result } });
    }

    private static string Name(DecisionOutcome outcome) => outcome switch
    {
        DecisionOutcome.Allow => "allow",
        DecisionOutcome.Hold => "hold",
        _ => "skip",
    };

    private static double Seconds(TimeSpan span) => Math.Max(0, span.TotalSeconds);
}
