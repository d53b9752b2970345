using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReleaseGovernor.Benchmarks.Infrastructure;

/// <summary>
/// An OTLP/HTTP receiver on 127.0.0.1 that accepts every export (200, an empty protobuf answer) and counts what
/// arrived, so the server pays the whole cost of exporting its traces and metrics without a collector to run.
/// </summary>
public sealed class OtlpSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _traceExports, _metricExports, _bytes;

    private OtlpSink(WebApplication app) => _app = app;

    public string Endpoint { get; private set; } = "";
    public long TraceExports => Interlocked.Read(ref _traceExports);
    public long MetricExports => Interlocked.Read(ref _metricExports);
    public long Bytes => Interlocked.Read(ref _bytes);

    public static async Task<OtlpSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new OtlpSink(app);
        app.Run(sink.HandleAsync);
        await app.StartAsync();
        sink.Endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return sink;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0) Interlocked.Add(ref _bytes, read);
        switch (http.Request.Path.Value)
        {
            case "/v1/traces": Interlocked.Increment(ref _traceExports); break;
            case "/v1/metrics": Interlocked.Increment(ref _metricExports); break;
        }
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/x-protobuf";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
