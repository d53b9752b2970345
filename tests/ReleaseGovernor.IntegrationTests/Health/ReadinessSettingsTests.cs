using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Health;

/// <summary>A server started without a setting it needs says so: one warning line per setting, and /readyz "degraded" naming it.</summary>
public sealed class ReadinessSettingsTests
{
    [Fact]
    public async Task Without_the_webhook_secret_and_credentials_readyz_is_degraded_naming_both_and_each_is_warned_once()
    {
        var logs = new LogCapture();
        var app = new GovernorApp(services: s => s.AddSingleton<ILoggerProvider>(logs),
            settings: new() { ["GitHub:WebhookSecret"] = "", ["GitHub:Token"] = "" });
        try
        {
            await app.InitializeAsync();
            await app.WaitReadyAsync();
            var response = await app.Client.GetAsync("/readyz");
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("degraded", (string?)json["status"]);
            var missing = json["missing"]!.AsArray().Select(m => (string?)m).ToList();
            Assert.Contains("GitHub__WebhookSecret", missing);
            Assert.Contains(missing, m => m!.StartsWith("GitHub__Token", StringComparison.Ordinal));
            Assert.Contains("503 not_configured", (string?)json["detail"]);
            Assert.Single(logs.Lines, l => l.StartsWith("Warning: Setting missing: GitHub__WebhookSecret", StringComparison.Ordinal));
            Assert.Single(logs.Lines, l => l.StartsWith("Warning: Setting missing: GitHub__Token", StringComparison.Ordinal));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_every_setting_readyz_is_ready_and_nothing_is_warned()
    {
        var logs = new LogCapture();
        var app = new GovernorApp(services: s => s.AddSingleton<ILoggerProvider>(logs));
        try
        {
            await app.InitializeAsync();
            await app.WaitReadyAsync();
            var json = JsonNode.Parse(await (await app.Client.GetAsync("/readyz")).Content.ReadAsStringAsync())!;

            Assert.Equal("ready", (string?)json["status"]);
            Assert.DoesNotContain(logs.Lines, l => l.Contains("Setting missing"));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
