using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>GitHub's JSON: snake_case names, enums as snake_case strings, nulls left out of request bodies.</summary>
internal static class GitHubJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static T Deserialize<T>(GitHubResponse response) =>
        JsonSerializer.Deserialize<T>(response.Body, Options)
        ?? throw new JsonException($"GitHub answered {response.Describe()} with an empty JSON body.");
}
