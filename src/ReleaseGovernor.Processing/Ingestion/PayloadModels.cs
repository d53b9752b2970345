using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Octokit.Webhooks;
using Octokit.Webhooks.Events;
using Octokit.Webhooks.Models;
using InstalledRepository = Octokit.Webhooks.Models.InstallationEvent.Repository;
using PullRequestModel = Octokit.Webhooks.Models.PullRequestEvent.PullRequest;

namespace ReleaseGovernor.Processing.Ingestion;

/// <summary>
/// Reads payloads into Octokit.Webhooks' typed models, with what a payload must carry set by us: the members the
/// governor reads and cannot do without (<see cref="Needed"/>) must be present and not null; every other member
/// may be absent or null.
/// </summary>
/// <remarks>
/// Octokit.Webhooks 4.2.3 marks members <c>required</c> by GitHub's current schemas, and real payloads of older
/// shapes lack them: a 2016 push's <c>repository.owner</c> has <c>name</c>/<c>email</c> but no <c>login</c>; a 2021
/// <c>workflow_run</c> has no <c>path</c>, <c>display_title</c>, <c>actor</c> or <c>triggering_actor</c>. With the
/// library's flags those deliveries fail to deserialize, so a metadata modifier replaces the flags with ours. The
/// library's own serializer context is internal; its models are read here through the reflection resolver, which
/// honours the same property names and converters.
/// </remarks>
public static class PayloadModels
{
    /// <summary>Members (by declaring model and JSON name) without which a route cannot build its event.</summary>
    private static readonly Dictionary<Type, string[]> Needed = new()
    {
        [typeof(Repository)] = ["full_name"],
        [typeof(InstallationLite)] = ["id"],
        [typeof(Installation)] = ["id"],
        [typeof(InstalledRepository)] = ["full_name"],
        [typeof(Label)] = ["name"],
        [typeof(PushEvent)] = ["ref", "before", "after"],
        [typeof(WorkflowRunEvent)] = ["workflow_run"],
        [typeof(WorkflowRun)] = ["id", "head_sha"],
        [typeof(PullRequestEvent)] = ["pull_request"],
        [typeof(PullRequestModel)] = ["number"],
        [typeof(IssueCommentEvent)] = ["issue", "comment"],
        [typeof(Issue)] = ["number"],
        [typeof(IssueComment)] = ["id", "body"],
        [typeof(InstallationEvent)] = ["installation"],
        [typeof(DeploymentProtectionRuleEvent)] = ["environment", "deployment_callback_url"],
    };

    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static JsonTypeInfo TypeInfo(Type model) => Options.GetTypeInfo(model);

    /// <summary>The payload as the library's <paramref name="model"/>; a <see cref="JsonException"/> when it cannot be one.</summary>
    public static WebhookEvent Read(ReadOnlySpan<byte> body, Type model) =>
        JsonSerializer.Deserialize(body, TypeInfo(model)) as WebhookEvent ?? throw new JsonException("The body is JSON null; expected an object.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            MaxDepth = 64,
            RespectNullableAnnotations = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OnlyWhatWeNeedIsRequired } },
        };
        options.MakeReadOnly();
        return options;
    }

    private static void OnlyWhatWeNeedIsRequired(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            var declaring = (property.AttributeProvider as MemberInfo)?.DeclaringType;
            var needed = declaring is not null && Needed.TryGetValue(declaring, out var names) && names.Contains(property.Name);
            property.IsRequired = needed;
            if (!property.PropertyType.IsValueType || Nullable.GetUnderlyingType(property.PropertyType) is not null)
                property.IsSetNullable = !needed;
            if (property.CustomConverter is { } converter and not JsonConverterFactory)
                property.CustomConverter = (JsonConverter)Activator.CreateInstance(typeof(ConverterGuard<>).MakeGenericType(property.PropertyType), converter)!;
        }
    }
}

/// <summary>
/// Wraps one of the library's value converters so that a value it cannot read is a <see cref="JsonException"/> (which
/// the serializer gives the member's path): its date converter lets <see cref="FormatException"/> and
/// <see cref="ArgumentOutOfRangeException"/> escape for a date GitHub would never send, which would otherwise be a 500.
/// </summary>
internal sealed class ConverterGuard<T>(JsonConverter<T> inner) : JsonConverter<T>
{
    public override bool HandleNull => inner.HandleNull;

    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try
        {
            return inner.Read(ref reader, typeToConvert, options);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or InvalidOperationException)
        {
            throw new JsonException("The value cannot be read.", e);
        }
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => inner.Write(writer, value, options);
}
