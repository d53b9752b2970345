using ReleaseGovernor.Server.Hosting;

namespace ReleaseGovernor.Server.Page;

/// <summary>How the operator page is reached: not at all, after signing in with GitHub, or by anyone (local use).</summary>
public enum PageMode { Off, SignIn, Anonymous }

/// <summary>
/// The operator page's settings. With <c>GitHub__ClientId</c> and <c>GitHub__ClientSecret</c> (the GitHub App's OAuth
/// credentials) viewers sign in with GitHub at <c>GitHub__WebBaseUrl</c> (default https://github.com; GHES or a test fake).
/// Without them the page is off (404) unless <c>ReleaseGovernor__Page__AllowAnonymous=true</c> opens it to anyone.
/// </summary>
public sealed record PageSettings(PageMode Mode, string? ClientId, string? ClientSecret, string WebBaseUrl, string ApiBaseUrl, string? KeysFolder)
{
    public const string ClientIdSetting = "GitHub__ClientId";
    public const string ClientSecretSetting = "GitHub__ClientSecret";
    public const string AnonymousSetting = "ReleaseGovernor__Page__AllowAnonymous";

    /// <summary>How long GitHub's answer to "can this viewer read the repository?" is reused.</summary>
    public TimeSpan AccessCacheFor { get; init; } = TimeSpan.FromSeconds(60);

    public static PageSettings From(IConfiguration configuration)
    {
        var clientId = configuration["GitHub:ClientId"];
        var clientSecret = configuration["GitHub:ClientSecret"];
        var web = (configuration["GitHub:WebBaseUrl"] is { Length: > 0 } w ? w : "https://github.com").TrimEnd('/');
        var api = (configuration["GitHub:ApiBaseUrl"] is { Length: > 0 } a ? a : "https://api.github.com").TrimEnd('/');
        if (!Uri.TryCreate(web, UriKind.Absolute, out var webUri) || webUri.Scheme is not ("https" or "http"))
            throw new StartupConfigurationException($"GitHub__WebBaseUrl '{web}' is not an http(s) URL: set it to GitHub's web address (https://github.com, or your GHES host).");
        var anonymous = false;
        if (configuration["ReleaseGovernor:Page:AllowAnonymous"] is { Length: > 0 } text && !bool.TryParse(text, out anonymous))
            throw new StartupConfigurationException($"{AnonymousSetting} must be true or false, got '{text}'.");
        var hasId = !string.IsNullOrWhiteSpace(clientId);
        var hasSecret = !string.IsNullOrWhiteSpace(clientSecret);
        if (hasId != hasSecret)
            throw new StartupConfigurationException(
                $"The operator page's sign-in needs both {ClientIdSetting} and {ClientSecretSetting} (the GitHub App's client id and a client secret); only {(hasId ? ClientIdSetting : ClientSecretSetting)} is set.");
        var mode = hasId ? PageMode.SignIn : anonymous ? PageMode.Anonymous : PageMode.Off;
        return new PageSettings(mode, clientId, clientSecret, web, api, configuration["ReleaseGovernor:Page:KeysFolder"])
        {
            AccessCacheFor = configuration.GetValue("ReleaseGovernor:Page:AccessCacheFor", TimeSpan.FromSeconds(60)),
        };
    }

    /// <summary>One line for the startup log.</summary>
    public string Describe() => Mode switch
    {
        PageMode.SignIn => $"the operator page is on at / (sign-in with GitHub at {WebBaseUrl})",
        PageMode.Anonymous => $"the operator page is open to anyone who can reach this port ({AnonymousSetting}=true)",
        _ => $"the operator page is off: set {ClientIdSetting} and {ClientSecretSetting} to turn it on with GitHub sign-in",
    };
}
