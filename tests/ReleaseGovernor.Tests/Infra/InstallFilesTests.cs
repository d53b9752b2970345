using System.Text.RegularExpressions;

namespace ReleaseGovernor.Tests.Infra;

/// <summary>The container image, the compose install and the systemd unit agree with the server's settings.</summary>
public sealed class InstallFilesTests
{
    private static readonly string[] ServerSettings =
    [
        "ConnectionStrings__ReleaseGovernor",
        "GitHub__WebhookSecret",
        "GitHub__AppId",
        "GitHub__PrivateKeyPath",
        "GitHub__Token",
        "GitHub__ApiBaseUrl",
    ];

    [Fact]
    public void Env_example_names_every_server_setting_and_the_database_password()
    {
        var names = RepositoryFiles.ReadText("infra/.env.example")
            .Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line[..line.IndexOf('=')])
            .ToHashSet();

        Assert.Subset(names, new HashSet<string>([.. ServerSettings, "POSTGRES_PASSWORD"]));
    }

    [Fact]
    public void Compose_starts_the_server_after_a_healthy_postgres_15()
    {
        var services = RepositoryFiles.ReadYaml("infra/compose.yaml").Map("services");
        var postgres = services.Map("postgres");
        var server = services.Map("server");

        Assert.Equal("postgres:15", postgres.Text("image"));
        Assert.Contains("pg_isready", string.Join(" ", postgres.Map("healthcheck").Find("test").Strings()), StringComparison.Ordinal);
        Assert.Equal("service_healthy", server.Map("depends_on").Map("postgres").Text("condition"));
        Assert.Equal(".env", server.Find("env_file").Strings().Single());
        Assert.Equal("infra/Dockerfile", server.Map("build").Text("dockerfile"));
        Assert.Equal("..", server.Map("build").Text("context"));
        Assert.Equal("${IMAGE:-releasegovernor}:${IMAGE_TAG:-local}", server.Text("image"));
    }

    [Fact]
    public void Image_runs_the_server_as_a_non_root_user_on_port_8080_with_a_healthz_check()
    {
        var dockerfile = RepositoryFiles.ReadText("infra/Dockerfile");
        var runtime = dockerfile[dockerfile.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];

        Assert.StartsWith("\nFROM mcr.microsoft.com/dotnet/aspnet:10.0", runtime, StringComparison.Ordinal);
        Assert.Contains("dotnet publish src/ReleaseGovernor.Server -c Release -o /app", dockerfile, StringComparison.Ordinal);
        var user = Regex.Match(runtime, @"^USER\s+(\S+)", RegexOptions.Multiline);
        Assert.True(user.Success, "the runtime stage sets USER");
        Assert.DoesNotMatch(@"^(root|0)(:|$)", user.Groups[1].Value);
        Assert.Matches(@"(?m)^EXPOSE 8080$", runtime);
        Assert.Contains("ASPNETCORE_URLS=http://+:8080", runtime, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^HEALTHCHECK .*(\r?\n\s+.*)*/healthz", runtime);
    }

    [Fact]
    public void Docker_build_context_leaves_out_build_output_and_secrets()
    {
        var ignored = RepositoryFiles.ReadText(".dockerignore").Split('\n').Select(l => l.Trim()).ToHashSet();

        Assert.Subset(ignored, new HashSet<string> { "**/bin/", "**/obj/", ".git", ".data", "**/.env" });
    }

    [Fact]
    public void Systemd_unit_runs_the_published_server_as_its_own_user_with_hardening()
    {
        var directives = RepositoryFiles.ReadText("infra/systemd/releasegovernor.service")
            .Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Contains('=') && !line.StartsWith('#'))
            .Select(line => (Key: line[..line.IndexOf('=')], Value: line[(line.IndexOf('=') + 1)..]))
            .ToLookup(d => d.Key, d => d.Value);

        Assert.Equal("/etc/releasegovernor/env", directives["EnvironmentFile"].Single());
        Assert.Contains("/opt/releasegovernor/ReleaseGovernor.Server.dll", directives["ExecStart"].Single(), StringComparison.Ordinal);
        Assert.Equal("releasegovernor", directives["User"].Single());
        Assert.Equal("on-failure", directives["Restart"].Single());
        Assert.Equal("yes", directives["NoNewPrivileges"].Single());
        Assert.Equal("strict", directives["ProtectSystem"].Single());
        Assert.NotEmpty(directives["ReadWritePaths"]);
    }
}
