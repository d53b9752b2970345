using System.Text.Json.Serialization;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// Result of a workflow dispatch. With API version 2022-11-28 and <c>return_run_details</c> GitHub answers 200
/// with the run; a 204 (older behaviour) leaves all three null and the run must be found by listing runs.
/// </summary>
public sealed record DispatchResult(
    [property: JsonPropertyName("workflow_run_id")] long? RunId,
    string? RunUrl,
    string? HtmlUrl)
{
    public static readonly DispatchResult NoDetails = new(null, null, null);
}

/// <summary>A workflow run, with the fields we read. Name, branch, status and conclusion can be null.</summary>
public sealed record WorkflowRun(
    long Id,
    string? Name,
    string? DisplayTitle,
    string HeadSha,
    string? HeadBranch,
    string? Status,
    string? Conclusion,
    string HtmlUrl,
    string? Path,
    string Event,
    int? RunAttempt,
    DateTimeOffset CreatedAt);
