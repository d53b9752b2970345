using System.Security.Cryptography;

namespace ReleaseGovernor.Testing.Fakes;

public sealed class FakeGitHubOptions
{
    /// <summary>A token accepted on repository routes (like <c>GitHub__Token</c>).</summary>
    public string Token { get; init; } = "test-token";

    /// <summary>The app id app JWTs must carry as <c>iss</c>.</summary>
    public string AppId { get; init; } = "12345";

    /// <summary>Verifies app JWTs; defaults to <see cref="TestAppKey"/>.</summary>
    public RSA? AppPublicKey { get; init; }

    /// <summary>Clock for token expiry and JWT checks.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// True (default): every request is kept for <see cref="FakeGitHub.Requests"/> and the waits. False for long runs
    /// (the benchmark), which count what they need in <see cref="OnAnswered"/>.
    /// </summary>
    public bool KeepRequests { get; init; } = true;

    /// <summary>Called once a request has been answered, with the status code sent (also for injected faults).</summary>
    public Action<RecordedRequest, int>? OnAnswered { get; init; }
}
