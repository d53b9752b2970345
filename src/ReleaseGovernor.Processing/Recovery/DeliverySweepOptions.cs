namespace ReleaseGovernor.Processing.Recovery;

/// <summary>
/// Settings of the delivery sweep (section <c>ReleaseGovernor:Recovery</c>; environment
/// <c>ReleaseGovernor__Recovery__DeliveriesInterval</c>, ...).
/// </summary>
public sealed class DeliverySweepOptions
{
    public const string SectionName = "ReleaseGovernor:Recovery";

    /// <summary>How often a sweep runs (one replica at a time); one also runs at startup, after recovery.</summary>
    public TimeSpan DeliveriesInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>GitHub calls one sweep may make (list pages and delivery reads); the rest waits for the next sweep.</summary>
    public int DeliveriesMaxRequests { get; set; } = 100;

    /// <summary>
    /// Requests of the primary rate limit left to the governor's own work: a sweep stops when GitHub reports fewer
    /// remaining (x-ratelimit-remaining) than this.
    /// </summary>
    public int DeliveriesRateReserve { get; set; } = 500;

    /// <summary>How far back the log is read when there is no checkpoint; GitHub keeps deliveries 3 days on github.com.</summary>
    public TimeSpan DeliveriesWindow { get; set; } = TimeSpan.FromDays(3);
}
