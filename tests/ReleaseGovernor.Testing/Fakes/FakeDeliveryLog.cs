using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace ReleaseGovernor.Testing.Fakes;

/// <summary>One attempt in a fake webhook delivery log, with the request GitHub sent.</summary>
public sealed record FakeLoggedDelivery(long Id, string Guid, DateTimeOffset DeliveredAt, bool Redelivery, int StatusCode, string Event,
    string? Action, long? InstallationId, long? RepositoryId, string Payload)
{
    /// <summary>GitHub's words: "OK" for a 2xx answer, else what went wrong.</summary>
    public string Status => StatusCode is >= 200 and < 300 ? "OK" : StatusCode == 0 ? "failed to connect to host" : $"Invalid HTTP Response: {StatusCode}";
}

/// <summary>
/// A webhook's delivery log as GitHub keeps it: every attempt, newest first, with ids that only grow. Tests add what
/// GitHub would have recorded (what it sent and the status our endpoint answered, 0 when it could not connect).
/// </summary>
public sealed class FakeDeliveryLog(Func<long> nextId, TimeProvider clock)
{
    private readonly ConcurrentDictionary<long, FakeLoggedDelivery> _attempts = new();
    private readonly ConcurrentQueue<long> _redeliveryRequests = new();

    /// <summary>Records one attempt of <paramref name="guid"/>; <paramref name="at"/> defaults to now.</summary>
    public FakeLoggedDelivery Add(string guid, string gitHubEvent, byte[] body, int statusCode, DateTimeOffset? at = null, bool redelivery = false)
    {
        var payload = System.Text.Encoding.UTF8.GetString(body);
        var json = JsonNode.Parse(payload);
        var attempt = new FakeLoggedDelivery(nextId(), guid, at ?? clock.GetUtcNow(), redelivery, statusCode, gitHubEvent,
            json?["action"]?.GetValue<string>(), json?["installation"]?["id"]?.GetValue<long>(), json?["repository"]?["id"]?.GetValue<long>(), payload);
        _attempts[attempt.Id] = attempt;
        return attempt;
    }

    /// <summary>Every attempt, newest first.</summary>
    public IReadOnlyList<FakeLoggedDelivery> Attempts => _attempts.Values.OrderByDescending(a => a.Id).ToList();

    /// <summary>Delivery ids someone asked to redeliver (<c>POST .../attempts</c>).</summary>
    public IReadOnlyList<long> RedeliveryRequests => _redeliveryRequests.ToList();

    internal FakeLoggedDelivery? Find(long id) => _attempts.GetValueOrDefault(id);

    internal void RequestRedelivery(long id) => _redeliveryRequests.Enqueue(id);
}
