using System.Diagnostics.Metrics;
using ReleaseGovernor.Core.Observability;

namespace ReleaseGovernor.Server.Page;

/// <summary>
/// The operator page's metrics, on the <c>ReleaseGovernor</c> meter. Labels are bounded: the route template, the status
/// code, the result — never a login, repository or token.
/// </summary>
public sealed class PageMetrics
{
    private readonly Counter<long> _views;
    private readonly Counter<long> _accessChecks;
    private readonly Counter<long> _signIns;

    public PageMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(GovernorTelemetry.MeterName);
        _views = meter.CreateCounter<long>("releasegovernor.page.views", "{view}",
            "Operator page answers, by route template and status code (401 asks to sign in, 404 includes repositories the viewer cannot read).");
        _accessChecks = meter.CreateCounter<long>("releasegovernor.page.access_checks", "{check}",
            "Times GitHub was asked whether a viewer can read a repository (cached answers are not counted), by result (allowed, denied, token_rejected, unknown).");
        _signIns = meter.CreateCounter<long>("releasegovernor.page.signins", "{signin}", "Sign-ins with GitHub, by outcome (succeeded, failed).");
    }

    public void View(string route, int status) =>
        _views.Add(1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("status", status));

    public void AccessChecked(string result) => _accessChecks.Add(1, new KeyValuePair<string, object?>("result", result));

    public void SignIn(string outcome) => _signIns.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
