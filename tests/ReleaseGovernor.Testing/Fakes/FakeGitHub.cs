using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReleaseGovernor.Testing.Fakes;

/// <summary>
/// A GitHub REST API on 127.0.0.1 (real Kestrel) serving the endpoints ReleaseGovernor calls from in-memory
/// data. Every request is recorded; faults can be injected per route.
/// <code>
/// await using var github = await FakeGitHub.StartAsync();
/// github.Repo("acme", "shop").SetFile("main", ".booty.yml", yaml);
/// github.InjectFault("GET", "/repos/acme/shop/compare/*", FakeFault.Status(500), times: 2);
/// var dispatch = await github.WaitForRequestAsync(r => r.Path.EndsWith("/dispatches"));
/// </code>
/// </summary>
public sealed partial class FakeGitHub : IAsyncDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);
    private static readonly string[] SupportedApiVersions = ["2022-11-28", "2026-03-10"];

    private readonly WebApplication _app;
    private readonly FakeGitHubOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly RequestLog _log = new();
    private readonly ConcurrentDictionary<string, FakeRepo> _repos = new(StringComparer.OrdinalIgnoreCase);
    private readonly Route[] _routes;
    private long _nextId = 1000;

    private FakeGitHub(WebApplication app, FakeGitHubOptions options)
    {
        _app = app;
        _options = options;
        Auth = new FakeAppAuth(options.AppId, options.AppPublicKey ?? TestAppKey.PublicKey(), options.TimeProvider);
        Auth.AcceptToken(options.Token);
        _routes = BuildRoutes();
    }

    public static async Task<FakeGitHub> StartAsync(FakeGitHubOptions? options = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeGitHub(app, options ?? new FakeGitHubOptions());
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First().TrimEnd('/');
        return fake;
    }

    /// <summary>Root URL to use as <c>GitHub:ApiBaseUrl</c>, e.g. http://127.0.0.1:53127.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The fixed token repository routes accept.</summary>
    public string Token => _options.Token;

    public string AppId => _options.AppId;

    /// <summary>Accepted credentials, issued installation tokens and accepted app JWTs.</summary>
    public FakeAppAuth Auth { get; }

    public FaultRules Faults { get; } = new();

    /// <summary>The OAuth web flow and the users who can sign in (the operator page's sign-in).</summary>
    public FakeOAuth OAuth { get; } = new();

    /// <summary>
    /// True (default): a dispatch with <c>return_run_details: true</c> gets 200 with the run, as in API 2022-11-28
    /// since 2026-02. False: always 204, the older behaviour.
    /// </summary>
    public bool DispatchReturnsRunDetails { get; set; } = true;

    /// <summary>
    /// When set, every answer carries a primary rate limit of 5000 with this many requests remaining, resetting in an hour
    /// (<c>x-ratelimit-*</c> headers).
    /// </summary>
    public int? RateLimitRemaining { get; set; }

    /// <summary>When true (default) a dispatch adds a queued run titled "Deploy {inputs.sha}" to the repository.</summary>
    public bool CreateRunOnDispatch { get; set; } = true;

    public IReadOnlyList<RecordedRequest> Requests => _log.Snapshot();

    public FakeRepo Repo(string owner, string name) => _repos.GetOrAdd($"{owner}/{name}", _ =>
    {
        var repo = new FakeRepo(owner, name);
        _everyRepository?.Invoke(repo);
        return repo;
    });

    private Action<FakeRepo>? _everyRepository;

    /// <summary>Sets up every repository when it is first named, by a test or by a request (e.g. a config served at every ref).</summary>
    public FakeGitHub ForEveryRepository(Action<FakeRepo> setup)
    {
        _everyRepository = setup;
        foreach (var repo in _repos.Values) setup(repo);
        return this;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<string>> _teams = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The active members of the team <c>org/team</c>.</summary>
    public FakeGitHub SetTeam(string org, string team, params string[] members)
    {
        _teams[$"{org}/{team}"] = members;
        return this;
    }

    private bool IsTeamMember(string org, string team, string user) =>
        _teams.TryGetValue($"{org}/{team}", out var members) && members.Contains(user, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Serves <paramref name="fault"/> for <paramref name="times"/> matching requests (<c>*</c> in the path = anything),
    /// after letting the first <paramref name="after"/> of them through.
    /// </summary>
    public void InjectFault(string method, string pathPattern, FakeFault fault, int times = 1, int after = 0) =>
        Faults.Add(method, pathPattern, fault, times, after);

    /// <summary>Requests with this method whose path matches exactly.</summary>
    public IReadOnlyList<RecordedRequest> RequestsTo(string method, string path) =>
        Requests.Where(r => r.Is(method, path)).ToList();

    public Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> predicate, TimeSpan? timeout = null) =>
        _log.WaitForAsync(predicate, timeout ?? DefaultWait);

    public long NextId() => Interlocked.Increment(ref _nextId);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopTimeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = Stopwatch.GetTimestamp();
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        RecordedRequest? request = null;
        try
        {
            request = await RecordAsync(context, arrived);
            if (RateLimitRemaining is { } remaining)
            {
                context.Response.Headers["x-ratelimit-limit"] = "5000";
                context.Response.Headers["x-ratelimit-remaining"] = remaining.ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.Response.Headers["x-ratelimit-reset"] = _options.TimeProvider.GetUtcNow().AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            if (Faults.Take(request.Method, request.Path) is { } fault && await fault.ApplyAsync(context, aborted.Token))
                return;

            var version = request.Header("X-GitHub-Api-Version");
            if (version is not null && !SupportedApiVersions.Contains(version))
            {
                await FakeHttp.Error(context, 400, $"API version {version} is not supported.");
                return;
            }

            if (await OAuth.TryHandleAsync(context, request))
                return;

            foreach (var route in _routes)
            {
                if (!string.Equals(route.Method, request.Method, StringComparison.OrdinalIgnoreCase)) continue;
                var match = route.Pattern.Match(request.Path);
                if (!match.Success) continue;
                if (await AuthorizeAsync(context, request, route.AppLevel))
                    await route.Handle(new RouteCall(context, match.Groups, request));
                return;
            }
            await FakeHttp.NotFound(context);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client gave up (timeout) or the fake is stopping.
        }
        finally
        {
            if (request is not null) _options.OnAnswered?.Invoke(request, context.Response.StatusCode);
        }
    }

    private async Task<RecordedRequest> RecordAsync(HttpContext context, long arrived)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        JsonNode? json = null;
        if (body.Length > 0)
        {
            try { json = JsonNode.Parse(body); }
            catch (JsonException) { json = null; }
        }
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            json,
            _options.TimeProvider.GetUtcNow(),
            arrived);
        if (_options.KeepRequests) _log.Add(request);
        return request;
    }

    private async Task<bool> AuthorizeAsync(HttpContext context, RecordedRequest request, bool appLevel)
    {
        var authorization = request.Header("Authorization");
        var bearer = authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true ? authorization["Bearer ".Length..] : null;
        var problem = appLevel
            ? await Auth.CheckJwtAsync(bearer)
            : Auth.IsAccepted(bearer) ? null : "Bad credentials";
        if (problem is null) return true;
        await FakeHttp.Error(context, 401, problem);
        return false;
    }
}
