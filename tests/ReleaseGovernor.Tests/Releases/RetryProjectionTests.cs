using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using static ReleaseGovernor.Tests.Releases.Fixture;

namespace ReleaseGovernor.Tests.Releases;

/// <summary>How failures, cancellations and re-runs move the release state.</summary>
public class RetryProjectionTests
{
    private static ReleaseState Fold(params ReleaseEvent[] events) => events.Aggregate(ReleaseState.Initial, ReleaseProjection.Apply);

    [Fact]
    public void A_failed_deploy_makes_the_sha_retryable_and_a_new_dispatch_of_it_counts_as_attempt_two()
    {
        var failed = Fold(Dispatch(Sha, Now.AddHours(-2)), new DeployFailed(Sha, 1, "failure", null) { At = Now.AddHours(-1) });
        Assert.False(failed.AlreadyDispatched(Sha));

        var retried = ReleaseProjection.Apply(failed, Dispatch(Sha, Now) with { Attempt = 2 });

        Assert.True(retried.AlreadyDispatched(Sha));
        Assert.Equal(2, retried.DispatchCount(Sha));
        Assert.Equal(Sha, retried.InFlight?.Sha);
    }

    [Fact]
    public void A_repeated_request_of_the_same_attempt_changes_nothing()
    {
        var once = Fold(Dispatch(Sha, Now));

        Assert.Equal(once, ReleaseProjection.Apply(once, Dispatch(Sha, Now.AddMinutes(1))));
    }

    [Fact]
    public void A_cancelled_dispatch_ends_the_in_flight_deploy_without_a_failure_and_leaves_the_sha_retryable()
    {
        var state = Fold(Dispatch(Sha, Now), new DeployDispatchCancelled(Sha, "hold in force: incident-42", "oncall") { At = Now });

        Assert.Null(state.InFlight);
        Assert.False(state.AlreadyDispatched(Sha));
        Assert.Empty(state.RecentFailures);
        Assert.Equal("cancelled", state.DeployHistory[0].Result);
    }

    [Fact]
    public void A_re_run_of_an_older_successful_deploy_run_puts_that_sha_back_in_production()
    {
        var state = Fold([.. Deployed(Other, Now.AddHours(-3)), .. Deployed(Sha, Now.AddHours(-2))]);
        Assert.Equal(Sha, state.ProductionShaCurrent);

        var rerun = ReleaseProjection.Apply(state, new DeploySucceeded(Other, 1, null, RunAttempt: 2) { At = Now });

        Assert.Equal(Other, rerun.ProductionShaCurrent);
        Assert.Equal(Sha, rerun.ProductionShaPrevious);
    }
}
