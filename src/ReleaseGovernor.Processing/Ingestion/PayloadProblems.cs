using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ReleaseGovernor.Processing.Ingestion;

/// <summary>Thrown inside routing when a field the route needs is absent or unusable; becomes a 400 naming the field.</summary>
public sealed class BadFieldException(string field, string problem) : Exception($"{field} {problem}")
{
    public string Field { get; } = field;
    public string Problem { get; } = problem;
}

/// <summary>
/// Turns a payload the serializer refused into a field name and what is expected, in words. It reads only
/// structured facts — the exception's JSON path and line, the payload model's metadata, the JSON itself —
/// never the serializer's wording, so no .NET type name can reach a user.
/// </summary>
public static class PayloadProblems
{
    public static RouteResult.BadPayload Describe(JsonException e, ReadOnlySpan<byte> body, JsonTypeInfo? root)
    {
        if (SyntaxError(body) is { } syntax) return syntax;

        var segments = JsonPathSegments.Parse(e.Path);
        var field = JsonPathSegments.Display(segments);
        var expected = TypeAt(root, segments);
        JsonElement? actual;
        using var document = JsonDocument.Parse(body.ToArray());
        actual = ElementAt(document.RootElement, segments);

        if (expected is not null && actual is { ValueKind: JsonValueKind.Object } obj && expected.Kind == JsonTypeInfoKind.Object)
        {
            var missing = expected.Properties
                .Where(p => p.IsRequired && (!obj.TryGetProperty(p.Name, out var v) || v.ValueKind == JsonValueKind.Undefined))
                .Select(p => field.Length > 0 ? $"{field}.{p.Name}" : p.Name)
                .ToList();
            if (missing.Count > 0)
                return new RouteResult.BadPayload(string.Join(", ", missing), missing.Count == 1 ? "is required and missing" : "are required and missing");
        }

        var shown = field.Length > 0 ? field : "(body)";
        var got = actual is { } a ? $", got {Kind(a)}" : "";
        return expected is null
            ? new RouteResult.BadPayload(shown, $"has a value that is not what GitHub sends{got}")
            : new RouteResult.BadPayload(shown, $"must be {Expected(expected.Type)}{got}");
    }

    /// <summary>A problem naming the first string (or property name) holding a NUL character, or null when there is none.</summary>
    public static RouteResult.BadPayload? NulCharacter(ReadOnlySpan<byte> body)
    {
        if (body.IndexOf("\\u0000"u8) < 0) return null; // JSON can carry a NUL only as this escape
        var path = new List<string>();
        var arrayIndex = new Stack<int>();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        string? pendingName = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingName = reader.GetString();
                        if (pendingName!.Contains('\0')) return Nul([.. path, NameSegment(pendingName)]);
                        continue;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        path.Add(Segment(ref pendingName, arrayIndex));
                        arrayIndex.Push(reader.TokenType == JsonTokenType.StartArray ? 0 : -1);
                        continue;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        arrayIndex.Pop();
                        path.RemoveAt(path.Count - 1);
                        Advance(arrayIndex);
                        continue;
                    case JsonTokenType.String when reader.ValueIsEscaped && reader.GetString()!.Contains('\0'):
                        return Nul([.. path, Segment(ref pendingName, arrayIndex)]);
                    default:
                        Segment(ref pendingName, arrayIndex);
                        continue;
                }
            }
        }
        catch (JsonException)
        {
            return null; // not valid JSON: the serializer reports that
        }
        return null;
    }

    private static RouteResult.BadPayload Nul(IEnumerable<string> path)
    {
        var field = string.Concat(path).TrimStart('.');
        return new RouteResult.BadPayload(field.Length > 0 ? field : "(body)",
            "contains a NUL character (\\u0000), which GitHub never sends and which cannot be stored; the delivery was refused as a whole");
    }

    /// <summary>The path segment of the value that starts now, and moves the enclosing array on by one.</summary>
    private static string Segment(ref string? pendingName, Stack<int> arrayIndex)
    {
        if (pendingName is { } name)
        {
            pendingName = null;
            return NameSegment(name);
        }
        if (arrayIndex.Count == 0) return "";
        var index = arrayIndex.Peek();
        Advance(arrayIndex);
        return $"[{index}]";
    }

    private static string NameSegment(string name) => "." + name.Replace("\0", "\\u0000");

    private static void Advance(Stack<int> arrayIndex)
    {
        if (arrayIndex.Count > 0 && arrayIndex.Peek() >= 0) arrayIndex.Push(arrayIndex.Pop() + 1);
    }

    private static RouteResult.BadPayload? SyntaxError(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            while (reader.Read()) { }
            return null;
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return new RouteResult.BadPayload("(body)",
                $"is not valid JSON{where}: send the payload exactly as GitHub produced it (UTF-8 JSON, nested at most 64 levels)");
        }
    }

    private static JsonTypeInfo? TypeAt(JsonTypeInfo? root, IReadOnlyList<object> segments)
    {
        if (root is null) return null;
        var current = root;
        foreach (var segment in segments)
        {
            Type? next = segment switch
            {
                string name when current.Kind == JsonTypeInfoKind.Object => current.Properties.FirstOrDefault(p => p.Name == name)?.PropertyType,
                int when current.Kind == JsonTypeInfoKind.Enumerable => current.ElementType,
                _ => null,
            };
            if (next is null) return null;
            next = Nullable.GetUnderlyingType(next) ?? next;
            if (!current.Options.TryGetTypeInfo(next, out var info)) return null;
            current = info;
        }
        return current;
    }

    private static JsonElement? ElementAt(JsonElement root, IReadOnlyList<object> segments)
    {
        var current = root;
        foreach (var segment in segments)
        {
            switch (segment)
            {
                case string name when current.ValueKind == JsonValueKind.Object && current.TryGetProperty(name, out var child):
                    current = child;
                    break;
                case int index when current.ValueKind == JsonValueKind.Array && index < current.GetArrayLength():
                    current = current[index];
                    break;
                default:
                    return null;
            }
        }
        return current;
    }

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "a string";
        if (type == typeof(long) || type == typeof(int)) return "a whole number";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return "a number";
        if (type == typeof(DateTimeOffset)) return "a date and time";
        if (type.IsEnum || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Octokit.Webhooks.Extensions.StringEnum<>))) return "a string";
        if (type == typeof(object)) return "a JSON value";
        if (type != typeof(string) && type.IsAssignableTo(typeof(System.Collections.IEnumerable))) return "an array";
        return "an object";
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => e.TryGetInt64(out _) ? "a number out of range" : "a number that is not a whole number",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}

/// <summary>The segments of a System.Text.Json path such as <c>$.workflow_run.id</c>, <c>$.commits[0]</c> or <c>$['a b']</c>.</summary>
public static class JsonPathSegments
{
    /// <summary>Property names as strings, array indexes as ints; an unreadable rest is dropped.</summary>
    public static IReadOnlyList<object> Parse(string? path)
    {
        var segments = new List<object>();
        if (string.IsNullOrEmpty(path) || path[0] != '$') return segments;
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = path.Length;
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0) break;
                segments.Add(path[(i + 2)..end]);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i + 1);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), out var index)) break;
                segments.Add(index);
                i = end + 1;
            }
            else break;
        }
        return segments;
    }

    public static string Display(IReadOnlyList<object> segments)
    {
        var builder = new StringBuilder();
        foreach (var segment in segments)
        {
            if (segment is int index) builder.Append('[').Append(index).Append(']');
            else builder.Append(builder.Length > 0 ? "." : "").Append(segment);
        }
        return Core.Text.SafeText.Clean(builder.ToString());
    }
}
