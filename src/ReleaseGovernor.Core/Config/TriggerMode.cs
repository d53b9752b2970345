namespace ReleaseGovernor.Core.Config;

/// <summary>How a deploy the governor allows starts (<c>trigger_mode</c>).</summary>
public enum TriggerMode
{
    /// <summary>The governor dispatches the deploy workflow with the verified sha (the default).</summary>
    Dispatch,

    /// <summary>
    /// The repository's own deploy workflow runs, and its <c>environment:</c> job waits for the governor's answer as a
    /// custom deployment protection rule; the governor never dispatches.
    /// </summary>
    ProtectionRule,
}

/// <summary>Reading and writing <c>trigger_mode</c> values.</summary>
public static class TriggerModes
{
    public const string Expectation = "must be one of dispatch, protection_rule";

    public static bool TryParse(string? text, out TriggerMode mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "dispatch":
                mode = TriggerMode.Dispatch;
                return true;
            case "protection_rule":
                mode = TriggerMode.ProtectionRule;
                return true;
            default:
                mode = TriggerMode.Dispatch;
                return false;
        }
    }

    public static string Render(TriggerMode mode) => mode switch
    {
        TriggerMode.Dispatch => "dispatch",
        TriggerMode.ProtectionRule => "protection_rule",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };
}
