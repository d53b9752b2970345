using ReleaseGovernor.Core.Risk;

namespace ReleaseGovernor.Tests.Risk;

public class PathPatternTests
{
    [Theory]
    // A name without a slash matches at any depth.
    [InlineData("package.json", "package.json", true)]
    [InlineData("package.json", "web/package.json", true)]
    [InlineData("package.json", "web/package.json.bak", false)]
    [InlineData("package.json", "web/my-package.json", false)]
    [InlineData("*.csproj", "src/A/A.csproj", true)]
    [InlineData("*.csproj", "A.csproj", true)]
    [InlineData("*.csproj", "src/A/A.csproj.user", false)]
    [InlineData("requirements*.txt", "requirements.txt", true)]
    [InlineData("requirements*.txt", "svc/requirements-dev.txt", true)]
    [InlineData("requirements*.txt", "requirements/dev.txt", false)]
    // '*' and '?' stop at '/'.
    [InlineData("src/*.cs", "src/A.cs", true)]
    [InlineData("src/*.cs", "src/A/B.cs", false)]
    [InlineData("go.???", "go.mod", true)]
    [InlineData("go.???", "go.sum", true)]
    [InlineData("go.???", "go.work", false)]
    [InlineData("a?b", "a/b", false)]
    // A slash in the middle anchors to the root.
    [InlineData("src/app.json", "src/app.json", true)]
    [InlineData("src/app.json", "lib/src/app.json", false)]
    [InlineData(".github/workflows/*.yml", ".github/workflows/deploy.yml", true)]
    [InlineData(".github/workflows/*.yml", "x/.github/workflows/deploy.yml", false)]
    // A leading slash anchors to the root.
    [InlineData("/Dockerfile", "Dockerfile", true)]
    [InlineData("/Dockerfile", "svc/Dockerfile", false)]
    [InlineData("Dockerfile", "svc/Dockerfile", true)]
    // '**' is any number of directories, zero included.
    [InlineData("**/migrations/**", "db/migrations/001.sql", true)]
    [InlineData("**/migrations/**", "migrations/001.sql", true)]
    [InlineData("**/migrations/**", "a/b/c/migrations/x/y.sql", true)]
    [InlineData("**/migrations/**", "db/migrations", false)]
    [InlineData("**/migrations/**", "db/migrations.sql", false)]
    [InlineData("**/migrations/**", "db/old_migrations/1.sql", false)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/b", true)]
    [InlineData("a/**/b", "a/x/y/z/b", true)]
    [InlineData("a/**/b", "a/xb", false)]
    [InlineData("a/**/b", "x/a/b", false)]
    [InlineData("**/Dockerfile", "Dockerfile", true)]
    [InlineData("**/Dockerfile", "a/b/Dockerfile", true)]
    [InlineData("**", "anything/at/all.txt", true)]
    [InlineData("a**b", "a/x/b", false)]
    [InlineData("a**b", "axxb", true)]
    // 'dir/**' matches everything inside, not the directory name itself.
    [InlineData(".github/workflows/**", ".github/workflows/deploy.yml", true)]
    [InlineData(".github/workflows/**", ".github/workflows/sub/x.yml", true)]
    [InlineData(".github/workflows/**", ".github/workflows", false)]
    [InlineData(".github/workflows/**", ".github/dependabot.yml", false)]
    [InlineData(".github/workflows/**", "x/.github/workflows/deploy.yml", false)]
    // A trailing slash matches a directory: every path under it.
    [InlineData("infra/", "infra/k8s/x.yaml", true)]
    [InlineData("infra/", "svc/infra/main.tf", true)]
    [InlineData("infra/", "infra", false)]
    [InlineData("infra/", "infrastructure/x", false)]
    [InlineData("deploy/k8s/", "deploy/k8s/app.yaml", true)]
    [InlineData("deploy/k8s/", "x/deploy/k8s/app.yaml", false)]
    // A pattern that names a directory also matches what is under it, as in .gitignore.
    [InlineData("infra", "infra", true)]
    [InlineData("infra", "infra/k8s/x.yaml", true)]
    [InlineData("db/schema", "db/schema/tables.sql", true)]
    // Character classes.
    [InlineData("v[0-9].txt", "v1.txt", true)]
    [InlineData("v[0-9].txt", "vx.txt", false)]
    [InlineData("[Dd]ockerfile", "dockerfile", true)]
    [InlineData("[Dd]ockerfile", "Dockerfile", true)]
    [InlineData("[!a]b", "cb", true)]
    [InlineData("[!a]b", "ab", false)]
    [InlineData("[^a]b", "ab", false)]
    [InlineData("x[!a]y", "x/y", false)]
    [InlineData("x[.-0]y", "x/y", false)]
    [InlineData("x[.-0]y", "x.y", true)]
    [InlineData("[]]", "]", true)]
    [InlineData("[a-]", "-", true)]
    [InlineData("file[", "file[", true)]
    // Escapes and literal regex characters.
    [InlineData("\\*.md", "*.md", true)]
    [InlineData("\\*.md", "README.md", false)]
    [InlineData("a+b(c).txt", "a+b(c).txt", true)]
    [InlineData("a.b", "axb", false)]
    // Git paths are case-sensitive.
    [InlineData("Cargo.toml", "cargo.toml", false)]
    public void Matches_like_gitignore(string pattern, string path, bool expected) =>
        Assert.Equal(expected, PathPattern.Parse(pattern).IsMatch(path));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("/")]
    public void An_empty_pattern_matches_nothing(string pattern) =>
        Assert.False(PathPattern.Parse(pattern).IsMatch("a"));

    [Fact]
    public void Keeps_the_text_as_written() =>
        Assert.Equal(" *.csproj", PathPattern.Parse(" *.csproj").Text);

    [Fact]
    public void Many_double_stars_on_a_long_path_stay_fast()
    {
        var pattern = PathPattern.Parse("**/a/**/a/**/a/**/a/**/a/**/b");
        var path = string.Join('/', Enumerable.Repeat("a", 2_000));

        Assert.False(pattern.IsMatch(path));
    }
}
