using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Radar.Core.Search.Replication;

/// <summary>
/// The published index: which Lucene commit (<see cref="Lineage"/>, <see cref="Generation"/>)
/// and every file it consists of, each with the blob it is stored in, its length and SHA-256. It
/// is written last, after every file it names, so a reader that finds a manifest finds its files.
/// See docs/architecture.md, "Search", for the protocol.
/// </summary>
public sealed partial record IndexManifest
{
    /// <summary>What the index holds and how it is keyed. 2: news keyed by type and id, a news
    /// item always on its radar, radar facet values. 3: the read model inside the commit (record
    /// documents of radars, editions and measures; news documents with their stored item and
    /// listing terms), what every public GET reads. A snapshot of another format is rebuilt from
    /// the tables (as one that is damaged is).</summary>
    public const int CurrentFormat = 3;

    public required int Format { get; init; }

    /// <summary>One index from one rebuild on: every commit of a lineage descends from the one
    /// before, so a file name within it always means the same bytes. A rebuild starts a new one.</summary>
    public required string Lineage { get; init; }

    /// <summary>The Lucene commit generation (<c>segments_N</c>).</summary>
    public required long Generation { get; init; }

    public required string SegmentsFile { get; init; }

    public required DateTimeOffset PublishedAt { get; init; }

    /// <summary>Who published it (machine and process).</summary>
    public string? PublishedBy { get; init; }

    /// <summary>What led to it: <c>rebuild</c> (with why) or <c>update</c>.</summary>
    public string? Reason { get; init; }

    /// <summary>Documents per type in this commit.</summary>
    public IReadOnlyDictionary<string, int> Documents { get; init; } = new Dictionary<string, int>();

    public required IReadOnlyList<SnapshotFile> Files { get; init; }

    /// <summary>Blobs earlier manifests named and this one does not, with when they stopped being
    /// named: deleted once the grace period has passed since then.</summary>
    public IReadOnlyList<RetiredBlob> Retired { get; init; } = [];

    [JsonIgnore]
    public long Bytes => Files.Sum(f => f.Length);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>The manifest in <paramref name="json"/>, or <see cref="SnapshotCorruptException"/>
    /// saying what is wrong with it.</summary>
    public static IndexManifest Parse(ReadOnlySpan<byte> json)
    {
        IndexManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<IndexManifest>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new SnapshotCorruptException($"The manifest is not valid JSON: {ex.Message}");
        }

        if (manifest is null)
        {
            throw new SnapshotCorruptException("The manifest is empty.");
        }

        manifest.Validate();
        return manifest;
    }

    private void Validate()
    {
        if (Format != CurrentFormat)
        {
            throw new SnapshotCorruptException($"The manifest has format {Format}; this version reads format {CurrentFormat}.");
        }

        if (string.IsNullOrEmpty(Lineage) || !IdPattern().IsMatch(Lineage) || Generation < 1 || Files is null || Files.Count == 0)
        {
            throw new SnapshotCorruptException("The manifest names no lineage, generation or files.");
        }

        foreach (var file in Files)
        {
            if (file is null || !FileNamePattern().IsMatch(file.Name ?? "") || !BlobPattern().IsMatch(file.Blob ?? "")
                || file.Length < 0 || !HashPattern().IsMatch(file.Sha256 ?? ""))
            {
                throw new SnapshotCorruptException($"The manifest names a file it cannot have: '{file?.Name}'.");
            }
        }

        if (Files.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count() != Files.Count
            || !Files.Any(f => f.Name == SegmentsFile))
        {
            throw new SnapshotCorruptException("The manifest names a file twice, or not its segments file.");
        }
    }

    /// <summary>Documents per type in what <paramref name="index"/> holds now, as a manifest
    /// records them (and a replica checks them).</summary>
    internal static IReadOnlyDictionary<string, int> DocumentsOf(RadarIndex index)
    {
        var facets = index.Search(new SearchRequest { PageSize = 1 }).Facets[FacetNames.Type];
        return SearchDocumentTypes.All.ToDictionary(t => t, t => facets.GetValueOrDefault(t), StringComparer.Ordinal);
    }

    /// <summary>Lucene's file names: <c>_0.cfs</c>, <c>_3_1.del</c>, <c>segments_a</c>.</summary>
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")]
    private static partial Regex FileNamePattern();

    [GeneratedRegex("^files/[a-z0-9]{1,64}/[a-z0-9]{1,64}/[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")]
    private static partial Regex BlobPattern();

    [GeneratedRegex("^[a-z0-9]{1,64}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HashPattern();
}

/// <summary>One file of a commit: its Lucene name, the blob that holds it, length and SHA-256 (hex).</summary>
public sealed record SnapshotFile(string Name, string Blob, long Length, string Sha256);

public sealed record RetiredBlob(string Blob, DateTimeOffset Since);

/// <summary>A snapshot that cannot be used as it is: a manifest that does not parse, a file it
/// names that is missing or not what the manifest says, an index that does not open. Unlike a
/// storage error, waiting does not help: the index must be rebuilt from the tables.</summary>
public sealed class SnapshotCorruptException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The manifest changed under a writer: another writer published in between (the lease
/// was lost). What this writer committed is not published.</summary>
public sealed class SnapshotConflictException(string message, Exception? inner = null) : Exception(message, inner);
