using System.Text;
using ReleaseGovernor.Testing.Webhooks;

namespace ReleaseGovernor.Benchmarks.Load;

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
                new ShaTemplate("push", Deliveries.Push(repo, "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567", ShaTemplate.Placeholder, installation: 42), Push),
                new ShaTemplate("workflow_run", Deliveries.WorkflowRun(repo, 30_000_000 + i, ShaTemplate.Placeholder, "CI", ci, "requested", null), CiRequested),
                new ShaTemplate("push", Deliveries.Push(repo, "1b2c3d4e5f60718293a4b5c6d7e8f90123456789", ShaTemplate.Placeholder, installation: 42), Push),
                new ShaTemplate("workflow_run", Deliveries.WorkflowRun(repo, 30_000_000 + i, ShaTemplate.Placeholder, "CI", ci, "in_progress", null), CiInProgress),
                new ShaTemplate("workflow_run", Deliveries.WorkflowRun(repo, 30_000_000 + i, ShaTemplate.Placeholder, "CI", ci, "completed", "success"), CiCompleted),
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
        var sha = Deliveries.RandomSha();
        Budget?.Sent(template.Kind, sha);
        return (template.Event, template.With(sha));
    }
}
