using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.IntegrationTests.Infrastructure;

/// <summary>
/// Deliveries as GitHub's delivery log records them: sent to the server with the answer logged, or never received
/// (logged with the status GitHub saw). And reads of the sweeps' records.
/// </summary>
public static class DeliveryLogs
{
    public const long HookId = 77;
    public const string HookRepository = "octo-org/web";

    /// <summary>Server settings reading the repository webhook's log in token mode; only the startup sweep runs in a test's time.</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["GitHub:HookId"] = HookId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["GitHub:HookRepository"] = HookRepository,
        ["ReleaseGovernor:Recovery:DeliveriesInterval"] = "01:00:00",
    };

    /// <summary>The same as environment variables, for a server process or the CLI.</summary>
    public static Dictionary<string, string> Environment(string gitHubBaseUrl, string token) => new()
    {
        ["GitHub__ApiBaseUrl"] = gitHubBaseUrl,
        ["GitHub__Token"] = token,
        ["GitHub__HookId"] = HookId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["GitHub__HookRepository"] = HookRepository,
        ["GitHub__BaseDelay"] = "00:00:00.010",
        ["GitHub__MaxDelay"] = "00:00:00.100",
        ["ReleaseGovernor__Recovery__DeliveriesInterval"] = "01:00:00",
    };

    public static FakeDeliveryLog Log(FakeGitHub github) => github.HookDeliveries("octo-org", "web", HookId);

    /// <summary>Posts the delivery to the server and logs it with the status the server answered, as GitHub would.</summary>
    public static async Task<HttpResponseMessage> PostLoggedAsync(this GovernorApp app, string gitHubEvent, byte[] body, string guid)
    {
        var answer = await app.PostAsync(gitHubEvent, body, guid);
        Log(app.GitHub).Add(guid, gitHubEvent, body, (int)answer.StatusCode);
        return answer;
    }

    public static async Task<IReadOnlyList<DeliverySweepCompleted>> SweepsAsync(IEventStore store) =>
        (await store.ReadStreamAsync(StreamIds.DeliverySweeps)).Select(e => e.Data).OfType<DeliverySweepCompleted>().ToList();

    /// <summary>The sweep records once there are at least <paramref name="count"/> (bounded).</summary>
    public static async Task<IReadOnlyList<DeliverySweepCompleted>> WaitForSweepsAsync(IEventStore store, int count)
    {
        using var timeout = new CancellationTokenSource(Wait.Bound);
        while (true)
        {
            var sweeps = await SweepsAsync(store);
            if (sweeps.Count >= count) return sweeps;
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>
    /// Twenty deliveries the server never received, as the log holds them (503, no connection, 502): a push of
    /// <c>octo-org/web</c> to <paramref name="verifiedSha"/>, its verification run, and pushes of 18 other repositories.
    /// </summary>
    public static IReadOnlyList<(string Guid, string Event, byte[] Body)> NeverReceived(string verifiedSha, long runId)
    {
        var list = new List<(string, string, byte[])>
        {
            ("lost-push-web", "push", Deliveries.Push("octo-org/web", new string('0', 40), verifiedSha)),
            ("lost-verification", "workflow_run", Deliveries.Verification("octo-org/web", verifiedSha, runId)),
        };
        for (var i = 0; i < 18; i++)
            list.Add(($"lost-push-{i}", "push", Deliveries.Push($"octo-org/r{i}", new string('0', 40), $"{i + 1:x40}")));
        return list;
    }

    public static int LostStatus(int i) => (i % 3) switch { 0 => 503, 1 => 0, _ => 502 };
}
