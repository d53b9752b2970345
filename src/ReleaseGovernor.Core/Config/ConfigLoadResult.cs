namespace ReleaseGovernor.Core.Config;

/// <summary>What reading <c>.booty.yml</c> gave: a disabled governor, a config, or the errors that stop it.</summary>
public abstract record ConfigLoadResult
{
    private ConfigLoadResult()
    {
    }

    /// <summary>
    /// The governor does nothing for this repository. <paramref name="Explicit"/> is false when the
    /// block is absent or empty, true when it was switched off (<c>enabled: false</c> or the
    /// environment); then <paramref name="Config"/> holds the rest of the block when there is one.
    /// </summary>
    public sealed record Disabled(string Reason, bool Explicit, GovernorConfig? Config = null) : ConfigLoadResult;

    public sealed record Loaded(GovernorConfig Config) : ConfigLoadResult;

    public sealed record Invalid(IReadOnlyList<ConfigError> Errors) : ConfigLoadResult;
}
