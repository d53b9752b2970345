using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.Tests.Releases;

public class StreamIdTests
{
    [Fact]
    public void A_release_stream_id_reads_back_what_was_written()
    {
        var id = StreamIds.Release(new RepoRef("Acme", "Web"), "staging");

        Assert.Equal(("acme/web", "staging"), (StreamIds.ParseRelease(id).Repo.ToString(), StreamIds.ParseRelease(id).Environment));
    }

    [Fact]
    public void An_environment_that_could_not_be_read_back_is_refused_when_the_id_is_built()
    {
        var error = Assert.Throws<ArgumentException>(() => StreamIds.Release(new RepoRef("acme", "web"), "prod/eu"));

        Assert.Contains("without '/'", error.Message);
    }

    [Fact]
    public void A_stream_written_with_a_slash_by_an_earlier_release_still_reads()
    {
        var (repo, environment) = StreamIds.ParseRelease("release/acme/slashenv/prod/eu");

        Assert.Equal("acme/slashenv", repo.ToString());
        Assert.Equal("prod/eu", environment);
    }
}
