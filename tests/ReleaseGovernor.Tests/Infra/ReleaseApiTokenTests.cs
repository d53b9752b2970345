namespace ReleaseGovernor.Tests.Infra;

/// <summary>Every install sets the release API's bearer token from a secret, so the API is never left open by the install files.</summary>
public sealed class ReleaseApiTokenTests
{
    [Fact]
    public void Compose_reads_the_token_from_a_secret_file()
    {
        var compose = RepositoryFiles.ReadYaml("infra/compose.yaml");
        var server = compose.Map("services").Map("server");

        Assert.Equal("/run/secrets/release_api_token", server.Map("environment").Text("ReleaseGovernor__ApiTokenFile"));
        Assert.Contains("release_api_token", server.Find("secrets").Strings());
        Assert.Contains("RELEASE_API_TOKEN_FILE", compose.Map("secrets").Map("release_api_token").Text("file"), StringComparison.Ordinal);
        Assert.DoesNotContain("AllowAnonymous", RepositoryFiles.ReadText("infra/compose.yaml"), StringComparison.Ordinal);
        Assert.Contains("RELEASE_API_TOKEN_FILE=", RepositoryFiles.ReadText("infra/.env.example"), StringComparison.Ordinal);
    }

    [Fact]
    public void Kubernetes_reads_the_token_from_the_releasegovernor_secret()
    {
        var deployment = RepositoryFiles.ReadYaml("infra/k8s/deployment.yaml");
        var server = deployment.Map("spec").Map("template").Map("spec").Seq("containers").Maps().Single(c => c.Text("name") == "server");
        var token = server.Seq("env").Maps().Single(e => e.Text("name") == "ReleaseGovernor__ApiToken");

        Assert.Equal("releasegovernor", token.Map("valueFrom").Map("secretKeyRef").Text("name"));
        Assert.Equal("api-token", token.Map("valueFrom").Map("secretKeyRef").Text("key"));
        Assert.True(RepositoryFiles.ReadYaml("infra/k8s/secret.example.yaml").Map("stringData").Has("api-token"));
    }

    [Fact]
    public void Systemd_passes_the_token_file_as_a_credential()
    {
        var unit = RepositoryFiles.ReadText("infra/systemd/releasegovernor.service").Split('\n').Select(l => l.Trim()).ToList();

        Assert.Contains("LoadCredential=api-token:/etc/releasegovernor/api-token", unit);
        Assert.Contains("Environment=ReleaseGovernor__ApiTokenFile=%d/api-token", unit);
    }

    [Fact]
    public void The_settings_table_names_the_api_and_webhook_settings()
    {
        var docs = RepositoryFiles.ReadText("docs/release-governor.md");

        foreach (var setting in new[] { "ReleaseGovernor__ApiToken", "ReleaseGovernor__ApiTokenFile", "ReleaseGovernor__Api__AllowAnonymous",
                     "Webhooks__MaxUnverifiedBytes", "Webhooks__MaxUnverifiedWait" })
            Assert.Contains($"| `{setting}` |", docs, StringComparison.Ordinal);
    }
}
