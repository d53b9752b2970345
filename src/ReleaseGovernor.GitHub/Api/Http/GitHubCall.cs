namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// One logical GitHub call as our handlers see it while Octokit sends it: the bearer token to present, whether it
/// may run twice, and what was sent (method, path, attempts) for the error that may follow. Octokit builds the
/// <see cref="HttpRequestMessage"/> itself and lets us pass nothing along with it, so the state travels in an
/// <see cref="AsyncLocal{T}"/> set by <see cref="GitHubTransport"/> around the call.
/// </summary>
internal sealed class GitHubCall(string method, string path, bool idempotent)
{
    private static readonly AsyncLocal<GitHubCall?> Ambient = new();

    private int _attempts;

    /// <summary>The call being sent on this async flow, if any.</summary>
    public static GitHubCall? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }

    /// <summary>
    /// False for calls that must not run twice (workflow dispatch, creating issues or comments): those are
    /// retried only when GitHub surely did not act on them (rate limited, connection never made).
    /// </summary>
    public bool Idempotent { get; } = idempotent;

    public string Method { get; private set; } = method;

    /// <summary>Path and query of the last attempt, without host.</summary>
    public string Path { get; private set; } = path;

    /// <summary>Requests sent, retries included.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Set by <see cref="GitHubTransport"/>; read by <see cref="CallCredentialStore"/>. Never logged.</summary>
    public string? Token { get; init; }

    /// <summary>The installation the call is made for (null for app-level calls), for the rate-limit gauge.</summary>
    public long? InstallationId { get; init; }

    public static GitHubCall Read(string path, long? installationId = null) =>
        new("GET", path, idempotent: true) { InstallationId = installationId };

    public static GitHubCall Write(string path, bool idempotent, long? installationId = null) =>
        new("POST", path, idempotent) { InstallationId = installationId };

    public void RecordAttempt(HttpRequestMessage request)
    {
        Interlocked.Increment(ref _attempts);
        Method = request.Method.Method;
        if (request.RequestUri is { IsAbsoluteUri: true } uri) Path = uri.PathAndQuery;
    }

    public override string ToString() => $"{Method} {Path}";
}
