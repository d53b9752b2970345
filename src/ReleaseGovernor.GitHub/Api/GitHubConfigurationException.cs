namespace ReleaseGovernor.GitHub.Api;

/// <summary>The client cannot call GitHub because its settings are missing or wrong.</summary>
public sealed class GitHubConfigurationException(string message, Exception? innerException = null)
    : InvalidOperationException(message, innerException);
