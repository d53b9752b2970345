using ReleaseGovernor.Core.Risk;

namespace ReleaseGovernor.Tests.Risk;

public class PatternListTests
{
    [Fact]
    public void Returns_the_pattern_that_matched_as_written() =>
        Assert.Equal("**/migrations/**", new PatternList(["*.md", "**/migrations/**"]).Match("db/migrations/1.sql"));

    [Fact]
    public void Returns_null_when_nothing_matches() =>
        Assert.Null(new PatternList(["*.md"]).Match("src/a.cs"));

    [Fact]
    public void A_negation_unmatches_what_an_earlier_pattern_matched()
    {
        var list = new PatternList(["infra/**", "!infra/docs/**"]);

        Assert.Equal("infra/**", list.Match("infra/main.tf"));
        Assert.Null(list.Match("infra/docs/README.md"));
    }

    [Fact]
    public void The_last_matching_pattern_wins()
    {
        var list = new PatternList(["infra/**", "!infra/docs/**", "infra/docs/runbook.md"]);

        Assert.Equal("infra/docs/runbook.md", list.Match("infra/docs/runbook.md"));
        Assert.Null(list.Match("infra/docs/other.md"));
        Assert.True(list.IsMatch("infra/docs/runbook.md"));
        Assert.False(list.IsMatch("infra/docs/other.md"));
    }

    [Fact]
    public void The_later_of_two_matching_patterns_is_the_evidence() =>
        Assert.Equal("*.yml", new PatternList([".github/**", "*.yml"]).Match(".github/workflows/ci.yml"));

    [Fact]
    public void A_negation_before_a_match_does_not_unmatch() =>
        Assert.Equal("*.sql", new PatternList(["!seed.sql", "*.sql"]).Match("db/seed.sql"));

    [Fact]
    public void A_negation_alone_matches_nothing() =>
        Assert.Null(new PatternList(["!*.md"]).Match("README.md"));

    [Fact]
    public void Comments_and_blanks_are_skipped()
    {
        var list = new PatternList(["# dependency manifests", "", "  ", "go.mod"]);

        Assert.Equal(1, list.Count);
        Assert.Equal("go.mod", list.Match("svc/go.mod"));
    }

    [Fact]
    public void A_backslash_makes_a_leading_bang_or_hash_literal()
    {
        var list = new PatternList(["\\!important.txt", "\\#notes"]);

        Assert.Equal("\\!important.txt", list.Match("!important.txt"));
        Assert.Equal("\\#notes", list.Match("#notes"));
    }

    [Fact]
    public void An_empty_list_matches_nothing() => Assert.Null(PatternList.Empty.Match("a"));
}
