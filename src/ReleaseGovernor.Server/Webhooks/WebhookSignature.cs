using System.Buffers;
using Octokit.Webhooks;

namespace ReleaseGovernor.Server.Webhooks;

public enum SignatureCheck { Valid, Missing, Malformed, Mismatch }

/// <summary>
/// X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body, keyed with the webhook secret, verified by
/// Octokit.Webhooks' <see cref="WebhookSignatureValidator"/> (constant-time). Only the header's shape is checked here.
/// </summary>
/// <remarks>
/// The library reads the header only together with the whole body and answers a malformed header as a mismatch, so
/// it can neither refuse a malformed header before the body is read nor say what is wrong with it: that is
/// <see cref="CheckHeader"/>.
/// </remarks>
public static class WebhookSignature
{
    private const string Prefix = "sha256=";
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Valid when the header is "sha256=" and 64 hex digits, else Missing or Malformed.</summary>
    public static SignatureCheck CheckHeader(string? header)
    {
        if (string.IsNullOrEmpty(header)) return SignatureCheck.Missing;
        if (!header.StartsWith(Prefix, StringComparison.Ordinal) || header.Length != Prefix.Length + 64
            || header.AsSpan(Prefix.Length).ContainsAnyExcept(HexDigits))
            return SignatureCheck.Malformed;
        return SignatureCheck.Valid;
    }

    /// <summary>Valid when <paramref name="header"/> is the signature of <paramref name="body"/> with <paramref name="secret"/>, else Mismatch.</summary>
    public static SignatureCheck Verify(string header, string secret, ReadOnlySpan<byte> body) =>
        WebhookSignatureValidator.Verify(header, secret, body) == WebhookSignatureValidationResult.Valid
            ? SignatureCheck.Valid
            : SignatureCheck.Mismatch;
}
