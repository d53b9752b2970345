using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// GitHub's JSON for the request bodies we send through Octokit's connection (snake_case names, enums as
/// snake_case strings, nulls left out) and for the one answer Octokit has no model for (dispatch run details).
/// </summary>
internal static class GitHubJson
{
    public const string MediaType = "application/json";

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize<T>(T body) => JsonSerializer.Serialize(body, Options);
}
