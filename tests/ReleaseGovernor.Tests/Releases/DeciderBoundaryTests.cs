using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using static ReleaseGovernor.Tests.Releases.Fixture;

namespace ReleaseGovernor.Tests.Releases;

/// <summary>The edges of the time windows: cooldown, hourly limit, hold end.</summary>
public class DeciderBoundaryTests
{
    [Fact]
    public void A_failure_cooldown_minus_one_minutes_ago_still_holds_for_one_minute()
    {
        var unblock = Held(AfterFailure(minutesAgo: 29).When(Input()), ReasonCodes.Cooldown);

        Assert.StartsWith("wait 1 minute,", unblock);
    }

    [Fact]
    public void A_failure_exactly_cooldown_minutes_ago_no_longer_holds() =>
        Allowed(AfterFailure(minutesAgo: 30).When(Input()), ReasonCodes.AllowLow);

    [Fact]
    public void The_remaining_cooldown_is_rounded_up_to_whole_minutes()
    {
        var state = DeciderSpec.Given(InProduction).State with { RecentFailures = [new Failure(Sha, Now.AddSeconds(-61))] };

        Assert.StartsWith("wait 29 minutes,", Held(DeciderSpec.Given(state).When(Input()), ReasonCodes.Cooldown));
    }

    [Fact]
    public void The_latest_failure_of_the_sha_sets_the_cooldown()
    {
        var state = DeciderSpec.Given(InProduction).State with
        {
            RecentFailures = [new Failure(Sha, Now.AddMinutes(-20)), new Failure(Sha, Now.AddMinutes(-2))],
        };

        Assert.StartsWith("wait 28 minutes,", Held(DeciderSpec.Given(state).When(Input()), ReasonCodes.Cooldown));
    }

    [Fact]
    public void A_recent_failure_of_another_sha_is_no_cooldown_for_this_one()
    {
        var state = DeciderSpec.Given(InProduction).State with { RecentFailures = [new Failure(Other, Now.AddMinutes(-1))] };

        Allowed(DeciderSpec.Given(state).When(Input()), ReasonCodes.AllowLow);
    }

    [Fact]
    public void A_zero_cooldown_never_holds()
    {
        var config = GovernorConfig.Default with { CooldownMinutes = 0 };

        Allowed(AfterFailure(minutesAgo: 0).When(Input(config: config)), ReasonCodes.AllowLow);
    }

    [Fact]
    public void Five_deploys_in_the_last_hour_leave_the_sixth_slot_free() =>
        Allowed(DeciderSpec.Given([.. InProduction, .. DeploysMinutesAgo(5, 15, 25, 35, 45)]).When(Input()), ReasonCodes.AllowLow);

    [Fact]
    public void Six_deploys_in_the_last_hour_hold_the_seventh() =>
        Held(DeciderSpec.Given([.. InProduction, .. DeploysMinutesAgo(5, 15, 25, 35, 45, 59)]).When(Input()), ReasonCodes.RateLimit);

    [Fact]
    public void A_deploy_exactly_an_hour_ago_no_longer_counts() =>
        Allowed(DeciderSpec.Given([.. InProduction, .. DeploysMinutesAgo(5, 15, 25, 35, 45, 60)]).When(Input()), ReasonCodes.AllowLow);

    [Fact]
    public void The_limit_follows_max_deploys_per_hour()
    {
        var config = GovernorConfig.Default with { MaxDeploysPerHour = 1 };

        var unblock = Held(DeciderSpec.Given([.. InProduction, .. DeploysMinutesAgo(50)]).When(Input(config: config)), ReasonCodes.RateLimit);

        Assert.Equal("wait until 2025-06-02T12:10:00Z (10 minutes) for a slot: 1 deploys in the last hour (max_deploys_per_hour: 1)", unblock);
    }

    [Fact]
    public void Over_the_limit_the_slot_frees_when_enough_deploys_have_left_the_hour()
    {
        var config = GovernorConfig.Default with { MaxDeploysPerHour = 2 };

        var unblock = Held(DeciderSpec.Given([.. InProduction, .. DeploysMinutesAgo(10, 20, 30, 40)]).When(Input(config: config)), ReasonCodes.RateLimit);

        Assert.StartsWith("wait until 2025-06-02T12:40:00Z (40 minutes)", unblock);
    }

    [Fact]
    public void A_hold_that_ended_before_now_no_longer_freezes() =>
        Allowed(DeciderSpec.Given([.. InProduction, Hold(Now.AddMinutes(-1))]).When(Input()), ReasonCodes.AllowLow);

    [Fact]
    public void A_hold_ending_exactly_now_no_longer_freezes() =>
        Allowed(DeciderSpec.Given([.. InProduction, Hold(Now)]).When(Input()), ReasonCodes.AllowLow);

    [Fact]
    public void A_lifted_hold_no_longer_freezes() =>
        Allowed(DeciderSpec.Given([.. InProduction, Hold(null), new HoldLifted("oncall") { At = Now.AddMinutes(-1) }]).When(Input()),
            ReasonCodes.AllowLow);

    private static DeciderSpec AfterFailure(int minutesAgo) =>
        DeciderSpec.Given(DeciderSpec.Given(InProduction).State with { RecentFailures = [new Failure(Sha, Now.AddMinutes(-minutesAgo))] });
}
