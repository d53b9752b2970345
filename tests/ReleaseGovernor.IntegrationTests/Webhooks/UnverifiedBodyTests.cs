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
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => PostBogusAsync(app, 4 * 1024 * 1024)));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.ServiceUnavailable, $"{a.StatusCode}"));
        var busy = answers.Where(a => a.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(busy);
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
