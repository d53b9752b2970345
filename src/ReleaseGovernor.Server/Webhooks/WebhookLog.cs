namespace ReleaseGovernor.Server.Webhooks;

/// <summary>The webhook endpoint's log lines. Inside the delivery's log scope, so each also carries its delivery id and repository.</summary>
internal static partial class WebhookLog
{
    public const string Category = "ReleaseGovernor.Webhooks";

    [LoggerMessage(Level = LogLevel.Information, Message = "delivery {Delivery} event {Event} repo {Repo} outcome {Outcome} status {Status} in {Ms:0.0} ms")]
    public static partial void Answered(ILogger log, string delivery, string @event, string repo, string outcome, int status, double ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL refused a value of delivery {Delivery} (SQLSTATE {SqlState})")]
    public static partial void ValueRefused(ILogger log, string delivery, string? sqlState);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable while storing delivery {Delivery}: {Error}")]
    public static partial void DatabaseUnavailable(ILogger log, string delivery, string error);
}
