#!/usr/bin/env python3
"""Ingest figures for tools/load/run.sh, as a Markdown table.

    python3 tools/load/ingest_figures.py RUNNER_LOG "LABEL|REPORT_JSON|T_POST|T_ANSWERED|T_INDEXED" ...

T_* are Unix times: the POST sent, its answer received (the ingest's index update is done by
then), the served index counting the new documents (the end of "end to end"). Items are those
of the corpus sources (ids starting with "lastquelle"). The first and last 1,000 come from the
runner's per-source log lines ("News source <id>: <outcome>; read <n>, ..."), which run.sh
stamps with their arrival time: a source counts when all its items are stored.
"""
import json
import re
import sys

LINE = re.compile(r"^(\d+\.\d+) .*News source (lastquelle\S*): (\S+); read (\d+)")


def per_source_times(log_path, start, end):
    done = []
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            m = LINE.match(line)
            if m and start <= float(m.group(1)) <= end:
                done.append((float(m.group(1)), int(m.group(4))))
    return sorted(done)


def window(done, start, n=1000):
    """(seconds, items) of the first and of the last n items, from per-source finishing times."""
    total = sum(read for _, read in done)
    if total < 2 * n:
        return None, None
    cumulative, first, last_from = 0, None, (start, 0)
    for at, read in done:
        if cumulative <= total - n:
            last_from = (at, cumulative)
        cumulative += read
        if first is None and cumulative >= n:
            first = (at - start, cumulative)
    last = (done[-1][0] - last_from[0], total - last_from[1])
    return first, last


def rate(pair):
    if pair is None:
        return "–"
    seconds, items = pair
    return f"{items / seconds:,.0f}/s ({items:,} in {seconds:.1f} s)" if seconds > 0 else "–"


def main():
    log_path, runs = sys.argv[1], sys.argv[2:]
    print("| ingest run | items read | new | unchanged | not modified (sources) | POST answered | index serves them | items/s end to end | first 1,000 | last 1,000 |")
    notes = []
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for spec in runs:
        label, report_path, t_post, t_answered, t_indexed = spec.split("|")
        t_post, t_answered, t_indexed = float(t_post), float(t_answered), float(t_indexed)
        with open(report_path, encoding="utf-8") as f:
            report = json.load(f)
        sources = [s for s in report.get("sources", []) if str(s.get("source", "")).startswith("lastquelle")]
        read = sum(s.get("read", 0) for s in sources)
        new = sum(s.get("new", 0) for s in sources)
        unchanged = sum(s.get("unchanged", 0) for s in sources)
        not_modified = sum(1 for s in sources if s.get("outcome") == "not-modified")
        failed = [s for s in sources if s.get("outcome") not in ("ingested", "not-modified")]
        elapsed = t_indexed - t_post
        first, last = window(per_source_times(log_path, t_post, t_answered), t_post)
        print(f"| {label} | {read:,} | {new:,} | {unchanged:,} | {not_modified} | {t_answered - t_post:.1f} s | {elapsed:.1f} s "
              f"| {read / elapsed:,.0f} | {rate(first)} | {rate(last)} |")
        if report.get("indexSeconds"):
            notes.append(f"{label}: index update {report['indexSeconds']:.1f} s of it, {report.get('batches', 0):,} batches ({report.get('rows', 0):,} rows)")
        if failed:
            notes.append(f"{label}: {len(failed)} sources not ingested ({', '.join(sorted({str(s.get('outcome')) for s in failed}))})")
    for note in notes:
        print(f"\n**{note}**")


if __name__ == "__main__":
    main()
