using Microsoft.Extensions.Options;
using Radar.Core.Sources;

namespace Radar.Core.Measures;

/// <summary>The radar served when a request names none: the setting, else the radar of the first
/// measures source in settings, else the first stored. Read from the tables (the writers' view);
/// the public routes ask <see cref="IRadarReads.DefaultRadarIdAsync"/>, which applies
/// <see cref="Choose"/> to the radars of the snapshot they read.</summary>
public sealed class DefaultRadar(MeasureStore store, SourceStore sources, IOptions<MeasuresOptions> options)
{
    public async Task<string?> IdAsync(CancellationToken cancellationToken)
    {
        if (Configured is { } configured)
        {
            return configured;
        }

        return Choose(await store.ListRadarEntriesAsync(cancellationToken));
    }

    /// <summary>The setting, when there is one (no storage needed).</summary>
    public string? Configured => string.IsNullOrWhiteSpace(options.Value.DefaultRadar) ? null : options.Value.DefaultRadar.Trim();

    /// <summary>The default among <paramref name="radars"/> (each with the source that last defined it).</summary>
    public string? Choose(IReadOnlyList<(RadarDefinition Radar, string? SourceId)> radars)
    {
        if (Configured is { } configured)
        {
            return configured;
        }

        foreach (var source in sources.FromSettings().Where(s => SourceKinds.IsMeasures(s.Kind)))
        {
            // The radar a source is set up for, else the one its file declared when it was ingested.
            var radar = source.Radar is { } wanted
                ? radars.FirstOrDefault(r => r.Radar.Id == wanted)
                : radars.FirstOrDefault(r => r.SourceId == source.Id);
            if (radar.Radar is not null)
            {
                return radar.Radar.Id;
            }
        }

        return radars.Select(r => r.Radar.Id).Order(StringComparer.Ordinal).FirstOrDefault();
    }
}
