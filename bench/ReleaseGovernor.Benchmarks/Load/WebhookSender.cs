using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ReleaseGovernor.Testing.Webhooks;

namespace ReleaseGovernor.Benchmarks.Load;

/// <summary>One delivery as the sender saw it. Timestamps are <see cref="Stopwatch"/> ticks.</summary>
public readonly record struct DeliveryResult(string DeliveryId, int Status, long Started, long Answered, int StoredEvents, string? Error)
{
    public bool Ok => Status is >= 200 and < 300;
    public double LatencyMs => Stopwatch.GetElapsedTime(Started, Answered).TotalMilliseconds;
    public double LatencyFromMs(long intended) => Stopwatch.GetElapsedTime(intended, Answered).TotalMilliseconds;
}

/// <summary>Posts signed deliveries to the server's webhook endpoint the way GitHub does.</summary>
public sealed class WebhookSender(HttpClient http, string secret)
{
    public const string Route = SignedDelivery.Route;

    public static HttpClient CreateClient(Uri baseUrl) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1024,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            BaseAddress = baseUrl,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>Signs and sends; never throws for a failed delivery (it is counted as an error with its reason).</summary>
    public async Task<DeliveryResult> SendAsync(string gitHubEvent, byte[] body, CancellationToken ct)
    {
        var deliveryId = Guid.NewGuid().ToString();
        using var request = SignedDelivery.Request(gitHubEvent, body, deliveryId, secret, userAgent: "GitHub-Hookshot/bench");

        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, ct);
            var answer = await response.Content.ReadAsByteArrayAsync(ct);
            var answered = Stopwatch.GetTimestamp();
            var status = (int)response.StatusCode;
            return status is >= 200 and < 300
                ? new DeliveryResult(deliveryId, status, started, answered, StoredEvents(answer), null)
                : new DeliveryResult(deliveryId, status, started, answered, 0, $"{status} {Encoding.UTF8.GetString(answer)}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new DeliveryResult(deliveryId, 0, started, Stopwatch.GetTimestamp(), 0, e.Message);
        }
    }

    /// <summary>How many events the answer says were stored (<c>{"status":"stored","detail":{"events":[...]}}</c>).</summary>
    private static int StoredEvents(byte[] answer)
    {
        try
        {
            using var doc = JsonDocument.Parse(answer);
            var root = doc.RootElement;
            return root.TryGetProperty("status", out var s) && s.GetString() == "stored"
                   && root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.Object
                   && d.TryGetProperty("events", out var e) && e.ValueKind == JsonValueKind.Array
                ? e.GetArrayLength()
                : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }
}
