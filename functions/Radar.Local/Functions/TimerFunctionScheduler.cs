using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace Radar.Local.Functions;

/// <summary>A timer schedule as the host reads it: six-field NCrontab (with seconds) or a
/// <c>hh:mm:ss</c> interval, after <c>%Setting%</c> names are replaced by their values.</summary>
public sealed partial class TimerSchedule
{
    private readonly CrontabSchedule? _cron;
    private readonly TimeSpan? _interval;

    private TimerSchedule(string expression, CrontabSchedule? cron, TimeSpan? interval)
    {
        Expression = expression;
        _cron = cron;
        _interval = interval;
    }

    public string Expression { get; }

    public static TimerSchedule Parse(string schedule, IConfiguration configuration, string functionName)
    {
        var resolved = SettingReference().Replace(schedule, match =>
            configuration[match.Groups[1].Value] is { Length: > 0 } value
                ? value
                : throw new InvalidOperationException(
                    $"Function '{functionName}': its schedule names the setting '{match.Groups[1].Value}', which is not set."));

        if (!resolved.Contains(' ', StringComparison.Ordinal) &&
            TimeSpan.TryParse(resolved, System.Globalization.CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            return new TimerSchedule(resolved, null, interval);
        }

        var cron = CrontabSchedule.TryParse(resolved, new CrontabSchedule.ParseOptions { IncludingSeconds = true })
            ?? throw new InvalidOperationException(
                $"Function '{functionName}': schedule '{resolved}' is not a six-field cron expression (second minute hour day month weekday) or an interval.");
        return new TimerSchedule(resolved, cron, null);
    }

    public DateTimeOffset Next(DateTimeOffset after) =>
        _interval is { } interval
            ? after + interval
            : new DateTimeOffset(_cron!.GetNextOccurrence(after.UtcDateTime), TimeSpan.Zero);

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingReference();
}

/// <summary>
/// Fires every timer function on its own schedule, one run at a time per function (the next
/// occurrence is computed after a run ends, as the host skips occurrences missed while running).
/// </summary>
internal sealed class TimerFunctionScheduler(
    IReadOnlyList<(TimerFunction Function, TimerSchedule Schedule)> timers,
    bool runAllOnStartup,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<TimerFunctionScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(timers.Select(t => RunTimerAsync(t.Function, t.Schedule, stoppingToken)));

    private async Task RunTimerAsync(TimerFunction function, TimerSchedule schedule, CancellationToken stoppingToken)
    {
        // Yield first, so the host finishes starting (and Kestrel listens) before a startup run.
        await Task.Yield();
        var last = clock.GetUtcNow();
        logger.LogInformation("{Function}: timer '{Schedule}', next at {Next:u}", function.Name, schedule.Expression, schedule.Next(last));
        if (function.RunOnStartup || runAllOnStartup)
        {
            await FireAsync(function, schedule, last, "startup", stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var next = schedule.Next(clock.GetUtcNow());
            var delay = next - clock.GetUtcNow();
            try
            {
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, clock, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await FireAsync(function, schedule, last, $"timer due at {next:u}", stoppingToken);
            last = next;
        }
    }

    private async Task FireAsync(TimerFunction function, TimerSchedule schedule, DateTimeOffset last, string reason, CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow();
        var info = new TimerInfo
        {
            IsPastDue = false,
            ScheduleStatus = new ScheduleStatus { Last = last.UtcDateTime, Next = schedule.Next(now).UtcDateTime, LastUpdated = now.UtcDateTime },
        };
        logger.LogInformation("Executing '{Function}' (Reason='{Reason}')", function.Name, reason);
        await using var scope = services.CreateAsyncScope();
        try
        {
            var arguments = function.Method.GetParameters()
                .Select(p => p.ParameterType == typeof(CancellationToken) ? (object)stoppingToken : info)
                .ToArray();
            await FunctionInvoker.InvokeAsync(function.Method, scope.ServiceProvider, arguments);
            logger.LogInformation("Executed '{Function}' (Succeeded, {Ms:0} ms)", function.Name, (clock.GetUtcNow() - now).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("'{Function}' stopped with the host", function.Name);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Executed '{Function}' (Failed)", function.Name);
        }
    }
}
