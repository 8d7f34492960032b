using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Radar.Core.Measures.Timeline;

public static class EditionOutcomes
{
    public const string Imported = "imported";
    public const string Replaced = "replaced";
    public const string Unchanged = "unchanged";

    /// <summary>The edition is stored with other content; not replaced (backfill: <c>?replace=true</c>).</summary>
    public const string Conflict = "conflict";

    /// <summary>A source's content names the newest edition, already stored, and differs from the
    /// current state: what differs was recorded as observations, dated by the ingest.</summary>
    public const string Observed = "observed";

    /// <summary>A source's content names an edition older than the newest stored, with other
    /// content than stored: nothing applied (a newer edition says more).</summary>
    public const string Stale = "stale";

    public const string Failed = "failed";
}

/// <summary>One edition imported (or not): outcome, counts of what it changed, skipped records.</summary>
public sealed record EditionImportReport
{
    public required string Radar { get; init; }

    public string? Edition { get; init; }

    /// <summary>The document's address (an <c>Editions</c> setting); null for a backfill.</summary>
    public string? Url { get; init; }

    public required string Outcome { get; init; }

    public DateOnly? Published { get; init; }

    public int Read { get; init; }

    public int Measures { get; init; }

    public int Created { get; init; }

    public int Updated { get; init; }

    public int StatusChanged { get; init; }

    public int Removed { get; init; }

    public int Restored { get; init; }

    public int Unchanged { get; init; }

    public IReadOnlyList<SkippedRecord> Skipped { get; init; } = [];

    public string? Error { get; init; }
}

/// <summary>What the importer did, with the commit for the listeners.</summary>
internal sealed record EditionImport(EditionImportReport Report, TimelineCommit? Commit, Edition? Stored);

/// <summary>
/// Stores a document as an edition: the edition row (members, kept ids, definition, content
/// hash) and one state per member dated by the publication day, then derives the radar again —
/// so the history is the same whatever order editions arrive in. The same edition again is
/// <c>unchanged</c>; the same id with other content a <c>conflict</c> unless replacing.
/// Shared by the ingest (a source's own edition, its <c>Editions</c> list) and the backfill.
/// </summary>
internal sealed class EditionImporter(EditionStore editions, TimelineWriter writer, TimeProvider clock, ILogger<EditionImporter> logger)
{
    private const int MaxAttempts = 3;

    public async Task<EditionImport> ImportAsync(
        MeasureSourceContent content, string? ownerSourceId, string? documentUrl, bool replace, CancellationToken cancellationToken)
    {
        var info = content.Edition ?? throw new ArgumentException("The content is not an edition.", nameof(content));
        var radarId = content.Radar.Id;
        var hash = ContentHash(content);
        var report = new EditionImportReport
        {
            Radar = radarId,
            Edition = info.Id,
            Url = documentUrl,
            Outcome = EditionOutcomes.Imported,
            Published = info.Published,
            Read = content.Read,
            Measures = content.Measures.Count,
            Skipped = content.Skipped,
        };
        for (var attempt = 1; ; attempt++)
        {
            var existing = await editions.GetAsync(radarId, info.Id, cancellationToken);
            if (existing is not null && existing.ContentHash == hash)
            {
                return new EditionImport(report with { Outcome = EditionOutcomes.Unchanged, Unchanged = content.Measures.Count }, null, existing);
            }

            if (existing is not null && !replace)
            {
                return new EditionImport(report with
                {
                    Outcome = EditionOutcomes.Conflict,
                    Error = $"Edition '{info.Id}' of radar '{radarId}' is already stored (imported {existing.ImportedAt:u}) with other content. " +
                            "Replace it explicitly, or give this one another id.",
                }, null, existing);
            }

            var edition = new Edition
            {
                RadarId = radarId,
                Id = info.Id,
                Title = info.Title,
                Published = info.Published,
                Introduction = info.Introduction,
                SourceId = ownerSourceId,
                DocumentUrl = documentUrl ?? existing?.DocumentUrl,
                ContentHash = hash,
                Members = content.Measures.ToDictionary(m => m.Id, m => m.Status, StringComparer.Ordinal),
                Kept = [.. content.KeptIds.Where(id => content.Measures.All(m => m.Id != id)).Order(StringComparer.Ordinal)],
                Definition = content.Radar,
                ImportedAt = clock.GetUtcNow(),
            };
            var states = content.Measures.Select(m => new TimelineState
            {
                MeasureId = m.Id,
                At = edition.At,
                Origin = TimelineState.EditionOrigin(edition.Id),
                Measure = m,
                SourceId = ownerSourceId,
            }).ToList();
            try
            {
                var commit = await writer.CommitAsync(radarId, new TimelineEdit
                {
                    Add = states,
                    DropEdition = existing?.Id,
                    PutEdition = edition,
                }, cancellationToken);
                var counts = commit.Editions.First(e => e.Id == edition.Id).Counts;
                logger.LogInformation("Radar {Radar}: edition {Edition} {Outcome}: {Measures} measures, {Created} created, {StatusChanged} status changed, {Removed} removed",
                    radarId, edition.Id, existing is null ? "imported" : "replaced", counts.Measures, counts.Created, counts.StatusChanged, counts.Removed);
                return new EditionImport(report with
                {
                    Outcome = existing is null ? EditionOutcomes.Imported : EditionOutcomes.Replaced,
                    Created = counts.Created,
                    Updated = counts.Updated,
                    StatusChanged = counts.StatusChanged,
                    Removed = counts.Removed,
                    Restored = counts.Restored,
                    Unchanged = Math.Max(0, counts.Measures - counts.Created - counts.Updated - counts.StatusChanged - counts.Restored),
                }, commit, edition);
            }
            catch (MeasureConcurrencyException ex) when (attempt < MaxAttempts)
            {
                logger.LogWarning("Radar {Radar}, edition {Edition}: {Message} Deriving again (attempt {Attempt}).", radarId, info.Id, ex.Message, attempt + 1);
            }
        }
    }

    /// <summary>SHA-256 of what makes the edition: its metadata, the definition, every measure in
    /// canonical form (by id) and the kept ids — not the bytes, so reformatting is no conflict.</summary>
    public static string ContentHash(MeasureSourceContent content)
    {
        var info = content.Edition!;
        var document = new JsonObject
        {
            ["edition"] = new JsonObject
            {
                ["id"] = info.Id,
                ["title"] = info.Title,
                ["published"] = BerlinTime.Format(info.Published),
                ["introduction"] = info.Introduction,
            },
            ["radar"] = JsonNode.Parse(MeasureJson.Serialize(content.Radar)),
            ["measures"] = new JsonArray([.. content.Measures.OrderBy(m => m.Id, StringComparer.Ordinal).Select(m => (JsonNode)MeasureJson.ToObject(m))]),
            ["kept"] = new JsonArray([.. content.KeptIds.Order(StringComparer.Ordinal).Select(id => (JsonNode)JsonValue.Create(id))]),
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document.ToJsonString(MeasureJson.Options))));
    }
}
