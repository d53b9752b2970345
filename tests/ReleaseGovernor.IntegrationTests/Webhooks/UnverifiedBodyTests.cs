using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using ReleaseGovernor.IntegrationTests.Infrastructure;
using ReleaseGovernor.Server.Webhooks;

namespace ReleaseGovernor.IntegrationTests.Webhooks;

/// <summary>
/// Large bodies with a bogus signature are answered 401 while the bytes they hold together stay under the cap, and
/// signed deliveries sent meanwhile are stored. (Memory itself is measured by the benchmark's unsigned-flood scenario.)
/// </summary>
public sealed class UnverifiedBodyTests
{
    private const long Cap = 8L * 1024 * 1024;

    [Fact]
    public async Task Concurrent_large_bogus_bodies_get_401_within_the_cap_while_signed_deliveries_get_200()
    {
        await using var app = await StartAsync("00:00:30");
        var bogus = Enumerable.Range(0, 16).Select(_ => PostBogusAsync(app, 4 * 1024 * 1024)).ToList();
        var legit = Enumerable.Range(0, 10).Select(i =>
            app.PostAsync("push", Deliveries.Push("octo-org/web", new string('0', 40), $"{i + 1:x40}"), delivery: $"legit-{i}")).ToList();

        var bogusAnswers = await Task.WhenAll(bogus);
        var legitAnswers = await Task.WhenAll(legit);

        Assert.All(bogusAnswers, a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        Assert.All(legitAnswers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var budget = app.Services.GetRequiredService<UnverifiedBodyBudget>();
        Assert.InRange(budget.Peak, 1, Cap);
        Assert.Equal(0, budget.InUse);
        Assert.Equal(10, await app.CountAsync("SELECT count(*) FROM rg_deliveries"));
    }

    [Fact]
    public async Task When_no_room_frees_in_time_the_answer_is_503_with_retry_after_never_500()
    {
        await using var app = await StartAsync("00:00:00");
        // Bodies being read hold the budget: here, 6 MB of it, so no 4 MB body has room, however fast the machine
        // reads the others (a race between concurrent posts made this pass or fail by timing).
        var budget = app.Services.GetRequiredService<UnverifiedBodyBudget>();
        Assert.True(await budget.TakeAsync(6 * 1024 * 1024, large: true, CancellationToken.None));
        HttpResponseMessage[] answers;
        try
        {
            answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostBogusAsync(app, 4 * 1024 * 1024)));
        }
        finally
        {
            budget.Return(6 * 1024 * 1024);
        }
        var after = await PostBogusAsync(app, 4 * 1024 * 1024);

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(0, budget.InUse);
        var busy = answers.ToList();
        Assert.All(busy, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.StatusCode));
        Assert.All(busy, a => Assert.NotNull(a.Headers.RetryAfter));
        Assert.Contains("Redeliver", await busy[0].Content.ReadAsStringAsync());
    }

    private static async Task<AsyncApp> StartAsync(string wait)
    {
        var app = new GovernorApp(settings: new() { ["Webhooks:MaxUnverifiedBytes"] = Cap.ToString(), ["Webhooks:MaxUnverifiedWait"] = wait });
        await app.InitializeAsync();
        await app.WaitReadyAsync();
        return new AsyncApp(app);
    }

    private static Task<HttpResponseMessage> PostBogusAsync(AsyncApp app, int size)
    {
        var body = new byte[size];
        Array.Fill(body, (byte)' ');
        return app.PostAsync("push", body, signature: "sha256=" + new string('0', 64));
    }

    /// <summary>The app, disposed with <c>await using</c>.</summary>
    private sealed class AsyncApp(GovernorApp app) : IAsyncDisposable
    {
        public IServiceProvider Services => app.Services;
        public Task<HttpResponseMessage> PostAsync(string e, byte[] body, string? delivery = null, string? signature = null) =>
            app.PostAsync(e, body, delivery, signature);
        public Task<long> CountAsync(string sql) => app.CountAsync(sql);
        public ValueTask DisposeAsync() => new(app.DisposeAsync());
    }
}
