namespace Radar.Local;

/// <summary>Where the checkout is: the folder holding <c>Radar.sln</c>, found from the working
/// directory or from the runner's own folder (under <c>functions/Radar.Local/bin/…</c>).</summary>
public static class RepositoryLayout
{
    public static string? FindRoot(params string?[] startDirectories)
    {
        foreach (var start in startDirectories.Append(Directory.GetCurrentDirectory()).Append(AppContext.BaseDirectory))
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Radar.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }
}
