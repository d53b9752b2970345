using System.Text;

namespace ReleaseGovernor.Core.Risk;

/// <summary>Translates a glob bracket expression (<c>[abc]</c>, <c>[a-z]</c>, <c>[!abc]</c>, <c>[^abc]</c>) to a regex class that never matches <c>/</c>.</summary>
internal static class CharacterClass
{
    /// <summary>
    /// Reads the bracket expression that opens at <paramref name="start"/>. A <c>]</c> right after the
    /// opening (or after its <c>!</c>) is a member. False when the bracket is never closed.
    /// </summary>
    public static bool TryRead(string segment, int start, out string regexClass, out int end)
    {
        var i = start + 1;
        var negated = i < segment.Length && segment[i] is '!' or '^';
        if (negated)
            i++;

        var members = new StringBuilder();
        var first = true;
        for (; i < segment.Length; i++)
        {
            var c = segment[i];
            if (c == ']' && !first)
            {
                regexClass = (negated ? "[^" : "[") + members + "-[/]]";
                end = i;
                return true;
            }

            first = false;
            if (c == '\\' && i + 1 < segment.Length)
                c = segment[++i];
            else if (c == '-' && members.Length > 0 && i + 1 < segment.Length && segment[i + 1] != ']')
            {
                members.Append('-');
                continue;
            }

            members.Append(c is '\\' or '[' or ']' or '^' or '-' ? "\\" + c : c.ToString());
        }

        regexClass = "";
        end = start;
        return false;
    }
}
