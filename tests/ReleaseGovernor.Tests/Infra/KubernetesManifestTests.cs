using YamlDotNet.RepresentationModel;

namespace ReleaseGovernor.Tests.Infra;

/// <summary>infra/k8s: replicas that share one PostgreSQL, probed on the server's health routes.</summary>
public sealed class KubernetesManifestTests
{
    private static YamlMappingNode Deployment => RepositoryFiles.ReadYaml("infra/k8s/deployment.yaml");

    private static YamlMappingNode PodSpec => Deployment.Map("spec").Map("template").Map("spec");

    private static YamlMappingNode Server =>
        Assert.Single(PodSpec.Seq("containers").Maps(), c => c.Text("name") == "server");

    [Fact]
    public void Readiness_is_probed_on_readyz()
    {
        var probe = Server.Map("readinessProbe").Map("httpGet");

        Assert.Equal("/readyz", probe.Text("path"));
        Assert.True(ProbesTheHttpPort(probe));
    }

    [Fact]
    public void Liveness_is_probed_on_healthz()
    {
        var probe = Server.Map("livenessProbe").Map("httpGet");

        Assert.Equal("/healthz", probe.Text("path"));
        Assert.True(ProbesTheHttpPort(probe));
    }

    [Fact]
    public void Runs_two_non_root_replicas_with_resource_bounds()
    {
        Assert.Equal("Deployment", Deployment.Text("kind"));
        Assert.False(Deployment.Map("metadata").Has("namespace"), "manifests stay namespace-agnostic");
        Assert.Equal("2", Deployment.Map("spec").Text("replicas"));
        Assert.Equal("true", PodSpec.Map("securityContext").Text("runAsNonRoot"));
        Assert.True(Server.Map("resources").Map("requests").Has("memory"));
        Assert.True(Server.Map("resources").Map("limits").Has("memory"));
    }

    [Fact]
    public void Settings_come_from_the_releasegovernor_secret_and_the_key_is_a_mounted_file()
    {
        var env = Server.Seq("env").Maps().ToDictionary(e => e.Text("name"));

        foreach (var name in new[] { "ConnectionStrings__ReleaseGovernor", "GitHub__WebhookSecret", "GitHub__AppId" })
            Assert.Equal("releasegovernor", env[name].Map("valueFrom").Map("secretKeyRef").Text("name"));

        const string keyPath = "/var/run/secrets/github/private-key.pem";
        Assert.Equal(keyPath, env["GitHub__PrivateKeyPath"].Text("value"));
        var mount = Assert.Single(Server.Seq("volumeMounts").Maps(), m => m.Text("mountPath") == "/var/run/secrets/github");
        var volume = Assert.Single(PodSpec.Seq("volumes").Maps(), v => v.Text("name") == mount.Text("name"));
        Assert.Equal("releasegovernor", volume.Map("secret").Text("secretName"));
        Assert.Contains(volume.Map("secret").Seq("items").Maps(), i => i.Text("path") == "private-key.pem");
    }

    [Fact]
    public void Service_sends_port_80_to_the_server_and_the_budget_keeps_one_replica()
    {
        var service = RepositoryFiles.ReadYaml("infra/k8s/service.yaml");
        var budget = RepositoryFiles.ReadYaml("infra/k8s/pdb.yaml");
        var podLabels = Deployment.Map("spec").Map("template").Map("metadata").Map("labels");

        var port = Assert.Single(service.Map("spec").Seq("ports").Maps());
        Assert.Equal("80", port.Text("port"));
        Assert.True(port.Text("targetPort") is "8080" or "http");
        Assert.Equal("1", budget.Map("spec").Text("minAvailable"));
        Assert.All(service.Map("spec").Map("selector").Children.Concat(budget.Map("spec").Map("selector").Map("matchLabels").Children),
            label => Assert.Equal(label.Value, podLabels.Find(((YamlScalarNode)label.Key).Value!)));
    }

    [Fact]
    public void Kustomization_applies_the_manifests_but_not_the_example_secret()
    {
        var resources = RepositoryFiles.ReadYaml("infra/k8s/kustomization.yaml").Find("resources").Strings();

        Assert.Equal(new[] { "deployment.yaml", "pdb.yaml", "service.yaml" }, resources.Order(StringComparer.Ordinal));
        Assert.Equal("Secret", RepositoryFiles.ReadYaml("infra/k8s/secret.example.yaml").Text("kind"));
    }

    private static bool ProbesTheHttpPort(YamlMappingNode httpGet)
    {
        var port = httpGet.Text("port");
        var http = Assert.Single(Server.Seq("ports").Maps());
        return port == http.Text("containerPort") || port == http.TextOrNull("name");
    }
}
