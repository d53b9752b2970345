using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReleaseGovernor.Core.Config;

/// <summary>Small questions asked of representation-model nodes.</summary>
internal static class YamlNodes
{
    /// <summary>A plain <c>~</c>, <c>null</c> or nothing at all; a quoted "null" is a string.</summary>
    public static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    /// <summary>The node's value for an error message: <c>"text"</c>, <c>null</c>, <c>a list</c> or <c>a mapping</c>.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode scalar when IsNull(scalar) => "null",
        YamlScalarNode scalar => ConfigValues.Show(scalar.Value),
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an unsupported value",
    };

    /// <summary>The scalar's text, or null when it is null or not a scalar.</summary>
    public static string? Text(YamlNode node) =>
        node is YamlScalarNode scalar && !IsNull(scalar) ? scalar.Value : null;

    public static int? Line(YamlNode node) => node.Start.Line > 0 ? (int)node.Start.Line : null;
}
