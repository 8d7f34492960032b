using Radar.Core.Measures;
using Radar.Core.Search;
using Radar.Core.Tests.News;

namespace Radar.Core.Tests.Search;

/// <summary>
/// The bundled samples in an index in memory, as a first import leaves it: both radars' measures,
/// each with its "neu im Radar" change, and the sample news filed under the default radar.
/// </summary>
internal static class SampleIndex
{
    private static readonly DateTimeOffset Imported = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    public static RadarIndex Build()
    {
        var folder = Path.Combine(AzuriteFixture.RepoRoot, "samples", "measures");
        var muenchen = JsonMeasureReader.Read(File.ReadAllBytes(Path.Combine(folder, "muenchen.json")));
        var definition = JsonMeasureReader.ReadDefinition(File.ReadAllBytes(Path.Combine(folder, "musterstadt.radar.json")));
        var musterstadt = CsvMeasureReader.Read(File.ReadAllBytes(Path.Combine(folder, "musterstadt.csv")), definition);

        var documents = new List<SearchDocument>();
        foreach (var content in new[] { muenchen, musterstadt })
        {
            var radar = content.Radar;
            foreach (var measure in content.Measures)
            {
                var stored = new StoredMeasure
                {
                    RadarId = radar.Id,
                    Measure = measure,
                    CreatedAt = Imported,
                    ChangedAt = Imported,
                    Version = 1,
                    SourceId = radar.Id,
                };
                var created = new MeasureChange
                {
                    Id = MeasureChange.MakeId(radar.Id, measure.Id, 1),
                    RadarId = radar.Id,
                    MeasureId = measure.Id,
                    Sequence = 1,
                    Kind = ChangeKinds.Created,
                    At = Imported,
                    Title = measure.Title,
                    Area = measure.Area,
                    Status = measure.Status,
                    SourceId = radar.Id,
                };
                documents.Add(SearchDocumentMapper.Measure(stored, radar, "muenchen"));
                documents.Add(SearchDocumentMapper.Change(created, radar, measure, "muenchen"));
            }
        }

        var news = new NewsTesting();
        foreach (var (file, source) in NewsTesting.Samples)
        {
            documents.AddRange(news.ParseSample(file, source).Items.Select(item => SearchDocumentMapper.News(item, "muenchen")));
        }

        var index = RadarIndex.InMemory();
        index.Rebuild(documents);
        return index;
    }
}
