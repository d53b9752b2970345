using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.IntegrationTests.GitHub;

public class LinkHeaderTests
{
    [Fact]
    public void Finds_next_among_several_links() =>
        Assert.Equal("https://api.github.com/r/1/issues?page=2",
            LinkHeader.Find("""<https://api.github.com/r/1/issues?page=2>; rel="next", <https://api.github.com/r/1/issues?page=5>; rel="last" """, "next"));

    [Fact]
    public void Keeps_commas_inside_urls() =>
        Assert.Equal("https://api.github.com/r/1/issues?labels=a,b&page=2",
            LinkHeader.Find("""<https://api.github.com/r/1/issues?labels=a,b&page=1>; rel="prev", <https://api.github.com/r/1/issues?labels=a,b&page=2>; rel="next" """, "next"));

    [Fact]
    public void Has_no_next_on_the_last_page() =>
        Assert.Null(LinkHeader.Find("""<https://api.github.com/x?page=1>; rel="first", <https://api.github.com/x?page=2>; rel="prev" """, "next"));
}
