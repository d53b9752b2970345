namespace ReleaseGovernor.IntegrationTests.Observability;

/// <summary>
/// Metrics and spans are read from process-wide listeners (a <c>MeterListener</c>, an <c>ActivityListener</c>), which
/// hear every server in the test process: these tests run alone, after the others, so what they count is their own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry (runs alone)";
}
