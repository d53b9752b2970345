using System.Text.Json.Serialization;

namespace ReleaseGovernor.Server.Webhooks.Payloads;

// Payload records hold only what the governor reads. `required` members must be present (a missing one is a
// 400 naming it); nullable members may be null or absent, as GitHub's own schemas allow.

public sealed record Account
{
    public string? Login { get; init; }
    public string? Name { get; init; }

    /// <summary>Old payloads (2016) carry only name/email on owners and pushers.</summary>
    public string? Display => Login ?? Name;
}

public sealed record Repository
{
    public required string FullName { get; init; }
    public string? DefaultBranch { get; init; }
    public string? MasterBranch { get; init; }
    public Account? Owner { get; init; }

    /// <summary>The default branch as the payload names it (old payloads call it master_branch).</summary>
    public string? EffectiveDefaultBranch => DefaultBranch ?? MasterBranch;
}

public sealed record InstallationRef
{
    public required long Id { get; init; }
}

public sealed record Label
{
    public required string Name { get; init; }
}

/// <summary>The members every event shares.</summary>
public abstract record WebhookPayload
{
    public string? Action { get; init; }
    public Repository? Repository { get; init; }
    public InstallationRef? Installation { get; init; }
    public Account? Sender { get; init; }
}
