namespace ReleaseGovernor.Core.Config;

/// <summary>The keys of design §5, in the order used for the canonical form.</summary>
internal static class ConfigKeys
{
    public static readonly IReadOnlyList<ConfigKey> All =
    [
        Flag("enabled", c => c.Enabled, (c, v) => c with { Enabled = v }),
        Text("production_environment_name", c => c.ProductionEnvironmentName,
            (c, v) => c with { ProductionEnvironmentName = v }, check: EnvironmentNames.Problem),
        Flag("require_approval_for_first_deploy", c => c.RequireApprovalForFirstDeploy,
            (c, v) => c with { RequireApprovalForFirstDeploy = v }),
        Paths("high_risk_paths", c => c.HighRiskPaths, (c, v) => c with { HighRiskPaths = v }),
        Paths("medium_risk_paths", c => c.MediumRiskPaths, (c, v) => c with { MediumRiskPaths = v }),
        Paths("migration_paths", c => c.MigrationPaths, (c, v) => c with { MigrationPaths = v }),
        Text("verification_workflow_name", c => c.VerificationWorkflowName,
            (c, v) => c with { VerificationWorkflowName = v }),
        List("verification_events", $"must be a list of workflow run events ({string.Join(", ", VerificationEventNames.Allowed)})",
            c => c.VerificationEvents, (c, v) => c with { VerificationEvents = v }, VerificationEventNames.Problem, addedLater: true),
        // Empty means "no deploy workflow configured" (decision rule 5), so it is accepted here.
        Text("deploy_workflow_name", c => c.DeployWorkflowName,
            (c, v) => c with { DeployWorkflowName = v }, allowEmpty: true),
        Text("deploy_workflow_ref", c => c.DeployWorkflowRef, (c, v) => c with { DeployWorkflowRef = v }),
        Integer("cooldown_minutes", 0, ConfigValues.MaxMinutes, c => c.CooldownMinutes,
            (c, v) => c with { CooldownMinutes = v }),
        Integer("max_deploys_per_hour", 1, int.MaxValue, c => c.MaxDeploysPerHour,
            (c, v) => c with { MaxDeploysPerHour = v }),
        Mode("approval_mode"),
        Text("approval_label", c => c.ApprovalLabel, (c, v) => c with { ApprovalLabel = v }),
        Text("approval_command", c => c.ApprovalCommand, (c, v) => c with { ApprovalCommand = v }),
        Flag("allow_self_approval", c => c.AllowSelfApproval, (c, v) => c with { AllowSelfApproval = v }),
        Integer("stall_minutes", 1, ConfigValues.MaxMinutes, c => c.StallMinutes,
            (c, v) => c with { StallMinutes = v }),
        List("approvers", "must be a list of GitHub users (login) and teams (org/team-slug)",
            c => c.Approvers, (c, v) => c with { Approvers = v }, ApproverNames.Problem, addedLater: true),
        Integer("required_approvals", 1, 20, c => c.RequiredApprovals, (c, v) => c with { RequiredApprovals = v }, addedLater: true),
        Windows(FreezeWindowReader.Key),
        HealthBlock(HealthCheckReader.Key),
        Flag("rollback_on_unhealthy", c => c.RollbackOnUnhealthy, (c, v) => c with { RollbackOnUnhealthy = v }, addedLater: true),
        Trigger("trigger_mode"),
    ];

    /// <summary>
    /// The keys inside the <c>health_check</c> block: read by <see cref="HealthCheckReader"/> from <c>.booty.yml</c>, and
    /// overridable one by one (<c>RELEASE_GOVERNOR_HEALTH_CHECK_URL</c>, …). Rendered by the block's key, not on their own.
    /// </summary>
    public static readonly IReadOnlyList<ConfigKey> Nested = HealthCheckReader.Keys;

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(k => k.Name)];

    private static readonly Dictionary<string, ConfigKey> ByName = All.Concat(Nested).ToDictionary(k => k.Name, StringComparer.Ordinal);

    public static ConfigKey? Find(string name) => ByName.GetValueOrDefault(name);

    private static ConfigKey Flag(string name, Func<GovernorConfig, bool> get, Func<GovernorConfig, bool, GovernorConfig> set, bool addedLater = false) =>
        new(name, IsList: false, ConfigValues.BooleanExpectation,
            c => get(c) ? "true" : "false",
            (c, text) => ConfigValues.TryParseBoolean(text, out var value)
                ? KeyUpdate.Set(set(c, value))
                : KeyUpdate.Reject(ConfigValues.BooleanExpectation),
            AddedLater: addedLater);

    /// <summary>The health_check block as one key of the canonical form; its keys are set in the block or by their own variables.</summary>
    private static ConfigKey HealthBlock(string name) =>
        new(name, IsList: false, HealthCheckReader.Expectation,
            c => c.HealthCheck is { } h ? ConfigValues.Quote(h.ToCanonicalString()) : "null",
            (_, _) => KeyUpdate.Reject($"is a block: override its keys one by one ({string.Join(", ", HealthCheckReader.Keys.Select(k => k.Variable))})"),
            AddedLater: true);

    private static ConfigKey Integer(
        string name, int min, int max, Func<GovernorConfig, int> get, Func<GovernorConfig, int, GovernorConfig> set, bool addedLater = false)
    {
        var expectation = $"must be an integer >= {min}";
        return new(name, IsList: false, expectation,
            c => get(c).ToString(System.Globalization.CultureInfo.InvariantCulture),
            (c, text) =>
                !ConfigValues.TryParseInteger(text, out var value) || value < min ? KeyUpdate.Reject(expectation)
                : value > max ? KeyUpdate.Reject($"must be an integer from {min} to {max}")
                : KeyUpdate.Set(set(c, value)),
            AddedLater: addedLater);
    }

    private static ConfigKey Text(
        string name, Func<GovernorConfig, string> get, Func<GovernorConfig, string, GovernorConfig> set, bool allowEmpty = false,
        Func<string, string?>? check = null)
    {
        var expectation = allowEmpty ? "must be a string (empty for none)" : "must be a non-empty string";
        return new(name, IsList: false, expectation,
            c => ConfigValues.Quote(get(c)),
            (c, text) =>
            {
                var value = text?.Trim() ?? "";
                if (value.Length == 0 && !allowEmpty) return KeyUpdate.Reject(expectation);
                return check?.Invoke(value) is { } problem ? KeyUpdate.Reject(problem) : KeyUpdate.Set(set(c, value));
            });
    }

    private static ConfigKey Paths(
        string name, Func<GovernorConfig, IReadOnlyList<string>> get, Func<GovernorConfig, IReadOnlyList<string>, GovernorConfig> set) =>
        List(name, "must be a list of path patterns", get, set, checkItem: null);

    /// <summary>From text (an environment variable) a list is comma-separated; entries are trimmed and empty ones dropped.</summary>
    private static ConfigKey List(
        string name, string expectation, Func<GovernorConfig, IReadOnlyList<string>> get,
        Func<GovernorConfig, IReadOnlyList<string>, GovernorConfig> set, Func<string, string?>? checkItem, bool addedLater = false) =>
        new(name, IsList: true, expectation,
            c => ConfigValues.QuoteList(get(c)),
            (c, text) =>
            {
                var items = SplitList(text);
                var problem = checkItem is null ? null : items.Select(i => checkItem(i)).FirstOrDefault(p => p is not null);
                return problem is null ? KeyUpdate.Set(set(c, items)) : KeyUpdate.Reject(problem);
            },
            set, checkItem, addedLater);

    private static ConfigKey Mode(string name) =>
        new(name, IsList: false, ConfigValues.ApprovalModeExpectation,
            c => ConfigValues.Render(c.ApprovalMode),
            (c, text) => ConfigValues.TryParseApprovalMode(text, out var mode)
                ? KeyUpdate.Set(c with { ApprovalMode = mode })
                : KeyUpdate.Reject(ConfigValues.ApprovalModeExpectation));

    private static ConfigKey Trigger(string name) =>
        new(name, IsList: false, TriggerModes.Expectation,
            c => TriggerModes.Render(c.TriggerMode),
            (c, text) => TriggerModes.TryParse(text, out var mode)
                ? KeyUpdate.Set(c with { TriggerMode = mode })
                : KeyUpdate.Reject(TriggerModes.Expectation),
            AddedLater: true);

    /// <summary>Freeze windows are mappings: read from <c>.booty.yml</c> by <see cref="FreezeWindowReader"/>, never from a variable.</summary>
    private static ConfigKey Windows(string name) =>
        new(name, IsList: false, FreezeWindowReader.Expectation,
            c => ConfigValues.QuoteList([.. c.FreezeWindows.Select(w => w.ToCanonicalString())]),
            (_, _) => KeyUpdate.Reject("can be set in .booty.yml only (a list of windows)"),
            AddedLater: true);

    private static IReadOnlyList<string> SplitList(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
