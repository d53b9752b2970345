namespace ReleaseGovernor.Testing.Fakes;

/// <summary>In-memory data of one repository. Setters are for tests; the fake's POST routes add to it too.</summary>
public sealed class FakeRepo(string owner, string name)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Ref, string Path), string> _files = [];
    private readonly Dictionary<(string Base, string Head), FakeCompare> _compares = [];
    private readonly Dictionary<string, IReadOnlyList<FakeChangedFile>> _commits = [];
    private readonly Dictionary<string, IReadOnlyList<FakePullRequest>> _pullsForCommit = [];
    private readonly Dictionary<int, IReadOnlyList<string>> _labels = [];
    private readonly Dictionary<int, FakePullRequest> _pulls = [];
    private readonly Dictionary<string, (string Permission, string Role)> _permissions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<int, List<FakeComment>> _comments = [];
    private readonly List<FakeRun> _runs = [];
    private readonly List<FakeIssue> _issues = [];
    private readonly List<FakeStatus> _statuses = [];
    private readonly List<FakeDispatch> _dispatches = [];
    private readonly List<FakeProtectionReview> _reviews = [];
    private readonly List<FakeProtectionReview> _refusedReviews = [];
    private readonly Dictionary<string, string> _filesAtEveryRef = [];
    private IReadOnlyList<FakeChangedFile>? _everyCommit;
    private Func<string, string, FakeCompare?>? _compareRule;

    public string Owner { get; } = owner;
    public string Name { get; } = name;
    public string DefaultBranch { get; set; } = "main";

    public FakeRepo SetFile(string gitRef, string path, string content) => Locked(() => _files[(gitRef, path.Trim('/'))] = content);

    /// <summary>Serves <paramref name="content"/> at <paramref name="path"/> for every ref no <see cref="SetFile"/> names.</summary>
    public FakeRepo SetFileAtEveryRef(string path, string content) => Locked(() => _filesAtEveryRef[path.Trim('/')] = content);

    /// <summary>Every commit no <see cref="SetCommit"/> names changed these files.</summary>
    public FakeRepo SetEveryCommit(params FakeChangedFile[] files) => Locked(() => _everyCommit = files);

    /// <summary>Answers compares no <see cref="SetCompare"/> names: <c>(base, head)</c> to a comparison, or null for 404.</summary>
    public FakeRepo SetCompareRule(Func<string, string, FakeCompare?> rule) => Locked(() => _compareRule = rule);

    public FakeRepo SetCompare(string baseRef, string headRef, FakeCompare compare) => Locked(() => _compares[(baseRef, headRef)] = compare);

    public FakeRepo SetCommit(string sha, params FakeChangedFile[] files) => Locked(() => _commits[sha] = files);

    /// <summary>The user's permission (admin, write, read, none) and role name (admin, maintain, write, triage, read).</summary>
    public FakeRepo SetPermission(string user, string permission, string? role = null) =>
        Locked(() => _permissions[user] = (permission, role ?? permission));

    public (string Permission, string Role) PermissionOf(string user) { lock (_gate) return _permissions.GetValueOrDefault(user, ("read", "read")); }

    /// <summary>The shas are ancestors of the default branch's tip: compare(default branch, sha) answers "behind".</summary>
    public FakeRepo OnDefaultBranch(params string[] shas)
    {
        foreach (var sha in shas) SetCompare(DefaultBranch, sha, new FakeCompare("behind", 0, 1, []));
        return this;
    }

    public FakeRepo SetPullRequestsForCommit(string sha, params FakePullRequest[] pulls) => Locked(() => _pullsForCommit[sha] = pulls);

    public FakeRepo SetLabels(int number, params string[] labels) => Locked(() => _labels[number] = labels);

    public FakeRepo AddComment(int number, FakeComment comment) => Locked(() => CommentsOf(number).Add(comment));

    public FakeRepo AddRun(FakeRun run) => Locked(() => _runs.Add(run));

    /// <summary>Replaces the run with the same id (e.g. to complete it).</summary>
    public FakeRepo UpdateRun(FakeRun run) => Locked(() => _runs[_runs.FindIndex(r => r.Id == run.Id)] = run);

    public FakeRepo AddIssue(FakeIssue issue) => Locked(() => _issues.Add(issue));

    public string? File(string gitRef, string path)
    {
        lock (_gate) return _files.GetValueOrDefault((gitRef, path.Trim('/'))) ?? _filesAtEveryRef.GetValueOrDefault(path.Trim('/'));
    }

    public FakeCompare? Compare(string baseRef, string headRef)
    {
        Func<string, string, FakeCompare?>? rule;
        lock (_gate)
        {
            if (_compares.TryGetValue((baseRef, headRef), out var set)) return set;
            rule = _compareRule;
        }
        return rule?.Invoke(baseRef, headRef);
    }

    public IReadOnlyList<FakeChangedFile>? Commit(string sha) { lock (_gate) return _commits.GetValueOrDefault(sha) ?? _everyCommit; }

    /// <summary>The pull request as it is now: the one set last with <see cref="SetPullRequest"/>, else one listed for a commit.</summary>
    public FakePullRequest? PullRequest(int number)
    {
        lock (_gate)
            return _pulls.GetValueOrDefault(number) ?? _pullsForCommit.Values.SelectMany(p => p).LastOrDefault(p => p.Number == number);
    }

    public FakeRepo SetPullRequest(FakePullRequest pull) => Locked(() => _pulls[pull.Number] = pull);

    public IReadOnlyList<FakePullRequest> PullRequestsForCommit(string sha) { lock (_gate) return _pullsForCommit.GetValueOrDefault(sha) ?? []; }

    public IReadOnlyList<string> Labels(int number) { lock (_gate) return _labels.GetValueOrDefault(number) ?? []; }

    public IReadOnlyList<FakeComment> Comments(int number) { lock (_gate) return [.. CommentsOf(number)]; }

    public IReadOnlyList<FakeRun> Runs { get { lock (_gate) return [.. _runs]; } }

    public IReadOnlyList<FakeIssue> Issues { get { lock (_gate) return [.. _issues]; } }

    /// <summary>Commit statuses posted to this repository, in order.</summary>
    public IReadOnlyList<FakeStatus> Statuses { get { lock (_gate) return [.. _statuses]; } }

    /// <summary>Workflow dispatches received, in order.</summary>
    public IReadOnlyList<FakeDispatch> Dispatches { get { lock (_gate) return [.. _dispatches]; } }

    /// <summary>Deployment protection rule reviews GitHub took (204), in order.</summary>
    public IReadOnlyList<FakeProtectionReview> ProtectionReviews { get { lock (_gate) return [.. _reviews]; } }

    /// <summary>Reviews refused with 422 because the run's rule at that environment was decided already.</summary>
    public IReadOnlyList<FakeProtectionReview> RefusedReviews { get { lock (_gate) return [.. _refusedReviews]; } }

    /// <summary>The run's rule at the environment was decided already (as by an answer whose record was lost).</summary>
    public FakeRepo MarkReviewed(long runId, string environment, string state = "approved") =>
        Locked(() => _reviews.Add(new FakeProtectionReview(runId, environment, state, "reviewed before")));

    /// <summary>Takes a review unless the (run, environment) was decided already, or already has 10 notes (names compared ignoring case).</summary>
    internal bool TryReview(FakeProtectionReview review)
    {
        lock (_gate)
        {
            var same = _reviews.Where(r => r.RunId == review.RunId && string.Equals(r.Environment, review.Environment, StringComparison.OrdinalIgnoreCase)).ToList();
            if (review.State is null ? same.Count(r => r.State is null) >= 10 : same.Any(r => r.State is not null))
            {
                _refusedReviews.Add(review);
                return false;
            }
            _reviews.Add(review);
            return true;
        }
    }

    internal void Record(FakeStatus status) => Locked(() => _statuses.Add(status));

    internal void Record(FakeDispatch dispatch) => Locked(() => _dispatches.Add(dispatch));

    internal FakeIssue CreateIssue(string title, string? body, IReadOnlyList<string> labels)
    {
        lock (_gate)
        {
            var issue = new FakeIssue(_issues.Count == 0 ? 1 : _issues.Max(i => i.Number) + 1, title, body, "open", labels);
            _issues.Add(issue);
            return issue;
        }
    }

    private List<FakeComment> CommentsOf(int number)
    {
        if (!_comments.TryGetValue(number, out var list)) _comments[number] = list = [];
        return list;
    }

    private FakeRepo Locked(Action change)
    {
        lock (_gate) change();
        return this;
    }
}
