using System.Collections.Concurrent;
using System.Globalization;
using ReleaseGovernor.Testing.Fakes;

namespace ReleaseGovernor.Benchmarks.Infrastructure;

/// <summary>
/// The tests' fake GitHub (<see cref="FakeGitHub"/>) set up for the benchmark's paths: <c>.booty.yml</c> with an enabled
/// block for any repository and sha, one LOW-risk changed file per commit, every sha on the default branch, dispatches
/// answered with the run's id. It keeps no request log; instead every answered request is counted here by route, and by
/// the repository and the commit it is for (see <see cref="RequestsForShas"/>), so the benchmark can say what each kind
/// of delivery costs in GitHub requests, and when the dispatch of a sha arrived.
/// </summary>
public sealed class BenchGitHub : IAsyncDisposable
{
    public const string BootyYml = "release_governor:\n  enabled: true\n";
    public const string LowRiskFile = "src/app/handlers.txt";

    private readonly ConcurrentDictionary<string, long> _dispatchArrivals = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, long> _runIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<long, string> _shaOfRun = new();
    private readonly ConcurrentDictionary<string, long> _configReads = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, long> _commitReads = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, long> _counts = new();
    private readonly ConcurrentDictionary<(string Sha, string Repo, string Route), long> _bySha = new();
    private readonly ConcurrentDictionary<(string Repo, string Route), long> _byRepo = new();
    private readonly ConcurrentDictionary<(string Repo, string Route), long> _withoutSha = new();
    private FakeGitHub _fake = null!;

    private BenchGitHub() { }

    public static async Task<BenchGitHub> StartAsync()
    {
        var bench = new BenchGitHub();
        bench._fake = await FakeGitHub.StartAsync(new FakeGitHubOptions { KeepRequests = false, OnAnswered = bench.Count });
        bench._fake.ForEveryRepository(repo => repo
            .SetFileAtEveryRef(".booty.yml", BootyYml)
            .SetEveryCommit(new FakeChangedFile(LowRiskFile))
            // Is the verified sha on the default branch? Every sha the benchmark verifies is.
            .SetCompareRule((baseRef, _) => baseRef == repo.DefaultBranch
                ? new FakeCompare("behind", 0, 1, [])
                : new FakeCompare("ahead", 1, 0, [new FakeChangedFile(LowRiskFile)])));
        return bench;
    }

    public string BaseUrl => _fake.BaseUrl;

    /// <summary>The token the fake accepts (<c>GitHub__Token</c>).</summary>
    public string Token => _fake.Token;

    /// <summary>Stopwatch timestamp at which the dispatch for <paramref name="sha"/> arrived, once it was answered.</summary>
    public long? DispatchArrival(string sha) => _dispatchArrivals.TryGetValue(sha, out var t) ? t : null;

    public int DispatchCount => _dispatchArrivals.Count;

    /// <summary>Serves <paramref name="yml"/> as <c>.booty.yml</c> of <paramref name="repo"/> (<c>owner/name</c>) at every sha.</summary>
    public void ServeConfig(string repo, string yml) => _fake.Repo(repo.Split('/')[0], repo.Split('/')[1]).SetFileAtEveryRef(".booty.yml", yml);

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

    public ValueTask DisposeAsync() => _fake.DisposeAsync();

    /// <summary>Counts one answered request: by route, and by the repository and the commit it names.</summary>
    private void Count(RecordedRequest request, int status)
    {
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 4 || segments[0] != "repos")
        {
            Add("unexpected", null, null);
            return;
        }
        var repo = $"{segments[1]}/{segments[2]}".ToLowerInvariant();
        var ok = status is >= 200 and < 300;
        var (route, sha) = (request.Method, segments[3..]) switch
        {
            ("GET", ["contents", ..]) => (ok ? "GET contents" : "GET contents (missing)", request.Query("ref")),
            ("GET", ["commits", _, "pulls"]) => ("GET pulls", segments[4]),
            ("GET", ["commits", var commit]) => ("GET commits", commit),
            ("GET", ["compare", var spec]) => ("GET compare", spec[(spec.IndexOf("...", StringComparison.Ordinal) is var dots and >= 0 ? dots + 3 : 0)..]),
            ("POST", ["actions", "workflows", _, "dispatches"]) => ("POST dispatches", request.Json?["inputs"]?["sha"]?.GetValue<string>()),
            ("GET", ["actions", "workflows", _, "runs"]) => ("GET runs", request.Query("head_sha")),
            ("GET", ["actions", "runs", var id]) => (ok ? "GET run" : "GET run (missing)",
                long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var runId) && _shaOfRun.TryGetValue(runId, out var known) ? known : null),
            ("POST", ["statuses", var commit]) => ("POST statuses", commit),
            ("GET", ["issues"]) => ("GET issues", null),
            ("POST", ["issues"]) => ("POST issues", null),
            _ => ("unexpected", null),
        };
        if (route == "GET contents" && sha is not null) _configReads.TryAdd(sha, request.ArrivedTimestamp);
        if (route == "GET commits" && sha is not null) _commitReads.TryAdd(sha, request.ArrivedTimestamp);
        if (route == "POST dispatches" && sha is not null && ok) Dispatched(segments[1], segments[2], sha, request.ArrivedTimestamp);
        Add(route, repo, sha);
    }

    private void Dispatched(string owner, string name, string sha, long arrived)
    {
        if (_fake.Repo(owner, name).Dispatches.LastOrDefault(d => d.Inputs.GetValueOrDefault("sha") == sha)?.RunId is { } runId)
        {
            _shaOfRun[runId] = sha;
            _runIds.TryAdd(sha, runId);
        }
        _dispatchArrivals.TryAdd(sha, arrived);
    }

    private void Add(string route, string? repo, string? sha)
    {
        _counts.AddOrUpdate(route, 1, (_, n) => n + 1);
        if (repo is null) return;
        _byRepo.AddOrUpdate((repo, route), 1, (_, n) => n + 1);
        if (sha is { Length: > 0 }) _bySha.AddOrUpdate((sha.ToLowerInvariant(), repo, route), 1, (_, n) => n + 1);
        else _withoutSha.AddOrUpdate((repo, route), 1, (_, n) => n + 1);
    }
}
