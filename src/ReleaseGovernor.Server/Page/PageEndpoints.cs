using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Text;
using ReleaseGovernor.EventStore.Stops;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.EventStore.Timeline;
using ReleaseGovernor.Server.Api;
using ReleaseGovernor.Server.Hosting;
using ReleaseGovernor.Server.Page.Components;

namespace ReleaseGovernor.Server.Page;

/// <summary>
/// The page's routes: <c>/</c> (every repository environment the viewer can read), <c>/repos/{owner}/{repo}/{env}</c> (its
/// timeline, newest first, paged), one event, and sign-in/out. Read-only. A repository the viewer cannot read is 404, the
/// same answer as one that does not exist.
/// </summary>
public static partial class PageEndpoints
{
    private static readonly JsonSerializerOptions Indented = new(EventJson.Options) { WriteIndented = true };

    /// <summary>Who is looking: a GitHub login and token, or nobody in particular when the page is open to anyone.</summary>
    private sealed record Viewer(string? Login, string? Token);

    public static void Map(WebApplication app, PageSettings settings)
    {
        var page = app.MapGroup("").AddEndpointFilter(async (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; form-action 'self'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            var result = await next(context);
            var route = (context.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "other";
            var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
            context.HttpContext.RequestServices.GetRequiredService<PageMetrics>().View(route, status);
            return result;
        });
        page.MapGet("/", OverviewAsync);
        page.MapGet("/repos/{owner}/{repo}/{env}", TimelineAsync);
        page.MapGet("/repos/{owner}/{repo}/{env}/events/{sequence:long}", EventAsync);
        page.MapPost("/repos/{owner}/{repo}/{env}/replay", ReplayAsync);
        if (settings.Mode != PageMode.SignIn) return;
        page.MapGet("/signin", (string? returnUrl) =>
            Results.Challenge(new AuthenticationProperties { RedirectUri = LocalPath(returnUrl) }, [PageSetup.GitHubScheme]));
        page.MapGet("/signout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/");
        });
    }

    private static async Task<IResult> OverviewAsync(string? owner, HttpContext http, PageSettings settings, NpgsqlDataSource db,
        ILoggerFactory logs, CancellationToken ct)
    {
        if (await ViewerAsync(http, settings) is not { } viewer) return SignIn(http);
        return await GuardAsync(http, logs, viewer, async () =>
        {
            var store = new MartenEventStore(db);
            var stops = await new EmergencyStopStore(store).LoadAsync(ct);
            var access = http.RequestServices.GetService<RepoAccess>();
            var wanted = owner?.Trim();
            var rows = new List<OverviewRow>();
            var readable = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
            foreach (var streamId in await store.ListReleaseStreamsAsync(ct))
            {
                var (repo, environment) = StreamIds.ParseRelease(streamId);
                if (wanted is { Length: > 0 } && !string.Equals(repo.Owner, wanted, StringComparison.OrdinalIgnoreCase)) continue;
                if (!readable.TryGetValue(repo.ToString(), out var canRead))
                    readable[repo.ToString()] = canRead = await CanSeeAsync(viewer, access, repo, ct);
                if (!canRead) continue;
                var state = await store.LoadReleaseStateAsync(streamId, ct) ?? ReleaseState.Initial;
                rows.Add(new OverviewRow(repo, environment, state, stops.For(repo)));
            }
            return new RazorComponentResult<OverviewPage>(new { Rows = (IReadOnlyList<OverviewRow>)rows, Owner = wanted, Viewer = viewer.Login, Links = Links(settings) });
        });
    }

    private static async Task<IResult> TimelineAsync(string owner, string repo, string env, int? page, HttpContext http, PageSettings settings,
        NpgsqlDataSource db, ILoggerFactory logs, CancellationToken ct)
    {
        if (await ViewerAsync(http, settings) is not { } viewer) return SignIn(http);
        if (page is < 1) return Message(http, 400, "Bad page", "page must be 1 or more, e.g. ?page=2.", viewer);
        return await GuardAsync(http, logs, viewer, async () =>
        {
            if (await VisibleStreamAsync(http, viewer, db, owner, repo, env, ct) is not { } found) return NotFound(http, owner, repo, env, viewer);
            var (target, environment, streamId, state) = found;
            var read = await TimelineQuery.ReadAsync(db, streamId, page ?? 1, ct);
            var links = Links(settings);
            var stop = (await new EmergencyStopStore(new MartenEventStore(db)).LoadAsync(ct)).For(target);
            return new RazorComponentResult<Components.TimelinePage>(new
            {
                Row = new OverviewRow(target, environment, state, stop),
                Entries = (IReadOnlyList<TimelineEntry>)[.. read.Events.Select(e => TimelineEntry.From(e, target, links))],
                Page = read.Page,
                HasOlder = read.HasOlder,
                Viewer = viewer.Login,
                Links = links,
            });
        });
    }

    private static async Task<IResult> EventAsync(string owner, string repo, string env, long sequence, HttpContext http, PageSettings settings,
        NpgsqlDataSource db, ILoggerFactory logs, CancellationToken ct)
    {
        if (await ViewerAsync(http, settings) is not { } viewer) return SignIn(http);
        return await GuardAsync(http, logs, viewer, async () =>
        {
            if (await VisibleStreamAsync(http, viewer, db, owner, repo, env, ct) is not { } found
                || await TimelineQuery.ReadEventAsync(db, found.StreamId, sequence, ct) is not { } stored)
                return NotFound(http, owner, repo, env, viewer);
            return new RazorComponentResult<EventPage>(new
            {
                Event = stored,
                Repo = found.Repo,
                Environment = found.Environment,
                Json = JsonSerializer.Serialize(stored.Data, stored.Data.GetType(), Indented),
                Viewer = viewer.Login,
            });
        });
    }

    /// <summary>The longest pasted config the page replays: far more than any .booty.yml.</summary>
    public const int MaxConfigChars = 64 * 1024;

    private static readonly string[] ReplayRanges = ["7d", "30d", "90d"];

    /// <summary>
    /// The what-if of <c>booty governor replay</c> for a pasted config on one timeline: the form posts the config, the page
    /// shows the decisions it would change. Reads only. The form carries an antiforgery token (the session is a cookie).
    /// </summary>
    private static async Task<IResult> ReplayAsync(string owner, string repo, string env, [Microsoft.AspNetCore.Mvc.FromForm] string? config,
        [Microsoft.AspNetCore.Mvc.FromForm] string? since, HttpContext http, PageSettings settings, NpgsqlDataSource db,
        global::ReleaseGovernor.Processing.GovernorSettings governor, TimeProvider clock, ILoggerFactory logs, CancellationToken ct)
    {
        if (await ViewerAsync(http, settings) is not { } viewer) return SignIn(http);
        return await GuardAsync(http, logs, viewer, async () =>
        {
            if (await VisibleStreamAsync(http, viewer, db, owner, repo, env, ct) is not { } found) return NotFound(http, owner, repo, env, viewer);
            var stop = (await new EmergencyStopStore(new MartenEventStore(db)).LoadAsync(ct)).For(found.Repo);
            var range = since is { } s && ReplayRanges.Contains(s) ? s : "30d";
            var from = clock.GetUtcNow().AddDays(-int.Parse(range[..^1], CultureInfo.InvariantCulture));
            var model = new Dictionary<string, object?>
            {
                ["Row"] = new OverviewRow(found.Repo, found.Environment, found.State, stop),
                ["Action"] = PageLinks.Replay(found.Repo, found.Environment),
                ["Config"] = config,
                ["Since"] = range,
                ["From"] = from,
                ["Viewer"] = viewer.Login,
                ["Links"] = Links(settings),
            };
            var problem = config switch
            {
                null or { Length: 0 } => "Paste the proposed .booty.yml (with its release_governor block) and replay.",
                { Length: > MaxConfigChars } => $"The pasted config is longer than {MaxConfigChars / 1024} KB; paste only .booty.yml.",
                _ => null,
            };
            var proposed = problem is null ? Core.Config.BootyConfigLoader.LoadEffective(config, governor.Environment) : null;
            problem ??= proposed switch
            {
                Core.Config.ConfigLoadResult.Invalid invalid => $"The pasted config is invalid: {string.Join("; ", invalid.Errors)}. Fix it and replay again.",
                Core.Config.ConfigLoadResult.Disabled { Explicit: false } d => $"The pasted config has no release_governor block ({d.Reason}).",
                _ => null,
            };
            if (problem is not null)
            {
                model["Error"] = problem;
                return new RazorComponentResult<ReplayPage>(model) { StatusCode = StatusCodes.Status400BadRequest };
            }
            var events = await new MartenEventStore(db).ReadStreamAsync(found.StreamId, ct);
            model["Report"] = Core.Replay.DecisionReplay.Run([(found.StreamId, events)], proposed!, from);
            return new RazorComponentResult<ReplayPage>(model);
        });
    }

    /// <summary>The release stream when the names are well formed, it exists and the viewer can read the repository; else null.</summary>
    private static async Task<(RepoRef Repo, string Environment, string StreamId, ReleaseState State)?> VisibleStreamAsync(HttpContext http,
        Viewer viewer, NpgsqlDataSource db, string owner, string repo, string env, CancellationToken ct)
    {
        if (!ApiParameters.IsName(owner) || !ApiParameters.IsName(repo) || !ApiParameters.IsEnvironment(env)
            || Core.Config.EnvironmentNames.Problem(env) is not null)
            return null;
        var target = new RepoRef(owner, repo);
        // Access first: whether a stream exists is not told to someone who cannot read the repository.
        if (!await CanSeeAsync(viewer, http.RequestServices.GetService<RepoAccess>(), target, ct)) return null;
        var streamId = StreamIds.Release(target, env);
        var state = await new MartenEventStore(db).LoadReleaseStateAsync(streamId, ct);
        return state is null ? null : (target, env.ToLowerInvariant(), streamId, state);
    }

    private static async Task<bool> CanSeeAsync(Viewer viewer, RepoAccess? access, RepoRef repo, CancellationToken ct) =>
        viewer.Token is null || (access is not null && await access.CanReadAsync(viewer.Token, repo, ct));

    /// <summary>The signed-in viewer, anyone when the page is open, or null (sign in first).</summary>
    private static async Task<Viewer?> ViewerAsync(HttpContext http, PageSettings settings)
    {
        if (settings.Mode == PageMode.Anonymous) return new Viewer(null, null);
        if (http.User.Identity is not { IsAuthenticated: true } identity) return null;
        var token = await http.GetTokenAsync("access_token");
        return token is null ? null : new Viewer(identity.Name, token);
    }

    private static async Task<IResult> GuardAsync(HttpContext http, ILoggerFactory logs, Viewer viewer, Func<Task<IResult>> render)
    {
        try
        {
            return await render();
        }
        catch (ViewerTokenRejectedException)
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return SignIn(http);
        }
        catch (AccessUnknownException e)
        {
            http.Response.Headers.RetryAfter = "10";
            return Message(http, 503, "GitHub unavailable", e.Message, viewer);
        }
        catch (Exception e) when (DatabaseFailures.IsOutage(e))
        {
            DatabaseUnavailable(logs.CreateLogger("ReleaseGovernor.Page"), SafeText.Clean(e.Message));
            http.Response.Headers.RetryAfter = DatabaseFailures.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Message(http, 503, "Database unavailable", "The database is unavailable; reload in a few seconds.", viewer);
        }
    }

    private static IResult SignIn(HttpContext http) =>
        new RazorComponentResult<SignInPage>(new { ReturnUrl = LocalPath(http.Request.Path + http.Request.QueryString) })
        {
            StatusCode = StatusCodes.Status401Unauthorized,
        };

    private static IResult NotFound(HttpContext http, string owner, string repo, string env, Viewer viewer) =>
        Message(http, 404, "Not found",
            $"No release timeline for {SafeText.Clean(owner)}/{SafeText.Clean(repo)} ({SafeText.Clean(env)}) that you can read. " +
            "Check the name, or ask for read access to the repository on GitHub.", viewer);

    private static IResult Message(HttpContext http, int status, string title, string message, Viewer viewer) =>
        new RazorComponentResult<MessagePage>(new { Title = title, Message = message, Viewer = viewer.Login }) { StatusCode = status };

    /// <summary>Only a path on this server: a sign-in never sends the viewer elsewhere afterwards.</summary>
    private static string LocalPath(string? url) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url : "/";

    private static PageLinks Links(PageSettings settings) => new(settings.WebBaseUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable while serving the operator page: {Error}")]
    private static partial void DatabaseUnavailable(ILogger logger, string error);
}
