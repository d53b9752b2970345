using System.Text.Json.Nodes;

namespace ReleaseGovernor.Testing.Fakes;

/// <summary>
/// One request as the fake received it (every attempt is recorded, faults included). <see cref="ReceivedAt"/> is on the
/// fake's clock; <see cref="ArrivedTimestamp"/> is the <see cref="System.Diagnostics.Stopwatch"/> timestamp of its arrival.
/// </summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    JsonNode? Json,
    DateTimeOffset ReceivedAt,
    long ArrivedTimestamp = 0)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? Query(string name) =>
        System.Web.HttpUtility.ParseQueryString(QueryString)[name];

    public bool Is(string method, string path) =>
        string.Equals(Method, method, StringComparison.OrdinalIgnoreCase) && Path == path;

    public override string ToString() => $"{Method} {Path}{QueryString}";
}
