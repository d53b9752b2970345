using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.Server.Page;

/// <summary>Each reason code in words, for people reading the page (the code itself is shown beside it).</summary>
public static class ReasonWords
{
    private static readonly Dictionary<string, string> Words = new()
    {
        [ReasonCodes.Disabled] = "the governor is disabled for this repository",
        [ReasonCodes.ConfigInvalid] = "the .booty.yml is invalid",
        [ReasonCodes.VerificationFailed] = "verification did not succeed",
        [ReasonCodes.AlreadyDispatched] = "already dispatched",
        [ReasonCodes.NotOnDefaultBranch] = "the commit is not on the default branch",
        [ReasonCodes.DeployNotConfigured] = "no deploy workflow is configured",
        [ReasonCodes.Frozen] = "an operator hold is in place",
        [ReasonCodes.EmergencyStop] = "an emergency stop is in force",
        [ReasonCodes.FreezeWindow] = "inside a freeze window",
        [ReasonCodes.NotAheadOfProduction] = "not ahead of production",
        [ReasonCodes.FirstDeployRequired] = "the first deploy needs an approval",
        [ReasonCodes.DegradedHighRisk] = "production is degraded and the change is high risk",
        [ReasonCodes.Cooldown] = "cooling down after a failed deploy",
        [ReasonCodes.RateLimit] = "the hourly deploy limit is reached",
        [ReasonCodes.DeployInProgress] = "another deploy is in progress",
        [ReasonCodes.AllowLow] = "low risk",
        [ReasonCodes.AllowMedium] = "medium risk",
        [ReasonCodes.DegradedMediumHold] = "production is degraded and the change is medium risk",
        [ReasonCodes.AllowHighApproved] = "high risk, approved",
        [ReasonCodes.HighRiskNoApproval] = "high risk, waiting for an approval",
    };

    /// <summary>The words for a code; a code this release does not know (added later) is shown as it is.</summary>
    public static string For(string reason) => Words.GetValueOrDefault(reason) ?? reason.Replace('_', ' ');
}
