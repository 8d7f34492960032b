using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;

namespace Radar.Infra.Tests;

/// <summary>
/// The Bicep CLI from the NuGet package <c>Azure.Bicep.CommandLine.linux-x64</c>. The package's
/// props file tells the build where the binary is (<c>$(BicepPath)</c>); the project writes that
/// into this assembly's metadata. NuGet may extract it without the execute bit, or into a cache
/// owned by someone else: then a private, executable copy is made once per test run.
/// </summary>
public static class BicepCli
{
    private static readonly Lazy<string> Executable = new(FindExecutable);

    /// <summary>Bicep's own diagnostics look like <c>file(line,col) : Warning code: text</c>.</summary>
    public static IReadOnlyList<string> Diagnostics(BicepResult result) =>
        (result.StandardError + "\n" + result.StandardOutput)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Contains(" : Error ", StringComparison.Ordinal) ||
                           line.Contains(" : Warning ", StringComparison.Ordinal) ||
                           line.Contains(" : Info ", StringComparison.Ordinal))
            .ToList();

    public static async Task<BicepResult> RunAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry, no update check: CI has no internet, and a test must not phone home.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Executable.Value}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new BicepResult(process.ExitCode, await stdout, await stderr);
    }

    private static string FindExecutable()
    {
        var metadata = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        var path = metadata.GetValueOrDefault("BicepPath");
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The Bicep CLI was not found at '{path}'. Restore tests/Radar.Infra.Tests " +
                "(it references the NuGet package Azure.Bicep.CommandLine.linux-x64, which brings tools/bicep).");
        }

        return CanRun(path) ? path : ExecutableCopy(path);
    }

    private static bool CanRun(string path)
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(path, "--version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            probe.WaitForExit();
            return probe.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }

    private static string ExecutableCopy(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The Bicep package these tests use is the linux-x64 build.");
        }

        var directory = Directory.CreateTempSubdirectory("radar-bicep-").FullName;
        var copy = Path.Combine(directory, "bicep");
        File.Copy(path, copy);
        File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return copy;
    }
}

public sealed record BicepResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\n{StandardError}\n{StandardOutput}";
}
