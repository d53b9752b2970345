using System.Text.Json;
using System.Text.RegularExpressions;

namespace ReleaseGovernor.Tests.Infra;

/// <summary>The scrape configs reach /metrics with the API token the server is given, and the dashboard queries documented metrics.</summary>
public sealed partial class MonitoringFilesTests
{
    [Fact]
    public void Compose_prometheus_scrapes_the_server_with_the_token_the_server_reads()
    {
        var compose = RepositoryFiles.ReadYaml("infra/compose.yaml");
        var services = compose.Map("services");
        var prometheus = services.Map("prometheus");
        var job = Assert.Single(RepositoryFiles.ReadYaml("infra/prometheus/prometheus.yml").Seq("scrape_configs").Maps());

        Assert.Equal("/metrics", job.Text("metrics_path"));
        Assert.Equal(["server:8080"], Assert.Single(job.Seq("static_configs").Maps()).Find("targets").Strings());
        Assert.Equal("Bearer", job.Map("authorization").Text("type"));
        Assert.Equal("/run/secrets/release_api_token", job.Map("authorization").Text("credentials_file"));
        Assert.Equal("/run/secrets/release_api_token", services.Map("server").Map("environment").Text("ReleaseGovernor__ApiTokenFile"));
        Assert.Contains("release_api_token", prometheus.Find("secrets").Strings());
        Assert.Contains(prometheus.Find("volumes").Strings(), v => v.StartsWith("./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml", StringComparison.Ordinal));
        Assert.Equal(["monitoring"], prometheus.Find("profiles").Strings());
    }

    [Fact]
    public void The_service_monitor_sends_the_api_token_the_deployment_gives_the_server()
    {
        var monitor = RepositoryFiles.ReadYaml("infra/k8s/servicemonitor.yaml");
        var service = RepositoryFiles.ReadYaml("infra/k8s/service.yaml");
        var server = Assert.Single(RepositoryFiles.ReadYaml("infra/k8s/deployment.yaml").Map("spec").Map("template").Map("spec").Seq("containers").Maps());
        var token = Assert.Single(server.Seq("env").Maps(), e => e.Text("name") == "ReleaseGovernor__ApiToken").Map("valueFrom").Map("secretKeyRef");
        var endpoint = Assert.Single(monitor.Map("spec").Seq("endpoints").Maps());

        Assert.Equal("/metrics", endpoint.Text("path"));
        Assert.Contains(service.Map("spec").Seq("ports").Maps(), p => p.Text("name") == endpoint.Text("port"));
        Assert.Equal(token.Text("name"), endpoint.Map("authorization").Map("credentials").Text("name"));
        Assert.Equal(token.Text("key"), endpoint.Map("authorization").Map("credentials").Text("key"));
        var selector = monitor.Map("spec").Map("selector").Map("matchLabels");
        Assert.All(selector.Keys(), k => Assert.Equal(service.Map("metadata").Map("labels").Text(k), selector.Text(k)));
    }

    [Fact]
    public void Every_governor_metric_the_dashboard_queries_is_documented()
    {
        using var dashboard = JsonDocument.Parse(RepositoryFiles.ReadText("infra/grafana/dashboards/releasegovernor.json"));
        var docs = RepositoryFiles.ReadText("docs/release-governor.md");
        var exprs = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!).ToList();
        var queried = exprs.SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).ToHashSet();

        Assert.NotEmpty(queried);
        Assert.All(queried, metric => Assert.Contains($"`{DocumentedName(metric)}`", docs, StringComparison.Ordinal));
    }

    /// <summary>The OpenTelemetry name a Prometheus series comes from: <c>releasegovernor_decision_duration_seconds_bucket</c> is <c>releasegovernor.decision.duration</c>.</summary>
    private static string DocumentedName(string series) =>
        Regex.Replace(series, "(_seconds)?(_total|_bucket|_sum|_count)?$", "").Replace('_', '.');

    [GeneratedRegex("releasegovernor_[a-z_]+")]
    private static partial Regex MetricName();
}
