using System.Globalization;
using System.Web;

namespace ReleaseGovernor.GitHub.Api;

public sealed partial class GitHubClient
{
    /// <summary>One page of the app's webhook deliveries, newest first (<c>GET /app/hook/deliveries</c>, app JWT).</summary>
    public async Task<HookDeliveryPage> ListAppHookDeliveriesAsync(int perPage = 100, string? cursor = null, CancellationToken ct = default)
    {
        var query = GitHubPaths.Query(("per_page", Math.Clamp(perPage, 1, 100).ToString(CultureInfo.InvariantCulture)), ("cursor", cursor));
        var response = await SendAsync(GitHubRequest.Get($"/app/hook/deliveries{query}"), installationId: null, ct).ConfigureAwait(false);
        var deliveries = GitHubJson.Deserialize<List<HookDelivery>>(response);
        return new HookDeliveryPage(deliveries, CursorOf(response.NextLink));
    }

    /// <summary>Asks GitHub to send a delivery again (<c>POST /app/hook/deliveries/{id}/attempts</c>, answers 202).</summary>
    public async Task RedeliverAppHookDeliveryAsync(long deliveryId, CancellationToken ct = default) =>
        await SendAsync(GitHubRequest.Post($"/app/hook/deliveries/{deliveryId.ToString(CultureInfo.InvariantCulture)}/attempts", body: null),
            installationId: null, ct).ConfigureAwait(false);

    private static string? CursorOf(string? nextLink) =>
        nextLink is not null && Uri.TryCreate(nextLink, UriKind.Absolute, out var uri)
            ? HttpUtility.ParseQueryString(uri.Query)["cursor"]
            : null;
}
