using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReleaseGovernor.Testing.Fakes;

public sealed partial class FakeGitHub
{
    private readonly ConcurrentDictionary<string, FakeDeliveryLog> _hookLogs = new(StringComparer.OrdinalIgnoreCase);
    private FakeDeliveryLog? _appLog;

    /// <summary>The App webhook's delivery log (<c>/app/hook/deliveries</c>, JWT).</summary>
    public FakeDeliveryLog AppDeliveries => LazyInitializer.EnsureInitialized(ref _appLog, () => new FakeDeliveryLog(NextId, _options.TimeProvider));

    /// <summary>A repository webhook's delivery log (<c>/repos/{o}/{r}/hooks/{id}/deliveries</c>, token).</summary>
    public FakeDeliveryLog HookDeliveries(string owner, string repo, long hookId) =>
        _hookLogs.GetOrAdd($"{owner}/{repo}#{hookId}", _ => new FakeDeliveryLog(NextId, _options.TimeProvider));

    private FakeDeliveryLog LogOf(RouteCall call) =>
        call.Groups["hook"].Success ? HookDeliveries(call["owner"], call["repo"], long.Parse(call["hook"], CultureInfo.InvariantCulture)) : AppDeliveries;

    /// <summary>Newest first, <c>per_page</c> (max 100), paged by an opaque <c>cursor</c> given in <c>Link: rel="next"</c>, as GitHub does.</summary>
    private Task ListDeliveries(RouteCall call)
    {
        var context = call.Context;
        var perPage = Math.Clamp(FakeHttp.IntQuery(context, "per_page") ?? 30, 1, 100);
        var cursor = context.Request.Query["cursor"].ToString();
        long? before = null;
        if (cursor.Length > 0)
        {
            try
            {
                before = long.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor)), CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                return FakeHttp.Error(context, 400, "The cursor is not valid.");
            }
        }
        var attempts = LogOf(call).Attempts.Where(a => before is null || a.Id < before).ToList();
        var page = attempts.Take(perPage).ToList();
        if (attempts.Count > perPage)
        {
            var next = Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1].Id.ToString(CultureInfo.InvariantCulture)));
            context.Response.Headers["Link"] = $"<{FakeHttp.UrlWithQuery(context, "cursor", next)}>; rel=\"next\"";
        }
        return FakeHttp.Json(context, 200, page.Select(a => Render(a, withRequest: false)).ToArray());
    }

    private Task GetDelivery(RouteCall call) =>
        LogOf(call).Find(long.Parse(call["id"], CultureInfo.InvariantCulture)) is { } attempt
            ? FakeHttp.Json(call.Context, 200, Render(attempt, withRequest: true))
            : FakeHttp.NotFound(call.Context);

    private Task Redeliver(RouteCall call)
    {
        var log = LogOf(call);
        var id = long.Parse(call["id"], CultureInfo.InvariantCulture);
        if (log.Find(id) is null) return FakeHttp.NotFound(call.Context);
        log.RequestRedelivery(id);
        return FakeHttp.Json(call.Context, 202, new { });
    }

    private static object Render(FakeLoggedDelivery a, bool withRequest)
    {
        var item = new JsonObject
        {
            ["id"] = a.Id,
            ["guid"] = a.Guid,
            ["delivered_at"] = FakeHttp.Iso(a.DeliveredAt),
            ["redelivery"] = a.Redelivery,
            ["duration"] = 0.05,
            ["status"] = a.Status,
            ["status_code"] = a.StatusCode,
            ["event"] = a.Event,
            ["action"] = a.Action,
            ["installation_id"] = a.InstallationId,
            ["repository_id"] = a.RepositoryId,
        };
        if (withRequest)
        {
            item["request"] = new JsonObject
            {
                ["headers"] = new JsonObject
                {
                    ["Accept"] = "*/*",
                    ["User-Agent"] = "GitHub-Hookshot/fake",
                    ["X-GitHub-Delivery"] = a.Guid,
                    ["X-GitHub-Event"] = a.Event,
                    ["content-type"] = "application/json",
                },
                ["payload"] = JsonNode.Parse(a.Payload),
            };
            item["response"] = new JsonObject { ["headers"] = new JsonObject(), ["payload"] = null };
        }
        return item;
    }
}
