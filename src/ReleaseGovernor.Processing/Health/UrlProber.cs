using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ReleaseGovernor.Core.Health;

namespace ReleaseGovernor.Processing.Health;

/// <summary>
/// GETs a health URL as a probe: 2xx within the timeout is healthy. The URL comes from a repository's file, so the
/// server must not become a way into its own network: only https, and only to public addresses, unless the host is in
/// <see cref="HealthProbeSettings.AllowedHosts"/>. The address check runs on the address actually connected to (in the
/// connect callback, after DNS), so a name that resolves differently the second time gains nothing. Redirects are
/// followed by hand, each target checked the same way. No proxy, no cookies; the body is never read.
/// </summary>
public sealed class UrlProber : IDisposable
{
    private readonly HealthProbeSettings _settings;
    private readonly HttpMessageInvoker _http;

    public UrlProber(HealthProbeSettings settings)
    {
        _settings = settings;
        _http = new HttpMessageInvoker(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = ConnectAsync,
        });
    }

    public async Task<ProbeResult> ProbeAsync(string url, TimeSpan timeout, CancellationToken ct)
    {
        var uri = new Uri(url);
        var watch = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        for (var hop = 0; ; hop++)
        {
            if (Refusal(uri) is { } refused)
                return ProbeResult.Refused(hop == 0 ? refused : $"redirected to {uri.GetLeftPart(UriPartial.Path)}, which is refused: {refused}");
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.UserAgent.ParseAdd("ReleaseGovernor-HealthProbe/1");
                using var response = await _http.SendAsync(request, deadline.Token);
                var code = (int)response.StatusCode;
                if (code is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
                {
                    if (hop >= HealthProbeSettings.MaxRedirects)
                        return new ProbeResult(ProbeVerdict.Unhealthy, code, null, watch.ElapsedMilliseconds,
                            $"more than {HealthProbeSettings.MaxRedirects} redirects; point url at the endpoint itself");
                    uri = new Uri(uri, location);
                    continue;
                }
                var phrase = response.ReasonPhrase ?? "";
                return new ProbeResult(code is >= 200 and < 300 ? ProbeVerdict.Healthy : ProbeVerdict.Unhealthy, code, null, watch.ElapsedMilliseconds, phrase);
            }
            catch (HttpRequestException e) when (e.InnerException is RefusedAddressException address)
            {
                return ProbeResult.Refused(hop == 0 ? address.Message : $"redirected to {uri.GetLeftPart(UriPartial.Path)}, which is refused: {address.Message}");
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return new ProbeResult(ProbeVerdict.Unhealthy, null, null, watch.ElapsedMilliseconds,
                    $"no answer within timeout_seconds ({(int)timeout.TotalSeconds}s)");
            }
            catch (HttpRequestException e)
            {
                return new ProbeResult(ProbeVerdict.Unhealthy, null, null, watch.ElapsedMilliseconds, $"request failed: {e.HttpRequestError}: {e.Message}");
            }
        }
    }

    /// <summary>Why the URL is not probed before connecting (the scheme), or null.</summary>
    private string? Refusal(Uri uri)
    {
        if (uri.Scheme is not ("https" or "http"))
            return $"{uri.Scheme} is not probed: use an https URL";
        if (uri.Scheme == "http" && !_settings.IsAllowed(uri.Host))
            return $"http to {uri.Host} is not probed: use https, or add {uri.Host} to {HealthProbeSettings.AllowedHostsVariable} on the server";
        return null;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await Dns.GetHostAddressesAsync(host, ct);
        if (!_settings.IsAllowed(host))
        {
            if (addresses.FirstOrDefault(a => !ProbeAddresses.IsPublic(a)) is { } internalAddress)
                throw new RefusedAddressException(
                    $"{host} resolves to {internalAddress}, which is not a public address; the server probes it only when {host} is in {HealthProbeSettings.AllowedHostsVariable}");
        }
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();

    private sealed class RefusedAddressException(string message) : Exception(message);
}
