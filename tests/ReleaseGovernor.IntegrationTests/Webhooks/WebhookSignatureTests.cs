using System.Text;
using Microsoft.AspNetCore.Http;
using Octokit.Webhooks;
using ReleaseGovernor.Server.Webhooks;

namespace ReleaseGovernor.IntegrationTests.Webhooks;

/// <summary>The signature check the endpoint runs (the header's shape, then the library's validator over the body read in chunks), against GitHub's example.</summary>
public sealed class WebhookSignatureTests
{
    // The example from GitHub's "Validating webhook deliveries" documentation.
    private const string DocsSecret = "It's a Secret to Everybody";
    private static readonly byte[] DocsPayload = Encoding.UTF8.GetBytes("Hello, World!");
    private const string DocsSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    [Fact]
    public async Task Accepts_the_signature_from_githubs_documentation() =>
        Assert.Equal(SignatureCheck.Valid, await CheckAsync(DocsSignature, DocsSecret, DocsPayload));

    [Fact]
    public async Task Accepts_uppercase_hex() =>
        Assert.Equal(SignatureCheck.Valid, await CheckAsync("sha256=" + DocsSignature[7..].ToUpperInvariant(), DocsSecret, DocsPayload));

    [Theory]
    [InlineData(null, SignatureCheck.Missing)]
    [InlineData("", SignatureCheck.Missing)]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d", SignatureCheck.Malformed)]
    [InlineData("sha256=xyz", SignatureCheck.Malformed)]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1g", SignatureCheck.Malformed)]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18", SignatureCheck.Mismatch)]
    public async Task Refuses_what_is_not_the_right_signature(string? header, SignatureCheck expected) =>
        Assert.Equal(expected, await CheckAsync(header, DocsSecret, DocsPayload));

    [Fact]
    public async Task Refuses_the_right_signature_with_another_secret() =>
        Assert.Equal(SignatureCheck.Mismatch, await CheckAsync(DocsSignature, "another secret", DocsPayload));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    [InlineData(3 * 64 * 1024 + 7)]
    public async Task Agrees_with_the_librarys_validator_on_bodies_of_one_or_many_chunks(int size)
    {
        var body = new byte[size];
        new Random(size).NextBytes(body);
        var right = SignedDelivery.Sign(body, DocsSecret);
        var wrong = SignedDelivery.Sign([.. body, 0], DocsSecret);

        Assert.Equal(WebhookSignatureValidationResult.Valid, WebhookSignatureValidator.Verify(right, DocsSecret, body));
        Assert.Equal(SignatureCheck.Valid, await CheckAsync(right, DocsSecret, body));
        Assert.Equal(WebhookSignatureValidationResult.SignatureMismatch, WebhookSignatureValidator.Verify(wrong, DocsSecret, body));
        Assert.Equal(SignatureCheck.Mismatch, await CheckAsync(wrong, DocsSecret, body));
    }

    /// <summary>What the endpoint does: check the header's shape, read the body in chunks, verify it.</summary>
    private static async Task<SignatureCheck> CheckAsync(string? header, string secret, byte[] payload)
    {
        if (WebhookSignature.CheckHeader(header) is not SignatureCheck.Valid and var problem) return problem;
        var http = new DefaultHttpContext();
        http.Request.Body = new MemoryStream(payload);
        var budget = new UnverifiedBodyBudget(1024 * 1024, TimeSpan.FromSeconds(5));
        var (status, body) = await UnverifiedBody.ReadAsync(http, budget, 1024 * 1024, CancellationToken.None);
        using (body)
        {
            Assert.Equal(BodyReadStatus.Read, status);
            return body!.VerifySignature(header!, secret);
        }
    }
}
