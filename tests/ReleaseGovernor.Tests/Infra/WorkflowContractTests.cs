using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ReleaseGovernor.Tests.Infra;

/// <summary>
/// The GitHub side of the release flow (design §6): what the governor relies on in the
/// workflows of this repository, read from the YAML files themselves.
/// </summary>
public sealed partial class WorkflowContractTests
{
    private const string Workflows = ".github/workflows";
    private const string ReusableWorkflow = "./.github/workflows/build-and-test.yml";

    public static TheoryData<string> WorkflowFiles() => new(WorkflowPaths());

    private static IReadOnlyList<string> WorkflowPaths() =>
        Directory.EnumerateFiles(RepositoryFiles.PathOf(Workflows))
            .Where(p => p.EndsWith(".yml", StringComparison.Ordinal) || p.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(p => $"{Workflows}/{Path.GetFileName(p)}")
            .Order(StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void The_four_workflows_exist()
    {
        Assert.Subset(WorkflowPaths().ToHashSet(),
            new HashSet<string>
            {
                $"{Workflows}/build-and-test.yml", $"{Workflows}/ci.yml",
                $"{Workflows}/verify-main.yml", $"{Workflows}/deploy.yml",
            });
    }

    // --- deploy.yml ---------------------------------------------------------------

    [Fact]
    public void Deploy_is_triggered_only_by_workflow_dispatch()
    {
        var on = Deploy.Map("on");

        Assert.Equal(new[] { "workflow_dispatch" }, on.Keys());
    }

    [Fact]
    public void Deploy_requires_a_string_sha_input()
    {
        var inputs = Deploy.Map("on").Map("workflow_dispatch").Map("inputs");
        var sha = inputs.Map("sha");

        Assert.Equal("true", sha.Text("required"));
        Assert.Equal("string", sha.Text("type"));
    }

    [Fact]
    public void Deploy_run_name_is_Deploy_and_the_sha_input()
    {
        var runName = Deploy.Text("run-name");

        Assert.StartsWith("Deploy ", runName, StringComparison.Ordinal);
        Assert.Contains("inputs.sha", runName, StringComparison.Ordinal);
        Assert.Equal("Deploy ${{ inputs.sha }}", runName);
    }

    [Fact]
    public void Deploy_runs_one_at_a_time_for_production_and_never_cancels_a_running_deploy()
    {
        var concurrency = Deploy.Find("concurrency") as YamlMappingNode ?? DeployJob.Map("concurrency");

        Assert.Equal("deploy-production", concurrency.Text("group"));
        Assert.Equal("false", concurrency.Text("cancel-in-progress"));
    }

    [Fact]
    public void Deploy_job_runs_in_the_production_environment()
    {
        var environment = DeployJob.Find("environment") switch
        {
            YamlScalarNode scalar => scalar.Value,
            YamlMappingNode map => map.Text("name"),
            _ => null,
        };

        Assert.Equal("production", environment);
    }

    [Fact]
    public void Deploy_validates_the_sha_in_its_first_step_through_an_environment_variable()
    {
        var first = DeployJob.Seq("steps").Maps().First();
        var script = first.Text("run");
        var env = first.Map("env");

        Assert.False(first.Has("uses"), "the first step must be the sha check, not an action");
        Assert.Contains("^[0-9a-f]{40}$", script, StringComparison.Ordinal);
        Assert.Contains("exit 1", script, StringComparison.Ordinal);
        Assert.DoesNotContain("${{", script, StringComparison.Ordinal);
        Assert.Contains(env.Children.Values.OfType<YamlScalarNode>(),
            value => value.Value is not null && value.Value.Replace(" ", "") == "${{inputs.sha}}");
    }

    [Fact]
    public void Deploy_checks_out_the_input_sha_and_builds_it_with_the_infra_Dockerfile()
    {
        var steps = DeployJob.Seq("steps").Maps().ToList();
        var checkout = Assert.Single(steps, s => s.TextOrNull("uses")?.StartsWith("actions/checkout@", StringComparison.Ordinal) == true);
        var build = Assert.Single(steps, s => s.TextOrNull("uses")?.StartsWith("docker/build-push-action@", StringComparison.Ordinal) == true);

        Assert.Equal("${{ inputs.sha }}", checkout.Map("with").Text("ref"));
        Assert.Equal("infra/Dockerfile", build.Map("with").Text("file"));
        Assert.Equal(".", build.Map("with").Text("context"));
        Assert.Equal("true", build.Map("with").Text("push"));
        Assert.True(steps.IndexOf(checkout) < steps.IndexOf(build), "check out before building");
    }

    [Fact]
    public void Deploy_may_only_read_contents_and_write_packages()
    {
        var expected = new Dictionary<string, string> { ["contents"] = "read", ["packages"] = "write" };

        Assert.Equal(expected, PermissionsOf(Deploy.Map("permissions")));
        if (DeployJob.Has("permissions"))
            Assert.Equal(expected, PermissionsOf(DeployJob.Map("permissions")));
    }

    [Fact]
    public void Deploy_rolls_out_to_the_target_named_by_DEPLOY_TARGET_and_waits_for_readyz()
    {
        var steps = DeployJob.Seq("steps").Maps().ToList();
        var conditions = steps.Select(s => s.TextOrNull("if") ?? "").ToList();

        Assert.Contains("vars.DEPLOY_TARGET == 'kubernetes'", conditions);
        Assert.Contains("vars.DEPLOY_TARGET == 'compose'", conditions);
        Assert.Contains("vars.DEPLOY_TARGET == 'none'", conditions);
        Assert.Contains(steps, s => s.TextOrNull("run")?.Contains("kubectl", StringComparison.Ordinal) == true
                                    && s.Text("run").Contains("rollout status", StringComparison.Ordinal));
        var readiness = Assert.Single(steps, s => s.TextOrNull("run")?.Contains("/readyz", StringComparison.Ordinal) == true);
        Assert.Equal("${{ vars.READYZ_URL }}", readiness.Map("env").Text("READYZ_URL"));
    }

    // --- verify-main.yml and ci.yml ----------------------------------------------

    [Fact]
    public void Verify_main_is_named_exactly_Verify_main()
    {
        Assert.Equal("Verify main", Workflow("verify-main.yml").Text("name"));
    }

    [Fact]
    public void Verify_main_runs_on_push_to_main_only()
    {
        var on = Workflow("verify-main.yml").Map("on");

        Assert.Equal(new[] { "push" }, on.Keys());
        Assert.Equal(new[] { "main" }, on.Map("push").Find("branches").Strings());
    }

    [Fact]
    public void Ci_runs_on_pull_requests()
    {
        var on = Workflow("ci.yml").Find("on");

        var triggers = on is YamlMappingNode map ? map.Keys().ToList() : on.Strings();
        Assert.Contains("pull_request", triggers);
    }

    [Theory]
    [InlineData("ci.yml")]
    [InlineData("verify-main.yml")]
    public void Callers_use_the_reusable_workflow_instead_of_copying_its_steps(string file)
    {
        var jobs = Workflow(file).Map("jobs").Children.Values.Cast<YamlMappingNode>().ToList();

        Assert.NotEmpty(jobs);
        Assert.All(jobs, job =>
        {
            Assert.Equal(ReusableWorkflow, job.TextOrNull("uses"));
            Assert.False(job.Has("steps"), $"{file} should not copy the build steps");
        });
    }

    [Fact]
    public void Build_and_test_is_reusable_and_tests_on_a_Testcontainers_postgres()
    {
        var workflow = Workflow("build-and-test.yml");
        var job = Assert.Single(workflow.Map("jobs").Children.Values.Cast<YamlMappingNode>());
        var scripts = job.Seq("steps").Maps().Select(s => s.TextOrNull("run")).OfType<string>().ToList();

        Assert.Contains("workflow_call", workflow.Find("on") is YamlMappingNode on ? on.Keys() : workflow.Find("on").Strings());
        // The tests start postgres:15 themselves (TestPostgres.Image); a server given to them would win over it.
        Assert.False(job.Has("services"), "the tests start their own PostgreSQL container");
        Assert.False(job.Map("env").Has("RELEASEGOVERNOR_TEST_DB"), "RELEASEGOVERNOR_TEST_DB would bypass Testcontainers");
        Assert.Equal("testcontainers", job.Map("env").Text("RELEASEGOVERNOR_TEST_POSTGRES"));
        Assert.Contains(scripts, s => s.StartsWith("dotnet restore", StringComparison.Ordinal));
        Assert.Contains(scripts, s => s.StartsWith("dotnet build --no-restore -c Release", StringComparison.Ordinal));
        Assert.Contains(scripts, s => s.StartsWith("dotnet test --no-build -c Release", StringComparison.Ordinal)
                                      && s.Contains("ReleaseGovernor.sln", StringComparison.Ordinal));
        Assert.Contains(job.Seq("steps").Maps(), s => s.TextOrNull("uses")?.StartsWith("actions/setup-dotnet@", StringComparison.Ordinal) == true
                                                      && s.Map("with").Text("dotnet-version") == "10.0.x");
    }

    [Fact]
    public void The_booty_yml_block_names_these_workflows()
    {
        // Raw YAML on purpose: only the names the governor looks for, not the config loader.
        var block = RepositoryFiles.ReadYaml(".booty.yml").Map("release_governor");

        Assert.Equal(Workflow("verify-main.yml").Text("name"), block.Text("verification_workflow_name"));
        Assert.True(File.Exists(RepositoryFiles.PathOf($"{Workflows}/{block.Text("deploy_workflow_name")}")));
        Assert.Equal("production", block.Text("production_environment_name"));
    }

    // --- every workflow -------------------------------------------------------------

    [Theory]
    [MemberData(nameof(WorkflowFiles))]
    public void Every_third_party_action_is_pinned_to_a_full_commit_sha_with_its_tag_as_a_comment(string file)
    {
        // A tag can be moved to other code by whoever controls the action's repository; a commit sha cannot.
        var problems = ActionReference.ScanLines(RepositoryFiles.ReadText(file))
            .Select(reference => reference.PinProblem() is { } problem ? $"line {reference.Line} `{reference.Target}`: {problem}" : null)
            .OfType<string>()
            .ToList();

        Assert.True(problems.Count == 0, $"{file}: {string.Join("; ", problems)}");
    }

    [Theory]
    [MemberData(nameof(WorkflowFiles))]
    public void The_pin_scan_of_the_text_finds_every_uses_the_yaml_holds(string file)
    {
        // Comments are gone once YAML is parsed, so pins are checked on the text; this keeps the text
        // scan honest (a `uses:` in a form the scan does not read would otherwise go unchecked).
        var scanned = ActionReference.ScanLines(RepositoryFiles.ReadText(file)).Select(r => r.Target).ToList();

        Assert.Equal(UsesOf(RepositoryFiles.ReadYaml(file)).ToList(), scanned);
    }

    [Theory]
    [MemberData(nameof(WorkflowFiles))]
    public void Every_job_has_a_permissions_block_or_the_workflow_has_one(string file)
    {
        var workflow = RepositoryFiles.ReadYaml(file);
        if (workflow.Has("permissions"))
            return;

        foreach (var (name, job) in workflow.Map("jobs").Children)
            Assert.True(((YamlMappingNode)job).Has("permissions"), $"{file}: job {name} has no permissions block");
    }

    [Theory]
    [MemberData(nameof(WorkflowFiles))]
    public void No_run_script_interpolates_an_expression(string file)
    {
        // `${{ }}` inside a script is pasted into the shell text before it runs (script
        // injection); values go in through `env:` instead.
        var offending = RepositoryFiles.ReadYaml(file).Map("jobs").Children.Values.Cast<YamlMappingNode>()
            .Where(job => job.Has("steps"))
            .SelectMany(job => job.Seq("steps").Maps())
            .Where(step => step.TextOrNull("run")?.Contains("${{", StringComparison.Ordinal) == true)
            .Select(step => step.TextOrNull("name") ?? step.Text("run"))
            .ToList();

        Assert.True(offending.Count == 0, $"{file}: {string.Join(", ", offending)}");
    }

    [Fact]
    public void The_pinning_check_sees_the_actions_in_use()
    {
        var all = WorkflowPaths().SelectMany(file => UsesOf(RepositoryFiles.ReadYaml(file))).ToList();

        Assert.Contains(all, uses => uses.StartsWith("actions/checkout@", StringComparison.Ordinal));
        Assert.Contains(all, uses => uses.StartsWith("docker/build-push-action@", StringComparison.Ordinal));
        Assert.Contains(ReusableWorkflow, all);
    }

    [Theory]
    [InlineData("      - uses: actions/checkout@8ade135a41bc03ea155e62e844d188df1ea18608 # v4.1.0")]
    [InlineData("        uses: docker/build-push-action@10e90e3645eae34f1e60eeb005ba3a3d33f178e8   #   v6.19.2")]
    [InlineData("        uses: github/codeql-action/init@8ade135a41bc03ea155e62e844d188df1ea18608 # v3")]
    [InlineData("        uses: 'actions/checkout@8ade135a41bc03ea155e62e844d188df1ea18608' # v4.1.0")]
    [InlineData("    uses: ./.github/workflows/build-and-test.yml")]
    public void The_pinning_check_accepts(string line)
    {
        var reference = Assert.Single(ActionReference.ScanLines(line));

        Assert.Null(reference.PinProblem());
    }

    [Theory]
    [InlineData("      - uses: actions/checkout@v4")]
    [InlineData("      - uses: actions/checkout@v4 # v4")]
    [InlineData("      - uses: actions/checkout@v4.1.1")]
    [InlineData("      - uses: actions/checkout@main")]
    [InlineData("      - uses: actions/checkout")]
    [InlineData("      - uses: actions/checkout@8ade135a41bc03ea155e62e844d188df1ea18608")]
    [InlineData("      - uses: actions/checkout@8ade135a41bc03ea155e62e844d188df1ea18608 # pinned")]
    [InlineData("      - uses: actions/checkout@8ade135a41bc03ea155e62e844d188df1ea1860 # v4.1.0")]
    [InlineData("      - uses: actions/checkout@8ADE135A41BC03EA155E62E844D188DF1EA18608 # v4.1.0")]
    [InlineData("      - uses: docker://alpine:3.20")]
    public void The_pinning_check_refuses(string line)
    {
        var reference = Assert.Single(ActionReference.ScanLines(line));

        Assert.NotNull(reference.PinProblem());
    }

    // --- helpers -------------------------------------------------------------------

    private static YamlMappingNode Deploy => Workflow("deploy.yml");

    private static YamlMappingNode DeployJob =>
        Assert.Single(Deploy.Map("jobs").Children.Values.Cast<YamlMappingNode>());

    private static YamlMappingNode Workflow(string file) => RepositoryFiles.ReadYaml($"{Workflows}/{file}");

    private static Dictionary<string, string> PermissionsOf(YamlMappingNode permissions) =>
        permissions.Children.ToDictionary(
            kv => ((YamlScalarNode)kv.Key).Value ?? "",
            kv => ((YamlScalarNode)kv.Value).Value ?? "");

    /// <summary>Every <c>uses:</c> of a job (reusable workflow) or of a step.</summary>
    private static IEnumerable<string> UsesOf(YamlMappingNode workflow)
    {
        foreach (var job in workflow.Map("jobs").Children.Values.Cast<YamlMappingNode>())
        {
            if (job.TextOrNull("uses") is { } jobUses)
                yield return jobUses;
            if (!job.Has("steps"))
                continue;
            foreach (var step in job.Seq("steps").Maps())
                if (step.TextOrNull("uses") is { } stepUses)
                    yield return stepUses;
        }
    }

    /// <summary>One <c>uses:</c> as written in a workflow file: what it names, and the comment after it.</summary>
    private sealed partial record ActionReference(int Line, string Target, string? Comment)
    {
        public static IEnumerable<ActionReference> ScanLines(string text) =>
            text.Split('\n')
                .Select((line, index) => (Match: UsesLine().Match(line.TrimEnd('\r')), Line: index + 1))
                .Where(m => m.Match.Success)
                .Select(m => new ActionReference(m.Line, m.Match.Groups["target"].Value.Trim('\'', '"'),
                    m.Match.Groups["comment"].Success ? m.Match.Groups["comment"].Value.Trim() : null));

        /// <summary>Null when this is a local workflow or action, or a third-party action pinned to a commit with its tag beside it.</summary>
        public string? PinProblem()
        {
            if (Target.StartsWith("./", StringComparison.Ordinal))
                return null;
            if (!ShaPinned().IsMatch(Target))
                return "pin to a full 40-hex commit sha (owner/repo@<sha> # vX.Y.Z)";
            if (Comment is null || !TagComment().IsMatch(Comment))
                return "say which tag the sha is, as a comment: # vX.Y.Z";
            return null;
        }

        /// <summary><c>uses: x</c>, as a step (<c>- uses:</c>) or a key, with an optional trailing comment.</summary>
        [GeneratedRegex(@"^\s*(?:-\s+)?uses:\s*(?<target>'[^']*'|""[^""]*""|[^\s#]+)\s*(?:#(?<comment>.*))?$")]
        private static partial Regex UsesLine();

        /// <summary><c>owner/repo[/path]@</c> a full lower-case 40-hex commit sha.</summary>
        [GeneratedRegex(@"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")]
        private static partial Regex ShaPinned();

        [GeneratedRegex(@"^v\d+(\.\d+){0,2}$")]
        private static partial Regex TagComment();
    }
}
