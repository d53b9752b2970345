namespace ReleaseGovernor.Server.Webhooks;

public sealed class WebhookOptions
{
    /// <summary>GitHub sends nothing larger than 25 MB.</summary>
    public const long MaxBodyBytes = 25L * 1024 * 1024;

    /// <summary>Webhooks__MaxUnverifiedBytes: bytes all deliveries not yet signature-checked may hold at once (64 MB).</summary>
    public const long DefaultMaxUnverifiedBytes = 64L * 1024 * 1024;

    /// <summary>GitHub__WebhookSecret: the secret the App's webhook signs with.</summary>
    public string? WebhookSecret { get; set; }
}
