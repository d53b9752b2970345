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
        Span<byte> given = stackalloc byte[32];
        if (ParseHeader(header, given) is not SignatureCheck.Valid and var problem) return problem;
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return Compare(given, expected);
    }

    /// <summary>Reads the header's 32 bytes into <paramref name="given"/>: Valid when well formed, else Missing or Malformed.</summary>
    public static SignatureCheck ParseHeader(string? header, Span<byte> given)
    {
        if (string.IsNullOrEmpty(header)) return SignatureCheck.Missing;
        if (!header.StartsWith(Prefix, StringComparison.Ordinal) || header.Length != Prefix.Length + 64)
            return SignatureCheck.Malformed;
        if (Convert.FromHexString(header.AsSpan(Prefix.Length), given, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
            return SignatureCheck.Malformed;
        return SignatureCheck.Valid;
    }

    /// <summary>Constant-time comparison of the header's bytes with the HMAC of the body.</summary>
    public static SignatureCheck Compare(ReadOnlySpan<byte> given, ReadOnlySpan<byte> expected) =>
        CryptographicOperations.FixedTimeEquals(given, expected) ? SignatureCheck.Valid : SignatureCheck.Mismatch;

    /// <summary>The header value GitHub would send for this body.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
