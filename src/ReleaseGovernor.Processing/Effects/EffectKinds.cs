namespace ReleaseGovernor.Processing.Effects;

/// <summary>The kinds of outbox items and their payloads.</summary>
public static class EffectKinds
{
    /// <summary>Process a stored webhook fact (classify a run, act on an approval signal).</summary>
    public const string ProcessEvent = "process_event";

    /// <summary>Evaluate a held or waiting sha again.</summary>
    public const string Evaluate = "evaluate";

    public const string Dispatch = "dispatch";
    public const string CommitStatus = "commit_status";
    public const string FailureIssue = "failure_issue";

    /// <summary>A freeze window closed: decide the newest sha it held again.</summary>
    public const string Thaw = "thaw";

    /// <summary>A probe of production's health after a deploy (a timer: due at the probe's time).</summary>
    public const string HealthProbe = "health_probe";

    /// <summary>A rollback happened: comment on the rolled-back sha's failure issue, or open one.</summary>
    public const string RollbackNotice = "rollback_notice";

    /// <summary>Answer a deployment protection rule request (approved or rejected).</summary>
    public const string ProtectionAnswer = "protection_rule_answer";

    /// <summary>One answer per (stream = environment, run id).</summary>
    public static string ProtectionAnswerKey(string releaseStream, long runId) =>
        $"protection_rule:{releaseStream}:{runId.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>One thaw per (stream, window end).</summary>
    public static string ThawKey(string releaseStream, DateTimeOffset windowEnd) =>
        $"thaw:{releaseStream}:{windowEnd.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>One dispatch per (stream, sha, attempt); the first attempt keeps the key of releases before retries existed.</summary>
    public static string DispatchKey(string releaseStream, string sha, int? attempt = null) =>
        attempt is null or 1 ? $"dispatch:{releaseStream}:{sha}" : $"dispatch:{releaseStream}:{sha}:{attempt}";
}

/// <summary>The fact to process: by event id (known before commit); rows of earlier releases name its sequence number.</summary>
public sealed record ProcessEventPayload(long Sequence, Guid? EventId = null);

public sealed record EvaluatePayload(string Repository, long? InstallationId, string Sha, string Why);

public sealed record ThawPayload(string Repository, long? InstallationId, string Window, DateTimeOffset WindowEnd);

/// <summary><paramref name="StatusText"/>: the commit status once dispatched, when not the usual one (an override's).</summary>
public sealed record DispatchPayload(string Repository, long? InstallationId, string Sha, string Workflow, string Ref,
    IReadOnlyDictionary<string, string> Inputs, DateTimeOffset RequestedAt, string? StatusText = null);

public sealed record CommitStatusPayload(string Repository, long? InstallationId, string Sha, string State, string Description, string? TargetUrl);

public sealed record FailureIssuePayload(string Repository, long? InstallationId, string Sha, long RunId, string Conclusion, string? RunUrl);

/// <summary>Probe <paramref name="Probe"/> (0: start the watch) of <paramref name="Sha"/>, for the deploy or watch <paramref name="Watch"/>.</summary>
public sealed record HealthProbePayload(string Repository, long? InstallationId, string Sha, int Probe, string Watch);

public sealed record RollbackNoticePayload(string Repository, long? InstallationId, string Sha, string To, string Reason, string Actor, string Why,
    IReadOnlyList<string> Evidence);

/// <summary>The answer to send for run <paramref name="RunId"/> at <paramref name="Environment"/> (the name as GitHub sent it).</summary>
public sealed record ProtectionAnswerPayload(string Repository, long? InstallationId, string Environment, string Sha, long RunId, string State,
    string Reason, string Comment);
