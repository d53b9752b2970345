namespace ReleaseGovernor.Processing;

/// <summary>Server-wide settings of the governor (section <c>Processing</c>) and the RELEASE_GOVERNOR_* environment.</summary>
public sealed class GovernorSettings
{
    /// <summary>How often workers look for work when nothing woke them.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed outbox item stays with its worker before another may take it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many outbox items one worker runs at once.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>
    /// How many outbox items of one repository may be in flight at once, over all replicas: the rest of a repository's
    /// backlog waits, so one repository's flood leaves slots for the others.
    /// </summary>
    public int MaxInFlightPerRepository { get; set; } = 4;

    /// <summary>How often in-flight deploys are checked with GitHub.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Attempts before an effect is given up and recorded as failed.</summary>
    public int MaxEffectAttempts { get; set; } = 6;

    /// <summary>The RELEASE_GOVERNOR_* variables (and RELEASE_GOVERNOR_APPROVED) the server runs with.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; set; } = new Dictionary<string, string?>();
}
