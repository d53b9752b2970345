using System.Text;
using System.Text.Json;
using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.IntegrationTests.GitHub;

/// <summary>The delivery-log calls: the App's log with its JWT, a repository webhook's with the token; cursor paging; one delivery's request.</summary>
public class DeliveryLogTests : GitHubTestBase
{
    [Fact]
    public async Task The_apps_log_is_read_with_the_app_jwt_page_by_page_through_the_cursor_link()
    {
        for (var i = 0; i < 5; i++)
            GitHub.AppDeliveries.Add($"guid-{i}", "push", Encoding.UTF8.GetBytes($$"""{"ref":"refs/heads/main","n":{{i}}}"""), i == 2 ? 503 : 200);
        var options = Options(o =>
        {
            o.Token = null;
            o.AppId = GitHub.AppId;
            o.PrivateKeyPem = TestAppKey.PrivateKeyPem;
        });
        var transport = Transport(options);
        var client = new GitHubClient(transport, new AppInstallationTokenSource(AppJwtFactory.FromOptions(options), transport));
        var log = client.DeliveryLog();

        var pages = new List<HookDeliveryPage>();
        string? next = null;
        do
        {
            var page = await client.ListHookDeliveriesAsync(log, next, perPage: 2);
            pages.Add(page);
            next = page.Next;
        } while (next is not null);
        var failed = pages.SelectMany(p => p.Deliveries).Single(d => !d.Ok);
        var detail = await client.GetHookDeliveryAsync(log, failed.Id);

        Assert.Equal("/app/hook/deliveries", log.Path);
        Assert.Equal([2, 2, 1], pages.Select(p => p.Deliveries.Count));
        Assert.Equal(["guid-4", "guid-3", "guid-2", "guid-1", "guid-0"], pages.SelectMany(p => p.Deliveries).Select(d => d.Guid));
        Assert.Equal(2, GitHub.Requests.Count(r => r.Query("cursor") is not null));
        Assert.Equal(503, failed.StatusCode);
        Assert.Equal("guid-2", detail.Delivery.Guid);
        Assert.Equal("push", detail.Headers["x-github-event"]);
        Assert.Equal(2, JsonDocument.Parse(detail.Payload).RootElement.GetProperty("n").GetInt32());
        Assert.Equal(4, GitHub.Auth.AcceptedJwts.Count); // three pages and one delivery, each with the app JWT
    }

    [Fact]
    public async Task A_repository_webhooks_log_is_read_with_the_token()
    {
        GitHub.HookDeliveries("acme", "shop", 9).Add("repo-guid", "workflow_run", Encoding.UTF8.GetBytes("""{"action":"completed"}"""), 0);
        var client = Client(o => { o.HookId = 9; o.HookRepository = "acme/shop"; });

        var page = await client.ListHookDeliveriesAsync(client.DeliveryLog(), null);

        var delivery = Assert.Single(page.Deliveries);
        Assert.Equal(("repo-guid", "completed", false), (delivery.Guid, delivery.Action, delivery.Ok));
        Assert.Equal($"Bearer {GitHub.Token}", Assert.Single(GitHub.Requests).Header("Authorization"));
        Assert.Equal("/repos/acme/shop/hooks/9/deliveries", Assert.Single(GitHub.Requests).Path);
        Assert.Null(page.Next);
    }

    [Fact]
    public void With_a_token_and_no_hook_id_the_error_says_what_to_set()
    {
        var error = Assert.Throws<GitHubConfigurationException>(() => Client().DeliveryLog());

        Assert.Contains("GitHub__HookId", error.Message);
        Assert.Contains("GitHub__HookRepository", error.Message);
    }
}
