using System.Net;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Testing.Replay;
using static ReleaseGovernor.IntegrationTests.Page.PageTestBed;

namespace ReleaseGovernor.IntegrationTests.Page;

/// <summary>The operator page with GitHub sign-in: what a viewer sees, and what they cannot.</summary>
public sealed class OperatorPageTests : IAsyncLifetime
{
    private readonly PageTestBed _bed = new(SignInSettings());

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        _bed.App.GitHub.OAuth.AddUser("alice", Web);
        _bed.App.GitHub.OAuth.AddUser("pat", Web, Payroll);
    }

    public Task DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public async Task The_overview_shows_each_repository_the_viewer_can_read_with_its_production_and_last_decision()
    {
        var pat = await _bed.SignInAsync("pat");

        var (status, page) = await GetPageAsync(pat, "/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("signed in as pat", page.QuerySelector(".viewer")!.TextContent);
        var web = page.QuerySelector($"[data-repo='{Web}'][data-env='production']")!;
        var payroll = page.QuerySelector($"[data-repo='{Payroll}'][data-env='production']")!;
        Assert.Contains("ALLOW", web.QuerySelector(".decision")!.TextContent);
        Assert.Contains("low risk", web.QuerySelector(".decision")!.TextContent);
        Assert.Equal(WebSha[..7], web.QuerySelector(".in-flight .sha")!.TextContent.Trim());
        Assert.Equal($"{_bed.App.GitHub.BaseUrl}/{Web}/commit/{WebSha}", web.QuerySelector(".in-flight a.sha")!.GetAttribute("href"));
        Assert.Contains("HOLD", payroll.QuerySelector(".decision")!.TextContent);
        Assert.Contains("high risk, waiting for an approval", payroll.QuerySelector(".decision")!.TextContent);
        Assert.NotNull(page.QuerySelector("link[rel=stylesheet][href='/assets/page.css']"));
        var css = await pat.GetAsync("/assets/page.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Contains("prefers-color-scheme: dark", await css.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_overview_shows_production_degraded_since_when_and_what_fails()
    {
        var stream = StreamIds.Release(RepoRef.Parse(Web), "production");
        var at = DateTimeOffset.Parse("2026-11-30T10:15:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var runId = (await Wait.ForStateAsync(_bed.App.Store, stream, s => s.InFlight?.RunId is not null)).InFlight!.RunId!.Value;
        ReleaseEvent[] watched =
        [
            new DeploySucceeded(WebSha, runId, null) { At = at },
            new HealthWatchStarted(WebSha, "GET https://web.example.com/healthz", 3, 30, 2) { At = at },
            new HealthCheckFailed(WebSha, 1, 503, null, 12, "Service Unavailable") { At = at.AddSeconds(30) },
            new HealthCheckFailed(WebSha, 2, 503, null, 15, "Service Unavailable") { At = at.AddSeconds(60) },
            new ProductionDegraded(WebSha, 2, ["probe 2: 503 Service Unavailable"]) { At = at.AddSeconds(60) },
        ];
        await new ReleaseGovernor.EventStore.Store.ReleaseWriter(_bed.App.Store).WriteAsync<bool>(stream, (_, _, _) =>
            Task.FromResult(new ReleaseGovernor.EventStore.Store.ReleaseWrite<bool>(watched, EventMetadata.ForSystem("health"), true)), CancellationToken.None);
        var pat = await _bed.SignInAsync("pat");

        var (_, page) = await GetPageAsync(pat, "/");

        var web = page.QuerySelector($"[data-repo='{Web}'][data-env='production']")!;
        Assert.Equal("degraded since 2026-11-30 10:16 UTC", web.QuerySelector(".production .health")!.TextContent.Trim());
        Assert.Contains(web.QuerySelectorAll(".block"), b => b.TextContent.Contains("production degraded (HIGH and MEDIUM held)")
                                                             && b.TextContent.Contains("503"));
        var payroll = page.QuerySelector($"[data-repo='{Payroll}'][data-env='production']")!;
        Assert.Equal("nothing deployed yet", payroll.QuerySelector(".production .health")!.TextContent.Trim());
    }

    [Fact]
    public async Task The_overview_filtered_by_owner_shows_only_that_owners_repositories()
    {
        var pat = await _bed.SignInAsync("pat");

        var (_, octo) = await GetPageAsync(pat, "/?owner=OCTO-ORG");
        var (_, other) = await GetPageAsync(pat, "/?owner=someone-else");

        Assert.Equal(2, octo.QuerySelectorAll("section.card").Length);
        Assert.Empty(other.QuerySelectorAll("section.card"));
        Assert.Contains("No governed repository of someone-else", other.QuerySelector(".empty")!.TextContent);
        Assert.Equal("someone-else", other.QuerySelector("input[name=owner]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task A_viewer_sees_only_the_repositories_github_lets_them_read_and_gets_404_for_the_others()
    {
        var alice = await _bed.SignInAsync("alice");

        var (_, overview) = await GetPageAsync(alice, "/");
        var (status, timeline) = await GetPageAsync(alice, $"/repos/{Payroll}/production");
        var (eventStatus, _) = await GetPageAsync(alice, $"/repos/{Payroll}/production/events/1");

        Assert.NotNull(overview.QuerySelector($"[data-repo='{Web}']"));
        Assert.Null(overview.QuerySelector($"[data-repo='{Payroll}']"));
        Assert.DoesNotContain(PayrollSha[..7], overview.Body!.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.DoesNotContain(PayrollSha[..7], timeline.Body!.TextContent);
        Assert.Contains("that you can read", timeline.QuerySelector(".message")!.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, eventStatus);
    }

    [Fact]
    public async Task The_timeline_shows_each_decision_with_its_reason_risk_evidence_and_links_newest_first()
    {
        var pat = await _bed.SignInAsync("pat");

        var (status, page) = await GetPageAsync(pat, $"/repos/{Payroll}/production");

        Assert.Equal(HttpStatusCode.OK, status);
        var entries = page.QuerySelectorAll(".timeline > li.entry").ToList();
        var sequences = entries.Select(e => long.Parse(e.Id!.TrimStart('e'))).ToList();
        Assert.Equal(sequences.OrderDescending(), sequences);
        var decided = entries.Single(e => e.GetAttribute("data-type") == "deploy_decided");
        Assert.Contains("HOLD — high risk, waiting for an approval (high_risk_no_approval)", decided.QuerySelector(".headline")!.TextContent);
        Assert.Contains("To unblock:", decided.QuerySelector(".details")!.TextContent);
        Assert.Contains(".github/workflows/deploy.yml matched .github/workflows/** (HIGH)", decided.QuerySelector(".evidence")!.TextContent);
        Assert.Contains("Diff: 1 path(s)", decided.TextContent);
        var delivery = decided.QuerySelector(".delivery code")!.TextContent;
        Assert.NotEqual("—", delivery);
        var eventLink = decided.QuerySelector("a.event")!.GetAttribute("href")!;
        var (eventStatus, eventPage) = await GetPageAsync(pat, eventLink);
        Assert.Equal(HttpStatusCode.OK, eventStatus);
        Assert.Contains("\"changed_paths\"", eventPage.QuerySelector("pre.json")!.TextContent);
        Assert.Contains(delivery, eventPage.Body!.TextContent);
        var verified = entries.Single(e => e.GetAttribute("data-type") == "verification_completed");
        Assert.Contains("Verified: success", verified.TextContent);
        var time = verified.QuerySelector("time")!;
        Assert.EndsWith("UTC", time.GetAttribute("title"));
        Assert.EndsWith("Z", time.GetAttribute("datetime"));
    }

    [Fact]
    public async Task The_timeline_of_an_allowed_sha_links_its_deploy_run()
    {
        var pat = await _bed.SignInAsync("pat");

        var (_, page) = await GetPageAsync(pat, $"/repos/{Web}/production");

        var dispatched = page.QuerySelectorAll("li.entry").Single(e => e.GetAttribute("data-type") == "deploy_dispatched");
        Assert.StartsWith("deploy run", dispatched.QuerySelector(".source a")!.TextContent);
        Assert.StartsWith("https://github.com/octo-org/web/actions/runs/", dispatched.QuerySelector(".source a")!.GetAttribute("href"));
        Assert.Contains("ALLOW — low risk (allow_low)", page.QuerySelectorAll("li.entry").Single(e => e.GetAttribute("data-type") == "deploy_decided").TextContent);
    }

    [Fact]
    public async Task A_long_timeline_is_paged_fifty_at_a_time()
    {
        const string staging = "release/octo-org/web/staging";
        var month = new RecordedMonth("release_governor:\n  enabled: true\n", DateTimeOffset.UtcNow.AddDays(-40), staging);
        await _bed.App.Store.AppendAsync(staging, 0, month.Events, EventMetadata.ForSystem("seed"));
        var pat = await _bed.SignInAsync("pat");

        var (_, first) = await GetPageAsync(pat, $"/repos/{Web}/staging");
        var older = first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href")!;
        var (_, second) = await GetPageAsync(pat, older);
        var (bad, _) = await GetPageAsync(pat, $"/repos/{Web}/staging?page=0");

        Assert.Equal(50, first.QuerySelectorAll("li.entry").Length);
        Assert.Equal($"/repos/{Web}/staging?page=2", older);
        var firstLast = long.Parse(first.QuerySelectorAll("li.entry").Last().Id!.TrimStart('e'));
        var secondFirst = long.Parse(second.QuerySelectorAll("li.entry").First().Id!.TrimStart('e'));
        Assert.Equal(firstLast - 1, secondFirst);
        Assert.NotNull(second.QuerySelector(".pager a[rel=prev]"));
        Assert.Equal(HttpStatusCode.BadRequest, bad);
    }

    [Fact]
    public async Task Without_signing_in_the_page_asks_for_it_and_shows_no_repository()
    {
        var browser = _bed.Browser();

        var (status, page) = await GetPageAsync(browser, $"/repos/{Web}/production");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.DoesNotContain(WebSha[..7], page.Body!.TextContent);
        Assert.Equal($"/signin?returnUrl={Uri.EscapeDataString($"/repos/{Web}/production")}", page.QuerySelector("a.button")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Github_is_asked_once_per_repository_while_its_answer_is_cached()
    {
        var pat = await _bed.SignInAsync("pat");
        var before = _bed.App.GitHub.OAuth.RepositoryChecks;

        await GetPageAsync(pat, "/");
        await GetPageAsync(pat, "/");
        await GetPageAsync(pat, $"/repos/{Web}/production");

        Assert.Equal(before + 2, _bed.App.GitHub.OAuth.RepositoryChecks);
    }

    [Fact]
    public async Task A_viewer_whose_token_github_no_longer_takes_is_asked_to_sign_in_again()
    {
        var alice = await _bed.SignInAsync("alice");
        _bed.App.GitHub.OAuth.RevokeToken("alice");

        var (status, page) = await GetPageAsync(alice, "/");
        var (again, _) = await GetPageAsync(alice, $"/repos/{Web}/production");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.NotNull(page.QuerySelector("a.button[href^='/signin']"));
        Assert.DoesNotContain(WebSha[..7], page.Body!.TextContent);
        Assert.Equal(HttpStatusCode.Unauthorized, again);
    }

    [Fact]
    public async Task A_run_url_a_payload_made_a_script_is_shown_as_text_never_as_a_link()
    {
        var stream = StreamIds.Release(RepoRef.Parse(Web), "production");
        await _bed.App.Store.AppendAsync(stream, null,
            [new DeployStarted(WebSha, 666, "javascript:alert(document.cookie)") { At = DateTimeOffset.UtcNow }], EventMetadata.ForSystem("test"));
        var pat = await _bed.SignInAsync("pat");

        var (_, page) = await GetPageAsync(pat, $"/repos/{Web}/production");

        var started = page.QuerySelectorAll("li.entry").Single(e => e.GetAttribute("data-type") == "deploy_started");
        Assert.Contains("deploy run 666", started.QuerySelector(".source")!.TextContent);
        Assert.Empty(page.QuerySelectorAll("a[href^='javascript']"));
    }

    [Fact]
    public async Task The_sign_in_returns_only_to_a_path_on_this_server()
    {
        var browser = _bed.Browser();

        var challenge = await browser.GetAsync("/signin?returnUrl=https%3A%2F%2Fevil.example%2F");

        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.DoesNotContain("evil.example", challenge.Headers.Location!.AbsoluteUri);
    }
}

/// <summary>Without OAuth settings the page is off, unless opened to anyone for local use.</summary>
public sealed class PageModeTests
{
    [Fact]
    public async Task Without_oauth_settings_every_page_url_is_404()
    {
        var bed = new PageTestBed([]);
        await bed.InitializeAsync();
        try
        {
            var browser = bed.Browser();
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/repos/{Web}/production")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/signin")).StatusCode);
        }
        finally
        {
            await bed.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_client_id_without_its_secret_stops_the_server_at_start_naming_the_missing_setting()
    {
        var db = await TestPostgres.CreateDatabaseAsync();
        await using var server = ServerProcess.Start(db, "http://127.0.0.1:9", "unused-token",
            new Dictionary<string, string> { ["GitHub__ClientId"] = "Iv1.only-the-id" });

        await Wait.UntilAsync(() => server.HasExited);

        Assert.Contains("GitHub__ClientSecret", server.Output);
    }

    [Fact]
    public async Task Allowed_anonymous_the_page_shows_every_repository_without_signing_in()
    {
        var bed = new PageTestBed(new() { ["ReleaseGovernor:Page:AllowAnonymous"] = "true" });
        await bed.InitializeAsync();
        try
        {
            var (status, page) = await GetPageAsync(bed.Browser(), "/");
            var (timelineStatus, _) = await GetPageAsync(bed.Browser(), $"/repos/{Payroll}/production");

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.NotNull(page.QuerySelector($"[data-repo='{Web}']"));
            Assert.NotNull(page.QuerySelector($"[data-repo='{Payroll}']"));
            Assert.Null(page.QuerySelector(".viewer"));
            Assert.Equal(HttpStatusCode.OK, timelineStatus);
        }
        finally
        {
            await bed.DisposeAsync();
        }
    }
}
