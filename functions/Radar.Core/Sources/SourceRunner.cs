using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Radar.Core.Sources;

/// <summary>How a run treats a source's schedule and validators.</summary>
public enum SourceRunMode
{
    /// <summary>Timer runs: a source in back-off (or asked to wait by <c>Retry-After</c>) is
    /// deferred; validators are sent, so unchanged content costs a 304.</summary>
    Scheduled,

    /// <summary>Someone asked for a run now: back-off is ignored; validators are still sent.</summary>
    Now,

    /// <summary>Back-off ignored and no validators sent: the content is fetched and processed in full.</summary>
    Full,
}

public static class SourceRunModes
{
    /// <summary>The mode as ingest reports name it.</summary>
    public static string Name(SourceRunMode mode) => mode switch
    {
        SourceRunMode.Scheduled => "scheduled",
        SourceRunMode.Now => "now",
        _ => "full",
    };
}

public static class SourceOutcomes
{
    public const string Ingested = "ingested";

    /// <summary>Processed, but the content broke part-way: what came before the break was
    /// stored. Not a failure (no back-off), but health shows it, and validators are not
    /// recorded, so the next run reads the whole content again.</summary>
    public const string Partial = "partial";
    public const string NotModified = "not-modified";
    public const string Failed = "failed";
    public const string Deferred = "deferred";
}

/// <summary>What happened to one source in one run.</summary>
public sealed record SourceRun<T>(Source Source, string Outcome, T? Result, string? Error, DateTimeOffset? NextAttempt)
    where T : class;

/// <summary>A processing result that kept only part of what the source delivered says so here
/// (where the content broke and why); the runner then records the source as
/// <see cref="SourceOutcomes.Partial"/>.</summary>
public interface IPartialResult
{
    /// <summary>Null when everything was read.</summary>
    string? PartialReason { get; }
}

/// <summary>
/// Content a source delivered was unusable (malformed, wrong shape, empty). The source is marked
/// failed with this message; nothing of it is stored.
/// </summary>
public sealed class SourceContentException(string message) : Exception(message);

/// <summary>
/// Runs one source through fetch → process → record, the same way for every kind of source:
/// honours back-off and <c>Retry-After</c>, never lets one source's failure escape to the others,
/// and records validators only after the content was processed. News ingest hands in its own
/// processing step; measures ingest hands in its own.
/// </summary>
public sealed class SourceRunner(
    SourceFetcher fetcher,
    SourceStore store,
    IOptions<FetchOptions> options,
    TimeProvider clock,
    ILogger<SourceRunner> logger)
{
    public async Task<SourceRun<T>> RunAsync<T>(
        Source source,
        SourceRunMode mode,
        Func<FetchResult, CancellationToken, Task<T>> process,
        CancellationToken cancellationToken)
        where T : class
    {
        var now = clock.GetUtcNow();
        if (mode == SourceRunMode.Scheduled && !source.IsDue(now))
        {
            return new SourceRun<T>(source, SourceOutcomes.Deferred, null, source.LastError, source.NextAttempt);
        }

        FetchResult fetched;
        try
        {
            fetched = await fetcher.FetchAsync(source, conditional: mode != SourceRunMode.Full, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            fetched = FetchResult.Failed($"Fetch failed: {ex.Message}");
        }

        if (fetched.Status == FetchStatus.Failed)
        {
            return await FailAsync<T>(source, fetched.Error ?? "Fetch failed.", fetched.RetryAfter, cancellationToken);
        }

        if (fetched.Status == FetchStatus.NotModified)
        {
            var unchanged = Succeeded(source, fetched, SourceOutcomes.NotModified);
            await store.SaveAsync(unchanged, cancellationToken);
            return new SourceRun<T>(unchanged, SourceOutcomes.NotModified, null, null, null);
        }

        T result;
        try
        {
            result = await process(fetched, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (SourceContentException ex)
        {
            return await FailAsync<T>(source, ex.Message, null, cancellationToken);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Processing source {Id} ({Url}) failed", source.Id, source.Url);
            return await FailAsync<T>(source, $"Processing failed: {ex.Message}", null, cancellationToken);
        }

        if (result is IPartialResult { PartialReason: { } why })
        {
            var partial = Partial(source, why);
            logger.LogWarning("Source {Id} ({Url}) was read in part: {Why}", source.Id, source.Url, why);
            await store.SaveAsync(partial, cancellationToken);
            return new SourceRun<T>(partial, SourceOutcomes.Partial, result, why, null);
        }

        var ingested = Succeeded(source, fetched, SourceOutcomes.Ingested);
        await store.SaveAsync(ingested, cancellationToken);
        return new SourceRun<T>(ingested, SourceOutcomes.Ingested, result, null, null);
    }

    /// <summary>Back-off after <paramref name="failures"/> consecutive failures: doubling from
    /// the base, capped, with ±20 % jitter so sources that failed together do not retry together.</summary>
    public TimeSpan Backoff(int failures)
    {
        var o = options.Value;
        var exponent = Math.Min(Math.Max(failures - 1, 0), 30);
        var raw = Math.Min(o.BackoffBase.TotalSeconds * Math.Pow(2, exponent), o.BackoffMax.TotalSeconds);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromSeconds(Math.Min(raw * jitter, o.BackoffMax.TotalSeconds));
    }

    private async Task<SourceRun<T>> FailAsync<T>(Source source, string error, TimeSpan? retryAfter, CancellationToken cancellationToken)
        where T : class
    {
        var now = clock.GetUtcNow();
        var failures = source.ConsecutiveFailures + 1;
        var wait = Backoff(failures);
        if (retryAfter is { } asked && asked > wait)
        {
            wait = asked;
        }

        var failed = source with
        {
            LastFetch = now,
            LastOutcome = SourceOutcomes.Failed,
            LastError = error,
            LastErrorAt = now,
            ConsecutiveFailures = failures,
            NextAttempt = now + wait,
        };
        logger.LogWarning("Source {Id} ({Url}) failed ({Failures} in a row), next attempt after {Next:u}: {Error}",
            source.Id, source.Url, failures, failed.NextAttempt, error);
        await store.SaveAsync(failed, cancellationToken);
        return new SourceRun<T>(failed, SourceOutcomes.Failed, null, error, failed.NextAttempt);
    }

    // Validators stay as they were: the content was not processed whole, so the next run must
    // not be told "not modified" about it.
    private Source Partial(Source source, string why)
    {
        var now = clock.GetUtcNow();
        return source with
        {
            LastFetch = now,
            LastOutcome = SourceOutcomes.Partial,
            LastError = why,
            LastErrorAt = now,
            ConsecutiveFailures = 0,
            NextAttempt = null,
        };
    }

    private Source Succeeded(Source source, FetchResult fetched, string outcome)
    {
        var now = clock.GetUtcNow();
        return source with
        {
            ETag = fetched.ETag,
            LastModified = fetched.LastModified,
            LastFetch = now,
            LastSuccess = now,
            LastOutcome = outcome,
            ConsecutiveFailures = 0,
            NextAttempt = null,
        };
    }
}
