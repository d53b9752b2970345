using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ReleaseGovernor.Benchmarks.Load;

/// <summary>
/// Realistic deliveries built from GitHub's public example payloads (embedded, see Payloads/SOURCES.md), with the
/// fields a scenario needs set the way the integration tests set them.
/// </summary>
public static class WebhookPayloads
{
    /// <summary>A push to <paramref name="branch"/> moving it from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static byte[] Push(string repo, string before, string after, string branch = "main")
    {
        var json = Fixture("push.json");
        json["ref"] = $"refs/heads/{branch}";
        json["before"] = before;
        json["after"] = after;
        json["created"] = false;
        json["installation"] = new JsonObject { ["id"] = 42 };
        SetRepo(json, repo);
        return Bytes(json);
    }

    /// <summary>A workflow_run delivery of <paramref name="name"/> (<paramref name="path"/>) for <paramref name="headSha"/> on main.</summary>
    public static byte[] WorkflowRun(string repo, long runId, string headSha, string name, string path, string action, string? conclusion)
    {
        var json = Fixture("workflow_run.json");
        json["action"] = action;
        var run = json["workflow_run"]!;
        run["id"] = runId;
        run["name"] = name;
        run["path"] = path;
        run["head_sha"] = headSha;
        run["head_branch"] = "main";
        run["event"] = "push";
        run["status"] = action == "completed" ? "completed" : action;
        run["conclusion"] = conclusion;
        run["display_title"] = name;
        run["html_url"] = $"https://github.com/{repo}/actions/runs/{runId}";
        run["head_repository"] = new JsonObject { ["full_name"] = repo, ["name"] = repo.Split('/')[1], ["fork"] = false };
        json["installation"] = new JsonObject { ["id"] = 42 };
        SetRepo(json, repo);
        return Bytes(json);
    }

    /// <summary>"Verify main" completed successfully on main for <paramref name="sha"/>: what makes the governor decide.</summary>
    public static byte[] Verification(string repo, string sha, long runId) =>
        WorkflowRun(repo, runId, sha, "Verify main", ".github/workflows/verify-main.yml", "completed", "success");

    /// <summary>The governor's own deploy run <paramref name="runId"/> of <paramref name="sha"/> completed successfully.</summary>
    public static byte[] DeploySucceeded(string repo, long runId, string sha)
    {
        var json = JsonNode.Parse(WorkflowRun(repo, runId, sha, "Deploy", ".github/workflows/deploy.yml", "completed", "success"))!;
        json["workflow_run"]!["event"] = "workflow_dispatch";
        json["workflow_run"]!["display_title"] = $"Deploy {sha}";
        return Bytes(json);
    }

    /// <summary>X-Hub-Signature-256 for the body.</summary>
    public static string Sign(byte[] secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

    public static string RandomSha() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    private static JsonNode Fixture(string name)
    {
        using var stream = typeof(WebhookPayloads).Assembly.GetManifestResourceStream($"payloads.{name}")
                           ?? throw new BenchmarkException($"The embedded payload {name} is missing from the benchmark build.");
        return JsonNode.Parse(stream)!;
    }

    private static void SetRepo(JsonNode json, string repo)
    {
        json["repository"]!["full_name"] = repo;
        json["repository"]!["name"] = repo.Split('/')[1];
        json["repository"]!["default_branch"] = "main";
    }

    private static byte[] Bytes(JsonNode json) => Encoding.UTF8.GetBytes(json.ToJsonString());
}

/// <summary>
/// A payload with a placeholder sha that is replaced by a fresh one for each delivery, byte for byte (same length),
/// so building a delivery costs one copy instead of a JSON round trip.
/// </summary>
public sealed class ShaTemplate
{
    public const string Placeholder = "5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed";
    private readonly byte[] _template;
    private readonly int[] _offsets;

    public ShaTemplate(string gitHubEvent, byte[] body, string kind = "")
    {
        Event = gitHubEvent;
        Kind = kind;
        _template = body;
        var marker = Encoding.ASCII.GetBytes(Placeholder);
        var offsets = new List<int>();
        for (var at = body.AsSpan().IndexOf(marker); at >= 0;)
        {
            offsets.Add(at);
            var next = body.AsSpan(at + marker.Length).IndexOf(marker);
            at = next < 0 ? -1 : at + marker.Length + next;
        }
        if (offsets.Count == 0) throw new ArgumentException("The body has no placeholder sha.", nameof(body));
        _offsets = [.. offsets];
    }

    public string Event { get; }

    /// <summary>What kind of delivery this is, for the GitHub budget ("push", "workflow_run CI requested", ...).</summary>
    public string Kind { get; }

    public byte[] With(string sha)
    {
        var body = (byte[])_template.Clone();
        foreach (var at in _offsets) Encoding.ASCII.GetBytes(sha, body.AsSpan(at, Placeholder.Length));
        return body;
    }
}

/// <summary>
/// The ingest mix over N repositories: per five deliveries, two pushes to main and three workflow_run deliveries
/// (requested, in_progress, completed) of a "CI" workflow — stored and, for the runs, processed (the worker reads
/// .booty.yml at the sha and finds nothing to decide). Every delivery has a new sha.
/// </summary>
public sealed class DeliveryMix
{
    private readonly ShaTemplate[][] _byRepo;

    public DeliveryMix(string owner, int repositories)
    {
        _byRepo = Enumerable.Range(1, repositories).Select(i =>
        {
            var repo = $"{owner}/repo-{i:000}";
            const string ci = ".github/workflows/ci.yml";
            return new[]
            {
                new ShaTemplate("push", WebhookPayloads.Push(repo, "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567", ShaTemplate.Placeholder), Push),
                new ShaTemplate("workflow_run", WebhookPayloads.WorkflowRun(repo, 30_000_000 + i, ShaTemplate.Placeholder, "CI", ci, "requested", null), CiRequested),
                new ShaTemplate("push", WebhookPayloads.Push(repo, "1b2c3d4e5f60718293a4b5c6d7e8f90123456789", ShaTemplate.Placeholder), Push),
                new ShaTemplate("workflow_run", WebhookPayloads.WorkflowRun(repo, 30_000_000 + i, ShaTemplate.Placeholder, "CI", ci, "in_progress", null), CiInProgress),
                new ShaTemplate("workflow_run", WebhookPayloads.WorkflowRun(repo, 30_000_000 + i, ShaTemplate.Placeholder, "CI", ci, "completed", "success"), CiCompleted),
            };
        }).ToArray();
    }

    public const string Push = "push to main";
    public const string CiRequested = "workflow_run of CI (neither verification nor deploy), requested";
    public const string CiInProgress = "workflow_run of CI (neither verification nor deploy), in_progress";
    public const string CiCompleted = "workflow_run of CI (neither verification nor deploy), completed";

    public int Repositories => _byRepo.Length;

    /// <summary>When set, every delivery made is registered there with its kind and its new sha.</summary>
    public GitHubBudget? Budget { get; set; }

    /// <summary>The <paramref name="n"/>th delivery: repository n mod N, kind (n / N) mod 5.</summary>
    public (string Event, byte[] Body) Next(long n)
    {
        var template = _byRepo[n % _byRepo.Length][n / _byRepo.Length % 5];
        var sha = WebhookPayloads.RandomSha();
        Budget?.Sent(template.Kind, sha);
        return (template.Event, template.With(sha));
    }
}
