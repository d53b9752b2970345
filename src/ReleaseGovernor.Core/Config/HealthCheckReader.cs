using ReleaseGovernor.Core.Health;
using YamlDotNet.RepresentationModel;

namespace ReleaseGovernor.Core.Config;

/// <summary>
/// Reads <c>release_governor.health_check</c>: a mapping of the keys below, at least one of <c>url</c> and
/// <c>workflow_name</c>. Each key is also a <see cref="ConfigKey"/> of its own (parent <c>health_check</c>), so the
/// environment overrides <c>RELEASE_GOVERNOR_HEALTH_CHECK_&lt;KEY&gt;</c> check values exactly as the file does.
/// </summary>
internal static class HealthCheckReader
{
    public const string Key = "health_check";
    public const string Expectation = "must be a mapping with url and/or workflow_name (and probes, interval_seconds, timeout_seconds, failures_to_degrade, recheck_minutes)";
    private const string UrlExpectation = "must be an absolute http(s) URL without user info, e.g. https://app.example.com/healthz";

    public static readonly IReadOnlyList<ConfigKey> Keys =
    [
        Text("url", h => h.Url, (h, v) => h with { Url = v }, UrlProblem),
        Text("workflow_name", h => h.WorkflowName, (h, v) => h with { WorkflowName = v }, check: null),
        Number("probes", 1, 100, h => h.Probes, (h, v) => h with { Probes = v }),
        Number("interval_seconds", 1, 3600, h => h.IntervalSeconds, (h, v) => h with { IntervalSeconds = v }),
        Number("timeout_seconds", 1, 60, h => h.TimeoutSeconds, (h, v) => h with { TimeoutSeconds = v }),
        Number("failures_to_degrade", 1, 100, h => h.FailuresToDegrade, (h, v) => h with { FailuresToDegrade = v }),
        Number("recheck_minutes", 1, 1440, h => h.RecheckMinutes, (h, v) => h with { RecheckMinutes = v }),
    ];

    private static readonly string[] Children = [.. Keys.Select(k => k.Child!)];

    public static HealthCheckConfig? Read(string path, YamlNode value, Action<string, YamlNode, string> fail)
    {
        if (value is not YamlMappingNode mapping)
        {
            fail(path, value, $"{Expectation}, got {YamlNodes.Describe(value)}");
            return null;
        }
        var config = GovernorConfig.Default with { HealthCheck = HealthCheckConfig.Default };
        var ok = true;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var name = YamlNodes.Text(keyNode);
            var key = name is null ? null : Keys.FirstOrDefault(k => k.Child == name);
            if (key is null)
            {
                var suggestion = name is null ? null : KeySuggester.Suggest(name, Children);
                fail($"{path}.{name}", keyNode, suggestion is null
                    ? $"unknown key; health_check has {string.Join(", ", Children)}"
                    : $"unknown key (did you mean {suggestion}?)");
                ok = false;
                continue;
            }
            if (valueNode is not YamlScalarNode scalar)
            {
                fail($"{path}.{name}", valueNode, $"{key.Expectation}, got {YamlNodes.Describe(valueNode)}");
                ok = false;
                continue;
            }
            var update = key.FromText(config, YamlNodes.Text(scalar));
            if (update.Config is { } updated)
                config = updated;
            else
            {
                fail($"{path}.{name}", valueNode, $"{update.Problem}, got {YamlNodes.Describe(valueNode)}");
                ok = false;
            }
        }
        if (!ok) return null;
        if (!config.HealthCheck!.HasTarget)
        {
            fail(path, value, "needs url (GET; 2xx within timeout_seconds is healthy) or workflow_name (a run on the deployed sha; success is healthy), or both");
            return null;
        }
        return config.HealthCheck;
    }

    /// <summary>What is wrong with a probe URL as written in the file (the addresses it may reach are the server's call).</summary>
    public static string? UrlProblem(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.UserInfo.Length == 0 && uri.Host.Length > 0
            ? null
            : UrlExpectation;

    private static ConfigKey Text(string child, Func<HealthCheckConfig, string?> get, Func<HealthCheckConfig, string, HealthCheckConfig> set,
        Func<string, string?>? check)
    {
        var expectation = child == "url" ? UrlExpectation : "must be a non-empty string";
        return new($"{Key}_{child}", IsList: false, expectation,
            c => ConfigValues.Quote(c.HealthCheck is { } h ? get(h) ?? "" : ""),
            (c, text) =>
            {
                var value = text?.Trim() ?? "";
                if (value.Length == 0) return KeyUpdate.Reject(expectation);
                return check?.Invoke(value) is { } problem
                    ? KeyUpdate.Reject(problem)
                    : KeyUpdate.Set(c with { HealthCheck = set(c.HealthCheck ?? HealthCheckConfig.Default, value) });
            },
            AddedLater: true, Parent: Key);
    }

    private static ConfigKey Number(string child, int min, int max, Func<HealthCheckConfig, int> get, Func<HealthCheckConfig, int, HealthCheckConfig> set)
    {
        var expectation = $"must be an integer from {min} to {max}";
        return new($"{Key}_{child}", IsList: false, expectation,
            c => get(c.HealthCheck ?? HealthCheckConfig.Default).ToString(System.Globalization.CultureInfo.InvariantCulture),
            (c, text) => ConfigValues.TryParseInteger(text, out var value) && value >= min && value <= max
                ? KeyUpdate.Set(c with { HealthCheck = set(c.HealthCheck ?? HealthCheckConfig.Default, value) })
                : KeyUpdate.Reject(expectation),
            AddedLater: true, Parent: Key);
    }
}
