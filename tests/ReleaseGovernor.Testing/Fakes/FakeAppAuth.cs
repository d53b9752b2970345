using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReleaseGovernor.Testing.Fakes;

/// <summary>
/// Credentials the fake accepts: fixed tokens, installation tokens it issued (until they expire), and
/// app JWTs that are RS256, signed by the test key, with <c>iss</c> = app id and at most 10 minutes of life.
/// </summary>
public sealed class FakeAppAuth(string appId, RSA publicKey, TimeProvider time)
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly HashSet<string> _staticTokens = [];
    private readonly List<FakeInstallationToken> _issued = [];
    private readonly List<FakeAppJwt> _jwts = [];
    private readonly JsonWebTokenHandler _handler = new();

    public string AppId { get; } = appId;

    public IReadOnlyList<FakeInstallationToken> IssuedTokens { get { lock (_gate) return [.. _issued]; } }

    public IReadOnlyList<FakeAppJwt> AcceptedJwts { get { lock (_gate) return [.. _jwts]; } }

    public void AcceptToken(string token)
    {
        lock (_gate) _staticTokens.Add(token);
    }

    public bool IsAccepted(string? token)
    {
        if (token is null) return false;
        var now = time.GetUtcNow();
        lock (_gate) return _staticTokens.Contains(token) || _issued.Any(t => t.Token == token && t.ExpiresAt > now);
    }

    public FakeInstallationToken Issue(long installationId)
    {
        lock (_gate)
        {
            var token = new FakeInstallationToken(installationId, $"ghs_fake_{installationId}_{_issued.Count + 1}", time.GetUtcNow() + TokenLifetime);
            _issued.Add(token);
            return token;
        }
    }

    /// <summary>Null when the JWT is acceptable, else the reason.</summary>
    public async Task<string?> CheckJwtAsync(string? jwt)
    {
        if (string.IsNullOrEmpty(jwt)) return "A JSON web token could not be decoded";
        var result = await _handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKey = new RsaSecurityKey(publicKey),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidIssuer = AppId,
            ValidateAudience = false,
            ValidateLifetime = false, // checked below against the fake's clock
        });
        if (!result.IsValid) return $"A JSON web token could not be verified: {result.Exception?.Message}";

        var token = (JsonWebToken)result.SecurityToken;
        var iat = new DateTimeOffset(token.IssuedAt, TimeSpan.Zero);
        var exp = new DateTimeOffset(token.ValidTo, TimeSpan.Zero);
        var now = time.GetUtcNow();
        if (token.IssuedAt == DateTime.MinValue || iat > now) return "'Issued at' claim ('iat') must be an Integer representing a time in the past";
        if (exp <= now || exp > now + TimeSpan.FromMinutes(10)) return "'Expiration time' claim ('exp') is too far in the future or already past";

        lock (_gate) _jwts.Add(new FakeAppJwt(token.Issuer, token.Alg, iat, exp));
        return null;
    }
}
