using ReleaseGovernor.Cli;

namespace ReleaseGovernor.IntegrationTests.Infrastructure;

/// <summary>Runs the <c>booty</c> command line in-process and captures what it prints.</summary>
public static class Booty
{
    public sealed record Run(int ExitCode, string Out, string Error);

    public static Task<Run> RunAsync(string? connectionString, params string[] args) =>
        RunWithEnvAsync(connectionString, new Dictionary<string, string?>(), args);

    public static async Task<Run> RunWithEnvAsync(string? connectionString, IReadOnlyDictionary<string, string?> extra, params string[] args)
    {
        var env = new Dictionary<string, string?>(extra);
        if (connectionString is not null) env[Database.ConnectionVariable] = connectionString;
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await BootyApp.RunAsync(args, output, error, env);
        return new Run(code, output.ToString(), error.ToString());
    }

    /// <summary>A temp folder with the given .booty.yml (or none).</summary>
    public static string Workspace(string? bootyYml)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"rg-ws-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        if (bootyYml is not null) File.WriteAllText(Path.Combine(folder, ".booty.yml"), bootyYml);
        return folder;
    }
}
