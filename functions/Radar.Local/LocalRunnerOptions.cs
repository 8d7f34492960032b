using System.Reflection;
using Radar.Functions;

namespace Radar.Local;

/// <summary>How to start the runner. The defaults are what <c>dotnet run --project functions/Radar.Local</c>
/// does; tests set settings, extra function assemblies and services.</summary>
public sealed class LocalRunnerOptions
{
    public string[] Args { get; init; } = [];

    /// <summary>A <c>local.settings.json</c> to read; null: find one (see <see cref="Settings.LocalSettingsFile.Locate"/>).</summary>
    public string? SettingsFile { get; init; }

    /// <summary>Settings that win over the file and the environment (tests).</summary>
    public IDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    public IList<Assembly> FunctionAssemblies { get; init; } = [typeof(RadarFunctionsServices).Assembly];

    public Action<IServiceCollection>? ConfigureServices { get; init; }
}
