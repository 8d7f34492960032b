namespace Radar.Testing;

/// <summary>Munich's past editions (<c>samples/measures/muenchen-editions</c>, 2020–2023) as the
/// source's <c>Editions</c> list, so <see cref="SampleRadars"/> ingests the radar with five
/// editions (2024 is <c>muenchen.json</c> itself), as the local run does.</summary>
public static class SampleEditions
{
    public static readonly string[] Past = ["2020", "2021", "2022", "2023"];

    public static IDictionary<string, string?> Settings() =>
        Past.Select((edition, i) => (Key: $"Radar:Sources:0:Editions:{i}", Value: "file:" + Path.Combine(SampleRadars.SamplesFolder, "muenchen-editions", edition + ".json")))
            .ToDictionary(x => x.Key, x => (string?)x.Value);
}
