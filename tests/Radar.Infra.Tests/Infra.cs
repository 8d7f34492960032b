namespace Radar.Infra.Tests;

/// <summary>Where the templates are: <c>infra/</c> beside <c>Radar.sln</c>.</summary>
public static class Infra
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Folder => Path.Combine(RepoRoot, "infra");

    public static string MainTemplate => Path.Combine(Folder, "main.bicep");

    public static string ParametersFile => Path.Combine(Folder, "main.parameters.json");

    /// <summary>Every Bicep file under infra/, relative to it (modules and shared types included).</summary>
    public static IEnumerable<string> BicepFiles() =>
        Directory.EnumerateFiles(Folder, "*.bicep", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Folder, f))
            .Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Radar.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Radar.sln not found above the test folder.");
    }
}
