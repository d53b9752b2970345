using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ReleaseGovernor.Testing.Webhooks;

/// <summary>Realistic deliveries for a repository, built from the real fixtures with the fields a scenario needs.</summary>
public static class Deliveries
{
    /// <summary>A new commit sha, 40 lowercase hex.</summary>
    public static string RandomSha() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    public static byte[] Push(string repo, string before, string after, string branch = "main", string? pusher = null, long? installation = null)
    {
        var json = JsonNode.Parse(Fixtures.Read("push/octokit-with-new-branch.json"))!;
        if (installation is { } id) json["installation"] = new JsonObject { ["id"] = id };
        if (pusher is not null) json["pusher"] = new JsonObject { ["name"] = pusher, ["email"] = $"{pusher}@example.com" };
        json["ref"] = $"refs/heads/{branch}";
        json["before"] = before;
        json["after"] = after;
        json["created"] = false;
        SetRepo(json, repo);
        return Bytes(json);
    }

    /// <summary>The verification workflow ("Verify main") finished on main for <paramref name="sha"/>, run by a push.</summary>
    public static byte[] Verification(string repo, string sha, long runId, string conclusion = "success", string name = "Verify main",
        string @event = "push", string branch = "main", string? headRepository = null, bool fork = false, int runAttempt = 1) =>
        Run(repo, runId, sha, name, ".github/workflows/verify-main.yml", @event, "completed", conclusion, name, branch, headRepository, fork, runAttempt);

    /// <summary>A run of the deploy workflow: its head_sha is the tip of the ref, its title names the deployed sha.</summary>
    public static byte[] Deploy(string repo, long runId, string tipSha, string deployedSha, string action, string? conclusion,
        string @event = "workflow_dispatch", string branch = "main", string? headRepository = null, bool fork = false, int runAttempt = 1) =>
        Run(repo, runId, tipSha, "Deploy", ".github/workflows/deploy.yml", @event, action, conclusion, $"Deploy {deployedSha}", branch,
            headRepository, fork, runAttempt);

    /// <summary>A run of any workflow (<paramref name="name"/>, <paramref name="path"/>) run by a push to main; its title is its name.</summary>
    public static byte[] WorkflowRun(string repo, long runId, string headSha, string name, string path, string action, string? conclusion) =>
        Run(repo, runId, headSha, name, path, "push", action, conclusion, name, "main", null, false, 1);

    public static byte[] Labeled(string repo, int number, string label, string by, string author, string headSha)
    {
        var json = JsonNode.Parse(Fixtures.Read("pull_request/octokit-labeled.json"))!;
        json["number"] = number;
        json["pull_request"]!["number"] = number;
        json["pull_request"]!["user"]!["login"] = author;
        json["pull_request"]!["head"]!["sha"] = headSha;
        json["label"]!["name"] = label;
        json["sender"]!["login"] = by;
        json["installation"] = new JsonObject { ["id"] = 42 };
        SetRepo(json, repo);
        return Bytes(json);
    }

    public static byte[] Commented(string repo, int number, string body, string by, string association, string issueAuthor)
    {
        var json = JsonNode.Parse(Fixtures.Read("issue_comment/octokit-created.json"))!;
        json["issue"]!["number"] = number;
        json["issue"]!["pull_request"] = new JsonObject { ["url"] = $"https://api.github.com/repos/{repo}/pulls/{number}" };
        json["issue"]!["user"]!["login"] = issueAuthor;
        json["comment"]!["body"] = body;
        json["comment"]!["user"]!["login"] = by;
        json["comment"]!["author_association"] = association;
        json["installation"] = new JsonObject { ["id"] = 42 };
        SetRepo(json, repo);
        return Bytes(json);
    }

    private static byte[] Run(string repo, long runId, string headSha, string name, string path, string @event, string action, string? conclusion,
        string title, string branch, string? headRepository, bool fork, int runAttempt)
    {
        var json = JsonNode.Parse(Fixtures.Read("workflow_run/octokit-completed.json"))!;
        json["action"] = action;
        var run = json["workflow_run"]!;
        run["id"] = runId;
        run["name"] = name;
        run["path"] = path;
        run["head_sha"] = headSha;
        run["head_branch"] = branch;
        run["run_attempt"] = runAttempt;
        run["event"] = @event;
        run["status"] = action == "completed" ? "completed" : action;
        run["conclusion"] = conclusion;
        run["display_title"] = title;
        run["html_url"] = $"https://github.com/{repo}/actions/runs/{runId}";
        json["installation"] = new JsonObject { ["id"] = 42 };
        SetRepo(json, repo);
        var head = headRepository ?? repo;
        run["head_repository"] = new JsonObject { ["full_name"] = head, ["name"] = head.Split('/')[1], ["fork"] = fork };
        return Bytes(json);
    }

    private static void SetRepo(JsonNode json, string repo)
    {
        json["repository"]!["full_name"] = repo;
        json["repository"]!["name"] = repo.Split('/')[1];
        json["repository"]!["default_branch"] = "main";
    }

    /// <summary>The label was removed from the pull request.</summary>
    public static byte[] Unlabeled(string repo, int number, string label, string by)
    {
        var json = JsonNode.Parse(Fixtures.Read("pull_request/octokit-unlabeled.json"))!;
        json["number"] = number;
        json["pull_request"]!["number"] = number;
        json["label"]!["name"] = label;
        json["sender"]!["login"] = by;
        return Finish(json, repo);
    }

    /// <summary>New commits moved the pull request's head from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static byte[] Synchronized(string repo, int number, string before, string after)
    {
        var json = JsonNode.Parse(Fixtures.Read("pull_request/octokit-synchronize.json"))!;
        json["number"] = number;
        json["pull_request"]!["number"] = number;
        json["pull_request"]!["head"]!["sha"] = after;
        json["before"] = before;
        json["after"] = after;
        return Finish(json, repo);
    }

    /// <summary>An issue_comment delivery: <paramref name="action"/> is created, edited or deleted.</summary>
    public static byte[] Comment(string repo, int number, string body, string by, string association, long commentId, string action,
        bool isPullRequest = true)
    {
        var fixture = action switch
        {
            "edited" => "issue_comment/octokit-edited.json",
            "deleted" => "issue_comment/octokit-deleted.json",
            _ => "issue_comment/octokit-created.json",
        };
        var json = JsonNode.Parse(Fixtures.Read(fixture))!;
        json["issue"]!["number"] = number;
        json["issue"]!["pull_request"] = isPullRequest ? new JsonObject { ["url"] = $"https://api.github.com/repos/{repo}/pulls/{number}" } : null;
        json["comment"]!["id"] = commentId;
        json["comment"]!["body"] = body;
        json["comment"]!["user"]!["login"] = by;
        json["comment"]!["author_association"] = association;
        json["sender"]!["login"] = by;
        return Finish(json, repo);
    }

    /// <summary>The captured pull_request-event run from a fork (hub4j fixture), aimed at <paramref name="repo"/> from mallory/forked.</summary>
    public static byte[] ForkRun(string repo, string headSha, long runId, string name, string title, string path, string conclusion = "success")
    {
        var json = JsonNode.Parse(Fixtures.Read("workflow_run/hub4j-completed-pull_request.json"))!;
        var run = json["workflow_run"]!;
        json["action"] = "completed";
        run["id"] = runId;
        run["name"] = name;
        run["display_title"] = title;
        run["path"] = path;
        run["head_sha"] = headSha;
        run["head_branch"] = "main";
        run["event"] = "pull_request";
        run["conclusion"] = conclusion;
        run["head_repository"] = new JsonObject { ["full_name"] = "mallory/forked", ["name"] = "forked", ["fork"] = true };
        return Finish(json, repo);
    }

    /// <summary>
    /// A <c>deployment_protection_rule</c> <c>requested</c> delivery, shaped by octokit/webhooks' schema for it (no
    /// captured example is public in full): the deploy job of run <paramref name="runId"/> waits at
    /// <paramref name="environment"/> to deploy <paramref name="sha"/>. <paramref name="callbackRepo"/> names another
    /// repository in the callback URL; <paramref name="topLevelSha"/> moves sha and ref to the top level, as some captures have them.
    /// </summary>
    public static byte[] ProtectionRule(string repo, string environment, string sha, long runId, string @event = "push", string gitRef = "main",
        string? callbackRepo = null, bool topLevelSha = false, string? deploymentEnvironment = null, long installation = 42)
    {
        var deployment = new JsonObject
        {
            ["url"] = $"https://api.github.com/repos/{repo}/deployments/{runId + 7}",
            ["id"] = runId + 7,
            ["node_id"] = "DE_kwDOAbcdEc4AAAAB",
            ["task"] = "deploy",
            ["original_environment"] = deploymentEnvironment ?? environment,
            ["environment"] = deploymentEnvironment ?? environment,
            ["description"] = null,
            ["created_at"] = "2026-11-30T10:00:00Z",
            ["updated_at"] = "2026-11-30T10:00:00Z",
            ["statuses_url"] = $"https://api.github.com/repos/{repo}/deployments/{runId + 7}/statuses",
            ["repository_url"] = $"https://api.github.com/repos/{repo}",
            ["creator"] = new JsonObject { ["login"] = "github-actions[bot]", ["id"] = 41898282, ["type"] = "Bot" },
        };
        var json = new JsonObject
        {
            ["action"] = "requested",
            ["environment"] = environment,
            ["event"] = @event,
            ["deployment_callback_url"] = $"https://api.github.com/repos/{callbackRepo ?? repo}/actions/runs/{runId}/deployment_protection_rule",
            ["deployment"] = deployment,
            ["pull_requests"] = new JsonArray(),
            ["repository"] = new JsonObject
            {
                ["id"] = 1296269,
                ["name"] = repo.Split('/')[1],
                ["full_name"] = repo,
                ["owner"] = new JsonObject { ["login"] = repo.Split('/')[0], ["id"] = 1 },
                ["private"] = false,
                ["default_branch"] = "main",
            },
            ["installation"] = new JsonObject { ["id"] = installation, ["node_id"] = "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" },
            ["sender"] = new JsonObject { ["login"] = "dev", ["id"] = 2, ["type"] = "User" },
        };
        if (topLevelSha)
        {
            json["sha"] = sha;
            json["ref"] = gitRef;
        }
        else
        {
            deployment["sha"] = sha;
            deployment["ref"] = gitRef;
        }
        return Bytes(json);
    }

    private static byte[] Finish(JsonNode json, string repo)
    {
        json["installation"] = new JsonObject { ["id"] = 42 };
        json["repository"]!["full_name"] = repo;
        json["repository"]!["default_branch"] = "main";
        return Bytes(json);
    }

    private static byte[] Bytes(JsonNode json) => Encoding.UTF8.GetBytes(json.ToJsonString());
}
