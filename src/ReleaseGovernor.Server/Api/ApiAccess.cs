using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace ReleaseGovernor.Server.Api;

/// <summary>
/// Who may read the release API. Closed by default: a caller needs <c>Authorization: Bearer &lt;ReleaseGovernor__ApiToken&gt;</c>,
/// unless <c>ReleaseGovernor__Api__AllowAnonymous=true</c> opens it to anyone. The local embedded default (no connection
/// string) lets loopback callers in without a token, unless AllowAnonymous is set to false.
/// </summary>
public sealed class ApiAccess(string? token, bool? allowAnonymous, bool localDefault)
{
    public const string TokenSetting = "ReleaseGovernor__ApiToken";
    public const string AnonymousSetting = "ReleaseGovernor__Api__AllowAnonymous";

    public bool HasToken => !string.IsNullOrEmpty(token);
    public bool OpenToAnyone => !HasToken && allowAnonymous == true;
    public bool OpenToLoopback => !HasToken && allowAnonymous is null && localDefault;

    public const string TokenFileSetting = "ReleaseGovernor__ApiTokenFile";

    /// <summary>
    /// The token is <c>ReleaseGovernor__ApiToken</c>, else the content of the file <c>ReleaseGovernor__ApiTokenFile</c> names
    /// (a Docker or Kubernetes secret, a systemd credential), trimmed.
    /// </summary>
    public static ApiAccess From(IConfiguration configuration, bool localDefault)
    {
        var token = configuration["ReleaseGovernor:ApiToken"];
        if (string.IsNullOrEmpty(token) && configuration["ReleaseGovernor:ApiTokenFile"] is { Length: > 0 } file)
        {
            try
            {
                token = File.ReadAllText(file).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new Hosting.StartupConfigurationException(
                    $"{TokenFileSetting}: cannot read '{file}' ({e.Message}). Point it at the file holding the release API token, or unset it.");
            }
            if (token.Length == 0)
                throw new Hosting.StartupConfigurationException($"{TokenFileSetting}: '{file}' is empty. Put the release API token in it (e.g. openssl rand -hex 32).");
        }
        bool? allowAnonymous = null;
        if (configuration["ReleaseGovernor:Api:AllowAnonymous"] is { Length: > 0 } text)
            allowAnonymous = bool.TryParse(text, out var allow)
                ? allow
                : throw new Hosting.StartupConfigurationException($"{AnonymousSetting} must be true or false, got '{text}'.");
        return new ApiAccess(token, allowAnonymous, localDefault);
    }

    /// <summary>One line for the startup log: how the API is reachable.</summary>
    public string Describe() =>
        HasToken ? "the release API needs Authorization: Bearer <ReleaseGovernor__ApiToken>"
        : OpenToAnyone ? $"the release API is open to anyone who can reach this port ({AnonymousSetting}=true)"
        : OpenToLoopback ? $"the release API is open to loopback callers only (local embedded database, no {TokenSetting})"
        : $"the release API is closed: set {TokenSetting} (and send it as a bearer token), or {AnonymousSetting}=true";

    /// <summary>Null when the request may read the API; else why not, for a 401.</summary>
    public Denial? Check(HttpContext http)
    {
        if (OpenToAnyone) return null;
        if (!HasToken)
            return OpenToLoopback && http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
                ? null
                : new Denial($"The release API is closed: the server has no {TokenSetting}. Set it and send 'Authorization: Bearer <token>', " +
                             $"or set {AnonymousSetting}=true to open it to anyone who can reach the port.", false);
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return new Denial($"Send 'Authorization: Bearer <token>' with the server's {TokenSetting}.", false);
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), Encoding.UTF8.GetBytes(token!))
            ? null
            : new Denial($"The bearer token is not the server's {TokenSetting}.", true);
    }

    /// <summary>Why a request was refused; <see cref="WrongToken"/> when it carried a token that does not match.</summary>
    public sealed record Denial(string Message, bool WrongToken);
}
