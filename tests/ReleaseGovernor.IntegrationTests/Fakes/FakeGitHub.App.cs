using System.Globalization;

namespace ReleaseGovernor.IntegrationTests.Fakes;

public sealed partial class FakeGitHub
{
    private readonly Lock _deliveryGate = new();
    private readonly List<FakeDelivery> _deliveries = [];
    private readonly List<long> _redeliveries = [];

    public void AddDelivery(FakeDelivery delivery)
    {
        lock (_deliveryGate) _deliveries.Add(delivery);
    }

    /// <summary>Delivery ids redelivered through <c>POST /app/hook/deliveries/{id}/attempts</c>.</summary>
    public IReadOnlyList<long> Redeliveries { get { lock (_deliveryGate) return [.. _redeliveries]; } }

    private Task CreateInstallationToken(RouteCall call)
    {
        var token = Auth.Issue(long.Parse(call["id"], CultureInfo.InvariantCulture));
        return FakeHttp.Json(call.Context, 201, new
        {
            token = token.Token,
            expires_at = FakeHttp.Iso(token.ExpiresAt),
            permissions = new { actions = "write", contents = "read", statuses = "write", issues = "write" },
            repository_selection = "all",
        });
    }

    /// <summary>Newest first; the cursor is the offset of the next page.</summary>
    private Task ListDeliveries(RouteCall call)
    {
        FakeDelivery[] all;
        lock (_deliveryGate) all = [.. _deliveries.OrderByDescending(d => d.Id)];
        var perPage = Math.Clamp(FakeHttp.IntQuery(call.Context, "per_page") ?? 30, 1, 100);
        var offset = int.TryParse(call.Context.Request.Query["cursor"], NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : 0;
        var page = all.Skip(offset).Take(perPage).ToArray();
        if (offset + perPage < all.Length)
        {
            var next = FakeHttp.UrlWithQuery(call.Context, "cursor", (offset + perPage).ToString(CultureInfo.InvariantCulture));
            call.Context.Response.Headers["Link"] = $"<{next}>; rel=\"next\"";
        }
        return FakeHttp.Json(call.Context, 200, page.Select(d => new
        {
            id = d.Id,
            guid = d.Guid,
            delivered_at = FakeHttp.Iso(d.DeliveredAt),
            redelivery = d.Redelivery,
            duration = 0.27,
            status = d.Status,
            status_code = d.StatusCode,
            @event = d.Event,
            action = d.Action,
            installation_id = d.InstallationId,
            repository_id = d.RepositoryId,
        }).ToArray());
    }

    private Task Redeliver(RouteCall call)
    {
        var id = long.Parse(call["id"], CultureInfo.InvariantCulture);
        lock (_deliveryGate)
        {
            if (_deliveries.All(d => d.Id != id)) return FakeHttp.NotFound(call.Context);
            _redeliveries.Add(id);
        }
        return FakeHttp.Json(call.Context, 202, new { });
    }
}
