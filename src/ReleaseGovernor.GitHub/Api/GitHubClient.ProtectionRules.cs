using System.Globalization;
using System.Net;
using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.GitHub.Api;

public sealed partial class GitHubClient
{
    /// <summary>
    /// Answers the custom deployment protection rule of run <paramref name="runId"/> at environment
    /// <paramref name="environmentName"/> (<c>POST /repos/{o}/{r}/actions/runs/{id}/deployment_protection_rule</c>, 204):
    /// <paramref name="state"/> <c>approved</c> or <c>rejected</c>, with <paramref name="comment"/> (at most 1024 characters).
    /// Octokit 14 has no client method for this endpoint (its <c>ReviewPendingDeployments</c> is the endpoint for human
    /// reviewers), so it goes through Octokit's connection. Sending it twice cannot review twice: GitHub refuses a second
    /// review with 422, so it is retried like a read (5xx, 429 and timeouts, within the client's bounds).
    /// Returns false when GitHub answers 422, i.e. the run is no longer waiting for this App's answer (reviewed already).
    /// </summary>
    public async Task<bool> ReviewDeploymentProtectionRuleAsync(RepoRef repo, long? installationId, long runId, string environmentName, string state,
        string comment, CancellationToken ct = default)
    {
        var body = new ProtectionRuleReviewBody(environmentName, state, comment.Length <= MaxReviewComment ? comment : comment[..MaxReviewComment]);
        try
        {
            await PostAsync<object>($"{GitHubPaths.Repo(repo)}/actions/runs/{runId.ToString(CultureInfo.InvariantCulture)}/deployment_protection_rule",
                body, idempotent: true, installationId, ct).ConfigureAwait(false);
            return true;
        }
        catch (GitHubApiException e) when (e.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            // GitHub documents no error body for this case; a 422 to a well-formed answer means there is nothing left to answer.
            return false;
        }
    }

    /// <summary>GitHub's limit on a review comment.</summary>
    public const int MaxReviewComment = 1024;

    private sealed record ProtectionRuleReviewBody(string EnvironmentName, string State, string Comment);
}
