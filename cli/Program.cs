// Entry point of the `sim` command. All wiring lives in SimApp so tests can run it in-process.
return Sim.Cli.SimApp.Run(args, Console.Out, Console.Error);
