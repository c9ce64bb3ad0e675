using Rectify.Cli;

return await RectifyCli.RunAsync(args);
