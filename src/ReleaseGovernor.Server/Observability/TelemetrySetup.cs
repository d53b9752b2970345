using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ReleaseGovernor.Core.Observability;

namespace ReleaseGovernor.Server.Observability;

/// <summary>
/// OpenTelemetry for the server, configured by the standard variables: metrics of the <c>ReleaseGovernor</c> meter,
/// ASP.NET Core, HttpClient and Npgsql, scraped at <see cref="MetricsEndpoint.Route"/>, and sent over OTLP with the
/// traces when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or a per-signal endpoint) is set. <c>OTEL_SDK_DISABLED=true</c>
/// turns all of it off. The OpenTelemetry SDK reads the other <c>OTEL_*</c> variables itself (protocol, headers,
/// <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>).
/// </summary>
public static class TelemetrySetup
{
    public const string SdkDisabledSetting = "OTEL_SDK_DISABLED";
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string OtlpTracesEndpointSetting = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public const string OtlpMetricsEndpointSetting = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
    public const string ServiceName = "release-governor";

    /// <summary>How often the outbox gauges are refreshed from the database.</summary>
    public const string OutboxSampleIntervalSetting = "Telemetry:OutboxSampleInterval";

    public static bool IsDisabled(IConfiguration configuration) =>
        string.Equals(configuration[SdkDisabledSetting]?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    public static WebApplicationBuilder AddGovernorTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (IsDisabled(configuration)) return builder;
        var services = builder.Services;
        var otlpMetrics = IsSet(configuration, OtlpEndpointSetting) || IsSet(configuration, OtlpMetricsEndpointSetting);
        var otlpTraces = IsSet(configuration, OtlpEndpointSetting) || IsSet(configuration, OtlpTracesEndpointSetting);

        var otel = services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME, when set, names the service; the SDK reads it.
                if (!IsSet(configuration, "OTEL_SERVICE_NAME"))
                    resource.AddService(ServiceName, serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString());
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(GovernorTelemetry.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddPrometheusExporter();
                if (otlpMetrics) metrics.AddOtlpExporter();
            });

        // What is traced, for whichever tracer provider is built: the OTLP one below, or one a host adds (tests add an
        // in-memory exporter). Without either, no span is created and outbox rows carry no trace_parent.
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddSource(GovernorTelemetry.SourceName)
            .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsHousekeeping(http.Request.Path))
            .AddHttpClientInstrumentation()
            .AddNpgsql());
        if (otlpTraces) otel.WithTracing(tracing => tracing.AddOtlpExporter());

        services.AddHostedService<OutboxGauges>();
        return builder;
    }

    /// <summary>Scrapes and probes, answered every few seconds: not worth a trace each.</summary>
    private static bool IsHousekeeping(PathString path) =>
        path.StartsWithSegments(MetricsEndpoint.Route) || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");

    private static bool IsSet(IConfiguration configuration, string key) => !string.IsNullOrWhiteSpace(configuration[key]);
}
