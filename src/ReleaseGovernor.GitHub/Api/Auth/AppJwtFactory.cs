using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// Signs the GitHub App JWT: RS256 with the app's private key, <c>iss</c> = app id, <c>iat</c> 60 s in the
/// past (clock drift), <c>exp</c> 9 minutes ahead (GitHub allows at most 10).
/// </summary>
public sealed class AppJwtFactory
{
    public static readonly TimeSpan IssuedAtSkew = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(9);

    private readonly string _appId;
    private readonly SigningCredentials _credentials;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public AppJwtFactory(string appId, RSA privateKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appId);
        _appId = appId;
        _credentials = new SigningCredentials(new RsaSecurityKey(privateKey), SecurityAlgorithms.RsaSha256);
    }

    /// <summary>Loads the key from <see cref="GitHubOptions.PrivateKeyPem"/> or <see cref="GitHubOptions.PrivateKeyPath"/>.</summary>
    public static AppJwtFactory FromOptions(GitHubOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.AppId))
            throw new GitHubConfigurationException("GitHub__AppId is not set.");
        string pem;
        if (!string.IsNullOrWhiteSpace(options.PrivateKeyPem))
        {
            pem = options.PrivateKeyPem;
        }
        else if (!string.IsNullOrWhiteSpace(options.PrivateKeyPath))
        {
            try
            {
                pem = File.ReadAllText(options.PrivateKeyPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new GitHubConfigurationException(
                    $"GitHub__PrivateKeyPath '{options.PrivateKeyPath}' cannot be read: {e.Message}", e);
            }
        }
        else
        {
            throw new GitHubConfigurationException("GitHub__AppId is set but no private key: set GitHub__PrivateKeyPath to the app's .pem file.");
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new GitHubConfigurationException(
                "The GitHub App private key (GitHub__PrivateKeyPath) is not a PEM RSA private key; download a new one from the app settings.", e);
        }
        return new AppJwtFactory(options.AppId, rsa);
    }

    public string Create(DateTimeOffset now) =>
        _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _appId,
            IssuedAt = (now - IssuedAtSkew).UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            SigningCredentials = _credentials,
        });
}
