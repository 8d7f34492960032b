using Radar.Local;

return await LocalRunner.RunAsync(args);
