using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Octokit.Webhooks;
using ReleaseGovernor.Core.Observability;
using ReleaseGovernor.Core.Text;
using ReleaseGovernor.Processing.Ingestion;
using ReleaseGovernor.Processing.Observability;
using ReleaseGovernor.Server.Hosting;

namespace ReleaseGovernor.Server.Webhooks;

/// <summary>
/// POST /api/github/webhooks. Checks in a fixed order — ready, size, content type, headers, signature over
/// the raw bytes, JSON — each with its own status and a sentence saying what to fix. Answers 2xx only
/// after the delivery's events are committed. Every answer is counted in <c>releasegovernor.deliveries</c> and logged
/// inside the delivery's log scope; the request's span carries the delivery id.
/// </summary>
public static class WebhookEndpoint
{
    public const string Route = "/api/github/webhooks";

    public static IEndpointRouteBuilder MapGitHubWebhooks(this IEndpointRouteBuilder app, string route = Route)
    {
        app.MapPost(route, HandleAsync);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, Readiness readiness, IOptions<WebhookOptions> options,
        DeliveryIntake intake, UnverifiedBodyBudget budget, TimeProvider clock, ILoggerFactory logs, GovernorMetrics metrics, CancellationToken ct)
    {
        var log = logs.CreateLogger(WebhookLog.Category);
        var clockStart = Stopwatch.GetTimestamp();
        var request = http.Request;
        var headers = WebhookHeaders.Parse(request.Headers);
        var delivery = headers.Delivery ?? "";
        var gitHubEvent = headers.Event ?? "";
        string? repository = null;
        using var scope = LogScopes.BeginDelivery(log, delivery.Length is > 0 and <= 200 ? delivery : null);
        if (Activity.Current is { } span && delivery.Length is > 0 and <= 200)
        {
            span.SetTag(GovernorTelemetry.DeliveryIdAttribute, delivery);
            span.SetTag(GovernorTelemetry.GitHubEventAttribute, EventLabel(gitHubEvent));
        }

        IResult Answer(int status, string outcome, string message, object? extra = null)
        {
            WebhookLog.Answered(log, delivery.Length > 0 ? SafeText.Clean(delivery) : "-", gitHubEvent.Length > 0 ? SafeText.Clean(gitHubEvent) : "-",
                repository is null ? "-" : SafeText.Clean(repository), outcome, status, Stopwatch.GetElapsedTime(clockStart).TotalMilliseconds);
            metrics.Delivery(EventLabel(gitHubEvent), outcome);
            if (status == StatusCodes.Status503ServiceUnavailable)
                http.Response.Headers.RetryAfter = DatabaseFailures.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Results.Json(new WebhookAnswer(outcome, message, delivery.Length > 0 ? delivery : null, extra), statusCode: status);
        }

        if (!readiness.IsReady)
            return Answer(503, "not_ready", $"The service is starting ({readiness.Stage}); GitHub will show this delivery as failed: redeliver it once /readyz is 200.");
        var secret = options.Value.WebhookSecret;
        if (string.IsNullOrEmpty(secret))
            return Answer(503, "not_configured", "No webhook secret is configured: set GitHub__WebhookSecret to the App's webhook secret.");
        if (request.ContentLength > WebhookOptions.MaxBodyBytes)
            return Answer(413, "too_large", $"The body is over {WebhookOptions.MaxBodyBytes / 1024 / 1024} MB, larger than GitHub ever sends.");
        if (!IsJson(request.ContentType))
            return Answer(415, "unsupported_media_type", $"Content type '{request.ContentType}' is not supported: set the webhook's content type to application/json.");
        if (gitHubEvent.Length == 0)
            return Answer(400, "bad_request", "The X-GitHub-Event header is missing: this does not look like a GitHub webhook delivery.");
        if (delivery.Length == 0 || delivery.Length > 200)
            return Answer(400, "bad_request", "The X-GitHub-Delivery header is missing or too long: it is the delivery's id and is required.");

        var signature = headers.Signature256;
        switch (WebhookSignature.CheckHeader(signature))
        {
            case SignatureCheck.Missing:
                return Answer(401, "unauthorized", "The X-Hub-Signature-256 header is missing: configure the same webhook secret on GitHub and in GitHub__WebhookSecret.");
            case SignatureCheck.Malformed:
                return Answer(401, "unauthorized", "The X-Hub-Signature-256 header is not 'sha256=' followed by 64 hex digits.");
        }

        byte[] body;
        var (read, unverified) = await UnverifiedBody.ReadAsync(http, budget, WebhookOptions.MaxBodyBytes, ct);
        using (unverified)
        {
            switch (read)
            {
                case BodyReadStatus.TooLarge:
                    return Answer(413, "too_large", $"The body is over {WebhookOptions.MaxBodyBytes / 1024 / 1024} MB, larger than GitHub ever sends.");
                case BodyReadStatus.Busy:
                    return Answer(503, "busy", "Too many large deliveries are being received at once; nothing was stored. Redeliver in a few seconds.");
            }
            if (unverified!.VerifySignature(signature!, secret) != SignatureCheck.Valid)
                return Answer(401, "unauthorized", "The signature does not match the body: the webhook secret on GitHub differs from GitHub__WebhookSecret.");
            body = unverified.ToArray();
        }

        try
        {
            // The same path the delivery sweep takes for a delivery read back from GitHub's delivery log.
            switch (await intake.TakeAsync(new VerifiedDelivery(delivery, gitHubEvent, body, clock.GetUtcNow()), ct))
            {
                case IntakeOutcome.Ignored ignored:
                    return Answer(202, "ignored", ignored.Reason + "; nothing was stored.");
                case IntakeOutcome.BadPayload bad:
                    return Answer(400, "bad_request", $"The '{gitHubEvent}' payload is not usable: {bad.Field} {bad.Problem}.", new { field = bad.Field });
                case IntakeOutcome.Duplicate:
                    return Answer(200, "duplicate", "This delivery id was stored before; nothing new was stored.");
                case IntakeOutcome.Stored stored:
                    repository = stored.Plan.Repository;
                    scope.Repository = repository;
                    Activity.Current?.SetTag(GovernorTelemetry.RepositoryAttribute, repository);
                    return stored.Events.Count == 0
                        ? Answer(200, "acknowledged", stored.Plan.Note ?? "Recorded the delivery; nothing for the governor to do.")
                        : Answer(200, "stored", $"Stored {stored.Events.Count} event(s).", new { events = stored.Events.Select(e => e.Type).ToArray() });
                default:
                    throw new InvalidOperationException("unreachable");
            }
        }
        catch (Exception e) when (DatabaseFailures.IsBadValue(e))
        {
            WebhookLog.ValueRefused(log, SafeText.Clean(delivery), DatabaseFailures.SqlState(e));
            return Answer(400, "bad_request", $"A value in the '{gitHubEvent}' payload cannot be stored (PostgreSQL SQLSTATE {DatabaseFailures.SqlState(e)}); nothing was stored. Redelivering the same payload cannot succeed.");
        }
        catch (Exception e) when (DatabaseFailures.IsOutage(e))
        {
            WebhookLog.DatabaseUnavailable(log, SafeText.Clean(delivery), SafeText.Clean(e.Message));
            return Answer(503, "unavailable", "The database is unavailable; nothing was stored. Redeliver once the service is healthy.");
        }
    }

    /// <summary>The event as a metric label: one the governor handles, else <c>other</c> (the header is the sender's to choose).</summary>
    private static string EventLabel(string gitHubEvent) =>
        DeliveryRouter.HandledEvents.Contains(gitHubEvent) ? gitHubEvent : gitHubEvent.Length == 0 ? "none" : "other";

    private static bool IsJson(string? contentType) =>
        contentType is not null &&
        contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    public sealed record WebhookAnswer(string Status, string Message, string? Delivery, object? Detail);
}
