using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using static ReleaseGovernor.IntegrationTests.Page.PageTestBed;

namespace ReleaseGovernor.IntegrationTests.Page;

/// <summary>The timeline's what-if: a pasted config, replayed over the stream's recorded decisions.</summary>
public sealed class PageReplayTests : IAsyncLifetime
{
    private readonly PageTestBed _bed = new(SignInSettings());
    private HttpClient _pat = null!;

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        _bed.App.GitHub.OAuth.AddUser("pat", Web, Payroll);
        _pat = await _bed.SignInAsync("pat");
    }

    public Task DisposeAsync() => _bed.DisposeAsync();

    private async Task<(HttpStatusCode, IDocument)> ReplayAsync(string config, bool withToken = true)
    {
        var (_, timeline) = await GetPageAsync(_pat, $"/repos/{Web}/production");
        var form = timeline.QuerySelector("details.replay form")!;
        var fields = new Dictionary<string, string> { ["config"] = config, ["since"] = "30d" };
        if (withToken)
            foreach (var hidden in form.QuerySelectorAll("input[type=hidden]"))
                fields[hidden.GetAttribute("name")!] = hidden.GetAttribute("value")!;
        var response = await _pat.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
        return (response.StatusCode, await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_pasted_config_that_makes_the_changed_path_high_risk_shows_the_decision_it_would_hold()
    {
        var before = await _bed.App.CountAsync("SELECT count(*) FROM mt_events");

        var (status, page) = await ReplayAsync("release_governor:\n  enabled: true\n  approval_mode: label\n  high_risk_paths:\n    - src/**\n");

        Assert.Equal(HttpStatusCode.OK, status);
        var change = Assert.Single(page.QuerySelectorAll(".changes li.entry"));
        Assert.Equal(WebSha, change.GetAttribute("data-sha"));
        Assert.Contains("ALLOW allow_low → HOLD high_risk_no_approval", change.QuerySelector(".headline")!.TextContent);
        Assert.Contains("src/app.cs now matches src/** (HIGH)", change.QuerySelector(".evidence")!.TextContent);
        Assert.Contains("allowed → held: 1", page.QuerySelector(".replay-summary")!.TextContent);
        Assert.Equal(before, await _bed.App.CountAsync("SELECT count(*) FROM mt_events"));
    }

    [Fact]
    public async Task The_config_the_decision_was_made_with_changes_nothing()
    {
        var (status, page) = await ReplayAsync("release_governor:\n  enabled: true\n  approval_mode: label\n");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(page.QuerySelectorAll(".changes li.entry"));
        Assert.Contains("1 decision(s) since", page.QuerySelector(".replay-summary")!.TextContent);
        Assert.Contains("no decision would change", page.QuerySelector(".replay-summary")!.TextContent);
    }

    [Fact]
    public async Task An_invalid_config_is_400_naming_the_key_and_a_post_without_the_form_token_is_refused()
    {
        var (invalid, page) = await ReplayAsync("release_governor:\n  cooldown_minutes: soon\n");
        var (forged, _) = await ReplayAsync("release_governor:\n  enabled: true\n", withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, invalid);
        Assert.Contains("cooldown_minutes", page.QuerySelector(".message")!.TextContent);
        Assert.Equal(HttpStatusCode.BadRequest, forged);
    }
}
