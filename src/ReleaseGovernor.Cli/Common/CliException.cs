namespace ReleaseGovernor.Cli;

/// <summary>Exit codes: 0 ok, 1 HOLD or refused, 2 usage or environment error.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Refused = 1;
    public const int UsageOrEnvironment = 2;
}

/// <summary>A one-line error for the user, with the exit code to leave with. Never a stack trace.</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.UsageOrEnvironment) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
