namespace ReleaseGovernor.Testing;

/// <summary>Run-wide notes (which PostgreSQL a run uses): to standard error, and to <see cref="Sink"/> when a test framework sets one.</summary>
public static class TestNotes
{
    public static Action<string>? Sink { get; set; }

    public static void Write(string line)
    {
        Sink?.Invoke(line);
        Console.Error.WriteLine(line);
    }
}
