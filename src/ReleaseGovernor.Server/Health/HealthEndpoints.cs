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
        Readiness readiness, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        if (!readiness.IsReady)
            return Unavailable($"starting: {readiness.Stage}");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await using var cmd = dataSource.CreateCommand("SELECT 1");
            await cmd.ExecuteScalarAsync(timeout.Token);
            return TypedResults.Ok(new ReadyAnswer("ready", null));
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return Unavailable("database unreachable");
        }
    }

    private static JsonHttpResult<ReadyAnswer> Unavailable(string why) =>
        TypedResults.Json(new ReadyAnswer("unavailable", why), statusCode: StatusCodes.Status503ServiceUnavailable);

    public sealed record ReadyAnswer(string Status, string? Detail);
}
