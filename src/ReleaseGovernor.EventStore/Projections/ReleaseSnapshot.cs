using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.EventStore.Projections;

/// <summary>
/// The release state of one release stream as a Marten document, written in the same transaction as every append to
/// that stream, at the version Marten asserts for the append (so it never falls behind its stream).
/// </summary>
public sealed class ReleaseSnapshot
{
    public string Id { get; set; } = "";
    public ReleaseState State { get; set; } = ReleaseState.Initial;
}
