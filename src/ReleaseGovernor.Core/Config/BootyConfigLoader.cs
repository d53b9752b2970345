using YamlDotNet.RepresentationModel;

namespace ReleaseGovernor.Core.Config;

/// <summary>
/// Reads the <c>release_governor</c> block of a repository's <c>.booty.yml</c> (design §5). Takes the
/// file's text (null when the file does not exist) and never throws on bad input: every problem
/// becomes a <see cref="ConfigError"/> with the file, the key and the line.
/// </summary>
public static class BootyConfigLoader
{
    public const string DefaultFileName = ".booty.yml";
    public const string Section = "release_governor";

    private const string EnabledVariable = EnvironmentOverrides.Prefix + "ENABLED";

    public static ConfigLoadResult Load(string? yamlText, string fileName = DefaultFileName)
    {
        if (yamlText is null)
            return Absent($"no {fileName}");
        if (string.IsNullOrWhiteSpace(yamlText))
            return Absent($"{fileName} is empty");

        var document = YamlDocumentReader.Read(yamlText, fileName);
        if (document.Error is { } error)
            return new ConfigLoadResult.Invalid([error]);

        switch (document.Root)
        {
            case null:
            case YamlScalarNode scalar when YamlNodes.IsNull(scalar):
                return Absent($"{fileName} is empty");
            case YamlMappingNode root:
                return LoadSection(root, fileName);
            default:
                return Invalid(fileName, "", document.Root, $"the top level must be a mapping of keys, got {YamlNodes.Describe(document.Root)}");
        }
    }

    /// <summary>
    /// <see cref="Load"/>, then the server's <c>RELEASE_GOVERNOR_*</c> overrides. <c>RELEASE_GOVERNOR_ENABLED</c>
    /// can switch off any repository, or switch on one whose block says <c>enabled: false</c>; a repository
    /// without a block stays disabled. Errors in the variables make the result invalid.
    /// </summary>
    public static ConfigLoadResult LoadEffective(
        string? yamlText, IReadOnlyDictionary<string, string?> environment, string fileName = DefaultFileName)
    {
        var environmentErrors = EnvironmentOverrides.Validate(environment);
        var loaded = Load(yamlText, fileName);
        if (environmentErrors.Count > 0)
        {
            var fileErrors = loaded is ConfigLoadResult.Invalid invalid ? invalid.Errors : [];
            return new ConfigLoadResult.Invalid([.. environmentErrors, .. fileErrors]);
        }

        var fromFile = loaded switch
        {
            ConfigLoadResult.Loaded l => l.Config,
            ConfigLoadResult.Disabled { Config: { } config } => config,
            _ => null,
        };

        var switchedOff = environment.TryGetValue(EnabledVariable, out var enabled)
            && ConfigValues.TryParseBoolean(enabled, out var on) && !on;
        if (switchedOff)
            return new ConfigLoadResult.Disabled($"disabled: {EnabledVariable} is false", Explicit: true, fromFile);
        if (fromFile is null)
            return loaded;

        var effective = EnvironmentOverrides.Apply(fromFile, environment).Config;
        return effective.Enabled
            ? new ConfigLoadResult.Loaded(effective)
            : new ConfigLoadResult.Disabled($"disabled: {Section}.enabled is false in {fileName}", Explicit: true, effective);
    }

    private static ConfigLoadResult LoadSection(YamlMappingNode root, string fileName)
    {
        var section = root.Children
            .FirstOrDefault(entry => entry.Key is YamlScalarNode { Value: Section }).Value;
        switch (section)
        {
            case null:
                // A top-level key close to the section name is a typo of it, not another tool's key: say so
                // instead of silently switching the governor off.
                var typo = root.Children.Keys.OfType<YamlScalarNode>()
                    .FirstOrDefault(k => k.Value is { Length: > 0 } v && KeySuggester.Suggest(v, [Section]) is not null);
                return typo is not null
                    ? Invalid(fileName, typo.Value!, typo, $"unknown top-level key (did you mean {Section}?)")
                    : Absent($"no {Section} key in {fileName}");
            case YamlScalarNode scalar when YamlNodes.IsNull(scalar):
            case YamlMappingNode { Children.Count: 0 }:
                return Absent($"the {Section} block in {fileName} is empty");
            case YamlMappingNode block:
                var (config, errors) = GovernorBlockReader.Read(block, fileName);
                if (errors.Count > 0)
                    return new ConfigLoadResult.Invalid(errors);
                return config.Enabled
                    ? new ConfigLoadResult.Loaded(config)
                    : new ConfigLoadResult.Disabled($"disabled: {Section}.enabled is false in {fileName}", Explicit: true, config);
            default:
                return Invalid(fileName, Section, section, $"must be a mapping of settings, got {YamlNodes.Describe(section)}");
        }
    }

    private static ConfigLoadResult.Disabled Absent(string why) => new($"absent: {why}", Explicit: false);

    private static ConfigLoadResult.Invalid Invalid(string fileName, string key, YamlNode node, string message) =>
        new([new ConfigError(fileName, key, YamlNodes.Line(node), message)]);
}
