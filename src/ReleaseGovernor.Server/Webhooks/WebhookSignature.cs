using System.Security.Cryptography;

namespace ReleaseGovernor.Server.Webhooks;

public enum SignatureCheck { Valid, Missing, Malformed, Mismatch }

/// <summary>
/// X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body, keyed with the webhook secret. The HMAC itself is
/// computed by <see cref="UnverifiedBody"/> as the body arrives.
/// </summary>
/// <remarks>
/// Octokit.Webhooks' <c>WebhookSignatureValidator.Verify</c> is constant-time too, but it hashes a body held in one
/// span: using it would mean copying every unverified body into one array outside <see cref="UnverifiedBodyBudget"/>,
/// which is what the budget exists to prevent; it also reads the header only together with the body, so a malformed
/// header could not be refused before the body is read, nor told apart from a wrong signature. Its answers are the
/// reference our check is tested against.
/// </remarks>
public static class WebhookSignature
{
    private const string Prefix = "sha256=";

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
}
