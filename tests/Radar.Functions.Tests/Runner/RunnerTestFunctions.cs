using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace Radar.Functions.Tests.Runner;

/// <summary>Counts timer runs and how many overlap.</summary>
public sealed class TimerProbe
{
    private int _running;
    private int _runs;
    private int _maxConcurrent;

    public TimeSpan RunTime { get; set; } = TimeSpan.Zero;

    /// <summary>The clock a run's start is read from and its <see cref="RunTime"/> passes on:
    /// the app's, so a test on a fake clock drives both.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public int Runs => Volatile.Read(ref _runs);

    public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

    public ConcurrentQueue<DateTimeOffset> Starts { get; } = new();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Starts.Enqueue(Clock.GetUtcNow());
        var now = Interlocked.Increment(ref _running);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, now, seen) != seen)
        {
        }

        try
        {
            // Stands in for a long ingest, so a run outlasts the one-second schedule.
            await Task.Delay(RunTime, Clock, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            Interlocked.Increment(ref _runs);
        }
    }
}

/// <summary>Records the queue messages a function received; a message <c>fail</c> throws.</summary>
public sealed class QueueProbe
{
    public ConcurrentQueue<string> Received { get; } = new();

    public Task HandleAsync(string message)
    {
        Received.Enqueue(message);
        return message == "fail" ? throw new InvalidOperationException("the message says fail") : Task.CompletedTask;
    }
}

/// <summary>Functions that exist only for the runner's tests: written exactly as Radar's own are.</summary>
public sealed class RunnerTestFunctions(IConfiguration configuration, TimerProbe probe, QueueProbe queueProbe)
{
    [Function("TestEcho")]
    public static IResult Echo(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/test/echo/{name}/{count:int}")] HttpRequest request,
        string name,
        int count) => Results.Ok(new { name, count, query = request.Query["q"].ToString() });

    [Function("TestSetting")]
    public IResult Setting([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/test/setting/{key}")] HttpRequest request, string key) =>
        Results.Ok(new { value = configuration[key] });

    [Function("TestFunctionLevel")]
    public static IResult FunctionLevel([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/test/secure")] HttpRequest request) =>
        Results.Ok(new { secret = "function" });

    [Function("TestAdminLevel")]
    public static IResult AdminLevel([HttpTrigger(AuthorizationLevel.Admin, "post", Route = "api/test/admin")] HttpRequest request) =>
        Results.Ok(new { secret = "admin" });

    [Function("TestFailure")]
    public static IResult Failure([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/test/failure")] HttpRequest request) =>
        throw new InvalidOperationException("boom");

    [Function("TestTimer")]
    public Task Tick([TimerTrigger("%TestTimerSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        probe.RunAsync(cancellationToken);

    [Function("TestQueue")]
    public Task Dequeue([QueueTrigger("%TestQueue%")] string message, CancellationToken cancellationToken) =>
        queueProbe.HandleAsync(message);
}
