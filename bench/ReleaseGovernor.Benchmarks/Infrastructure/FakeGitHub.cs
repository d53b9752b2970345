using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReleaseGovernor.Benchmarks.Infrastructure;

/// <summary>
/// The few GitHub REST endpoints the server calls on the benchmark's paths, on 127.0.0.1 (Kestrel): <c>.booty.yml</c>
/// with an enabled block for any repository and sha, one LOW-risk changed file per commit, dispatches (the arrival
/// time is recorded per <c>inputs.sha</c>; answered 200 with the run's id), commit statuses (201), an empty runs list.
/// A minimal copy of the integration tests' fake, without request logs or fault injection. Every request is counted by
/// route, and by the repository and the commit it is for (see <see cref="RequestsForShas"/>), so the benchmark can say
/// what each kind of delivery costs in GitHub requests.
/// </summary>
public sealed class FakeGitHub : IAsyncDisposable
{
    public const string BootyYml = "release_governor:\n  enabled: true\n";
    public const string LowRiskFile = "src/app/handlers.txt";

    private static readonly byte[] ContentsBody = ConfigBody(BootyYml);
    private static readonly byte[] EmptyRuns = Json(new { total_count = 0, workflow_runs = Array.Empty<object>() });
    private static readonly byte[] EmptyArray = "[]"u8.ToArray();

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, long> _dispatchArrivals = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, long> _configReads = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, long> _commitReads = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<long, (string Repo, string Sha)> _runs = new();
    private readonly ConcurrentDictionary<string, long> _runIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte[]> _configs = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, long> _counts = new();
    private readonly ConcurrentDictionary<(string Sha, string Repo, string Route), long> _bySha = new();
    private readonly ConcurrentDictionary<(string Repo, string Route), long> _byRepo = new();
    private readonly ConcurrentDictionary<(string Repo, string Route), long> _withoutSha = new();
    private long _nextRunId = 7_000_000_000;
    private const string RepoKey = "bench.repo";
    private const string ShaKey = "bench.sha";

    private FakeGitHub(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public static async Task<FakeGitHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeGitHub(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return fake;
    }

    /// <summary>Stopwatch timestamp at which the dispatch for <paramref name="sha"/> arrived, if it did.</summary>
    public long? DispatchArrival(string sha) => _dispatchArrivals.TryGetValue(sha, out var t) ? t : null;

    public int DispatchCount => _dispatchArrivals.Count;

    /// <summary>Serves <paramref name="yml"/> as <c>.booty.yml</c> of <paramref name="repo"/> (<c>owner/name</c>) at every sha.</summary>
    public void ServeConfig(string repo, string yml) => _configs[repo] = ConfigBody(yml);

    /// <summary>The run id the dispatch of <paramref name="sha"/> was answered with, once it was dispatched.</summary>
    public long? RunIdOf(string sha) => _runIds.TryGetValue(sha, out var id) ? id : null;

    /// <summary>When <c>.booty.yml</c> was first read at <paramref name="sha"/> (the worker took up the run).</summary>
    public long? ConfigRead(string sha) => _configReads.TryGetValue(sha, out var t) ? t : null;

    /// <summary>When the commit <paramref name="sha"/> was first read (the decision gathers its changed files).</summary>
    public long? CommitRead(string sha) => _commitReads.TryGetValue(sha, out var t) ? t : null;

    /// <summary>Requests served, by route ("GET contents", "POST dispatches", "unexpected", ...).</summary>
    public IReadOnlyDictionary<string, long> Counts => _counts.ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>
    /// Requests served for the commits <paramref name="shas"/> (lowercase), by route. A request is for the commit it
    /// names: <c>ref</c> of a contents read, the sha of a commit, status or pulls read, the head of a compare,
    /// <c>inputs.sha</c> of a dispatch, <c>head_sha</c> of a runs list, the dispatched sha of a run read by id.
    /// Requests that name no commit are not here (<see cref="RequestsWithoutSha"/>). Also: how many repositories they were for.
    /// </summary>
    public (IReadOnlyDictionary<string, long> ByRoute, int Repositories) RequestsForShas(IReadOnlySet<string> shas)
    {
        var hits = _bySha.Where(kv => shas.Contains(kv.Key.Sha)).ToList();
        return (hits.GroupBy(kv => kv.Key.Route).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value)),
            hits.Select(kv => kv.Key.Repo).Distinct().Count());
    }

    /// <summary>Every request served for the repositories (<c>owner/name</c>, lowercase) <paramref name="include"/> accepts, by route.</summary>
    public IReadOnlyDictionary<string, long> RequestsForRepos(Func<string, bool> include) =>
        _byRepo.Where(kv => include(kv.Key.Repo)).GroupBy(kv => kv.Key.Route).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));

    /// <summary>Requests that named no commit, by route (for the repositories <paramref name="include"/> accepts).</summary>
    public IReadOnlyDictionary<string, long> RequestsWithoutSha(Func<string, bool> include) =>
        _withoutSha.Where(kv => include(kv.Key.Repo)).GroupBy(kv => kv.Key.Route).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = Stopwatch.GetTimestamp();
        var method = context.Request.Method;
        var segments = (context.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 4 || segments[0] != "repos")
        {
            await Answer(context, "unexpected", 404, Json(new { message = "Not Found" }));
            return;
        }
        var repo = $"{segments[1]}/{segments[2]}";
        var rest = segments[3..];
        context.Items[RepoKey] = repo.ToLowerInvariant();
        context.Items[ShaKey] = (method, rest) switch
        {
            ("GET", ["contents", ..]) => context.Request.Query["ref"].FirstOrDefault(),
            ("GET", ["commits", var commit, ..]) => commit,
            ("GET", ["compare", var spec]) => spec[(spec.IndexOf("...", StringComparison.Ordinal) is var dots and >= 0 ? dots + 3 : 0)..],
            ("GET", ["actions", "workflows", _, "runs"]) => context.Request.Query["head_sha"].FirstOrDefault(),
            ("GET", ["actions", "runs", var id]) => long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var runId)
                                                    && _runs.TryGetValue(runId, out var known) ? known.Sha : null,
            ("POST", ["statuses", var commit]) => commit,
            _ => null, // a dispatch names its sha in the body (set there); issues name none
        };
        switch (method, rest)
        {
            case ("GET", ["contents", .. var file]):
                if (context.Request.Query["ref"].FirstOrDefault() is { } gitRef) _configReads.TryAdd(gitRef, arrived);
                if (string.Join('/', file) == ".booty.yml")
                    await Answer(context, "GET contents", 200, _configs.TryGetValue(repo, out var own) ? own : ContentsBody);
                else await Answer(context, "GET contents (missing)", 404, Json(new { message = "Not Found" }));
                return;
            case ("GET", ["commits", var sha]):
                _commitReads.TryAdd(sha, arrived);
                await Answer(context, "GET commits", 200, Json(new
                {
                    sha, commit = new { message = "A change" },
                    files = new[] { new { filename = LowRiskFile, status = "modified", additions = 3, deletions = 1, changes = 4 } },
                }));
                return;
            case ("GET", ["commits", _, "pulls"]):
                await Answer(context, "GET pulls", 200, EmptyArray);
                return;
            case ("GET", ["compare", var spec]) when spec.StartsWith("main...", StringComparison.Ordinal):
                // Is the verified sha on the default branch? Every sha the benchmark verifies is.
                await Answer(context, "GET compare", 200, Json(new { status = "behind", ahead_by = 0, behind_by = 1, total_commits = 0 }));
                return;
            case ("GET", ["compare", _]):
                await Answer(context, "GET compare", 200, Json(new
                {
                    status = "ahead", ahead_by = 1, behind_by = 0, total_commits = 1,
                    files = new[] { new { filename = LowRiskFile, status = "modified" } },
                }));
                return;
            case ("POST", ["actions", "workflows", var workflow, "dispatches"]):
                await DispatchAsync(context, repo, workflow, arrived);
                return;
            case ("GET", ["actions", "workflows", _, "runs"]):
                await Answer(context, "GET runs", 200, EmptyRuns);
                return;
            case ("GET", ["actions", "runs", var id]):
                await GetRunAsync(context, repo, id);
                return;
            case ("POST", ["statuses", _]):
                await Drain(context);
                await Answer(context, "POST statuses", 201, Json(new { id = 1, state = "success" }));
                return;
            case ("GET", ["issues"]):
                await Answer(context, "GET issues", 200, EmptyArray);
                return;
            case ("POST", ["issues"]):
                await Drain(context);
                await Answer(context, "POST issues", 201, Json(new { number = 1, html_url = $"https://github.com/{repo}/issues/1" }));
                return;
            default:
                await Answer(context, "unexpected", 404, Json(new { message = "Not Found" }));
                return;
        }
    }

    private async Task DispatchAsync(HttpContext context, string repo, string workflow, long arrived)
    {
        using var doc = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var sha = doc.RootElement.TryGetProperty("inputs", out var inputs) && inputs.TryGetProperty("sha", out var s) ? s.GetString() : null;
        if (sha is null)
        {
            await Answer(context, "POST dispatches (no sha)", 422, Json(new { message = "Invalid request: inputs.sha is required." }));
            return;
        }
        context.Items[ShaKey] = sha;
        _dispatchArrivals.TryAdd(sha, arrived);
        var runId = Interlocked.Increment(ref _nextRunId);
        _runs[runId] = (repo, sha);
        _runIds.TryAdd(sha, runId);
        await Answer(context, "POST dispatches", 200, Json(new
        {
            workflow_run_id = runId,
            run_url = $"{BaseUrl}/repos/{repo}/actions/runs/{runId}",
            html_url = $"https://github.com/{repo}/actions/runs/{runId}",
        }));
    }

    private async Task GetRunAsync(HttpContext context, string repo, string id)
    {
        if (!long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var runId) || !_runs.TryGetValue(runId, out var run))
        {
            await Answer(context, "GET run (missing)", 404, Json(new { message = "Not Found" }));
            return;
        }
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        await Answer(context, "GET run", 200, Json(new
        {
            id = runId, name = "Deploy", display_title = $"Deploy {run.Sha}", head_sha = run.Sha, head_branch = "main",
            status = "queued", conclusion = (string?)null, html_url = $"https://github.com/{repo}/actions/runs/{runId}",
            path = ".github/workflows/deploy.yml", @event = "workflow_dispatch", run_attempt = 1, created_at = now,
        }));
    }

    private async Task Answer(HttpContext context, string route, int status, byte[] body)
    {
        _counts.AddOrUpdate(route, 1, (_, n) => n + 1);
        if (context.Items.TryGetValue(RepoKey, out var r) && r is string repo)
        {
            _byRepo.AddOrUpdate((repo, route), 1, (_, n) => n + 1);
            if (context.Items.TryGetValue(ShaKey, out var s) && s is string { Length: > 0 } sha) _bySha.AddOrUpdate((sha.ToLowerInvariant(), repo, route), 1, (_, n) => n + 1);
            else _withoutSha.AddOrUpdate((repo, route), 1, (_, n) => n + 1);
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static async Task Drain(HttpContext context)
    {
        var buffer = new byte[8192];
        while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0) { }
    }

    private static byte[] Json(object value) => JsonSerializer.SerializeToUtf8Bytes(value);

    private static byte[] ConfigBody(string yml) => Json(new
    {
        type = "file", encoding = "base64", size = Encoding.UTF8.GetByteCount(yml), name = ".booty.yml", path = ".booty.yml",
        sha = "3d21ec53a331a6f037a91c368710b99387d012c1",
        content = Convert.ToBase64String(Encoding.UTF8.GetBytes(yml)) + "\n",
    });
}
