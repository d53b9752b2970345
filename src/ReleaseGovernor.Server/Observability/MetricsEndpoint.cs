using OpenTelemetry.Metrics;
using ReleaseGovernor.Server.Api;

namespace ReleaseGovernor.Server.Observability;

/// <summary>
/// GET /metrics: the Prometheus text exposition of the OpenTelemetry metrics (the library's scraping endpoint).
/// When the server has a release API token (<see cref="ApiAccess.TokenSetting"/>), a scrape must send it as a bearer
/// token, as the release API does; without one the endpoint is open, so a scraper inside the cluster needs no secret.
/// </summary>
public static class MetricsEndpoint
{
    public const string Route = "/metrics";

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<MeterProvider>() is null)
        {
            app.MapGet(Route, () => Results.Json(new ReleaseApi.ApiProblem(
                $"Metrics are off: {TelemetrySetup.SdkDisabledSetting}=true is set. Unset it and restart to expose them here.", null),
                statusCode: StatusCodes.Status404NotFound));
            return app;
        }
        app.MapPrometheusScrapingEndpoint(Route, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (http, next) =>
        {
            var access = http.RequestServices.GetRequiredService<ApiAccess>();
            if (access.HasToken && access.Check(http) is { } denial)
            {
                http.Response.Headers.WWWAuthenticate = denial.WrongToken
                    ? "Bearer realm=\"release-governor\", error=\"invalid_token\""
                    : "Bearer realm=\"release-governor\"";
                await Results.Json(new ReleaseApi.ApiProblem(denial.Message, null), statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(http);
                return;
            }
            await next(http);
        }), optionsName: null);
        return app;
    }
}
