using Microsoft.Extensions.Logging;

namespace ReleaseGovernor.IntegrationTests.Observability;

/// <summary>
/// A logger provider that keeps each line with the scope values it was logged in, as the JSON console formatter
/// writes them for a log shipper.
/// </summary>
public sealed class ScopedLogCapture : ILoggerProvider, ISupportExternalScope
{
    public sealed record Line(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, string?> Scope);

    private readonly List<Line> _lines = [];
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<Line> Lines { get { lock (_lines) return [.. _lines]; } }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() { }

    private sealed class Logger(ScopedLogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, string?>();
            owner._scopes.ForEachScope((s, values) =>
            {
                if (s is IEnumerable<KeyValuePair<string, object?>> pairs)
                    foreach (var (key, value) in pairs) values[key] = value?.ToString();
            }, scope);
            lock (owner._lines) owner._lines.Add(new Line(category, logLevel, formatter(state, exception), scope));
        }
    }
}
