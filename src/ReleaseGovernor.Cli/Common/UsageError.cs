using System.CommandLine;
using System.CommandLine.Parsing;
using ReleaseGovernor.Core.Config;

namespace ReleaseGovernor.Cli;

/// <summary>A command line that does not parse, said in one line: what is wrong, a suggestion when one is close, where help is.</summary>
public static class UsageError
{
    public static string Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var path = CommandPath(parse.CommandResult);
        var help = $"run '{path} --help' to see its {(command.Subcommands.Count > 0 ? "commands" : "options")}";

        if (parse.UnmatchedTokens.FirstOrDefault() is { } unknown)
        {
            if (!unknown.StartsWith('-') && command.Subcommands.Count > 0)
            {
                var suggestion = KeySuggester.Suggest(unknown, command.Subcommands.Select(c => c.Name));
                return $"unknown command '{unknown}' for '{path}'{(suggestion is null ? "" : $" (did you mean '{suggestion}'?)")}; {help}";
            }
            var option = KeySuggester.Suggest(unknown.TrimStart('-'), command.Options.Select(o => o.Name.TrimStart('-')));
            return $"unknown {(unknown.StartsWith('-') ? "option" : "argument")} '{unknown}' for '{path}'" +
                   $"{(option is null ? "" : $" (did you mean '--{option}'?)")}; {help}";
        }
        var messages = parse.Errors.Select(e => e.Message.TrimEnd('.')).Distinct().ToList();
        return $"{string.Join("; ", messages)}; {help}";
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
            if (r is CommandResult c) names.Insert(0, c.Parent is null ? "booty" : c.Command.Name);
        return string.Join(' ', names);
    }
}
