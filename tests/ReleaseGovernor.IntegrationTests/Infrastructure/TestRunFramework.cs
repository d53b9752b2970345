using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: Xunit.TestFramework("ReleaseGovernor.IntegrationTests.Infrastructure.TestRunFramework", "ReleaseGovernor.IntegrationTests")]

namespace ReleaseGovernor.IntegrationTests.Infrastructure;

/// <summary>xunit's own framework, kept for its diagnostic sink: run-wide notes reach the test output through it.</summary>
public sealed class TestRunFramework : XunitTestFramework
{
    public TestRunFramework(IMessageSink messageSink) : base(messageSink) =>
        ReleaseGovernor.Testing.TestNotes.Sink = line => messageSink.OnMessage(new DiagnosticMessage(line));
}
