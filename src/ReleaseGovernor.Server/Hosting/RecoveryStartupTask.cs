using ReleaseGovernor.Processing.Recovery;

namespace ReleaseGovernor.Server.Hosting;

/// <summary>Startup recovery before webhooks are accepted: reclaim expired leases, reconcile in-flight deploys, mark stalled ones.</summary>
public sealed class RecoveryStartupTask(DeployReconciler reconciler) : IStartupTask
{
    public string Name => "recovering in-flight deploys";

    public Task RunAsync(CancellationToken ct) => reconciler.RecoverAsync(ct);
}
