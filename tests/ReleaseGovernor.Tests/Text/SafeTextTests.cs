using ReleaseGovernor.Core.Text;

namespace ReleaseGovernor.Tests.Text;

public class SafeTextTests
{
    [Theory]
    [InlineData("octo-org/web", "octo-org/web")]
    [InlineData("a\u0000b", "a\\u0000b")]
    [InlineData("line\nforged", "line\\u000aforged")]
    [InlineData("\u001b[31mred", "\\u001b[31mred")]
    [InlineData("abc\u202edef", "abc\\u202edef")]
    [InlineData("\u2066isolate\u2069", "\\u2066isolate\\u2069")]
    [InlineData("café ünïcode", "café ünïcode")]
    public void Control_and_bidi_characters_become_visible_escapes(string text, string shown) =>
        Assert.Equal(shown, SafeText.Clean(text));

    [Fact]
    public void Quote_cuts_long_text_and_quotes_it() =>
        Assert.Equal("\"aaaaa…\"", SafeText.Quote(new string('a', 20), max: 5));
}
