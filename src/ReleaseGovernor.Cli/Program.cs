using ReleaseGovernor.Cli;

return await BootyApp.RunAsync(args, Console.Out, Console.Error, EnvironmentSnapshot.FromProcess());
