using System.Security.Cryptography;
using System.Text;

namespace ReleaseGovernor.Core.Config;

/// <summary>
/// The <c>release_governor</c> block of <c>.booty.yml</c> (design §5), with the reference design's defaults.
/// Equality compares every key, lists element by element.
/// </summary>
public sealed record GovernorConfig
{
    public static GovernorConfig Default { get; } = new();

    public bool Enabled { get; init; } = true;
    public string ProductionEnvironmentName { get; init; } = "production";
    public bool RequireApprovalForFirstDeploy { get; init; }

    public IReadOnlyList<string> HighRiskPaths { get; init; } =
        [".github/workflows/**", "**/migrations/**"];

    public IReadOnlyList<string> MediumRiskPaths { get; init; } =
    [
        "package.json", "requirements*.txt", "pyproject.toml", "Cargo.toml",
        "go.mod", "go.sum", "*.csproj", "Directory.Packages.props",
    ];

    public IReadOnlyList<string> MigrationPaths { get; init; } = [];
    public string VerificationWorkflowName { get; init; } = "Verify main";

    /// <summary>The <c>event</c> of a verification run that counts (design §4: never <c>pull_request</c>).</summary>
    public IReadOnlyList<string> VerificationEvents { get; init; } = ["push"];
    public string DeployWorkflowName { get; init; } = "deploy.yml";
    public string DeployWorkflowRef { get; init; } = "main";
    public int CooldownMinutes { get; init; } = 30;
    public int MaxDeploysPerHour { get; init; } = 6;
    public ApprovalMode ApprovalMode { get; init; } = ApprovalMode.Environment;
    public string ApprovalLabel { get; init; } = "release:approved";
    public string ApprovalCommand { get; init; } = "/approve-release";
    public bool AllowSelfApproval { get; init; }

    /// <summary>Users (<c>login</c>) and teams (<c>org/team-slug</c>) who may approve; empty means anyone with write permission.</summary>
    public IReadOnlyList<string> Approvers { get; init; } = [];

    /// <summary>Distinct approvers a sha needs, across channels.</summary>
    public int RequiredApprovals { get; init; } = 1;
    public int StallMinutes { get; init; } = 60;

    /// <summary>When deploys wait (HOLD <c>freeze_window</c>) until the window closes; none by default.</summary>
    public IReadOnlyList<Freeze.FreezeWindow> FreezeWindows { get; init; } = [];

    /// <summary>What to probe after a successful deploy (<c>health_check</c>); null: no block, production health stays unknown.</summary>
    public Health.HealthCheckConfig? HealthCheck { get; init; }

    /// <summary>Whether production degraded after a deploy dispatches <c>production_sha_previous</c> on its own.</summary>
    public bool RollbackOnUnhealthy { get; init; }

    /// <summary>How an allowed deploy starts: a dispatch of the deploy workflow, or the answer to a deployment protection rule.</summary>
    public TriggerMode TriggerMode { get; init; } = TriggerMode.Dispatch;

    /// <summary>
    /// Every key as <c>snake_name=value</c>, one a line, in a fixed order, strings quoted; keys added after the
    /// first release only when set away from their default. Two configs with the same canonical form behave the same.
    /// </summary>
    public string ToCanonicalString()
    {
        var text = new StringBuilder();
        foreach (var key in ConfigKeys.All)
        {
            var value = key.Render(this);
            if (key.AddedLater && value == key.Render(Default)) continue;
            text.Append(key.Name).Append('=').Append(value).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>First 16 hex digits of the SHA-256 of <see cref="ToCanonicalString"/>; stable across releases for the audit trail.</summary>
    public string Fingerprint()
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(ToCanonicalString()));
        return Convert.ToHexStringLower(hash)[..16];
    }

    /// <summary>The keys whose values differ between this config and <paramref name="other"/>, in key order.</summary>
    public IReadOnlyList<string> ChangedKeys(GovernorConfig other) =>
        [.. ConfigKeys.All.Where(k => k.Render(this) != k.Render(other)).Select(k => k.Name)];

    public bool Equals(GovernorConfig? other) =>
        other is not null && ToCanonicalString() == other.ToCanonicalString();

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToCanonicalString());
}
