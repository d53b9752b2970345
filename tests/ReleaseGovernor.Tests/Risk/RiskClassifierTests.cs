using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Risk;

namespace ReleaseGovernor.Tests.Risk;

public class RiskClassifierTests
{
    [Theory]
    [InlineData(".github/workflows/deploy.yml", RiskClass.High)]
    [InlineData("db/migrations/001.sql", RiskClass.High)]
    [InlineData("migrations/2024_init.py", RiskClass.High)]
    [InlineData("src/App/App.csproj", RiskClass.Medium)]
    [InlineData("Directory.Packages.props", RiskClass.Medium)]
    [InlineData("web/package.json", RiskClass.Medium)]
    [InlineData("requirements-dev.txt", RiskClass.Medium)]
    [InlineData("pyproject.toml", RiskClass.Medium)]
    [InlineData("crates/x/Cargo.toml", RiskClass.Medium)]
    [InlineData("go.sum", RiskClass.Medium)]
    [InlineData("README.md", RiskClass.Low)]
    [InlineData("src/App/Program.cs", RiskClass.Low)]
    [InlineData(".github/dependabot.yml", RiskClass.Low)]
    public void The_default_config_classifies_a_single_path(string path, RiskClass expected) =>
        Assert.Equal(expected, RiskClassifier.Classify([path], truncated: false, GovernorConfig.Default).Class);

    [Fact]
    public void An_empty_diff_is_low_with_no_evidence()
    {
        var assessment = RiskClassifier.Classify([], truncated: false, GovernorConfig.Default);

        Assert.Equal(RiskClass.Low, assessment.Class);
        Assert.Empty(assessment.Evidence);
        Assert.False(assessment.DiffTruncated);
    }

    [Fact]
    public void A_truncated_diff_is_high_whatever_it_lists()
    {
        var assessment = RiskClassifier.Classify(["README.md"], truncated: true, GovernorConfig.Default);

        Assert.Equal(RiskClass.High, assessment.Class);
        Assert.True(assessment.DiffTruncated);
        Assert.Equal(new RiskEvidence("*", "diff_truncated", RiskClass.High), Assert.Single(assessment.Evidence));
    }

    [Fact]
    public void A_truncated_empty_diff_is_still_high() =>
        Assert.Equal(RiskClass.High, RiskClassifier.Classify([], truncated: true, GovernorConfig.Default).Class);

    [Fact]
    public void High_evidence_names_every_high_path_and_no_medium_one()
    {
        var assessment = RiskClassifier.Classify(
            ["README.md", ".github/workflows/ci.yml", "package.json", "db/migrations/1.sql", "schema/2.sql"],
            truncated: false,
            highRiskPaths: [".github/workflows/**", "**/migrations/**"],
            migrationPaths: ["schema/"],
            mediumRiskPaths: ["package.json"]);

        Assert.Equal(RiskClass.High, assessment.Class);
        Assert.False(assessment.DiffTruncated);
        Assert.Equal(
            [
                new RiskEvidence(".github/workflows/ci.yml", ".github/workflows/**", RiskClass.High),
                new RiskEvidence("db/migrations/1.sql", "**/migrations/**", RiskClass.High),
                new RiskEvidence("schema/2.sql", "schema/", RiskClass.High),
            ],
            assessment.Evidence);
    }

    [Fact]
    public void Medium_evidence_names_every_medium_path()
    {
        var assessment = RiskClassifier.Classify(
            ["src/A/A.csproj", "README.md", "web/package.json"], truncated: false, GovernorConfig.Default);

        Assert.Equal(RiskClass.Medium, assessment.Class);
        Assert.Equal(
            [
                new RiskEvidence("src/A/A.csproj", "*.csproj", RiskClass.Medium),
                new RiskEvidence("web/package.json", "package.json", RiskClass.Medium),
            ],
            assessment.Evidence);
    }

    [Fact]
    public void Migration_paths_alone_make_a_diff_high()
    {
        var config = GovernorConfig.Default with { HighRiskPaths = [], MigrationPaths = ["db/schema/**"] };

        var assessment = RiskClassifier.Classify(["db/schema/v2.sql"], truncated: false, config);

        Assert.Equal(new RiskEvidence("db/schema/v2.sql", "db/schema/**", RiskClass.High), Assert.Single(assessment.Evidence));
    }

    [Fact]
    public void A_negated_high_path_falls_through_to_medium_or_low()
    {
        var config = GovernorConfig.Default with { HighRiskPaths = [".github/**", "!.github/ISSUE_TEMPLATE/**", "!**/package.json"] };

        Assert.Equal(RiskClass.Low, RiskClassifier.Classify([".github/ISSUE_TEMPLATE/bug.md"], false, config).Class);
        Assert.Equal(RiskClass.Medium, RiskClassifier.Classify([".github/actions/x/package.json"], false, config).Class);
        Assert.Equal(RiskClass.High, RiskClassifier.Classify([".github/workflows/ci.yml"], false, config).Class);
    }

    [Fact]
    public void A_path_listed_twice_is_evidence_once() =>
        Assert.Single(RiskClassifier.Classify(["go.mod", "go.mod"], truncated: false, GovernorConfig.Default).Evidence);

    [Fact]
    public void Low_has_no_evidence() =>
        Assert.Empty(RiskClassifier.Classify(["src/a.cs", "docs/b.md"], truncated: false, GovernorConfig.Default).Evidence);
}
