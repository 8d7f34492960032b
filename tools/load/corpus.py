#!/usr/bin/env python3
"""Writes the news corpus of tools/load/run.sh: FEEDS RSS 2.0 files of ITEMS items each.

    python3 tools/load/corpus.py OUT_DIR FEEDS ITEMS

Every item has its own link and guid (no two items share a canonical link, so every item is new
on the first ingest), a German-ish title and description drawn deterministically from small word
lists (some titles name WLAN, E-Akte, Glasfaser … so /api/search?q=wlan finds news), dates 17 h
apart going back from 2026-06-01, one or two of 15 categories. Same arguments, same bytes.
"""
import sys
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ADJECTIVES = "Neue Mehr Schnelleres Digitale Kostenloses Zusätzliche Bessere Erste Weitere Geplante Öffentliche Städtische".split()
NOUNS = ["Förderung", "WLAN", "E-Akte", "Bürgerbüro", "Terminvergabe", "Schul-Tablets", "Glasfaser",
         "Open Data", "Onlinedienste", "Ladesäulen", "Parkleitsystem", "Bürgerportal", "Verwaltungscloud",
         "Sensorik", "Breitband", "Lernplattform", "Wahlhelfer-App", "Bauantrag online",
         "Smart-City-Plattform", "Ratsinformationssystem"]
WHAT = ["für Schulen", "im Rathaus", "am Marienplatz", "für Senioren", "in Bibliotheken",
        "im Kreisverwaltungsreferat", "für Vereine", "an Haltestellen", "im Stadtrat", "für Unternehmen"]
WHERE = "Pasing Schwabing Giesing Sendling Bogenhausen Moosach Laim Haidhausen Neuhausen Trudering Milbertshofen Au".split()
CATEGORIES = ["Digitalisierung", "Verwaltung", "Bildung", "Mobilität", "Infrastruktur", "Stadtrat",
              "Bürgerservice", "Open Data", "Energie", "Kultur", "Wirtschaft", "Gesundheit", "Sicherheit",
              "Umwelt", "Soziales"]
BODY = ("Die Stadt teilt mit, dass das Vorhaben planmäßig vorankommt. Der Stadtrat hat die Mittel "
        "freigegeben; erste Ergebnisse sollen im Frühjahr vorliegen. Bürgerinnen und Bürger können sich "
        "online informieren und Rückmeldungen geben. Das Referat für Arbeit und Wirtschaft begleitet die "
        "Umsetzung gemeinsam mit den Bezirksausschüssen.").split()
NEWEST = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)


def feed(f: int, items: int) -> str:
    out = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
           f"<title>Lastquelle {f:03d}</title><link>https://lastquelle-{f:03d}.example/</link>"
           f"<description>Erzeugter Feed für Lastmessungen</description><language>de</language>\n"]
    for i in range(items):
        n = f * items + i
        title = (f"{ADJECTIVES[(n * 7 + f) % len(ADJECTIVES)]} {NOUNS[(n * 13 + 3 * f) % len(NOUNS)]} "
                 f"{WHAT[(n * 3 + f) % len(WHAT)]} in {WHERE[(n * 11) % len(WHERE)]} ({n})")
        body = " ".join(BODY[(n + w * 5) % len(BODY)] for w in range(60))
        date = NEWEST - timedelta(hours=17 * i, minutes=10 * f)
        categories = [CATEGORIES[n % len(CATEGORIES)]]
        if n % 3 == 0:
            categories.append(CATEGORIES[(n * 7 + 1) % len(CATEGORIES)])
        out.append(
            f"<item><title>{escape(title)}</title>"
            f"<link>https://lastquelle-{f:03d}.example/artikel/{i}</link>"
            f'<guid isPermaLink="false">lastquelle-{f:03d}-{i}</guid>'
            f"<pubDate>{format_datetime(date)}</pubDate>"
            + "".join(f"<category>{escape(c)}</category>" for c in categories)
            + f"<description>{escape(f'<p>{title}</p><p>{body}</p>')}</description></item>\n")
    out.append("</channel></rss>\n")
    return "".join(out)


def main() -> None:
    out_dir, feeds, items = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    out_dir.mkdir(parents=True, exist_ok=True)
    for f in range(feeds):
        (out_dir / f"quelle-{f:03d}.rss").write_text(feed(f, items), encoding="utf-8")


if __name__ == "__main__":
    main()
