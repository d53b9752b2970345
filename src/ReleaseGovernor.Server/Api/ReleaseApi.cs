using System.Globalization;
using Npgsql;
using ReleaseGovernor.Core.Text;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Status;
using ReleaseGovernor.Server.Hosting;

namespace ReleaseGovernor.Server.Api;

/// <summary>
/// <c>GET /api/repos/{owner}/{repo}/release[?env=production]</c>: the same status document as <c>booty governor status --json</c>
/// (<see cref="ReleaseStatusQuery"/>). Closed unless <c>ReleaseGovernor__ApiToken</c> or
/// <c>ReleaseGovernor__Api__AllowAnonymous</c> opens it (<see cref="ApiAccess"/>). Bad parameters are 400 naming them,
/// an unknown repository 404, a database outage 503 with Retry-After.
/// </summary>
public static partial class ReleaseApi
{
    public static IEndpointRouteBuilder MapReleaseApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/repos/{owner}/{repo}/release", GetAsync);
        return app;
    }

    private static async Task<IResult> GetAsync(string owner, string repo, string? env, HttpContext http, ApiAccess access,
        NpgsqlDataSource db, ILoggerFactory logs, CancellationToken ct)
    {
        if (access.Check(http) is { } denial)
        {
            http.Response.Headers.WWWAuthenticate = denial.WrongToken
                ? "Bearer realm=\"release-governor\", error=\"invalid_token\""
                : "Bearer realm=\"release-governor\"";
            return Problem(StatusCodes.Status401Unauthorized, denial.Message);
        }
        if (!ApiParameters.IsName(owner) || !ApiParameters.IsName(repo))
            return Problem(StatusCodes.Status400BadRequest,
                $"The repository {SafeText.Quote($"{owner}/{repo}")} is not owner/name: use letters, digits, '-', '_' or '.' on each side.", "repository");
        var environment = string.IsNullOrWhiteSpace(env) ? "production" : env.Trim();
        if (!ApiParameters.IsEnvironment(environment))
            return Problem(StatusCodes.Status400BadRequest,
                $"env {SafeText.Quote(environment)} is not an environment name: use at most 255 characters without '/' or control characters, e.g. production.", "env");

        try
        {
            return await ReleaseStatusQuery.LoadAsync(db, new RepoRef(owner, repo), environment, null, ct) switch
            {
                StatusLookup.Found found => Results.Json(found.Status, statusCode: StatusCodes.Status200OK),
                StatusLookup.UnknownRepository unknown => Problem(StatusCodes.Status404NotFound, unknown.Message),
                _ => throw new InvalidOperationException("unreachable"),
            };
        }
        catch (Exception e) when (DatabaseFailures.IsBadValue(e))
        {
            return Problem(StatusCodes.Status400BadRequest, $"A parameter holds a value PostgreSQL cannot read (SQLSTATE {DatabaseFailures.SqlState(e)}).", "env");
        }
        catch (Exception e) when (DatabaseFailures.IsOutage(e))
        {
            DatabaseUnavailable(logs.CreateLogger("ReleaseGovernor.Api"), SafeText.Clean(e.Message));
            http.Response.Headers.RetryAfter = DatabaseFailures.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Problem(StatusCodes.Status503ServiceUnavailable, "The database is unavailable; try again in a few seconds.");
        }
    }

    private static IResult Problem(int status, string message, string? field = null) =>
        Results.Json(new ApiProblem(message, field), statusCode: status);

    public sealed record ApiProblem(string Message, string? Field);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable while serving the release API: {Error}")]
    private static partial void DatabaseUnavailable(ILogger logger, string error);
}

/// <summary>What the API accepts in its path and query.</summary>
public static class ApiParameters
{
    public static bool IsName(string part) =>
        part.Length is > 0 and <= 100 && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    public static bool IsEnvironment(string environment) =>
        environment.Length <= 255 && !environment.Contains('/') && !SafeText.NeedsCleaning(environment);
}
