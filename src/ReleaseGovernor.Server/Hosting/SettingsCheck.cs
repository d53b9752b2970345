namespace ReleaseGovernor.Server.Hosting;

/// <summary>A setting the server runs without, and what does not work until it is set.</summary>
public sealed record MissingSetting(string Setting, string Consequence)
{
    public override string ToString() => $"{Setting} is not set: {Consequence}";
}

/// <summary>
/// The settings the server starts without but cannot do its job without. Each is logged as one warning at startup,
/// and <c>/readyz</c> answers 200 with <c>"status": "degraded"</c> naming them (docs/release-governor.md, Health).
/// </summary>
public sealed class SettingsCheck(IReadOnlyList<MissingSetting> missing)
{
    public IReadOnlyList<MissingSetting> Missing { get; } = missing;

    public static SettingsCheck From(IConfiguration configuration)
    {
        var missing = new List<MissingSetting>();
        if (string.IsNullOrEmpty(configuration["GitHub:WebhookSecret"]))
            missing.Add(new("GitHub__WebhookSecret",
                "every webhook delivery is answered 503 not_configured; set it to the App's webhook secret"));
        var hasToken = !string.IsNullOrEmpty(configuration["GitHub:Token"]);
        var hasApp = !string.IsNullOrEmpty(configuration["GitHub:AppId"]) &&
                     (!string.IsNullOrEmpty(configuration["GitHub:PrivateKeyPath"]) || !string.IsNullOrEmpty(configuration["GitHub:PrivateKeyPem"]));
        if (!hasToken && !hasApp)
            missing.Add(new("GitHub__Token (or GitHub__AppId with GitHub__PrivateKeyPath)",
                "deliveries are stored but nothing is decided or dispatched: every call to GitHub fails until the credentials are set"));
        return new SettingsCheck(missing);
    }
}
