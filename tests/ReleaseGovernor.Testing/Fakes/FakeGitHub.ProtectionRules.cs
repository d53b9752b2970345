using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReleaseGovernor.Testing.Fakes;

public sealed partial class FakeGitHub
{
    private static readonly string[] ReviewStates = ["approved", "rejected"];

    /// <summary>
    /// <c>POST /repos/{o}/{r}/actions/runs/{id}/deployment_protection_rule</c>: 204 for the first decision per (run,
    /// environment); a second decision is refused with 422, as GitHub refuses to review a gate twice. A body without
    /// <c>state</c> is a progress note (at most 10 per run and environment). Every review received is recorded.
    /// </summary>
    private Task ReviewProtectionRule(RouteCall call)
    {
        var repo = RepoOf(call);
        var json = call.Request.Json as JsonObject;
        var environment = Text(json, "environment_name");
        var state = Text(json, "state");
        var comment = Text(json, "comment");
        if (environment is null)
            return FakeHttp.Error(call.Context, 422, "Invalid request.\n\n\"environment_name\" wasn't supplied.");
        if (state is not null && !ReviewStates.Contains(state))
            return FakeHttp.Error(call.Context, 422, $"Invalid request.\n\n{state} is not a member of [\"approved\", \"rejected\"].");
        if (comment?.Length > 1024)
            return FakeHttp.Error(call.Context, 422, "Invalid request.\n\ncomment is too long (maximum is 1024 characters).");
        var runId = long.Parse(call["id"], CultureInfo.InvariantCulture);
        var review = new FakeProtectionReview(runId, environment, state, comment);
        if (!repo.TryReview(review))
            return FakeHttp.Error(call.Context, 422, state is null
                ? "No more than 10 status notes are allowed for a deployment."
                : "The deployment protection rule of this run was already reviewed.");
        return FakeHttp.Empty(call.Context, 204);
    }

    private static string? Text(JsonObject? json, string name) =>
        json?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
