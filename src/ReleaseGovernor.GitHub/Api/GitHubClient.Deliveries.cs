using System.Globalization;
using System.Text.Json;
using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.GitHub.Api;

public sealed partial class GitHubClient
{
    /// <summary>
    /// The delivery log the sweep reads: with <c>GitHub__Token</c>, the repository webhook <c>GitHub__HookId</c> of
    /// <c>GitHub__HookRepository</c> (<c>/repos/{o}/{r}/hooks/{id}/deliveries</c>, token auth); else the App's webhook
    /// (<c>/app/hook/deliveries</c>, JWT). Throws <see cref="GitHubConfigurationException"/> naming what to set.
    /// </summary>
    public HookDeliveryLog DeliveryLog()
    {
        if (!string.IsNullOrWhiteSpace(Options.Token))
        {
            if (Options.HookId is not { } hookId || !RepoRef.TryParse(Options.HookRepository, out var repo))
                throw new GitHubConfigurationException(
                    "With GitHub__Token the delivery log is a repository webhook's: set GitHub__HookId (Settings → Webhooks → the hook's id) " +
                    "and GitHub__HookRepository (owner/name), or use the GitHub App (GitHub__AppId + GitHub__PrivateKeyPath).");
            return new HookDeliveryLog($"{GitHubPaths.Repo(repo)}/hooks/{hookId.ToString(CultureInfo.InvariantCulture)}/deliveries",
                $"webhook {hookId} of {repo}");
        }
        if (string.IsNullOrWhiteSpace(Options.AppId))
            throw new GitHubConfigurationException(UnconfiguredTokenSource.DefaultReason);
        return new HookDeliveryLog("/app/hook/deliveries", "the App's webhook");
    }

    /// <summary>
    /// One page of the delivery log, newest first: the first page when <paramref name="next"/> is null, else the
    /// <c>Link: rel="next"</c> URL of the previous page (GitHub pages this log by cursor). Octokit has no client for
    /// the hook-delivery endpoints, so this goes through its connection.
    /// </summary>
    public async Task<HookDeliveryPage> ListHookDeliveriesAsync(HookDeliveryLog log, string? next, int perPage = 100, CancellationToken ct = default)
    {
        var target = next ?? log.Path + GitHubPaths.Query(("per_page", Math.Clamp(perPage, 1, 100).ToString(CultureInfo.InvariantCulture)));
        if (next is not null && !_transport.IsSameOrigin(next))
            throw new GitHubConfigurationException($"The delivery log's next-page link points at another host; refusing to follow it.");
        var response = await GetAsync<object>(target, installationId: null, ct).ConfigureAwait(false);
        var items = JsonSerializer.Deserialize<List<HookDeliveryJson>>(RawBody(response.HttpResponse, "GET", target), GitHubJson.Options) ?? [];
        return new HookDeliveryPage(items.Select(i => i.ToModel()).ToList(), LinkHeader.Next(response.HttpResponse.Headers));
    }

    /// <summary>
    /// One attempt with the request GitHub sent (<c>GET .../deliveries/{id}</c>): headers and payload. Octokit has no
    /// client for it, so this goes through its connection.
    /// </summary>
    public async Task<HookDeliveryDetail> GetHookDeliveryAsync(HookDeliveryLog log, long deliveryId, CancellationToken ct = default)
    {
        var target = $"{log.Path}/{deliveryId.ToString(CultureInfo.InvariantCulture)}";
        var response = await GetAsync<object>(target, installationId: null, ct).ConfigureAwait(false);
        var item = JsonSerializer.Deserialize<HookDeliveryJson>(RawBody(response.HttpResponse, "GET", target), GitHubJson.Options)
                   ?? throw new JsonException($"GitHub answered GET {target} with JSON null.");
        if (item.Request is not { Payload.ValueKind: JsonValueKind.Object } request)
            throw new JsonException($"GitHub's answer to GET {target} has no request payload.");
        var headers = (request.Headers ?? []).ToDictionary(h => h.Key,
            h => h.Value.ValueKind == JsonValueKind.String ? h.Value.GetString() ?? "" : h.Value.GetRawText(), StringComparer.OrdinalIgnoreCase);
        return new HookDeliveryDetail(item.ToModel(), headers, request.Payload.GetRawText());
    }

    /// <summary>
    /// The answer's JSON text. Octokit's serializer would turn the payload into its own dictionaries; the payload must
    /// stay as GitHub sent it, so it is read here with System.Text.Json.
    /// </summary>
    private static string RawBody(Octokit.IResponse response, string method, string target) =>
        response.Body as string is { Length: > 0 } json
            ? json
            : throw new JsonException($"GitHub answered {(int)response.StatusCode} for {method} {target} with no JSON body.");
}
