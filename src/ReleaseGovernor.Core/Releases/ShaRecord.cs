using ReleaseGovernor.Core.Events;

namespace ReleaseGovernor.Core.Releases;

/// <summary>
/// What a release stream holds about one sha, kept as its own document so "was this sha ever dispatched?" and "how did
/// its verification end?" cost one lookup however long the history is. <see cref="ReleaseState"/> keeps only recent shas.
/// </summary>
public sealed record ShaRecord(string Id, string StreamId, string Sha, string? Verification, int Dispatches, bool Retryable)
{
    /// <summary>The verification runs recorded for the sha, as <c>run_id:attempt</c> (a redelivered run is decided once).</summary>
    public IReadOnlyList<string> VerifiedBy { get; init; } = [];

    /// <summary>Runs recorded as <c>verification_ignored</c> for the sha (recorded once per run).</summary>
    public IReadOnlyList<long> IgnoredRuns { get; init; } = [];

    public static string RunKey(long runId, int? attempt) => $"{runId}:{attempt ?? 1}";

    public static string IdOf(string streamId, string sha) => $"{streamId}@{sha}";

    public static ShaRecord New(string streamId, string sha) => new(IdOf(streamId, sha), streamId, sha, null, 0, false);

    /// <summary>Dispatched, and not retryable: in flight, deployed, or waiting for its outcome.</summary>
    public bool AlreadyDispatched => Dispatches > 0 && !Retryable;
}

/// <summary>How each event moves a sha's record, given the release state before and after it (pure).</summary>
public static class ShaLedger
{
    /// <summary>The sha a release-stream event is about, or null.</summary>
    public static string? ShaOf(ReleaseEvent e) => e switch
    {
        VerificationCompleted v => v.Sha,
        VerificationIgnored v => v.Sha,
        DeployDispatchRequested r => r.Sha,
        DeployDispatchFailed f => f.Sha,
        DeployDispatchCancelled c => c.Sha,
        DeployFailed f => f.Sha,
        DeployStalled s => s.Sha,
        DeploySucceeded s => s.Sha,
        RollbackRequested r => r.Sha,
        ProtectionRuleAnswerRequested a => a.Sha,
        ProtectionRuleAnswerFailed f => f.Sha,
        _ => null,
    };

    public static ShaRecord Apply(ShaRecord record, ReleaseState before, ReleaseState after, ReleaseEvent e) => e switch
    {
        VerificationCompleted v => record with
        {
            Verification = v.Conclusion,
            VerifiedBy = [.. record.VerifiedBy.Where(r => r != ShaRecord.RunKey(v.RunId, v.RunAttempt)), ShaRecord.RunKey(v.RunId, v.RunAttempt)],
        },
        VerificationIgnored v => record.IgnoredRuns.Contains(v.RunId) ? record : record with { IgnoredRuns = [.. record.IgnoredRuns, v.RunId] },
        // The projection refused a request the sha could not have (already in flight or deployed): nothing changes.
        DeployDispatchRequested when ReferenceEquals(before, after) => record,
        DeployDispatchRequested => record with { Dispatches = record.Dispatches + 1, Retryable = false },
        // An approved protection-rule request is the sha's deploy in that environment, like a dispatch.
        ProtectionRuleAnswerRequested a when after.DispatchCount(a.Sha) > before.DispatchCount(a.Sha) =>
            record with { Dispatches = record.Dispatches + 1, Retryable = false },
        ProtectionRuleAnswerRequested => record,
        _ when ReferenceEquals(before, after) => record,
        _ => record with { Retryable = after.RetryableShas.Contains(record.Sha, StringComparer.Ordinal) },
    };
}
