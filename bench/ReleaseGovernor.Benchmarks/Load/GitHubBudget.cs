using System.Collections.Concurrent;
using ReleaseGovernor.Benchmarks.Infrastructure;

namespace ReleaseGovernor.Benchmarks.Load;

/// <summary>
/// What deliveries cost in GitHub requests, attributed by commit: every delivery of a phase carries a new sha, so each
/// request the fake GitHub served for that sha (<see cref="BenchGitHub.RequestsForShas"/>) was caused by that delivery.
/// Requests that name no commit cannot be attributed this way and are reported apart.
/// </summary>
public sealed class GitHubBudget
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<string>> _shasByKind = new();

    public void Sent(string kind, string sha) => _shasByKind.GetOrAdd(kind, _ => []).Add(sha);

    public sealed record KindCost(string Kind, int Deliveries, long Requests, IReadOnlyDictionary<string, long> ByRoute, int? Repositories = null)
    {
        public double PerDelivery => Deliveries == 0 ? double.NaN : (double)Requests / Deliveries;

        public string Describe() =>
            $"{Report.N(PerDelivery, "0.00")} ({Requests:N0} for {Deliveries:N0}" +
            (Requests > 0 && Repositories is { } repos ? $", to {repos:N0} repositories" : "") +
            (ByRoute.Count == 0 ? ")" : ": " + string.Join(", ", ByRoute.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value:N0}")) + ")");
    }

    /// <summary>Per kind: the deliveries registered and the requests served for their shas, by route.</summary>
    public IReadOnlyList<KindCost> Tally(BenchGitHub gitHub) =>
        _shasByKind.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k =>
        {
            var (byRoute, repositories) = gitHub.RequestsForShas(k.Value.ToHashSet(StringComparer.Ordinal));
            return new KindCost(k.Key, k.Value.Count, byRoute.Values.Sum(), byRoute, repositories);
        }).ToList();

    /// <summary>The cost of the deliveries of one kind, or an empty one when none was sent.</summary>
    public static KindCost Of(IReadOnlyList<KindCost> tally, string kind) =>
        tally.FirstOrDefault(t => t.Kind == kind) ?? new KindCost(kind, 0, 0, new Dictionary<string, long>());
}
