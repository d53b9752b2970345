using System.Text;
using ReleaseGovernor.Server.Webhooks;

namespace ReleaseGovernor.IntegrationTests.Webhooks;

public sealed class WebhookSignatureTests
{
    // The example from GitHub's "Validating webhook deliveries" documentation.
    private const string DocsSecret = "It's a Secret to Everybody";
    private static readonly byte[] DocsPayload = Encoding.UTF8.GetBytes("Hello, World!");
    private const string DocsSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    [Fact]
    public void Accepts_the_signature_from_githubs_documentation() =>
        Assert.Equal(SignatureCheck.Valid, WebhookSignature.Verify(DocsSignature, DocsSecret, DocsPayload));

    [Fact]
    public void Signs_like_githubs_documentation() =>
        Assert.Equal(DocsSignature, WebhookSignature.Sign(DocsSecret, DocsPayload));

    [Fact]
    public void Accepts_uppercase_hex() =>
        Assert.Equal(SignatureCheck.Valid, WebhookSignature.Verify("sha256=" + DocsSignature[7..].ToUpperInvariant(), DocsSecret, DocsPayload));

    [Theory]
    [InlineData(null, SignatureCheck.Missing)]
    [InlineData("", SignatureCheck.Missing)]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d", SignatureCheck.Malformed)]
    [InlineData("sha256=xyz", SignatureCheck.Malformed)]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1g", SignatureCheck.Malformed)]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18", SignatureCheck.Mismatch)]
    public void Refuses_what_is_not_the_right_signature(string? header, SignatureCheck expected) =>
        Assert.Equal(expected, WebhookSignature.Verify(header, DocsSecret, DocsPayload));

    [Fact]
    public void Refuses_the_right_signature_with_another_secret() =>
        Assert.Equal(SignatureCheck.Mismatch, WebhookSignature.Verify(DocsSignature, "another secret", DocsPayload));
}
