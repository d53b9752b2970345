using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using static ReleaseGovernor.Tests.Releases.Fixture;

namespace ReleaseGovernor.Tests.Releases;

/// <summary>booty governor hold, release-hold and approve.</summary>
public class OperatorCommandsTests
{
    [Fact]
    public void Placing_a_hold_records_reason_actor_and_end()
    {
        var events = OperatorCommands.PlaceHold(ReleaseState.Initial, "incident 42", "oncall", Now.AddHours(1), Now);

        var placed = Assert.IsType<HoldPlaced>(Assert.Single(events));
        Assert.Equal(("incident 42", "oncall", Now.AddHours(1), Now), (placed.Reason, placed.Actor, placed.Until, placed.At));
    }

    [Fact]
    public void A_hold_without_end_lasts_until_lifted() =>
        Assert.Null(Assert.IsType<HoldPlaced>(Assert.Single(OperatorCommands.PlaceHold(ReleaseState.Initial, "audit", "oncall", null, Now))).Until);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_hold_needs_a_reason(string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => OperatorCommands.PlaceHold(ReleaseState.Initial, reason, "oncall", null, Now));

        Assert.Equal("reason", error.ParamName);
        Assert.Contains("needs a reason", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_hold_must_end_in_the_future(int minutes)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            OperatorCommands.PlaceHold(ReleaseState.Initial, "incident", "oncall", Now.AddMinutes(minutes), Now));

        Assert.Equal("until", error.ParamName);
        Assert.Contains("must be in the future", error.Message);
    }

    [Fact]
    public void Lifting_a_hold_records_who_lifted_it()
    {
        var held = ReleaseProjection.Apply(ReleaseState.Initial, Hold(null));

        var lifted = Assert.IsType<HoldLifted>(Assert.Single(OperatorCommands.LiftHold(held, "oncall", Now)));

        Assert.Equal(("oncall", Now), (lifted.Actor, lifted.At));
    }

    [Fact]
    public void Lifting_without_a_hold_records_nothing() =>
        Assert.Empty(OperatorCommands.LiftHold(ReleaseState.Initial, "oncall", Now));

    [Fact]
    public void Approving_records_a_cli_approval_by_the_actor()
    {
        var granted = Assert.IsType<ApprovalGranted>(Assert.Single(OperatorCommands.Approve(ReleaseState.Initial, Sha, "alice", Now)));

        Assert.Equal((Sha, "cli", "alice", Now), (granted.Sha, granted.Via, granted.Actor, granted.At));
    }

    [Fact]
    public void Approving_again_is_idempotent()
    {
        var approved = OperatorCommands.Approve(ReleaseState.Initial, Sha, "alice", Now).Aggregate(ReleaseState.Initial, ReleaseProjection.Apply);

        Assert.Empty(OperatorCommands.Approve(approved, Sha, "alice", Now.AddMinutes(1)));
        Assert.Single(OperatorCommands.Approve(approved, Sha, "bob", Now.AddMinutes(1)));
        Assert.Single(OperatorCommands.Approve(approved, Other, "alice", Now.AddMinutes(1)));
    }

    [Fact]
    public void Approving_needs_a_sha() =>
        Assert.Equal("sha", Assert.Throws<ArgumentException>(() => OperatorCommands.Approve(ReleaseState.Initial, " ", "alice", Now)).ParamName);
}
