using Microsoft.Extensions.Logging;

namespace ReleaseGovernor.IntegrationTests.GitHub;

/// <summary>Keeps formatted log lines (message and exception) so tests can check what was logged.</summary>
public sealed class ListLogger<T>(List<string> lines) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (lines) lines.Add($"{logLevel}: {formatter(state, exception)} {exception}");
    }
}
