namespace ReleaseGovernor.GitHub.Api;

/// <summary>An installation's (or token's) primary rate limit as last reported by GitHub.</summary>
public sealed record GitHubRateBudget(int Limit, int Remaining, DateTimeOffset ResetsAt);
