using YamlDotNet.RepresentationModel;

namespace ReleaseGovernor.Core.Config;

/// <summary>Turns the <c>release_governor</c> mapping into a <see cref="GovernorConfig"/>, collecting every error.</summary>
internal static class GovernorBlockReader
{
    private const string PatternExpectation = "must be a non-empty path pattern";

    public static (GovernorConfig Config, IReadOnlyList<ConfigError> Errors) Read(YamlMappingNode block, string fileName)
    {
        var config = GovernorConfig.Default;
        var errors = new List<ConfigError>();
        void Fail(string key, YamlNode node, string message) =>
            errors.Add(new ConfigError(fileName, key, YamlNodes.Line(node), message));

        foreach (var (keyNode, valueNode) in block.Children)
        {
            var name = YamlNodes.Text(keyNode);
            if (name is null)
            {
                Fail(BootyConfigLoader.Section, keyNode, $"keys must be names, got {YamlNodes.Describe(keyNode)}");
                continue;
            }

            var path = $"{BootyConfigLoader.Section}.{name}";
            var key = ConfigKeys.Find(name);
            if (key is null || key.Parent is not null)
            {
                Fail(path, keyNode, UnknownKey(name));
                continue;
            }

            if (key.Name == HealthCheckReader.Key)
                config = HealthCheckReader.Read(path, valueNode, Fail) is { } health ? config with { HealthCheck = health } : config;
            else if (key.Name == FreezeWindowReader.Key)
                config = FreezeWindowReader.Read(path, valueNode, Fail) is { } windows ? config with { FreezeWindows = windows } : config;
            else if (key.IsList)
                config = ReadList(config, key, path, valueNode, Fail);
            else
                config = ReadScalar(config, key, path, valueNode, Fail);
        }

        return (config, errors);
    }

    private static GovernorConfig ReadScalar(
        GovernorConfig config, ConfigKey key, string path, YamlNode value, Action<string, YamlNode, string> fail)
    {
        if (value is not YamlScalarNode scalar)
        {
            fail(path, value, $"{key.Expectation}, got {YamlNodes.Describe(value)}");
            return config;
        }

        var update = key.FromText(config, YamlNodes.Text(scalar));
        if (update.Config is { } updated)
            return updated;
        fail(path, value, $"{update.Problem}, got {YamlNodes.Describe(value)}");
        return config;
    }

    private static GovernorConfig ReadList(
        GovernorConfig config, ConfigKey key, string path, YamlNode value, Action<string, YamlNode, string> fail)
    {
        if (value is not YamlSequenceNode sequence)
        {
            fail(path, value, $"{key.Expectation}, got {YamlNodes.Describe(value)}");
            return config;
        }

        var patterns = new List<string>();
        var valid = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var text = YamlNodes.Text(item)?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                fail($"{path}[{i}]", item, $"{PatternExpectation}, got {YamlNodes.Describe(item)}");
                valid = false;
                continue;
            }

            if (key.CheckItem?.Invoke(text) is { } problem)
            {
                fail($"{path}[{i}]", item, $"{problem}, got {YamlNodes.Describe(item)}");
                valid = false;
                continue;
            }

            patterns.Add(text);
        }

        return valid ? key.FromList!(config, patterns) : config;
    }

    private static string UnknownKey(string name)
    {
        var suggestion = KeySuggester.Suggest(name, ConfigKeys.Names);
        return suggestion is null
            ? $"unknown key; known keys: {string.Join(", ", ConfigKeys.Names)}"
            : $"unknown key (did you mean {suggestion}?)";
    }
}
