using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.Cli;

/// <summary>
/// What a repository-scoped command works on: the workspace's config, the open database, the repository and
/// environment it resolved, and — for commands that decide — the same processing services the server runs.
/// </summary>
public sealed class RepoScope : IAsyncDisposable
{
    private ServiceProvider? _services;

    private RepoScope(WorkspaceConfig config, NpgsqlDataSource db, RepoRef repo, string environment, CliContext context)
    {
        Config = config;
        Db = db;
        Repo = repo;
        Environment = environment;
        Context = context;
        Store = new MartenEventStore(db);
    }

    public WorkspaceConfig Config { get; }
    public NpgsqlDataSource Db { get; }
    public RepoRef Repo { get; }
    public string Environment { get; }
    public CliContext Context { get; }
    public MartenEventStore Store { get; }
    public string ReleaseStream => StreamIds.Release(Repo, Environment);

    /// <summary>The processing services (GitHub settings from the environment), built on first use.</summary>
    public ServiceProvider Services => _services ??= GovernorServices.Build(Db, Context.Environment);

    public static async Task<RepoScope> OpenAsync(ParseResult parse, CommonOptions common, CliContext context, CancellationToken ct)
    {
        var workspace = parse.GetValue(common.Workspace)!;
        var config = WorkspaceConfig.Load(workspace, context.Environment);
        var db = await Database.OpenAsync(parse.GetValue(common.Db), context.Environment, ct);
        try
        {
            var repo = await RepoResolver.ResolveAsync(parse.GetValue(common.Repo), workspace, db, ct);
            return new RepoScope(config, db, repo, parse.GetValue(common.Env) ?? config.Effective.ProductionEnvironmentName, context);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null) await _services.DisposeAsync();
        await Db.DisposeAsync();
    }
}
