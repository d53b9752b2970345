namespace ReleaseGovernor.Benchmarks.Infrastructure;

/// <summary>Release builds of the server and the CLI for the benchmark to run (the harness's <c>ServerProcess</c> starts the server).</summary>
public static class Publish
{
    /// <summary>Publishes the server in Release to <paramref name="outputFolder"/>; returns the path of its dll.</summary>
    public static Task<string> ServerAsync(string root, string outputFolder, CancellationToken ct) =>
        ProjectAsync(root, "src/ReleaseGovernor.Server/ReleaseGovernor.Server.csproj", outputFolder, "ReleaseGovernor.Server.dll", ct);

    /// <summary><c>dotnet publish -c Release</c> of one project; returns the path of the named dll in the output.</summary>
    public static async Task<string> ProjectAsync(string root, string project, string outputFolder, string dll, CancellationToken ct)
    {
        var result = await Tools.RunAsync(Tools.Dotnet(),
            ["publish", Path.Combine(root, project), "-c", "Release", "-o", outputFolder, "--nologo", "-v", "quiet"],
            root, null, TimeSpan.FromMinutes(15), ct);
        var path = Path.Combine(outputFolder, dll);
        if (result.ExitCode != 0 || !File.Exists(path))
            throw new BenchmarkException($"`dotnet publish {project} -c Release` failed (exit {result.ExitCode}). Fix the build " +
                                         $"(try it by hand from {root}); its output ended with:\n{result.Tail()}");
        return path;
    }
}
