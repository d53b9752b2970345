using System.Text.Json;

namespace ReleaseGovernor.Processing.Ingestion;

/// <summary>
/// The payload's top-level <c>action</c>, read before any model is chosen: the route table needs it to pick the
/// library's model (one type per action) or to ignore the delivery unread.
/// </summary>
public static class PayloadAction
{
    /// <summary>The action, or null when there is none; a <see cref="JsonException"/> for a body that is not JSON.</summary>
    public static string? Of(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read()) throw new JsonException("The body is empty.");
        if (reader.TokenType != JsonTokenType.StartObject) throw new BadFieldException("(body)", $"must be an object, got {Kind(reader.TokenType)}");
        string? action = null;
        var found = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isAction = !found && reader.ValueTextEquals("action"u8);
            reader.Read();
            if (isAction)
            {
                found = true;
                action = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Null => null,
                    var other => throw new BadFieldException("action", $"must be a string, got {Kind(other)}"),
                };
            }
            reader.Skip();
        }
        return action;
    }

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "true/false",
        _ => "null",
    };
}
