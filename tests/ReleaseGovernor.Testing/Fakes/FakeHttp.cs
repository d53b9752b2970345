using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ReleaseGovernor.Testing.Fakes;

/// <summary>Response helpers shaped like GitHub's: JSON bodies, error objects, Link-header paging.</summary>
internal static class FakeHttp
{
    public static Task Json(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }

    public static Task Error(HttpContext context, int status, string message, object[]? errors = null) =>
        Json(context, status, errors is null
            ? new { message, documentation_url = "https://docs.github.com/rest" }
            : new { message, errors, documentation_url = "https://docs.github.com/rest" });

    public static Task NotFound(HttpContext context) => Error(context, 404, "Not Found");

    public static Task Empty(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>Serves one page (<c>page</c>, <c>per_page</c>) and sets <c>Link</c> next/last like GitHub.</summary>
    public static Task Page<T>(HttpContext context, IReadOnlyList<T> items, Func<T, object> render)
    {
        var perPage = Math.Clamp(IntQuery(context, "per_page") ?? 30, 1, 100);
        var page = Math.Max(1, IntQuery(context, "page") ?? 1);
        var last = Math.Max(1, (items.Count + perPage - 1) / perPage);
        var links = new List<string>();
        if (page < last) links.Add($"<{PageUrl(context, page + 1)}>; rel=\"next\"");
        if (page < last) links.Add($"<{PageUrl(context, last)}>; rel=\"last\"");
        if (page > 1) links.Add($"<{PageUrl(context, 1)}>; rel=\"first\"");
        if (links.Count > 0) context.Response.Headers["Link"] = string.Join(", ", links);
        return Json(context, 200, items.Skip((page - 1) * perPage).Take(perPage).Select(render).ToArray());
    }

    public static string UrlWithQuery(HttpContext context, string name, string value)
    {
        var query = context.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
        query[name] = value;
        var request = context.Request;
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{QueryString.Create(query)}";
    }

    public static int? IntQuery(HttpContext context, string name) =>
        int.TryParse(context.Request.Query[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Base64 in 60-character lines, as the contents API sends it.</summary>
    public static string WrappedBase64(string text)
    {
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        return string.Join("\n", base64.Chunk(60).Select(c => new string(c))) + "\n";
    }

    private static string PageUrl(HttpContext context, int page) =>
        UrlWithQuery(context, "page", page.ToString(CultureInfo.InvariantCulture));
}
