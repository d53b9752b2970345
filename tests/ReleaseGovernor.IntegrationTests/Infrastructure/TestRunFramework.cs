using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: Xunit.TestFramework("ReleaseGovernor.IntegrationTests.Infrastructure.TestRunFramework", "ReleaseGovernor.IntegrationTests")]

namespace ReleaseGovernor.IntegrationTests.Infrastructure;

/// <summary>xunit's own framework, kept for its diagnostic sink: run-wide notes reach the test output through it.</summary>
public sealed class TestRunFramework : XunitTestFramework
{
    private static IMessageSink? _sink;

    public TestRunFramework(IMessageSink messageSink) : base(messageSink) => _sink = messageSink;

    /// <summary>Writes one line to the test output (xunit diagnostic messages) and to standard error.</summary>
    public static void Note(string line)
    {
        _sink?.OnMessage(new DiagnosticMessage(line));
        Console.Error.WriteLine(line);
    }
}
