using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Risk;

namespace ReleaseGovernor.Testing.Replay;

/// <summary>
/// A month of one release stream as the governor records it: each day a sha is verified, decided by the real
/// <see cref="Decider"/> under <paramref name="yaml"/> (what it saw recorded with it), and an ALLOW deployed an hour later.
/// Every <see cref="InfraEvery"/>th day's sha changes <see cref="InfraPath"/>; the others change application code.
/// </summary>
public sealed class RecordedMonth
{
    public const string InfraPath = "infra/terraform/main.tf";
    public const int InfraEvery = 5;
    public const int Days = 30;

    public RecordedMonth(string yaml, DateTimeOffset start, string streamId)
    {
        var config = BootyConfigLoader.Load(yaml);
        var judging = ((ConfigLoadResult.Loaded)config).Config;
        var state = ReleaseState.Initial;
        var events = new List<ReleaseEvent>();
        var infraShas = new List<string>();
        for (var day = 1; day <= Days; day++)
        {
            var sha = $"{day:x2}{new string('c', 38)}";
            var at = start.AddDays(day);
            IReadOnlyList<string> paths = day % InfraEvery == 0 ? [InfraPath, $"src/day{day}.cs"] : [$"src/day{day}.cs"];
            if (day % InfraEvery == 0) infraShas.Add(sha);
            var verified = new VerificationCompleted(sha, 1000 + day, 1, "success", null) { At = at };
            state = ReleaseProjection.Apply(state, verified);
            var input = new DecisionInput(sha, "success", config, state.ProductionShaCurrent is null ? null : CompareStatus.Ahead,
                RiskClassifier.Classify(paths, false, judging), [], null, at.AddSeconds(5), new DefaultBranchCheck(true, "main", "push"))
            {
                ChangedPaths = paths,
            };
            var decided = Decider.Decide(state, input).Events;
            IReadOnlyList<ReleaseEvent> deployed = decided.OfType<DeployDispatchRequested>().Any()
                ? [new DeployDispatched(sha, 1, 5000 + day, null, null) { At = at.AddSeconds(6) },
                   new DeploySucceeded(sha, 5000 + day, null) { At = at.AddHours(1) }]
                : [];
            foreach (var e in (ReleaseEvent[])[verified, .. decided, .. deployed])
            {
                if (e != verified) state = ReleaseProjection.Apply(state, e);
                events.Add(e);
            }
        }
        StreamId = streamId;
        Events = events;
        InfraShas = infraShas;
    }

    public string StreamId { get; }
    public IReadOnlyList<ReleaseEvent> Events { get; }

    /// <summary>The shas whose diff touches <see cref="InfraPath"/>, in order.</summary>
    public IReadOnlyList<string> InfraShas { get; }

    /// <summary>As the log would return them: sequence and version numbered from 1.</summary>
    public IReadOnlyList<StoredEvent> Stored() =>
    [
        .. Events.Select((e, i) => new StoredEvent(i + 1, Guid.NewGuid(), StreamId, i + 1, EventTypes.NameOf(e), e,
            new EventMetadata($"delivery-{i + 1}", DeliveryId: $"delivery-{i + 1}"), e.At)),
    ];
}
