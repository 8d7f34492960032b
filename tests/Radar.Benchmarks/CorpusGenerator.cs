using System.Globalization;
using System.Text;
using Radar.Core.Search;

namespace Radar.Benchmarks;

/// <summary>
/// A deterministic German corpus: measures, news and changes with titles of 8 words, summaries
/// of 40 and bodies of 150, drawn Zipf-distributed from about 2,900 words (stop words, nouns with
/// umlauts and ß, adjectives, verbs, and compounds built from the nouns with linking s/n/en).
/// </summary>
public sealed class CorpusGenerator
{
    private static readonly string[] StopWords =
    [
        "der", "die", "das", "und", "in", "den", "von", "zu", "mit", "für", "auf", "im", "ist", "des", "dem",
        "nicht", "ein", "eine", "als", "auch", "es", "an", "werden", "aus", "er", "hat", "dass", "sie", "nach",
        "wird", "bei", "einer", "um", "am", "sind", "noch", "wie", "einem", "über", "einen", "so", "zum", "war",
        "haben", "nur", "oder", "aber", "vor", "zur", "bis", "mehr", "durch", "man", "sein", "wurde", "sei",
    ];

    private static readonly string[] Nouns =
    [
        "Stadt", "Verwaltung", "Bürger", "Service", "Daten", "Netz", "Schule", "Bibliothek", "Straße", "Verkehr",
        "Förderung", "Schüler", "Gebäude", "Öffentlichkeit", "Antrag", "Portal", "Akte", "Dienst", "Leistung", "Plattform",
        "Strategie", "Digitalisierung", "Infrastruktur", "Sicherheit", "Gebühr", "Übersicht", "Änderung", "Prüfung", "Größe", "Fläche",
        "Kläranlage", "Grünfläche", "Wohnung", "Energie", "Klima", "Umwelt", "Mobilität", "Fahrrad", "Parkplatz", "Haltestelle",
        "Bahnhof", "Bus", "Tram", "Ampel", "Sensor", "Karte", "Termin", "Formular", "Ausweis", "Pass",
        "Meldung", "Register", "Steuer", "Haushalt", "Rechnung", "Zahlung", "Konto", "Gewerbe", "Unternehmen", "Wirtschaft",
        "Kultur", "Museum", "Theater", "Sport", "Bad", "Park", "Spielplatz", "Kita", "Jugend", "Familie",
        "Senioren", "Pflege", "Gesundheit", "Klinik", "Feuerwehr", "Polizei", "Rettung", "Katastrophe", "Schutz", "Wasser",
        "Abfall", "Müll", "Tonne", "Recycling", "Licht", "Beleuchtung", "Glasfaser", "Breitband", "Funk", "Antenne",
        "Rechenzentrum", "Server", "Software", "Anwendung", "App", "Schnittstelle", "Lizenz", "Beschaffung", "Vergabe", "Vertrag",
        "Personal", "Schulung", "Fortbildung", "Arbeitsplatz", "Telefon", "Post", "Brief", "Dokument", "Archiv", "Scan",
        "Signatur", "Identität", "Konto", "Zugang", "Anmeldung", "Beteiligung", "Umfrage", "Wahl", "Rat", "Ausschuss",
        "Bericht", "Haushaltsplan", "Projekt", "Programm", "Konzept", "Pilot", "Betrieb", "Wartung", "Ausbau", "Planung",
        "Bauantrag", "Baustelle", "Brücke", "Tunnel", "Kanal", "Leitung", "Strom", "Wärme", "Gas", "Messung",
        "Bürgerbüro", "Rathaus", "Bezirk", "Viertel", "Quartier", "Platz", "Markt", "Hof", "Garten", "Wald",
        "Tourismus", "Hotel", "Messe", "Kongress", "Forschung", "Hochschule", "Universität", "Labor", "Innovation", "Gründung",
        "Förderprogramm", "Zuschuss", "Kredit", "Bürgschaft", "Beratung", "Auskunft", "Hotline", "Chat", "Assistent", "Roboter",
        "Drohne", "Fahrzeug", "Flotte", "Ladesäule", "Elektroauto", "Carsharing", "Radweg", "Fußweg", "Gehweg", "Kreuzung",
        "Lärm", "Luft", "Hitze", "Regen", "Hochwasser", "Baum", "Pflanze", "Tier", "Hund", "Friedhof",
        "Standesamt", "Ehe", "Geburt", "Urkunde", "Einbürgerung", "Aufenthalt", "Visum", "Führerschein", "Zulassung", "Kennzeichen",
        "Gewerbeschein", "Genehmigung", "Erlaubnis", "Kontrolle", "Aufsicht", "Datenschutz", "Transparenz", "Offenheit", "Qualität", "Zufriedenheit",
        "Geschäft", "Laden", "Handel", "Handwerk", "Betrieb", "Fabrik", "Logistik", "Lieferung", "Paket", "Station",
        "Mitarbeiter", "Führung", "Team", "Abteilung", "Referat", "Amt", "Behörde", "Kommune", "Land", "Bund",
        "Gesetz", "Verordnung", "Satzung", "Richtlinie", "Norm", "Standard", "Prozess", "Verfahren", "Workflow", "Aufgabe",
        "Ziel", "Maßnahme", "Ergebnis", "Erfolg", "Fortschritt", "Stand", "Zeitplan", "Budget", "Kosten", "Einsparung",
    ];

    private static readonly string[] Adjectives =
    [
        "digital", "öffentlich", "kostenlos", "schnell", "einfach", "sicher", "neu", "modern", "städtisch", "elektronisch",
        "mobil", "barrierefrei", "offen", "transparent", "nachhaltig", "grün", "sozial", "zentral", "lokal", "regional",
        "gemeinsam", "zuständig", "verfügbar", "erreichbar", "zuverlässig", "effizient", "flexibel", "innovativ", "vernetzt", "intelligent",
        "künftig", "jährlich", "monatlich", "täglich", "weiter", "groß", "klein", "lang", "kurz", "hoch",
        "niedrig", "wichtig", "möglich", "notwendig", "erfolgreich", "bürgernah", "papierlos", "automatisch", "persönlich", "zusätzlich",
    ];

    private static readonly string[] Verbs =
    [
        "baut", "startet", "erweitert", "verbessert", "ermöglicht", "bietet", "plant", "prüft", "beschließt", "fördert",
        "entwickelt", "einführt", "ersetzt", "vereinfacht", "beschleunigt", "unterstützt", "vernetzt", "digitalisiert", "modernisiert", "öffnet",
        "stellt", "schafft", "senkt", "erhöht", "testet", "betreibt", "wartet", "sichert", "schützt", "informiert",
        "beantragt", "bezahlt", "bucht", "meldet", "nutzt", "lädt", "teilt", "veröffentlicht", "bewertet", "berichtet",
    ];

    private static readonly string[] Areas = ["stadtgesellschaft", "stadtverwaltung", "infrastruktur"];
    private static readonly string[] Statuses = ["umgesetzt", "in-umsetzung", "in-planung", "idee"];
    private static readonly string[] Departments =
    [
        "IT-Referat", "Stadtwerke München", "Kreisverwaltungsreferat", "Kulturreferat", "Mobilitätsreferat",
        "Referat für Bildung und Sport", "Personal- und Organisationsreferat", "Baureferat", "Kommunalreferat", "Sozialreferat",
        "Gesundheitsreferat", "Referat für Klima- und Umweltschutz", "Direktorium", "Stadtkämmerei", "Referat für Arbeit und Wirtschaft",
        "Planungsreferat", "Branddirektion", "Münchner Stadtbibliothek", "Abfallwirtschaftsbetrieb", "Stadtentwässerung",
    ];

    private readonly string[] _vocabulary;
    private readonly double[] _cumulative;

    public CorpusGenerator(int seed = 4711)
    {
        var random = new Random(seed);
        var compounds = new HashSet<string>(StringComparer.Ordinal);
        while (compounds.Count < 2_400)
        {
            var head = Nouns[random.Next(Nouns.Length)];
            var modifier = Nouns[random.Next(Nouns.Length)];
            if (head == modifier)
            {
                continue;
            }
            var link = modifier.EndsWith("ung", StringComparison.Ordinal) || modifier.EndsWith("heit", StringComparison.Ordinal) ? "s"
                : modifier.EndsWith('e') ? "n"
                : random.Next(5) == 0 ? "s" : string.Empty;
            compounds.Add(modifier + link + head.ToLowerInvariant());
        }
        // Rank order: stop words first (most frequent), then a shuffled mix of the rest.
        var content = Nouns.Distinct().Concat(Adjectives).Concat(Adjectives.Select(a => a + "e")).Concat(Adjectives.Select(a => a + "en"))
            .Concat(Verbs).Concat(compounds).Distinct().OrderBy(_ => random.Next()).ToList();
        _vocabulary = [.. StopWords, .. content];
        // Zipf with exponent 1: word at rank r is drawn with probability ∝ 1 / r.
        _cumulative = new double[_vocabulary.Length];
        var sum = 0.0;
        for (var rank = 0; rank < _vocabulary.Length; rank++)
        {
            sum += 1.0 / (rank + 1);
            _cumulative[rank] = sum;
        }
        for (var rank = 0; rank < _cumulative.Length; rank++)
        {
            _cumulative[rank] /= sum;
        }
    }

    public IReadOnlyList<string> Vocabulary => _vocabulary;

    public string Word(Random random)
    {
        var index = Array.BinarySearch(_cumulative, random.NextDouble());
        return _vocabulary[index < 0 ? ~index : index];
    }

    /// <summary>A content word with rank in [from, to): not a stop word, neither too common nor too rare.</summary>
    public string ContentWord(Random random, int from, int to) =>
        _vocabulary[StopWords.Length + random.Next(from, Math.Min(to, _vocabulary.Length - StopWords.Length))];

    public string Text(Random random, int words)
    {
        var builder = new StringBuilder(words * 9);
        var sentence = 0;
        for (var i = 0; i < words; i++)
        {
            var word = Word(random);
            if (sentence == 0)
            {
                word = char.ToUpperInvariant(word[0]) + word[1..];
            }
            builder.Append(word);
            sentence++;
            if (sentence >= 8 && random.Next(5) == 0 || i == words - 1)
            {
                builder.Append(". ");
                sentence = 0;
            }
            else
            {
                builder.Append(' ');
            }
        }
        return builder.ToString().TrimEnd();
    }

    public IEnumerable<SearchDocument> Documents(int count)
    {
        var random = new Random(1000 + count);
        var start = new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(10);
            var type = roll < 2 ? SearchDocumentTypes.Measure : roll < 9 ? SearchDocumentTypes.News : SearchDocumentTypes.Change;
            var departments = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Departments[random.Next(Departments.Length)]).Distinct().ToArray();
            var tags = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => Capitalised(ContentWord(random, 0, 400))).Distinct().ToArray();
            var id = type[0] + i.ToString(CultureInfo.InvariantCulture);
            yield return new SearchDocument
            {
                Type = type,
                Id = id,
                RadarId = "muenchen",
                Title = Capitalised(Text(random, 8).TrimEnd('.')),
                Summary = Text(random, 40),
                Body = Text(random, 150),
                Tags = tags,
                Area = Areas[random.Next(Areas.Length)],
                Status = Statuses[random.Next(Statuses.Length)],
                Departments = departments,
                Field = "Handlungsfeld " + random.Next(9),
                Date = start.AddMinutes(random.Next(0, 11 * 365 * 24 * 60)),
                Url = type == SearchDocumentTypes.News ? "https://example.org/news/" + id : "/massnahmen/" + id,
            };
        }
    }

    private static string Capitalised(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];
}
