using System.Text.Json.Serialization;

namespace ReleaseGovernor.Server.Webhooks.Payloads;

/// <summary>Source-generated serializers for the payloads we read: snake_case, nullable annotations respected.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectNullableAnnotations = true,
    NumberHandling = JsonNumberHandling.Strict,
    MaxDepth = 64)]
[JsonSerializable(typeof(PushPayload))]
[JsonSerializable(typeof(WorkflowRunPayload))]
[JsonSerializable(typeof(PullRequestPayload))]
[JsonSerializable(typeof(IssueCommentPayload))]
[JsonSerializable(typeof(PingPayload))]
[JsonSerializable(typeof(InstallationPayload))]
public sealed partial class WebhookJsonContext : JsonSerializerContext;
