using ReleaseGovernor.Core.Releases;
using System.Globalization;
using System.Text.Json;

namespace ReleaseGovernor.GitHub.Api;

public sealed partial class GitHubClient
{
    /// <summary>The first API version where dispatch always returns run details and rejects <c>return_run_details</c>.</summary>
    private const string DispatchAlwaysReturnsRunVersion = "2026-03-10";

    /// <summary>
    /// Starts <paramref name="workflowFile"/> (<c>POST .../actions/workflows/{file}/dispatches</c>) on branch or tag
    /// <paramref name="gitRef"/>. Pin a commit through an input (e.g. <c>sha</c>), not the ref. GitHub has no
    /// idempotency key for this call, so it is retried only when GitHub surely did not act (rate limited,
    /// never connected); other failures carry <see cref="GitHubApiException.OutcomeUnknown"/> and the caller
    /// should look for the run before dispatching again.
    /// Octokit's <c>Actions.Workflows.CreateDispatch</c> cannot send <c>return_run_details</c> nor return the run,
    /// so this goes through its connection.
    /// </summary>
    public async Task<DispatchResult> CreateWorkflowDispatchAsync(RepoRef repo, long? installationId, string workflowFile, string gitRef,
        IReadOnlyDictionary<string, string>? inputs, bool returnRunDetails = true, CancellationToken ct = default)
    {
        var sendsFlag = string.CompareOrdinal(Options.ApiVersion, DispatchAlwaysReturnsRunVersion) < 0;
        var body = new DispatchBody(gitRef, inputs, sendsFlag ? returnRunDetails : null);
        var response = await PostAsync<object>($"{WorkflowPath(repo, workflowFile)}/dispatches", body, idempotent: false, installationId, ct)
            .ConfigureAwait(false);
        return response.HttpResponse.Body is string { Length: > 0 } json && !string.IsNullOrWhiteSpace(json)
            ? JsonSerializer.Deserialize<DispatchResult>(json, GitHubJson.Options) ?? DispatchResult.NoDetails
            : DispatchResult.NoDetails;
    }

    /// <summary>
    /// Recent runs of one workflow, newest first (<c>GET .../actions/workflows/{file}/runs</c>), optionally filtered
    /// by event, creation time and head sha. One page of <paramref name="perPage"/> (1–100) runs.
    /// </summary>
    public async Task<IReadOnlyList<WorkflowRun>> ListWorkflowRunsAsync(RepoRef repo, long? installationId, string workflowFile,
        string? @event = null, DateTimeOffset? createdSince = null, string? headSha = null, int perPage = 30, CancellationToken ct = default)
    {
        var query = GitHubPaths.Query(
            ("event", @event),
            ("created", createdSince is { } since ? ">=" + since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : null),
            ("head_sha", headSha),
            ("per_page", Math.Clamp(perPage, 1, 100).ToString(CultureInfo.InvariantCulture)));
        var list = await GetBodyAsync<Octokit.WorkflowRunsResponse>($"{WorkflowPath(repo, workflowFile)}/runs{query}", installationId, ct)
            .ConfigureAwait(false);
        return (list.WorkflowRuns ?? []).Select(OctokitModels.Run).ToList();
    }

    /// <summary>
    /// Recent runs of any workflow on one commit, newest first (<c>GET /repos/{o}/{r}/actions/runs?head_sha=</c>): the
    /// health check finds the run of its workflow by name there. One page of up to 100 runs.
    /// </summary>
    public async Task<IReadOnlyList<WorkflowRun>> ListRunsForCommitAsync(RepoRef repo, long? installationId, string headSha, CancellationToken ct = default)
    {
        var query = GitHubPaths.Query(("head_sha", headSha), ("per_page", "100"));
        var list = await GetBodyAsync<Octokit.WorkflowRunsResponse>($"{GitHubPaths.Repo(repo)}/actions/runs{query}", installationId, ct)
            .ConfigureAwait(false);
        return (list.WorkflowRuns ?? []).Select(OctokitModels.Run).ToList();
    }

    /// <summary>One run by id (<c>GET /repos/{o}/{r}/actions/runs/{id}</c>).</summary>
    public async Task<WorkflowRun> GetWorkflowRunAsync(RepoRef repo, long? installationId, long runId, CancellationToken ct = default) =>
        OctokitModels.Run(await GetBodyAsync<Octokit.WorkflowRun>(
            $"{GitHubPaths.Repo(repo)}/actions/runs/{runId.ToString(CultureInfo.InvariantCulture)}", installationId, ct).ConfigureAwait(false));

    private static string WorkflowPath(RepoRef repo, string workflowFile) =>
        $"{GitHubPaths.Repo(repo)}/actions/workflows/{GitHubPaths.Escape(workflowFile)}";

    private sealed record DispatchBody(string Ref, IReadOnlyDictionary<string, string>? Inputs, bool? ReturnRunDetails);
}
