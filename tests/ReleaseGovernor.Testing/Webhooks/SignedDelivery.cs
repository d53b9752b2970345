using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace ReleaseGovernor.Testing.Webhooks;

/// <summary>A delivery as GitHub posts it: the event and delivery headers and <c>X-Hub-Signature-256</c> over the body.</summary>
public static class SignedDelivery
{
    public const string Route = "/api/github/webhooks";

    /// <summary>The webhook secret the harness configures the server with.</summary>
    public const string Secret = "test-webhook-secret";

    /// <summary>The signature GitHub sends, computed here, independently of the server's code.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret = Secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>
    /// A POST to the webhook route. <paramref name="signature"/> replaces the computed one; <paramref name="sign"/> false sends none.
    /// </summary>
    public static HttpRequestMessage Request(string gitHubEvent, byte[] body, string? delivery = null, string secret = Secret,
        string? signature = null, string contentType = "application/json", bool sign = true, string userAgent = "GitHub-Hookshot/test")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        request.Headers.TryAddWithoutValidation("X-GitHub-Event", gitHubEvent);
        request.Headers.TryAddWithoutValidation("X-GitHub-Delivery", delivery ?? Guid.NewGuid().ToString());
        request.Headers.TryAddWithoutValidation("X-GitHub-Hook-ID", "424242");
        if (sign) request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature ?? Sign(body, secret));
        return request;
    }
}
