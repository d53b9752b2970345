using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Text;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.GitHub.Api;
using ReleaseGovernor.Processing.Ingestion;

namespace ReleaseGovernor.Processing.Recovery;

/// <summary>
/// Recovers what GitHub sent while the server could not take it. Pages through the delivery log (newest first) back to
/// the last sweep's checkpoint, at most <see cref="DeliverySweepOptions.DeliveriesWindow"/>; groups attempts by
/// <c>guid</c>; every guid with no OK attempt that no earlier sweep settled is read back (request headers and payload)
/// and taken through the same <see cref="DeliveryIntake"/> as the webhook route, with metadata <c>recovered: true</c>.
/// The store's dedupe on the delivery id keeps that exactly-once, also when a sweep is cut short and run again.
/// <para>
/// It ingests the payload rather than asking GitHub to redeliver (<c>POST .../attempts</c>): one GET per delivery
/// (1 rate-limit point) instead of a POST (5 points) plus a new trip to our endpoint, which may be what is failing;
/// the outcome is known at once and recorded; and a redelivery would only add attempts to the very log being read.
/// </para>
/// One replica at a time (a try-lock: a replica that finds a sweep running skips). A sweep never holds up ingestion:
/// it runs beside the webhook route and stores each delivery in its own short transaction.
/// </summary>
public sealed class DeliverySweep(
    IEventStore store,
    NpgsqlDataSource db,
    GitHubClient github,
    DeliveryIntake intake,
    DeliverySweepOptions options,
    TimeProvider clock,
    ILogger<DeliverySweep> log)
{
    /// <summary>Advisory lock key of the delivery sweep ("rg-deliv").</summary>
    private const long SweepLockKey = 0x72672D64656C6976;

    /// <summary>Runs one sweep now, unless another replica is sweeping or GitHub asked us to wait.</summary>
    public async Task<SweepResult> SweepAsync(string trigger, CancellationToken ct)
    {
        HookDeliveryLog deliveryLog;
        try
        {
            deliveryLog = github.DeliveryLog();
        }
        catch (GitHubConfigurationException e)
        {
            return new SweepResult.NotConfigured(e.Message);
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        await using (var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_lock({SweepLockKey})", connection))
            if (await tryLock.ExecuteScalarAsync(ct) is not true)
                return new SweepResult.Busy();
        try
        {
            var history = (await store.ReadStreamAsync(StreamIds.DeliverySweeps, ct)).Select(e => e.Data).OfType<DeliverySweepCompleted>().ToList();
            var now = clock.GetUtcNow();
            if (history.LastOrDefault()?.NotBefore is { } notBefore && notBefore > now)
                return new SweepResult.Waiting(notBefore);
            var record = await RunAsync(trigger, deliveryLog, history, now, ct);
            await store.AppendAsync(StreamIds.DeliverySweeps, null, [record], EventMetadata.ForSystem("delivery-sweep"), ct);
            log.LogInformation("Delivery sweep ({Trigger}) of {Log}: {Guids} deliveries, {Missing} missing, {Recovered} recovered, " +
                               "{Failed} failed, {Requests} request(s){Stopped}", trigger, deliveryLog.Description, record.Guids, record.Missing,
                record.Recovered, record.Failed, record.Requests, record.StoppedBecause is { } why ? "; stopped: " + why : "");
            return new SweepResult.Swept(record);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({SweepLockKey})", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task<DeliverySweepCompleted> RunAsync(string trigger, HookDeliveryLog deliveryLog, IReadOnlyList<DeliverySweepCompleted> history,
        DateTimeOffset now, CancellationToken ct)
    {
        var horizon = now - options.DeliveriesWindow;
        var previous = history.LastOrDefault(h => h.Checkpoint is not null)?.Checkpoint;
        var settled = history.Where(h => h.At >= horizon).SelectMany(h => h.Deliveries)
            .Where(d => SweepOutcomes.IsSettled(d.Outcome)).Select(d => d.Guid).ToHashSet(StringComparer.Ordinal);
        var budget = new RequestBudget(options, github);

        // 1. The log back to the checkpoint (or the horizon), newest first.
        var listed = new List<HookDelivery>();
        var reachedEnd = false;
        string? next = null;
        while (budget.StopReason() is null)
        {
            HookDeliveryPage page;
            try
            {
                page = await budget.CallAsync(() => github.ListHookDeliveriesAsync(deliveryLog, next, ct: ct));
            }
            catch (Exception e) when (IsGitHubFailure(e))
            {
                budget.Stop(e, "listing the delivery log");
                break;
            }
            foreach (var delivery in page.Deliveries)
            {
                if (previous is not null && delivery.Id <= previous.DeliveryId || delivery.DeliveredAt < horizon)
                {
                    reachedEnd = true;
                    break;
                }
                listed.Add(delivery);
            }
            next = page.Next;
            if (reachedEnd || next is null)
            {
                reachedEnd = true;
                break;
            }
        }

        // 2. Guids with no OK attempt that no earlier sweep settled, oldest first.
        var groups = listed.GroupBy(d => d.Guid, StringComparer.Ordinal).ToList();
        var missing = groups.Where(g => !g.Any(d => d.Ok) && !settled.Contains(g.Key)).OrderBy(g => g.Min(d => d.Id)).ToList();

        // 3. Each read back and taken through the ingestion path.
        var swept = new List<SweptDelivery>();
        var unsettledIds = new List<long>();
        foreach (var group in missing)
        {
            var latest = group.MaxBy(d => d.Id)!;
            if (budget.StopReason() is not null)
            {
                unsettledIds.Add(group.Min(d => d.Id));
                continue;
            }
            var (outcome, why) = await RecoverAsync(deliveryLog, latest, budget, ct);
            swept.Add(new SweptDelivery(group.Key, latest.Id, latest.Event, latest.Action, group.Min(d => d.DeliveredAt), outcome, why));
            if (!SweepOutcomes.IsSettled(outcome)) unsettledIds.Add(group.Min(d => d.Id));
        }

        // 4. The checkpoint moves over what is settled only: never past a delivery still to recover, nor past a part of the log not read.
        var checkpoint = previous;
        if (reachedEnd)
        {
            var below = unsettledIds.Count == 0 ? long.MaxValue : unsettledIds.Min();
            if (listed.Where(d => d.Id < below).MaxBy(d => d.Id) is { } newest)
                checkpoint = new DeliveryCheckpoint(newest.Id, newest.DeliveredAt);
        }

        return new DeliverySweepCompleted(trigger, deliveryLog.Description, previous, checkpoint, listed.Count, groups.Count,
            groups.Count(g => g.Any(d => d.Ok)), missing.Count,
            swept.Count(s => s.Outcome == SweepOutcomes.Recovered), swept.Count(s => s.Outcome == SweepOutcomes.AlreadyStored),
            swept.Count(s => s.Outcome == SweepOutcomes.Failed) + (missing.Count - swept.Count),
            budget.Requests, budget.StopReason(), budget.NotBefore, swept)
        { At = now };
    }

    private async Task<(string Outcome, string? Why)> RecoverAsync(HookDeliveryLog deliveryLog, HookDelivery attempt, RequestBudget budget,
        CancellationToken ct)
    {
        // The log names the event: one the governor does not handle is settled without reading it back.
        if (!DeliveryRouter.HandledEvents.Contains(attempt.Event))
            return (SweepOutcomes.Ignored, $"event '{SafeText.Clean(attempt.Event)}' is not one the governor handles");

        HookDeliveryDetail detail;
        try
        {
            detail = await budget.CallAsync(() => github.GetHookDeliveryAsync(deliveryLog, attempt.Id, ct));
        }
        catch (Exception e) when (IsGitHubFailure(e))
        {
            budget.Stop(e, $"reading delivery {attempt.Id}");
            return (SweepOutcomes.Failed, $"GitHub: {SafeText.Clean(e.Message)}");
        }

        var gitHubEvent = detail.Headers.GetValueOrDefault("X-GitHub-Event") is { Length: > 0 } header ? header : attempt.Event;
        try
        {
            var outcome = await intake.TakeAsync(
                new VerifiedDelivery(attempt.Guid, gitHubEvent, Encoding.UTF8.GetBytes(detail.Payload), attempt.DeliveredAt, attempt.Id), ct);
            return outcome switch
            {
                IntakeOutcome.Stored => (SweepOutcomes.Recovered, null),
                IntakeOutcome.Duplicate => (SweepOutcomes.AlreadyStored, null),
                IntakeOutcome.Ignored ignored => (SweepOutcomes.Ignored, ignored.Reason),
                IntakeOutcome.BadPayload bad => (SweepOutcomes.Unusable, $"{bad.Field} {bad.Problem}"),
                _ => throw new InvalidOperationException("unreachable"),
            };
        }
        catch (PostgresException e) when (e.SqlState.StartsWith("22", StringComparison.Ordinal))
        {
            return (SweepOutcomes.Unusable, $"PostgreSQL refused a value (SQLSTATE {e.SqlState})");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !ct.IsCancellationRequested)
        {
            log.LogWarning("Delivery sweep could not store delivery {Guid}: {Error}", SafeText.Clean(attempt.Guid), SafeText.Clean(e.Message));
            return (SweepOutcomes.Failed, $"database: {SafeText.Clean(e.Message)}");
        }
    }

    private static bool IsGitHubFailure(Exception e) =>
        e is GitHubApiException or GitHubConfigurationException or HttpRequestException or System.Text.Json.JsonException;

    /// <summary>The per-sweep request cap, the rate budget GitHub reports, and a stop when GitHub asks us to wait.</summary>
    private sealed class RequestBudget(DeliverySweepOptions options, GitHubClient github)
    {
        private string? _stopped;

        public int Requests { get; private set; }

        public DateTimeOffset? NotBefore { get; private set; }

        public string? StopReason()
        {
            if (_stopped is not null) return _stopped;
            if (Requests >= options.DeliveriesMaxRequests)
                return $"request cap of {options.DeliveriesMaxRequests} per sweep reached (ReleaseGovernor__Recovery__DeliveriesMaxRequests)";
            if (github.LastRateBudget is { } rate && rate.Remaining < options.DeliveriesRateReserve)
            {
                NotBefore = rate.ResetsAt;
                return $"GitHub rate budget low: {rate.Remaining} of {rate.Limit} left, {options.DeliveriesRateReserve} kept for deploys; resets {rate.ResetsAt:u}";
            }
            return null;
        }

        public async Task<T> CallAsync<T>(Func<Task<T>> call)
        {
            Requests++;
            return await call();
        }

        /// <summary>A rate limit or an unusable log stops the sweep; other failures stop only the one delivery.</summary>
        public void Stop(Exception e, string doing)
        {
            if (e is GitHubRateLimitedException limited)
            {
                NotBefore = limited.RetryAt;
                _stopped = $"GitHub rate limited {doing}{(limited.RetryAt is { } at ? $"; retry after {at:u}" : "")}";
            }
            else if (doing.StartsWith("listing", StringComparison.Ordinal) || e is GitHubConfigurationException)
            {
                _stopped = $"GitHub failed {doing}: {SafeText.Clean(e.Message)}";
            }
        }
    }
}

/// <summary>What a call to <see cref="DeliverySweep.SweepAsync"/> did.</summary>
public abstract record SweepResult
{
    private SweepResult() { }

    public sealed record Swept(DeliverySweepCompleted Record) : SweepResult;

    /// <summary>Another replica (or a CLI) holds the sweep lock.</summary>
    public sealed record Busy : SweepResult;

    /// <summary>GitHub asked us to wait (rate limit) until then.</summary>
    public sealed record Waiting(DateTimeOffset NotBefore) : SweepResult;

    /// <summary>No delivery log to read with the configured credentials; says what to set.</summary>
    public sealed record NotConfigured(string Reason) : SweepResult;
}
