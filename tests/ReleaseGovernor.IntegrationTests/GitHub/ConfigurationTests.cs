using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.IntegrationTests.GitHub;

public class ConfigurationTests : GitHubTestBase
{
    [Fact]
    public async Task AddGitHubClient_binds_the_GitHub_section()
    {
        Repo.SetFile("main", "a.txt", "hello");
        using var services = Services(new()
        {
            ["GitHub:ApiBaseUrl"] = GitHub.BaseUrl,
            ["GitHub:Token"] = GitHub.Token,
            ["GitHub:ApiVersion"] = "2026-03-10",
            ["GitHub:MaxRetries"] = "2",
            ["GitHub:Timeout"] = "00:00:03",
        });

        var content = await services.GetRequiredService<GitHubClient>().GetFileContentAsync(Shop, null, "a.txt", "main");

        Assert.Equal("hello", content);
        var options = services.GetRequiredService<IOptions<GitHubOptions>>().Value;
        Assert.Equal(2, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(3), options.Timeout);
        Assert.IsType<StaticTokenSource>(services.GetRequiredService<IGitHubTokenSource>());
        Assert.Equal("2026-03-10", Assert.Single(GitHub.Requests).Header("X-GitHub-Api-Version"));
    }

    [Fact]
    public void Defaults_match_the_design()
    {
        var options = new GitHubOptions();

        Assert.Equal("https://api.github.com", options.ApiBaseUrl);
        Assert.Equal("2022-11-28", options.ApiVersion);
        Assert.Equal("ReleaseGovernor", options.UserAgent);
        Assert.Equal(4, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(60), options.MaxRetryAfter);
    }

    [Fact]
    public async Task Without_credentials_every_call_fails_naming_the_settings()
    {
        using var services = Services(new() { ["GitHub:ApiBaseUrl"] = GitHub.BaseUrl });

        var error = await Assert.ThrowsAsync<GitHubConfigurationException>(() =>
            services.GetRequiredService<GitHubClient>().CompareAsync(Shop, InstallationId, BaseSha, Sha));

        Assert.Contains("GitHub__Token", error.Message);
        Assert.Contains("GitHub__AppId", error.Message);
        Assert.Contains("GitHub__PrivateKeyPath", error.Message);
        Assert.Empty(GitHub.Requests);
    }

    [Fact]
    public async Task An_app_id_without_a_key_names_the_key_setting()
    {
        using var services = Services(new() { ["GitHub:ApiBaseUrl"] = GitHub.BaseUrl, ["GitHub:AppId"] = "12345" });

        var error = await Assert.ThrowsAsync<GitHubConfigurationException>(() =>
            services.GetRequiredService<GitHubClient>().CompareAsync(Shop, InstallationId, BaseSha, Sha));

        Assert.Contains("GitHub__PrivateKeyPath", error.Message);
    }

    [Fact]
    public async Task An_unreadable_key_file_names_the_path()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.pem");
        using var services = Services(new()
        {
            ["GitHub:ApiBaseUrl"] = GitHub.BaseUrl, ["GitHub:AppId"] = "12345", ["GitHub:PrivateKeyPath"] = missing,
        });

        var error = await Assert.ThrowsAsync<GitHubConfigurationException>(() =>
            services.GetRequiredService<GitHubClient>().CompareAsync(Shop, InstallationId, BaseSha, Sha));

        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public async Task App_id_and_key_file_select_the_app_credentials()
    {
        var keyFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(keyFile, TestAppKey.PrivateKeyPem);
            Repo.SetFile("main", "a.txt", "hello");
            using var services = Services(new()
            {
                ["GitHub:ApiBaseUrl"] = GitHub.BaseUrl, ["GitHub:AppId"] = GitHub.AppId, ["GitHub:PrivateKeyPath"] = keyFile,
            });

            var content = await services.GetRequiredService<GitHubClient>().GetFileContentAsync(Shop, InstallationId, "a.txt", "main");

            Assert.Equal("hello", content);
            Assert.IsType<AppInstallationTokenSource>(services.GetRequiredService<IGitHubTokenSource>());
            Assert.Equal(1, Attempts("POST", $"/app/installations/{InstallationId}/access_tokens"));
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Fact]
    public void A_relative_api_url_is_refused_with_the_setting_name()
    {
        using var services = Services(new() { ["GitHub:ApiBaseUrl"] = "api.github.com", ["GitHub:Token"] = "t" });

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<GitHubClient>());

        Assert.Contains("GitHub__ApiBaseUrl", error.Message);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddGitHubClient(configuration.GetSection(GitHubOptions.SectionName)).BuildServiceProvider();
    }
}
