using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using ReleaseGovernor.Server.Hosting;

namespace ReleaseGovernor.Server.Health;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "alive" }));
        app.MapGet("/readyz", ReadyAsync);
        return app;
    }

    private static async Task<Results<Ok<ReadyAnswer>, JsonHttpResult<ReadyAnswer>>> ReadyAsync(
        Readiness readiness, SettingsCheck settings, NpgsqlDataSource dataSource, HttpResponse response, CancellationToken ct)
    {
        JsonHttpResult<ReadyAnswer> Unavailable(string why)
        {
            response.Headers.RetryAfter = DatabaseFailures.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Json(new ReadyAnswer("unavailable", why), statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (!readiness.IsReady)
            return Unavailable($"starting: {readiness.Stage}");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await using var cmd = dataSource.CreateCommand("SELECT 1");
            await cmd.ExecuteScalarAsync(timeout.Token);
            return settings.Missing.Count == 0
                ? TypedResults.Ok(new ReadyAnswer("ready", null))
                : TypedResults.Ok(new ReadyAnswer("degraded", string.Join("; ", settings.Missing), [.. settings.Missing.Select(m => m.Setting)]));
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return Unavailable("database unreachable");
        }
    }

    /// <summary><c>degraded</c>: ready, but <see cref="Missing"/> settings keep part of the job from working.</summary>
    public sealed record ReadyAnswer(string Status, string? Detail, IReadOnlyList<string>? Missing = null);
}
