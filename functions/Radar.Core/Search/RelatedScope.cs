using System.Collections.Concurrent;
using Radar.Core.Measures;
using Radar.Core.News;
using Radar.Core.Sources;

namespace Radar.Core.Search;

/// <summary>
/// Which radar's measures a news item is related to: the radar its source is set up for
/// (<c>Radar__Sources__N__Radar</c> on a news source), else the default radar. Related measure
/// ids are ids on that radar.
/// </summary>
public sealed class RelatedScope(SourceStore sources, DefaultRadar defaultRadar, TimeProvider clock)
{
    private static readonly TimeSpan Remember = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (string? Radar, DateTimeOffset At)> _sourceRadars = new(StringComparer.Ordinal);

    public async Task<string?> RadarOfAsync(NewsItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        foreach (var source in item.Sources)
        {
            if (await SourceRadarAsync(source.Id, cancellationToken) is { } radar)
            {
                return radar;
            }
        }

        return await defaultRadar.IdAsync(cancellationToken);
    }

    private async Task<string?> SourceRadarAsync(string sourceId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_sourceRadars.TryGetValue(sourceId, out var known) && now - known.At < Remember)
        {
            return known.Radar;
        }

        var radar = sources.FromSettings().FirstOrDefault(s => s.Id == sourceId)?.Radar
            ?? (await sources.GetAsync(sourceId, cancellationToken))?.Radar;
        _sourceRadars[sourceId] = (string.IsNullOrWhiteSpace(radar) ? null : radar.Trim(), now);
        return _sourceRadars[sourceId].Radar;
    }
}
