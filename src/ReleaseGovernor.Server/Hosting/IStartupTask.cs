namespace ReleaseGovernor.Server.Hosting;

/// <summary>Work that must finish before the service accepts webhooks (after migrations), in registration order.</summary>
public interface IStartupTask
{
    string Name { get; }
    Task RunAsync(CancellationToken ct);
}
