using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseGovernor.Core.Events;

/// <summary>The one JSON shape used for events, projections and <c>--json</c> output: snake_case, enums as snake_case strings.</summary>
public static class EventJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            WriteIndented = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string Serialize(ReleaseEvent e) => JsonSerializer.Serialize(e, e.GetType(), Options);

    public static ReleaseEvent Deserialize(string typeName, string json)
    {
        var type = EventTypes.TypeOf(typeName)
                   ?? throw new InvalidOperationException($"Unknown stored event type '{typeName}'.");
        return (ReleaseEvent)(JsonSerializer.Deserialize(json, type, Options)
                              ?? throw new InvalidOperationException($"Event of type '{typeName}' is null."));
    }
}
