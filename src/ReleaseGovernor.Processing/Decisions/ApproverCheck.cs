using System.Collections.Concurrent;
using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.Processing.Decisions;

/// <summary>
/// Who gave a label or comment approval, as GitHub sees them: their permission on the repository
/// (<c>collaborators/{user}/permission</c>) and, with <c>approvers</c> set, whether they are listed or an active member of a
/// listed team. Answers are cached a few minutes per repository and user. A failed lookup throws, so the evaluation is
/// retried and the approval stays pending — never counted on a guess.
/// </summary>
public sealed class ApproverCheck(GitHubClient github, TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (object Answer, DateTimeOffset Until)> _cache = new(StringComparer.OrdinalIgnoreCase);

    public async Task<ApprovalSignal> ResolveAsync(RepoRef repo, long? installationId, ApprovalSignal signal, GovernorConfig config,
        IReadOnlyList<string> pushers, CancellationToken ct)
    {
        if (signal.Via is not (ApprovalVia.Label or ApprovalVia.Comment)) return signal;
        var permission = await CachedAsync($"perm:{repo}:{signal.Actor}",
            () => github.GetPermissionAsync(repo, installationId, signal.Actor, ct));
        var inApprovers = config.Approvers.Count == 0 ? (bool?)null : await InApproversAsync(signal.Actor, config.Approvers, installationId, ct);
        return signal with
        {
            Role = permission.Role,
            CanWrite = permission.CanWrite,
            InApprovers = inApprovers,
            ByPusher = pushers.Contains(signal.Actor, StringComparer.OrdinalIgnoreCase),
        };
    }

    private async Task<bool> InApproversAsync(string user, IReadOnlyList<string> approvers, long? installationId, CancellationToken ct)
    {
        if (approvers.Any(a => !ApproverNames.IsTeam(a) && string.Equals(a, user, StringComparison.OrdinalIgnoreCase))) return true;
        foreach (var team in approvers.Where(ApproverNames.IsTeam))
        {
            var (org, slug) = ApproverNames.Team(team);
            if (await CachedAsync($"team:{team}:{user}", () => github.IsActiveTeamMemberAsync(org, slug, user, installationId, ct)))
                return true;
        }
        return false;
    }

    private async Task<T> CachedAsync<T>(string key, Func<Task<T>> fetch) where T : notnull
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(key, out var hit) && hit.Until > now) return (T)hit.Answer;
        var answer = await fetch();
        if (_cache.Count > 10_000) _cache.Clear();
        _cache[key] = (answer, now + CacheFor);
        return answer;
    }
}
