using ReleaseGovernor.EventStore.Local;
using ReleaseGovernor.Server.Api;
using ReleaseGovernor.Server.Health;
using ReleaseGovernor.Server.Hosting;
using ReleaseGovernor.Server.Observability;
using ReleaseGovernor.Server.Page;
using ReleaseGovernor.Server.Webhooks;

try
{
    var builder = WebApplication.CreateBuilder(args);
    await builder.AddReleaseGovernorAsync();
    builder.AddOperatorPage();

    var app = builder.Build();
    app.UseOperatorPage();
    app.MapHealth();
    app.MapGitHubWebhooks();
    app.MapReleaseApi();
    app.MapMetrics();
    await app.RunAsync();
}
catch (Exception e) when (e is LocalPostgresException or StartupConfigurationException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
return 0;

public partial class Program;
