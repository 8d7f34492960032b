using Radar.Core.Search;

namespace Radar.Core.Tests.Search;

/// <summary>A small German corpus written for the search tests: measures, news and a change.</summary>
internal static class GermanCorpus
{
    public static readonly IReadOnlyList<SearchDocument> Documents =
    [
        Measure("oeffentliches-wlan", "Öffentliches WLAN",
            "Kostenloses WLAN an öffentlichen Plätzen in München.",
            "Die Stadt baut das Netz an Plätzen und in der Innenstadt aus. Bis 2022 sollen 1.200 Zugangspunkte in Betrieb sein.",
            "infrastruktur", "in-umsetzung", ["IT-Referat", "Stadtwerke München"], "2020-07-23", ["WLAN", "Hotspot"]),
        Measure("e-akte", "Einführung der E-Akte",
            "Die Verwaltung stellt von Papier auf digitale Vorgänge um.",
            "Alle Referate arbeiten bis 2023 mit der E-Akte. Dokumente werden gescannt und revisionssicher abgelegt.",
            "stadtverwaltung", "in-umsetzung", ["IT-Referat", "Personal- und Organisationsreferat"], "2019-11-05", ["E-Akte", "Verwaltung"]),
        Measure("digitale-bibliothek", "Digitale Bibliothek",
            "Die Münchner Stadtbibliothek bietet E-Books, Zeitschriften und Onlinekurse.",
            "Mit dem Ausweis leihen Leserinnen und Leser Medien rund um die Uhr aus.",
            "stadtgesellschaft", "umgesetzt", ["Kulturreferat"], "2018-03-01", ["Bibliothek", "E-Books"]),
        Measure("digitalisierungsstrategie", "Digitalisierungsstrategie der Stadt",
            "Leitlinien und Ziele für die digitale Stadt bis 2025.",
            "Der Stadtrat hat die Leitlinien beschlossen; sie werden jährlich fortgeschrieben.",
            "stadtverwaltung", "umgesetzt", ["IT-Referat"], "2018-06-10", ["Leitlinien"]),
        Measure("buergerservice-online", "Bürgerservice im Internet",
            "Meldebescheinigung, Anwohnerparken und Führungszeugnis online beantragen.",
            "Das Portal ist rund um die Uhr erreichbar; bezahlt wird mit Kreditkarte oder Lastschrift.",
            "stadtverwaltung", "in-umsetzung", ["Kreisverwaltungsreferat"], "2021-02-01", ["Online-Dienste"]),
        Measure("ozg-umsetzung", "Umsetzung des Onlinezugangsgesetzes",
            "Bis Ende 2022 sollen Verwaltungsleistungen digital angeboten werden.",
            "Das Gesetz verpflichtet Bund, Länder und Kommunen, ihre Leistungen über Portale anzubieten.",
            "stadtverwaltung", "in-planung", ["IT-Referat"], "2021-09-15", ["OZG"]),
        Measure("ki-verkehr", "Künstliche Intelligenz für die Verkehrssteuerung",
            "Ampeln lernen aus Verkehrsdaten und verkürzen Wartezeiten.",
            "Ein Pilot an zwölf Kreuzungen wertet Sensordaten in Echtzeit aus.",
            "infrastruktur", "idee", ["Mobilitätsreferat"], "2022-04-01", ["Verkehr"]),
        Measure("schulen-tablets", "Tablets für Schulen",
            "Geräte für <Schulen> & Kitas \"jetzt\" bestellen.",
            "Jede Klasse bekommt einen Satz Tablets und eine digitale Tafel.",
            "stadtgesellschaft", "in-umsetzung", ["Referat für Bildung und Sport"], "2020-09-01", ["Schule", "Tablets"]),
        News("n-wifi-busse", "WiFi in allen Bussen",
            "Die Verkehrsgesellschaft rüstet ihre Busse mit kostenlosem Internet aus.",
            "Fahrgäste surfen ab Herbst kostenlos in allen Bussen der Stadt.",
            "2021-05-03", ["Mobilität"]),
        News("n-open-data", "Muenchen startet Portal für offene Daten",
            "Die Landeshauptstadt veröffentlicht Haushaltsdaten und Verkehrszählungen.",
            "Entwickler können die Daten über eine Schnittstelle abrufen.",
            "2022-01-20", ["Open Data"]),
        News("n-papierlos", "Papierlose Verwaltung spart Kosten",
            "Weniger Papier dank digitaler Vorgänge im Rathaus.",
            "Der Bericht beziffert die Einsparung auf mehrere Millionen Euro.",
            "2023-03-14", ["Verwaltung"]),
        new SearchDocument
        {
            Type = SearchDocumentTypes.Change,
            Id = "c-wlan-status",
            RadarId = "muenchen",
            Title = "Öffentliches WLAN: Status geändert",
            Summary = "Von In Planung nach In Umsetzung.",
            Area = "infrastruktur",
            Status = "in-umsetzung",
            Departments = ["IT-Referat"],
            Date = DateTimeOffset.Parse("2020-07-23T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            Url = "/massnahmen/oeffentliches-wlan",
            MeasureId = "oeffentliches-wlan",
        },
    ];

    private static SearchDocument Measure(string id, string title, string summary, string body, string area, string status,
        string[] departments, string date, string[] tags) => new()
        {
            Type = SearchDocumentTypes.Measure,
            Id = id,
            RadarId = "muenchen",
            Title = title,
            Summary = summary,
            Body = body,
            Area = area,
            Status = status,
            Departments = departments,
            Tags = tags,
            Field = "Digitale Verwaltung",
            Date = DateTimeOffset.Parse(date + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            Url = "/massnahmen/" + id,
        };

    private static SearchDocument News(string id, string title, string summary, string body, string date, string[] tags) => new()
    {
        Type = SearchDocumentTypes.News,
        Id = id,
        Title = title,
        Summary = summary,
        Body = body,
        Tags = tags,
        Source = "Stadtportal",
        Date = DateTimeOffset.Parse(date + "T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        Url = "https://example.org/news/" + id,
    };
}
