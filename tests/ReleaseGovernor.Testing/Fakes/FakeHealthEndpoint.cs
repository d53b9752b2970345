using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReleaseGovernor.Testing.Fakes;

/// <summary>
/// A production health endpoint on 127.0.0.1 (real Kestrel) that a test flips between healthy and not.
/// <c>/healthz</c> answers <see cref="StatusCode"/>; <c>/redirect?to=URL</c> answers 302 to the URL. Every request is counted.
/// </summary>
public sealed class FakeHealthEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _status = 200;
    private int _requests;

    private FakeHealthEndpoint(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public string HealthUrl => $"{BaseUrl}/healthz";

    /// <summary>What /healthz answers from now on (200 healthy; 503 unhealthy).</summary>
    public int StatusCode { get => Volatile.Read(ref _status); set => Volatile.Write(ref _status, value); }

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<FakeHealthEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeHealthEndpoint(app);
        app.Run(async context =>
        {
            Interlocked.Increment(ref fake._requests);
            if (context.Request.Path == "/redirect" && context.Request.Query["to"].FirstOrDefault() is { } to)
            {
                context.Response.Redirect(to);
                return;
            }
            context.Response.StatusCode = context.Request.Path == "/healthz" ? fake.StatusCode : 404;
            await context.Response.WriteAsync("secret body the governor must not store");
        });
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
