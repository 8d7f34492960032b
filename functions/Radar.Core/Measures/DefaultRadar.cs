using Microsoft.Extensions.Options;
using Radar.Core.Sources;

namespace Radar.Core.Measures;

/// <summary>The radar served when a request names none: the setting, else the radar of the first
/// measures source in settings, else the first stored.</summary>
public sealed class DefaultRadar(MeasureStore store, SourceStore sources, IOptions<MeasuresOptions> options)
{
    public async Task<string?> IdAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.Value.DefaultRadar))
        {
            return options.Value.DefaultRadar.Trim();
        }

        var radars = await store.ListRadarEntriesAsync(cancellationToken);
        foreach (var source in sources.FromSettings().Where(s => SourceKinds.IsMeasures(s.Kind)))
        {
            // The radar a source is set up for, else the one its file declared when it was ingested.
            var radar = source.Radar is { } configured
                ? radars.FirstOrDefault(r => r.Radar.Id == configured)
                : radars.FirstOrDefault(r => r.SourceId == source.Id);
            if (radar.Radar is not null)
            {
                return radar.Radar.Id;
            }
        }

        return radars.Select(r => r.Radar.Id).Order(StringComparer.Ordinal).FirstOrDefault();
    }
}
