using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Page;

/// <summary>
/// The server with the operator page on, and two governed repositories decided through the real flow: octo-org/web
/// (a low-risk commit, allowed and dispatched) and octo-org/payroll (a workflow change, held for an approval).
/// </summary>
public sealed class PageTestBed : IAsyncLifetime
{
    public const string Web = "octo-org/web";
    public const string Payroll = "octo-org/payroll";
    public const string WebSha = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
    public const string PayrollSha = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
    private const string Booty = "release_governor:\n  enabled: true\n  approval_mode: label\n";

    public PageTestBed(Dictionary<string, string?> settings, bool kestrel = false) => App = new GovernorApp(settings: settings, kestrel: kestrel);

    public GovernorApp App { get; }

    public static Dictionary<string, string?> SignInSettings() => new()
    {
        ["GitHub:ClientId"] = new FakeOAuth().ClientId,
        ["GitHub:ClientSecret"] = new FakeOAuth().ClientSecret,
    };

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        await App.WaitReadyAsync();
        await DecideAsync(Web, WebSha, new FakeChangedFile("src/app.cs"), 301);
        await DecideAsync(Payroll, PayrollSha, new FakeChangedFile(".github/workflows/deploy.yml"), 302);
    }

    private async Task DecideAsync(string fullName, string sha, FakeChangedFile file, long runId)
    {
        var repo = RepoRef.Parse(fullName);
        App.GitHub.Repo(repo.Owner, repo.Name).SetFile(sha, ".booty.yml", Booty).SetCommit(sha, file).OnDefaultBranch(sha);
        await App.PostAsync("push", Deliveries.Push(fullName, new string('0', 40), sha));
        await App.PostAsync("workflow_run", Deliveries.Verification(fullName, sha, runId));
        await Wait.ForStateAsync(App.Store, StreamIds.Release(repo, "production"), s => s.LastDecision is not null);
        await Wait.ForOutboxDrainedAsync(App.Db);
    }

    public Task DisposeAsync() => App.DisposeAsync();

    /// <summary>A client that keeps cookies and shows every redirect, as a test of the flow needs.</summary>
    public HttpClient Browser() => App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>
    /// Signs <paramref name="login"/> in through the whole web flow: the page sends the browser to GitHub's authorize page, GitHub
    /// (the fake) sends it back with a code, the page trades the code for the user's token and sets its session cookie.
    /// </summary>
    public async Task<HttpClient> SignInAsync(string login)
    {
        App.GitHub.OAuth.SignInAs = login;
        var browser = Browser();
        var challenge = await browser.GetAsync("/signin?returnUrl=%2F");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith($"{App.GitHub.BaseUrl}/login/oauth/authorize?", authorize.AbsoluteUri);

        using var toGitHub = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var back = await toGitHub.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var callback = back.Headers.Location!;
        Assert.Equal("/signin-github", callback.AbsolutePath);

        var signedIn = await browser.GetAsync(callback.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
        return browser;
    }

    public static async Task<(HttpStatusCode Status, IDocument Page)> GetPageAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, await new HtmlParser().ParseDocumentAsync(html));
    }
}
