using Microsoft.Extensions.Logging;
using Radar.Core.Sources;

namespace Radar.Core.Measures;

/// <summary>How a source may write to a radar: as its one owner (a measure it no longer names is
/// removed, whoever brought it), or as one of several sources that share it by settings (only the
/// measures it brought).</summary>
internal sealed record RadarClaim(string RadarId, bool Shared);

/// <summary>
/// One owner per radar. The first source that brings a radar owns it (<c>Radars.Owner</c>); a
/// second source naming that radar is refused — its run fails with a message saying which source
/// owns it and how to resolve it, which the ingest report and <c>components.sources</c> of health
/// show — unless both say in settings that they share it (<c>Radar__Sources__N__SharesRadar</c>),
/// and then their definitions must agree. An owner that is no longer a source (removed from
/// settings or the API) hands the radar to the next source that brings it. A radar whose
/// measures already came from several sources before this rule is left as it is, and every one
/// of those sources is refused, until all but one are removed.
/// </summary>
internal sealed class RadarOwnership(MeasureStore store, TimeProvider clock, ILogger<RadarOwnership> logger)
{
    /// <exception cref="SourceContentException">The source may not write to this radar.</exception>
    public async Task<RadarClaim> ClaimAsync(
        Source source, RadarDefinition radar, IReadOnlyList<Source> measureSources, IReadOnlyList<StoredMeasure> stored, CancellationToken cancellationToken)
    {
        var record = await store.GetRadarRecordAsync(radar.Id, cancellationToken);
        var sources = measureSources.ToDictionary(s => s.Id, StringComparer.Ordinal);
        if (record?.Owner is { } owner && owner != source.Id && sources.TryGetValue(owner, out var ownerSource))
        {
            if (!(source.SharesRadar && ownerSource.SharesRadar))
            {
                throw new SourceContentException(
                    $"Radar '{radar.Id}' belongs to source '{owner}'; source '{source.Id}' names it too and was not ingested. " +
                    $"A radar belongs to one source: remove one of them, or set SharesRadar=true on both (Radar__Sources__N__SharesRadar) " +
                    "if they are meant to share it, with the same definition.");
            }

            if (record.Definition is { } definition && MeasureJson.Serialize(definition) != MeasureJson.Serialize(radar))
            {
                throw new SourceContentException(
                    $"Radar '{radar.Id}' is shared by sources '{owner}' and '{source.Id}', but their definitions (title, areas, statuses) differ. " +
                    "Sources that share a radar must define it alike.");
            }

            return new RadarClaim(radar.Id, Shared: true);
        }

        if (record?.Owner is null)
        {
            // Before this rule, several sources could write one radar. Whose measures are on it now?
            var others = stored.Where(m => !m.Removed && m.SourceId is { } id && id != source.Id && sources.ContainsKey(id))
                .Select(m => m.SourceId!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (others.Count > 0 && !(source.SharesRadar && others.All(o => sources[o].SharesRadar)))
            {
                throw new SourceContentException(
                    $"Radar '{radar.Id}' already holds measures of source{(others.Count > 1 ? "s" : "")} '{string.Join("', '", others)}' " +
                    $"as well as of '{source.Id}' (merged before one owner per radar was enforced). Nothing was changed: " +
                    "remove all but one of these sources, or set SharesRadar=true on all of them.");
            }
        }

        if (record?.Owner != source.Id && !(source.SharesRadar && record?.Owner is { } sharedOwner && sources.ContainsKey(sharedOwner)))
        {
            if (record?.Owner is { } previous)
            {
                logger.LogInformation("Radar {Radar}: its owner {Previous} is no longer a source; {Source} owns it now", radar.Id, previous, source.Id);
            }

            await store.SetOwnerAsync(radar, source.Id, clock.GetUtcNow(), cancellationToken);
        }

        return new RadarClaim(radar.Id, Shared: source.SharesRadar && measureSources.Any(s => s.Id != source.Id && s.SharesRadar));
    }
}
