using Microsoft.Extensions.Logging;
using Radar.Core.Measures.Timeline;
using Radar.Core.Sources;

namespace Radar.Core.Measures.Ingest;

/// <summary>Imports the documents a source lists as its past editions (<c>Radar__Sources__N__Editions</c>).</summary>
internal sealed class EditionDocuments(EditionStore editions, SourceFetcher fetcher, EditionImporter importer, TimeProvider clock, ILogger logger)
{
    /// <summary>
    /// The source's <c>Editions</c> list: every document not imported yet (by its address; a
    /// <c>Full</c> run reads them all again) is fetched and imported as an edition of the source's
    /// radar. A document that cannot be used is reported and skipped; the others go in; the run
    /// of the source itself stands. A stored edition with other content is a conflict, reported,
    /// not replaced (the backfill can replace).
    /// </summary>
    public async Task<IReadOnlyList<EditionImportReport>> ImportAsync(
        Source source, string radarId, SourceRunMode mode, RunWrites written, CancellationToken cancellationToken)
    {
        var stored = await editions.ListAsync(radarId, cancellationToken);
        var imported = stored.Where(e => e.DocumentUrl is not null).Select(e => e.DocumentUrl!).ToHashSet(StringComparer.Ordinal);
        var reports = new List<EditionImportReport>();
        foreach (var url in source.Editions)
        {
            if (mode != SourceRunMode.Full && imported.Contains(url))
            {
                continue;
            }

            EditionImportReport report;
            try
            {
                var fetched = await fetcher.FetchAsync(url, SourceKinds.MeasuresJson, source.Origin, null, null, cancellationToken);
                if (fetched.Status != FetchStatus.Fetched)
                {
                    throw new SourceContentException(fetched.Error ?? "Not fetched.");
                }

                var content = JsonMeasureReader.Read(fetched.Content);
                if (content.Radar.Id != radarId)
                {
                    throw new SourceContentException($"The document describes radar '{content.Radar.Id}', not the source's radar '{radarId}'.");
                }

                if (content.Edition is not { } edition)
                {
                    throw new SourceContentException("The document names no edition ('radar.edition' with id, title, published).");
                }

                if (edition.Published > BerlinTime.DateOf(clock.GetUtcNow()))
                {
                    throw new SourceContentException($"Edition '{edition.Id}' is published {BerlinTime.Format(edition.Published)}, after today.");
                }

                var import = await importer.ImportAsync(content, source.Id, url, replace: false, cancellationToken);
                if (import.Commit is { } commit)
                {
                    written.Add(content.Radar, commit);
                }

                report = import.Report;
            }
            catch (SourceContentException ex)
            {
                report = new EditionImportReport { Radar = radarId, Url = url, Outcome = EditionOutcomes.Failed, Error = ex.Message };
            }

            logger.Log(report.Outcome is EditionOutcomes.Failed or EditionOutcomes.Conflict ? LogLevel.Warning : LogLevel.Information,
                "Source {Source}: edition document {Url}: {Outcome}{Error}", source.Id, url, report.Outcome, report.Error is null ? "" : $"; {report.Error}");
            reports.Add(report);
        }

        return reports;
    }
}
