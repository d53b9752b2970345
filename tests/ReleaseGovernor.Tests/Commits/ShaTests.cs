using ReleaseGovernor.Core.Commits;

namespace ReleaseGovernor.Tests.Commits;

public sealed class ShaTests
{
    [Fact]
    public void A_sha_in_capitals_parses_to_its_lower_case_spelling_and_equals_it()
    {
        Assert.True(Sha.TryParse("0123456789ABCDEF0123456789abcdef01234567", out var upper));
        Assert.True(Sha.TryParse("0123456789abcdef0123456789abcdef01234567", out var lower));

        Assert.Equal("0123456789abcdef0123456789abcdef01234567", upper.Value);
        Assert.Equal(lower, upper);
        Assert.Equal("0123456", upper.Short);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("main")]
    [InlineData("0123456789abcdef0123456789abcdef0123456")]    // 39
    [InlineData("0123456789abcdef0123456789abcdef012345678")]  // 41
    [InlineData("0123456789abcdef0123456789abcdef0123456g")]
    [InlineData(" 123456789abcdef0123456789abcdef01234567")]
    [InlineData("٠١٢٣٤٥٦٧٨٩abcdef0123456789abcdef01234567")] // digits of another script
    public void Anything_but_40_hex_digits_is_not_a_sha(string? text)
    {
        Assert.False(Sha.TryParse(text, out _));
        var error = Assert.Throws<FormatException>(() => Sha.Parse(text, "workflow_run.head_sha"));
        Assert.Contains("workflow_run.head_sha must be a full commit sha (40 hex characters)", error.Message);
    }

    [Fact]
    public void An_unparsed_sha_cannot_be_used_by_mistake()
    {
        var empty = default(Sha);
        Assert.Equal("", empty.ToString());
        Assert.Throws<InvalidOperationException>(() => empty.Value);
    }
}
