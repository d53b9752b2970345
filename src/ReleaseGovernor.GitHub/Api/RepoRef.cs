namespace ReleaseGovernor.GitHub.Api;

/// <summary>A repository by owner and name.</summary>
public sealed record RepoRef(string Owner, string Name)
{
    /// <summary>Parses <c>owner/name</c>.</summary>
    public static RepoRef Parse(string fullName)
    {
        var parts = fullName.Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            throw new FormatException($"'{fullName}' is not a repository name of the form owner/name.");
        return new RepoRef(parts[0], parts[1]);
    }

    public override string ToString() => $"{Owner}/{Name}";
}
