using System.Text.RegularExpressions;

namespace ReleaseGovernor.Testing.Fakes;

/// <summary>
/// Faults per route, each used a fixed number of times, optionally after letting some matching requests
/// through. Path patterns use <c>*</c> for "anything".
/// </summary>
public sealed class FaultRules
{
    private readonly Lock _gate = new();
    private readonly List<Rule> _rules = [];

    public void Add(string method, string pathPattern, FakeFault fault, int times, int after = 0)
    {
        var regex = new Regex("^" + Regex.Escape(pathPattern).Replace("\\*", ".*") + "$", RegexOptions.CultureInvariant);
        lock (_gate) _rules.Add(new Rule(method, regex, fault) { Remaining = times, Skip = after });
    }

    public void Clear()
    {
        lock (_gate) _rules.Clear();
    }

    /// <summary>Takes one use of the first matching rule that has uses left.</summary>
    public FakeFault? Take(string method, string path)
    {
        lock (_gate)
        {
            var rule = _rules.FirstOrDefault(r => r.Remaining > 0
                && string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase) && r.Path.IsMatch(path));
            if (rule is null) return null;
            if (rule.Skip > 0)
            {
                rule.Skip--;
                return null;
            }
            rule.Remaining--;
            return rule.Fault;
        }
    }

    private sealed record Rule(string Method, Regex Path, FakeFault Fault)
    {
        public int Remaining { get; set; }
        public int Skip { get; set; }
    }
}
