using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.Processing.Decisions;
using ReleaseGovernor.Processing.Effects;
using ReleaseGovernor.Processing.Ingestion;
using ReleaseGovernor.Processing.Observability;
using ReleaseGovernor.Processing.Outbox;
using ReleaseGovernor.Processing.Recovery;
using ReleaseGovernor.Processing.Runs;

namespace ReleaseGovernor.Processing;

public static class ProcessingServices
{
    /// <summary>Everything that turns stored facts into decisions and effects. Needs an IEventStore, NpgsqlDataSource and GitHubClient.</summary>
    public static IServiceCollection AddGovernorProcessing(this IServiceCollection services, GovernorSettings settings)
    {
        services.AddSingleton(settings);
        services.AddMetrics();
        services.AddSingleton<GovernorMetrics>();
        services.AddSingleton(sp => new OutboxStore(sp.GetRequiredService<Npgsql.NpgsqlDataSource>()));
        services.AddSingleton<ConfigSource>();
        services.AddSingleton<ApproverCheck>();
        services.AddSingleton<DecisionInputGatherer>();
        services.AddSingleton<ReleaseEvaluator>();
        services.AddSingleton<ThawHandler>();
        services.AddSingleton<RunClassifier>();
        services.AddSingleton<ApprovalSignalHandler>();
        services.AddSingleton<DispatchEffect>();
        services.AddSingleton<CommitStatusEffect>();
        services.AddSingleton<FailureIssueEffect>();
        services.TryAddSingleton(new Health.HealthProbeSettings());
        services.AddSingleton<Health.UrlProber>();
        services.AddSingleton<Health.HealthProber>();
        services.AddSingleton<Health.HealthWatchHandler>();
        services.AddSingleton<Health.RollbackNoticeEffect>();
        services.AddSingleton<ProtectionAnswerEffect>();
        services.AddSingleton<Protection.ProtectionRequestHandler>();
        services.AddSingleton<OutboxProcessor>();
        services.AddSingleton<DeployReconciler>();
        services.TryAddSingleton<WorkSignal>();
        services.AddSingleton<DeliveryIngestor>();
        services.AddSingleton<DeliveryIntake>();
        services.TryAddSingleton(new DeliverySweepOptions());
        services.AddSingleton<DeliverySweep>();
        services.AddSingleton<DeliveryReport>();
        return services;
    }
}
