using System.CommandLine;

namespace ReleaseGovernor.Cli;

/// <summary>Options every governor command shares.</summary>
public sealed class CommonOptions
{
    public Option<string?> Repo { get; } = new("--repo") { Description = "Repository as owner/name (default: the workspace's GitHub remote, or the only repository in the database)" };
    public Option<string?> Env { get; } = new("--env") { Description = "Environment (default: production_environment_name from .booty.yml, else production)" };
    public Option<string> Workspace { get; } = new("--workspace") { Description = "Folder holding .booty.yml", DefaultValueFactory = _ => "." };
    public Option<string?> Db { get; } = new("--db") { Description = "PostgreSQL connection string (default: ConnectionStrings__ReleaseGovernor, else the local embedded database)" };
    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON for machines instead of a table" };

    public void AddTo(Command command, bool repoScoped = true)
    {
        if (repoScoped)
        {
            command.Options.Add(Repo);
            command.Options.Add(Env);
            command.Options.Add(Workspace);
        }
        command.Options.Add(Db);
        command.Options.Add(Json);
    }
}
