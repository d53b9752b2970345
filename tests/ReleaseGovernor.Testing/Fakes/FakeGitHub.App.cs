using System.Globalization;

namespace ReleaseGovernor.Testing.Fakes;

public sealed partial class FakeGitHub
{
    private Task CreateInstallationToken(RouteCall call)
    {
        var token = Auth.Issue(long.Parse(call["id"], CultureInfo.InvariantCulture));
        return FakeHttp.Json(call.Context, 201, new
        {
            token = token.Token,
            expires_at = FakeHttp.Iso(token.ExpiresAt),
            permissions = new { actions = "write", contents = "read", statuses = "write", issues = "write" },
            repository_selection = "all",
        });
    }
}
