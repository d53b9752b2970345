using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.Server.Api;

/// <summary>
/// <c>GET /api/repos/{owner}/{repo}/release[?env=production]</c>: the release-state projection as JSON, the same
/// document as <c>booty governor status --json</c>. Behind a bearer token when <c>ReleaseGovernor__ApiToken</c> is set.
/// </summary>
public static class ReleaseApi
{
    public static IEndpointRouteBuilder MapReleaseApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/repos/{owner}/{repo}/release", GetAsync);
        return app;
    }

    private static async Task<Results<Ok<ReleaseStatus>, NotFound<Problem>, UnauthorizedHttpResult>> GetAsync(
        string owner, string repo, string? env, HttpRequest request, IEventStore store, IConfiguration configuration, CancellationToken ct)
    {
        if (configuration["ReleaseGovernor:ApiToken"] is { Length: > 0 } token && !Authorized(request, token))
            return TypedResults.Unauthorized();
        var repository = new RepoRef(owner, repo);
        var environment = string.IsNullOrWhiteSpace(env) ? "production" : env;
        var state = await store.LoadReleaseStateAsync(StreamIds.Release(repository, environment), ct);
        return state is null
            ? TypedResults.NotFound(new Problem($"No release history for {repository} ({environment}): no verified commit has been seen yet. Check the App is installed and .booty.yml enables release_governor."))
            : TypedResults.Ok(ReleaseStatus.From(repository, environment, enabled: true, state));
    }

    private static bool Authorized(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) &&
               CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), Encoding.UTF8.GetBytes(token));
    }

    public sealed record Problem(string Message);
}
