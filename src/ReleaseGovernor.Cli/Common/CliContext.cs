namespace ReleaseGovernor.Cli;

/// <summary>Where a command writes and what environment it sees.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, IReadOnlyDictionary<string, string?> Environment);
