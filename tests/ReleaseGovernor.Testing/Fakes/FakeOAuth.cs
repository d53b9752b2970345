using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ReleaseGovernor.Testing.Fakes;

/// <summary>A GitHub user who can sign in through the fake's OAuth web flow, and the repositories they can read.</summary>
public sealed record FakeUser(string Login, long Id, string Token, IReadOnlyList<string> CanRead);

/// <summary>
/// GitHub's OAuth web flow for a GitHub App, as the fake serves it at its root (the <c>GitHub__WebBaseUrl</c> of a test):
/// <c>GET /login/oauth/authorize</c> signs in <see cref="SignInAs"/> at once (no consent page) and redirects back with a code,
/// <c>POST /login/oauth/access_token</c> trades the code (with its PKCE verifier) for the user's token, and with that token <c>GET /user</c> answers
/// the user and <c>GET /repos/{o}/{r}</c> 200 for a repository they can read, else 404 (what GitHub answers for a private
/// repository the user cannot see).
/// </summary>
public sealed partial class FakeOAuth
{
    private readonly ConcurrentDictionary<string, FakeUser> _byToken = new();
    private readonly ConcurrentDictionary<string, FakeUser> _byLogin = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, (FakeUser User, string RedirectUri, string Challenge)> _codes = new();
    private long _nextId = 500;

    public string ClientId { get; } = "Iv1.fakeclientid";
    public string ClientSecret { get; } = "fake-client-secret";

    /// <summary>Who signs in at the next authorize request.</summary>
    public string? SignInAs { get; set; }

    /// <summary>How many times a user token asked <c>GET /repos/{o}/{r}</c>.</summary>
    public int RepositoryChecks => _repositoryChecks;
    private int _repositoryChecks;

    public FakeUser AddUser(string login, params string[] canRead)
    {
        var user = new FakeUser(login, Interlocked.Increment(ref _nextId), $"ghu_{Guid.NewGuid():N}", canRead);
        _byToken[user.Token] = user;
        _byLogin[login] = user;
        return user;
    }

    /// <summary>Takes back the user's read access to every repository (their token stays valid).</summary>
    public void RevokeAll(string login)
    {
        var user = _byLogin[login] with { CanRead = [] };
        _byLogin[login] = user;
        _byToken[user.Token] = user;
    }

    /// <summary>Revokes the user's token, as when they revoke the App's authorization: GitHub answers 401 to it.</summary>
    public void RevokeToken(string login) => _revoked[_byLogin[login].Token] = true;

    private readonly ConcurrentDictionary<string, bool> _revoked = new();

    /// <summary>Serves the request when it is part of the OAuth flow or made with a user token; false otherwise.</summary>
    internal async Task<bool> TryHandleAsync(HttpContext context, RecordedRequest request)
    {
        switch (request.Method, request.Path)
        {
            case ("GET", "/login/oauth/authorize"):
                await AuthorizeAsync(context);
                return true;
            case ("POST", "/login/oauth/access_token"):
                await AccessTokenAsync(context, request);
                return true;
        }
        var authorization = request.Header("Authorization");
        var token = authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true ? authorization["Bearer ".Length..]
            : authorization?.StartsWith("token ", StringComparison.Ordinal) == true ? authorization["token ".Length..] : null;
        if (token is null || !_byToken.TryGetValue(token, out var user)) return false;
        if (_revoked.ContainsKey(token))
        {
            await FakeHttp.Error(context, 401, "Bad credentials");
            return true;
        }
        if (request.Method == "GET" && request.Path == "/user")
        {
            await FakeHttp.Json(context, 200, new { login = user.Login, id = user.Id, name = user.Login });
            return true;
        }
        if (request.Method == "GET" && RepositoryPath().Match(request.Path) is { Success: true } m)
        {
            Interlocked.Increment(ref _repositoryChecks);
            var fullName = $"{m.Groups["owner"].Value}/{m.Groups["repo"].Value}";
            if (_byLogin[user.Login].CanRead.Contains(fullName, StringComparer.OrdinalIgnoreCase))
                await FakeHttp.Json(context, 200, new { full_name = fullName, permissions = new { pull = true } });
            else
                await FakeHttp.NotFound(context);
            return true;
        }
        await FakeHttp.Error(context, 403, "Resource not accessible by user token in this fake.");
        return true;
    }

    private Task AuthorizeAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (query["client_id"] != ClientId) return FakeHttp.Error(context, 404, "Unknown client_id.");
        if (SignInAs is not { } login || !_byLogin.TryGetValue(login, out var user)) return FakeHttp.Error(context, 403, "Nobody to sign in as.");
        if (query["code_challenge_method"] != "S256" || string.IsNullOrEmpty(query["code_challenge"]))
            return FakeHttp.Error(context, 400, "This fake expects PKCE (code_challenge with S256).");
        var redirect = query["redirect_uri"].ToString();
        var code = Guid.NewGuid().ToString("N");
        _codes[code] = (user, redirect, query["code_challenge"].ToString());
        context.Response.StatusCode = 302;
        context.Response.Headers.Location =
            $"{redirect}{(redirect.Contains('?') ? '&' : '?')}code={code}&state={Uri.EscapeDataString(query["state"].ToString())}";
        return Task.CompletedTask;
    }

    private async Task AccessTokenAsync(HttpContext context, RecordedRequest request)
    {
        // The fake has read the body already (to record it): the form is parsed from that text.
        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.Body);
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            await FakeHttp.Json(context, 200, new { error = "incorrect_client_credentials" });
            return;
        }
        if (!_codes.TryRemove(form["code"].ToString(), out var granted) || granted.RedirectUri != form["redirect_uri"]
            || Microsoft.AspNetCore.WebUtilities.Base64UrlTextEncoder.Encode(
                System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != granted.Challenge)
        {
            await FakeHttp.Json(context, 200, new { error = "bad_verification_code" });
            return;
        }
        await FakeHttp.Json(context, 200, new { access_token = _byLogin[granted.User.Login].Token, token_type = "bearer", scope = "" });
    }

    [GeneratedRegex("^/repos/(?<owner>[^/]+)/(?<repo>[^/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPath();
}
