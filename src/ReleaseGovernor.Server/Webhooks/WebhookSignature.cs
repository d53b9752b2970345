using System.Security.Cryptography;
using System.Text;

namespace ReleaseGovernor.Server.Webhooks;

public enum SignatureCheck { Valid, Missing, Malformed, Mismatch }

/// <summary>X-Hub-Signature-256: "sha256=" + lowercase hex HMAC-SHA256 of the raw body, keyed with the webhook secret.</summary>
public static class WebhookSignature
{
    private const string Prefix = "sha256=";

    public static SignatureCheck Verify(string? header, string secret, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(header)) return SignatureCheck.Missing;
        if (!header.StartsWith(Prefix, StringComparison.Ordinal) || header.Length != Prefix.Length + 64)
            return SignatureCheck.Malformed;

        Span<byte> given = stackalloc byte[32];
        if (Convert.FromHexString(header.AsSpan(Prefix.Length), given, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
            return SignatureCheck.Malformed;

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(given, expected) ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    /// <summary>The header value GitHub would send for this body.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
