using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.Server.Page;

/// <summary>GitHub could not say whether the viewer can read a repository (an outage, a timeout): the page says so, 503.</summary>
public sealed class AccessUnknownException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>GitHub no longer takes the viewer's token (revoked or expired): the session is over, the viewer signs in again.</summary>
public sealed class ViewerTokenRejectedException() : Exception("GitHub no longer accepts the signed-in viewer's token.");

/// <summary>
/// Whether a signed-in viewer can read a repository: GitHub answers <c>GET /repos/{owner}/{repo}</c> with their own token
/// (200 yes; 404 or 403 no; 401 means the token itself is no longer good). Answers are kept for <see cref="PageSettings.AccessCacheFor"/> by a hash of the token, so
/// a lost access shows within that time and no token is kept in the cache's keys.
/// </summary>
public sealed class RepoAccess(IHttpClientFactory http, IMemoryCache cache, PageSettings settings, PageMetrics metrics)
{
    public const string HttpClientName = "github-user";

    public async Task<bool> CanReadAsync(string userToken, RepoRef repo, CancellationToken ct)
    {
        var key = $"repo-access:{Hash(userToken)}:{repo.ToString().ToLowerInvariant()}";
        if (cache.TryGetValue(key, out bool known)) return known;

        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"{settings.ApiBaseUrl}/repos/{Uri.EscapeDataString(repo.Owner)}/{Uri.EscapeDataString(repo.Name)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", userToken);
        request.Headers.Accept.ParseAdd("application/vnd.github+json");
        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            metrics.AccessChecked("unknown");
            throw new AccessUnknownException($"GitHub could not be asked whether you can read {repo} ({e.GetType().Name}); reload in a moment.", e);
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                metrics.AccessChecked("token_rejected");
                throw new ViewerTokenRejectedException();
            }
            bool? answer = response.StatusCode switch
            {
                HttpStatusCode.OK => true,
                HttpStatusCode.NotFound or HttpStatusCode.Forbidden => false,
                _ => null,
            };
            metrics.AccessChecked(answer switch { true => "allowed", false => "denied", null => "unknown" });
            if (answer is not { } canRead)
                throw new AccessUnknownException($"GitHub answered {(int)response.StatusCode} when asked whether you can read {repo}; reload in a moment.");
            cache.Set(key, canRead, settings.AccessCacheFor);
            return canRead;
        }
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
