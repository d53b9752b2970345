using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using ReleaseGovernor.Core.Text;

namespace ReleaseGovernor.Server.Page;

/// <summary>
/// Composes the operator page: Razor components rendered on the server (no script build, nothing from a CDN), its
/// stylesheet and script from <c>wwwroot/assets</c>, and — with the App's OAuth credentials — sign-in with GitHub through
/// ASP.NET Core's OAuth handler and a session cookie signed and encrypted by data protection.
/// </summary>
public static class PageSetup
{
    public const string GitHubScheme = "GitHub";
    public const string CookieName = "rg_page";
    public const string CallbackPath = "/signin-github";

    public static WebApplicationBuilder AddOperatorPage(this WebApplicationBuilder builder)
    {
        var settings = PageSettings.From(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(settings);
        if (settings.Mode == PageMode.Off) return builder;

        services.AddRazorComponents();
        services.AddMemoryCache();
        services.AddHttpClient(RepoAccess.HttpClientName, c =>
        {
            c.Timeout = TimeSpan.FromSeconds(10);
            c.DefaultRequestHeaders.UserAgent.ParseAdd("ReleaseGovernor");
            c.DefaultRequestHeaders.Add("X-GitHub-Api-Version", "2022-11-28");
        });
        services.AddSingleton<RepoAccess>();
        services.AddSingleton<PageMetrics>();
        // Keys sign and encrypt the session cookie. Replicas behind one address must share them: point
        // ReleaseGovernor__Page__KeysFolder at a shared folder (else each process keeps its own under the user profile).
        var protection = services.AddDataProtection().SetApplicationName("ReleaseGovernor");
        if (settings.KeysFolder is { Length: > 0 } folder) protection.PersistKeysToFileSystem(new DirectoryInfo(folder));

        if (settings.Mode == PageMode.SignIn) AddGitHubSignIn(services, settings);
        return builder;
    }

    private static void AddGitHubSignIn(IServiceCollection services, PageSettings settings) =>
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = GitHubScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // GitHub App user tokens last eight hours: the session ends with the token it holds.
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = false;
            })
            .AddOAuth(GitHubScheme, o =>
            {
                o.ClientId = settings.ClientId!;
                o.ClientSecret = settings.ClientSecret!;
                o.CallbackPath = CallbackPath;
                o.AuthorizationEndpoint = $"{settings.WebBaseUrl}/login/oauth/authorize";
                o.TokenEndpoint = $"{settings.WebBaseUrl}/login/oauth/access_token";
                o.UserInformationEndpoint = $"{settings.ApiBaseUrl}/user";
                // The user's token is kept in the (encrypted) session: the page asks GitHub with it what the viewer may read.
                o.SaveTokens = true;
                o.UsePkce = true;
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.ClaimActions.MapJsonKey(ClaimTypes.NameIdentifier, "id");
                o.ClaimActions.MapJsonKey(ClaimTypes.Name, "login");
                o.Events.OnCreatingTicket = async context =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, context.Options.UserInformationEndpoint);
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", context.AccessToken);
                    request.Headers.Accept.ParseAdd("application/vnd.github+json");
                    request.Headers.UserAgent.ParseAdd("ReleaseGovernor");
                    using var response = await context.Backchannel.SendAsync(request, context.HttpContext.RequestAborted);
                    if (!response.IsSuccessStatusCode)
                        throw new AuthenticationFailureException($"GitHub answered {(int)response.StatusCode} for the signed-in user");
                    using var user = JsonDocument.Parse(await response.Content.ReadAsStringAsync(context.HttpContext.RequestAborted));
                    context.RunClaimActions(user.RootElement);
                    context.HttpContext.RequestServices.GetRequiredService<PageMetrics>().SignIn("succeeded");
                };
                o.Events.OnRemoteFailure = async context =>
                {
                    context.HandleResponse();
                    context.HttpContext.RequestServices.GetRequiredService<PageMetrics>().SignIn("failed");
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    context.Response.ContentType = "text/plain; charset=utf-8";
                    await context.Response.WriteAsync(
                        $"Sign-in with GitHub did not complete: {SafeText.Clean(context.Failure?.Message)}. Start again from / (check GitHub__ClientId, " +
                        $"GitHub__ClientSecret and that the App's callback URL is this server's {CallbackPath}).");
                };
            });

    /// <summary>The page's middleware and routes; nothing when the page is off, so every page URL is 404.</summary>
    public static WebApplication UseOperatorPage(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<PageSettings>();
        app.Logger.LogInformation("Operator page: {Page}", settings.Describe());
        if (settings.Mode == PageMode.Off) return app;
        app.UseStaticFiles();
        if (settings.Mode == PageMode.SignIn) app.UseAuthentication();
        app.UseAntiforgery();
        PageEndpoints.Map(app, settings);
        return app;
    }
}
