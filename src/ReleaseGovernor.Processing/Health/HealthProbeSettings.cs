using Microsoft.Extensions.Configuration;

namespace ReleaseGovernor.Processing.Health;

/// <summary>
/// Server settings of the health probes (section <c>ReleaseGovernor:HealthChecks</c>). By default a probe goes only to
/// <c>https</c> URLs whose host resolves to public addresses; <see cref="AllowedHosts"/> (host names or IP literals,
/// compared case-insensitively) may be probed over http or https at any address, e.g. an internal status endpoint.
/// </summary>
public sealed class HealthProbeSettings
{
    public const string SectionName = "ReleaseGovernor:HealthChecks";

    /// <summary>How the setting is named in the environment, for messages.</summary>
    public const string AllowedHostsVariable = "ReleaseGovernor__HealthChecks__AllowedHosts";

    /// <summary>How many redirects a probe follows (each one checked like the URL itself).</summary>
    public const int MaxRedirects = 3;

    public IReadOnlySet<string> AllowedHosts { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    public bool IsAllowed(string host) => AllowedHosts.Contains(host.Trim('[', ']'));

    /// <summary>Reads the list from indexed entries (<c>AllowedHosts__0</c>, …) and/or one comma-separated value.</summary>
    public static HealthProbeSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName).GetSection("AllowedHosts");
        var values = new[] { section.Value }.Concat(section.GetChildren().Select(c => c.Value));
        var hosts = values.OfType<string>()
            .SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(h => h.Trim('[', ']'));
        return new HealthProbeSettings { AllowedHosts = new HashSet<string>(hosts, StringComparer.OrdinalIgnoreCase) };
    }
}
