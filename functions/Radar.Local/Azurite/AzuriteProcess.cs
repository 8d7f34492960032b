using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Radar.Local.Azurite;

/// <summary>Ports of the three Azurite services.</summary>
public sealed record AzuritePorts(int Blob, int Queue, int Table)
{
    public static AzuritePorts Default { get; } = new(10000, 10001, 10002);

    /// <summary>Three ports nobody listens on right now.</summary>
    public static AzuritePorts Free() => new(FreePort(), FreePort(), FreePort());

    /// <summary>A connection string with explicit endpoints on loopback, for Azurite's
    /// well-known development account.</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{Blob}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{Queue}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{Table}/devstoreaccount1;";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// Azurite from the repository's pinned npm package, run as a child process on loopback. It is
/// installed with <c>npm ci</c> when missing, and exits with its parent (see
/// <c>tools/exit-with-parent.cjs</c>), so no storage server outlives the runner or a test run.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private readonly Process _process;
    private readonly ILogger _logger;

    private AzuriteProcess(Process process, AzuritePorts ports, ILogger logger)
    {
        _process = process;
        Ports = ports;
        _logger = logger;
    }

    public AzuritePorts Ports { get; }

    public int ProcessId => _process.Id;

    public static string ScriptPath(string repoRoot) =>
        Path.Combine(repoRoot, "node_modules", "azurite", "dist", "src", "azurite.js");

    /// <summary>Starts Azurite and waits until all three services accept connections.</summary>
    /// <param name="location">Folder for its data; null keeps everything in memory.</param>
    public static async Task<AzuriteProcess> StartAsync(
        string repoRoot, AzuritePorts ports, string? location, ILogger logger, CancellationToken cancellationToken)
    {
        await EnsureInstalledAsync(repoRoot, logger, cancellationToken);
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = repoRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--require", Path.Combine(repoRoot, "tools", "exit-with-parent.cjs"), ScriptPath(repoRoot),
                     "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
                     "--blobHost", "127.0.0.1", "--blobPort", ports.Blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--queueHost", "127.0.0.1", "--queuePort", ports.Queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--tableHost", "127.0.0.1", "--tablePort", ports.Table.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        if (location is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(location);
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(location);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) { logger.LogDebug("azurite: {Line}", e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) { logger.LogWarning("azurite: {Line}", e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new AzuriteProcess(process, ports, logger);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        try
        {
            while (!(await IsListeningAsync(ports.Blob, timeout.Token) &&
                     await IsListeningAsync(ports.Queue, timeout.Token) &&
                     await IsListeningAsync(ports.Table, timeout.Token)))
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"Azurite exited at start with code {process.ExitCode}; is a port of {ports} taken?");
                }

                await Task.Delay(100, timeout.Token);
            }
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }

        logger.LogInformation("Azurite (pid {Pid}) listens on 127.0.0.1: blob {Blob}, queue {Queue}, table {Table}; data {Location}",
            process.Id, ports.Blob, ports.Queue, ports.Table, location ?? "in memory");
        return azurite;
    }

    /// <summary>Runs <c>npm ci</c> in the repository when Azurite is not installed yet. A lock file
    /// keeps two processes (two test projects) from installing at once.</summary>
    public static async Task EnsureInstalledAsync(string repoRoot, ILogger logger, CancellationToken cancellationToken)
    {
        if (File.Exists(ScriptPath(repoRoot)))
        {
            return;
        }

        var lockPath = Path.Combine(repoRoot, ".radar", "npm-install.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(InstallTimeout);
        await using var held = await AcquireLockAsync(lockPath, deadline.Token);
        if (File.Exists(ScriptPath(repoRoot)))
        {
            return;
        }

        logger.LogInformation("Azurite is not installed; running 'npm ci' in {Root}", repoRoot);
        var npm = new ProcessStartInfo("npm") { WorkingDirectory = repoRoot, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "ci", "--no-audit", "--no-fund" })
        {
            npm.ArgumentList.Add(arg);
        }

        using var process = Process.Start(npm) ?? throw new InvalidOperationException("Could not start npm: is Node.js installed?");
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0 || !File.Exists(ScriptPath(repoRoot)))
        {
            throw new InvalidOperationException($"'npm ci' failed (exit {process.ExitCode}): {await error}{await output}");
        }
    }

    public static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromMilliseconds(500));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, attempt.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }

                _logger.LogInformation("Azurite (pid {Pid}) stopped", _process.Id);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(250, cancellationToken);
            }
        }
    }
}
