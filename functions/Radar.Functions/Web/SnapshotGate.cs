using System.Globalization;
using Microsoft.Extensions.Options;
using Radar.Core.Search;
using Radar.Core.Search.Replication;

namespace Radar.Functions.Web;

/// <summary>The published snapshot an answer comes from: its lineage, generation and publication
/// time, as <c>Radar-Snapshot</c> names them. Equal stamps are the same commit.</summary>
public sealed record SnapshotStamp(string Lineage, long Generation, DateTimeOffset PublishedAt)
{
    public const string Header = "Radar-Snapshot";

    /// <summary>Seconds since the snapshot was published. Not <c>Age</c>: that one tells caches how
    /// long an answer has sat in a cache, and a snapshot hours old would make every cache treat
    /// the answer as stale on arrival (Age &gt; max-age).</summary>
    public const string AgeHeader = "Radar-Snapshot-Age";

    /// <summary><c>lineage=…; generation=12; published=2026-12-03T16:00:00Z</c>.</summary>
    public string Value { get; } = string.Create(CultureInfo.InvariantCulture,
        $"lineage={Lineage}; generation={Generation}; published={PublishedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");

    public static SnapshotStamp Of(IndexManifest manifest) => new(manifest.Lineage, manifest.Generation, manifest.PublishedAt);

    /// <summary>Both headers, the age as of <paramref name="now"/> (whole seconds, never negative:
    /// the publisher's clock may run ahead of this instance's).</summary>
    public (string Name, string Value)[] Headers(DateTimeOffset now) =>
    [
        (Header, Value),
        (AgeHeader, Math.Max(0, (long)(now - PublishedAt).TotalSeconds).ToString(CultureInfo.InvariantCulture)),
    ];
}

/// <summary>
/// The gate of every public data route (API, feeds, pages, embed, the SVG picture): which
/// published snapshot this instance has loaded (<see cref="IndexReplica"/>), and none yet. A
/// request that finds none waits up to <see cref="PublicGetOptions.FirstLoadWaitSeconds"/> for
/// the first load (a cold start is answered late rather than refused) and is then answered 503
/// with <see cref="RetryAfter"/>. Once a snapshot is loaded, the instance never goes back: a
/// failed refresh keeps the last one.
/// </summary>
public sealed class SnapshotGate(IndexReplica replica, IOptions<PublicGetOptions> options, IOptions<SearchOptions> search, TimeProvider clock)
{
    private SnapshotStamp? _last;

    /// <summary>What a request that finds no snapshot is told: the replica looks again every
    /// refresh interval (as <c>/api/search</c> always said).</summary>
    public TimeSpan RetryAfter => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(search.Value.RefreshInterval.TotalSeconds)));

    /// <summary>The snapshot loaded now; null while none is.</summary>
    public SnapshotStamp? Current
    {
        get
        {
            if (replica.LoadedManifest is not { } manifest)
            {
                return null;
            }

            // One stamp per commit, so a request costs no allocation and the cache compares cheaply.
            var last = Volatile.Read(ref _last);
            if (last is not null && last.Generation == manifest.Generation && last.Lineage == manifest.Lineage && last.PublishedAt == manifest.PublishedAt)
            {
                return last;
            }

            var stamp = SnapshotStamp.Of(manifest);
            Volatile.Write(ref _last, stamp);
            return stamp;
        }
    }

    /// <summary>The snapshot loaded now, waiting for the first load if there is none yet; null
    /// when none is loaded within the wait.</summary>
    public async Task<SnapshotStamp?> WaitAsync(CancellationToken cancellationToken)
    {
        if (Current is { } loaded)
        {
            return loaded;
        }

        var wait = TimeSpan.FromSeconds(Math.Max(0, options.Value.FirstLoadWaitSeconds));
        return wait > TimeSpan.Zero && await replica.WaitUntilLoadedAsync(wait, cancellationToken) ? Current : null;
    }

    public DateTimeOffset Now => clock.GetUtcNow();
}
