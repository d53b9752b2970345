using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using ReleaseGovernor.Core.Observability;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Observability;

/// <summary>
/// One trace from the webhook request through the outbox items it caused to the GitHub calls they made, with the
/// delivery id on the spans; and log lines about the delivery that carry its id and repository as scope.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TraceTests : IAsyncLifetime
{
    private const string Repo = "octo-org/web";
    private const string Delivery = "trace-delivery-1";
    private const string Sha = "3030303030303030303030303030303030303030";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly List<Activity> _spans = [];
    private readonly ScopedLogCapture _logs = new();
    private readonly GovernorApp _app;

    public TraceTests() =>
        _app = new GovernorApp(services: s =>
        {
            s.AddOpenTelemetry().WithTracing(t => t.AddInMemoryExporter(_spans));
            s.AddSingleton<ILoggerProvider>(_logs);
        });

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        await _app.WaitReadyAsync();
        _app.GitHub.Repo("octo-org", "web")
            .SetFile(Sha, ".booty.yml", "release_governor:\n  enabled: true\n")
            .SetCommit(Sha, new FakeChangedFile("src/app.cs"))
            .OnDefaultBranch(Sha);
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task A_dispatch_is_traced_from_the_webhook_through_the_outbox_to_the_call_GitHub_received()
    {
        // One failed read, retried: its warning is logged while the outbox item of the delivery runs.
        _app.GitHub.InjectFault("GET", "/repos/octo-org/web/contents/*", FakeFault.Status(502));

        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, Sha, runId: 950), delivery: Delivery);
        await _app.GitHub.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/dispatches", StringComparison.Ordinal), Bound);
        await Wait.ForOutboxDrainedAsync(_app.Db);

        var webhook = await SpanAsync(s => s.Kind == ActivityKind.Server && Tag(s, GovernorTelemetry.DeliveryIdAttribute) == Delivery);
        var dispatchCall = await SpanAsync(s => s.Kind == ActivityKind.Client && s.TraceId == webhook.TraceId
                                                && Tag(s, "url.full")?.EndsWith("/actions/workflows/deploy.yml/dispatches", StringComparison.Ordinal) == true);
        var trace = Spans().Where(s => s.TraceId == webhook.TraceId).ToDictionary(s => s.SpanId);
        var chain = new List<Activity>();
        for (var span = dispatchCall; span is not null; span = trace.GetValueOrDefault(span.ParentSpanId))
            chain.Add(span);

        Assert.Equal("POST /api/github/webhooks", webhook.DisplayName);
        Assert.Equal(webhook.SpanId, chain[^1].SpanId); // the chain ends at the webhook request: one trace
        var outbox = chain.Where(s => s.Source.Name == GovernorTelemetry.SourceName).Select(s => s.DisplayName).Reverse().ToList();
        Assert.Equal(["outbox process_event", "outbox dispatch"], outbox);
        Assert.All(chain.Where(s => s.Source.Name == GovernorTelemetry.SourceName), s =>
        {
            Assert.Equal(ActivityKind.Consumer, s.Kind);
            Assert.Equal(Delivery, Tag(s, GovernorTelemetry.DeliveryIdAttribute));
        });
        // The commit status posted after the dispatch continues the same trace.
        Assert.Contains(trace.Values, s => s.DisplayName == "outbox commit_status");
        // Database commands are spans of the work they were run for.
        Assert.Contains(trace.Values, s => s.Source.Name == "Npgsql" && s.ParentSpanId == webhook.SpanId);

        var answered = Assert.Single(_logs.Lines, l => l.Message.StartsWith($"delivery {Delivery} event workflow_run", StringComparison.Ordinal));
        Assert.Equal(Delivery, answered.Scope["DeliveryId"]);
        Assert.Equal(Repo, answered.Scope["Repository"]);
        var retried = Assert.Single(_logs.Lines, l => l.Message.StartsWith("GitHub call failed on attempt 1", StringComparison.Ordinal));
        Assert.Equal(Delivery, retried.Scope["DeliveryId"]);
        Assert.Equal(Repo, retried.Scope["Repository"]);
    }

    private List<Activity> Spans()
    {
        lock (_spans) return [.. _spans];
    }

    /// <summary>A span is exported when it ends, a moment after the work it covers: wait for it, bounded.</summary>
    private async Task<Activity> SpanAsync(Func<Activity, bool> predicate)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            if (Spans().FirstOrDefault(predicate) is { } span) return span;
            if (DateTime.UtcNow > deadline)
                Assert.Fail("No such span; exported: " + string.Join(", ", Spans().Select(s => $"{s.DisplayName} ({s.Kind}, {s.TraceId})")));
            await Task.Delay(20);
        }
    }

    private static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();
}
