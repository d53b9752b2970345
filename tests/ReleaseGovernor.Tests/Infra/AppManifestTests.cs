using System.Text.Json;

namespace ReleaseGovernor.Tests.Infra;

/// <summary>The GitHub App registration: the least permissions that work and the events routed by the server.</summary>
public sealed class AppManifestTests
{
    private static readonly JsonElement Manifest = Load();

    [Fact]
    public void Asks_for_exactly_the_permissions_the_governor_uses()
    {
        var permissions = Manifest.GetProperty("default_permissions").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString());

        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["actions"] = "write",
                ["contents"] = "read",
                ["statuses"] = "write",
                ["issues"] = "write",
                ["pull_requests"] = "read",
                ["metadata"] = "read",
                ["members"] = "read", // organization: team membership for approvers
                ["deployments"] = "write", // answering custom deployment protection rules (with actions read, covered by write)
            },
            permissions);
    }

    [Fact]
    public void Subscribes_to_exactly_the_events_the_server_routes()
    {
        var events = Manifest.GetProperty("default_events").EnumerateArray().Select(e => e.GetString()).ToList();

        Assert.Equal(events.Count, events.Distinct().Count());
        Assert.Equal(
            new[] { "deployment_protection_rule", "issue_comment", "pull_request", "push", "workflow_run" },
            events.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Sends_webhooks_to_the_webhook_route_over_https()
    {
        var hook = Manifest.GetProperty("hook_attributes");
        var url = new Uri(hook.GetProperty("url").GetString()!);

        Assert.Equal("https", url.Scheme);
        Assert.Equal("/api/github/webhooks", url.AbsolutePath);
        Assert.True(!hook.TryGetProperty("active", out var active) || active.GetBoolean());
    }

    [Fact]
    public void Is_a_private_app_with_the_fields_the_manifest_flow_requires()
    {
        Assert.False(Manifest.GetProperty("public").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(Manifest.GetProperty("name").GetString()));
        Assert.StartsWith("https://", Manifest.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("https://", Manifest.GetProperty("redirect_url").GetString(), StringComparison.Ordinal);
    }

    private static JsonElement Load()
    {
        using var document = JsonDocument.Parse(RepositoryFiles.ReadText("infra/github-app/manifest.json"));
        return document.RootElement.Clone();
    }
}
