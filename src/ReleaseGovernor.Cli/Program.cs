namespace ReleaseGovernor.Cli;

/// <summary>The <c>booty</c> executable.</summary>
public static class BootyProgram
{
    public static Task<int> Main(string[] args) =>
        BootyApp.RunAsync(args, Console.Out, Console.Error, EnvironmentSnapshot.FromProcess());
}
