namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// Ambient correlation id (usually the <c>X-GitHub-Delivery</c> id) sent as <see cref="HeaderName"/>
/// on every GitHub call made inside the scope.
/// <code>using var _ = GitHubCallContext.Begin(deliveryId);</code>
/// </summary>
public static class GitHubCallContext
{
    public const string HeaderName = "X-Request-Id";

    private static readonly AsyncLocal<string?> Current = new();

    public static string? CorrelationId => Current.Value;

    public static IDisposable Begin(string? correlationId)
    {
        var previous = Current.Value;
        Current.Value = correlationId;
        return new Scope(previous);
    }

    private sealed class Scope(string? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            Current.Value = previous;
        }
    }
}
