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
}
