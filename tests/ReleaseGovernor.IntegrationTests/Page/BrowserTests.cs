using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using static ReleaseGovernor.IntegrationTests.Page.PageTestBed;

namespace ReleaseGovernor.IntegrationTests.Page;

/// <summary>
/// A real headless Chromium (Debian's <c>chromium</c> and <c>chromium-driver</c>) signs in with GitHub (the fake) and reads a
/// timeline: the redirects, cookies and the local-time script as a browser runs them. It saves the screenshot the README shows
/// (to <c>RELEASEGOVERNOR_SCREENSHOTS</c> when set, else beside the tests).
/// </summary>
public sealed class BrowserTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private const string DriverFolder = "/usr/bin";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly PageTestBed _bed = new(SignInSettings(), kestrel: true);

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        _bed.App.GitHub.OAuth.AddUser("pat", Web, Payroll);
        // The held workflow change is approved by a label from someone with write access: HOLD, then ALLOW and a deploy.
        var payroll = _bed.App.GitHub.Repo("octo-org", "payroll");
        payroll.SetPermission("lead", "write");
        payroll.SetPullRequestsForCommit(PayrollSha, new FakePullRequest(7, PayrollSha, AuthorLogin: "dev", Labels: ["release:approved"]));
        await _bed.App.PostAsync("pull_request", Deliveries.Labeled(Payroll, 7, "release:approved", by: "lead", author: "dev", headSha: PayrollSha));
        await _bed.App.GitHub.WaitForRequestAsync(r => r.Path == "/repos/octo-org/payroll/actions/workflows/deploy.yml/dispatches", Bound);
        await Wait.ForOutboxDrainedAsync(_bed.App.Db);
    }

    public Task DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public void Chromium_signs_in_with_github_and_reads_the_timeline_in_its_own_time_zone()
    {
        Assert.True(File.Exists(Chromium) && File.Exists(Path.Combine(DriverFolder, "chromedriver")),
            "This test drives Debian's chromium and chromium-driver: apt-get install chromium chromium-driver (.ci/run does).");
        _bed.App.GitHub.OAuth.SignInAs = "pat";
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1100,1250",
            "--force-prefers-reduced-motion", "--lang=en-GB");
        using var service = ChromeDriverService.CreateDefaultService(DriverFolder, "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        using var driver = new ChromeDriver(service, options, Bound);
        try
        {
            var timeline = new Uri(_bed.App.BaseUrl!, $"/repos/{Payroll}/production");
            driver.Navigate().GoToUrl(timeline);
            driver.FindElement(By.CssSelector("a.button")).Click();
            var wait = new WebDriverWait(driver, Bound);
            wait.Until(d => d.Url == timeline.AbsoluteUri && d.FindElements(By.CssSelector("li.entry")).Count > 0);

            Assert.Contains("signed in as pat", driver.FindElement(By.CssSelector(".viewer")).Text);
            var decisions = driver.FindElements(By.CssSelector("li.entry[data-type='deploy_decided'] .headline")).Select(e => e.Text).ToList();
            Assert.Equal(2, decisions.Count);
            Assert.Contains("ALLOW — high risk, approved (allow_high_approved)", decisions[0]);
            Assert.Contains("HOLD — high risk, waiting for an approval (high_risk_no_approval)", decisions[1]);
            Assert.Contains(driver.FindElements(By.CssSelector("li.entry .details li")), li => li.Text.Contains("Approval counted: label:lead (write)"));
            var time = driver.FindElement(By.CssSelector("li.entry time"));
            Assert.EndsWith("UTC", time.GetAttribute("title"));
            Assert.DoesNotContain("UTC", time.Text);

            var folder = Environment.GetEnvironmentVariable("RELEASEGOVERNOR_SCREENSHOTS") is { Length: > 0 } f ? f : Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, "timeline.png");
            driver.GetScreenshot().SaveAsFile(file);
            Assert.True(new FileInfo(file).Length > 10_000);
        }
        finally
        {
            driver.Quit();
        }
    }
}
