using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.Core.Stops;

/// <summary>An emergency stop in force: <paramref name="Scope"/> is <c>all</c> or a repository (<c>owner/name</c>, lower case).</summary>
public sealed record ActiveStop(string Scope, string Reason, string Actor, DateTimeOffset At)
{
    public bool IsAll => Scope == StopScopes.All;
}

/// <summary>Scopes of an emergency stop.</summary>
public static class StopScopes
{
    public const string All = "all";

    public static string Of(RepoRef repo) => repo.ToString().ToLowerInvariant();
}

/// <summary>The fold of the <c>governor/stops</c> stream: the stops in force, one per scope.</summary>
public sealed record StopState
{
    public static StopState Initial { get; } = new();

    public IReadOnlyList<ActiveStop> Active { get; init; } = [];

    /// <summary>Version of the stops stream this state reflects (0 = no events).</summary>
    public long Version { get; init; }

    /// <summary>The stop that holds <paramref name="repo"/>: a stop of everything first, else the repository's own.</summary>
    public ActiveStop? For(RepoRef repo) =>
        Active.FirstOrDefault(s => s.IsAll) ?? Active.FirstOrDefault(s => s.Scope == StopScopes.Of(repo));

    public static StopState Fold(IEnumerable<StoredEvent> events) =>
        events.Aggregate(Initial, (state, e) => Apply(state, e.Data) with { Version = e.Version });

    public static StopState Apply(StopState state, ReleaseEvent e) => e switch
    {
        EmergencyStopped s => state with { Active = [.. state.Active.Where(a => a.Scope != s.Scope), new ActiveStop(s.Scope, s.Reason, s.Actor, s.At)] },
        EmergencyResumed r => state with { Active = [.. state.Active.Where(a => a.Scope != r.Scope)] },
        _ => state,
    };
}

/// <summary><c>booty governor stop | resume</c> as pure decisions on the stops stream.</summary>
public static class StopCommands
{
    public static IReadOnlyList<ReleaseEvent> Stop(StopState state, string scope, string reason, string actor, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException("An emergency stop needs a reason: say why every deploy must wait (e.g. \"incident 42\").", nameof(reason));
        var existing = state.Active.FirstOrDefault(a => a.Scope == scope);
        return existing is not null && existing.Reason == reason.Trim() ? [] : [new EmergencyStopped(scope, reason.Trim(), actor) { At = now }];
    }

    /// <summary>Resumes the scope; nothing when it is not stopped.</summary>
    public static IReadOnlyList<ReleaseEvent> Resume(StopState state, string scope, string actor, DateTimeOffset now) =>
        state.Active.Any(a => a.Scope == scope) ? [new EmergencyResumed(scope, actor) { At = now }] : [];
}
