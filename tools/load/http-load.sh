#!/usr/bin/env bash
# Load figures for the public API (docs/performance.md, "HTTP load"): starts Radar under the local
# runner (Release build) on loopback with its own Azurite and the Munich sample, waits until the
# sample is ingested and the search index is loaded, then runs wrk against each route twice:
# a plain GET (200) and a conditional GET with the route's current ETag (304).
#
#   tools/load/http-load.sh                      # 64 connections, 30 s per run
#   DURATION=10s CONNECTIONS=32 tools/load/http-load.sh
#   CACHE_SECONDS=0 tools/load/http-load.sh      # every 200 built afresh (no per-URL answer cache)
#
# Needs wrk (Debian: apt-get install wrk), curl, node/npm (Azurite). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT=${PORT:-7391}
BLOB=${AZURITE_BLOB:-10391}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
CACHE_SECONDS=${CACHE_SECONDS:-5}
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d /tmp/radar-load-XXXXXX)
KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$KEY;BlobEndpoint=http://127.0.0.1:$BLOB/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$((BLOB + 1))/devstoreaccount1;TableEndpoint=http://127.0.0.1:$((BLOB + 2))/devstoreaccount1"
export LocalRunner__AzuriteLocation="$WORK/azurite"
export LocalRunner__RunTimersOnStartup=true
export Radar__StoragePrefix="load$(date +%s)"
export Radar__PublicUrl="$BASE"
export Radar__Http__CacheSeconds="$CACHE_SECONDS"
export Radar__Search__IndexPath="$WORK/index"
export Logging__LogLevel__Default=Warning

dotnet build -c Release functions/Radar.Local -nologo -v q >/dev/null
dotnet run -c Release --no-build --no-launch-profile --project functions/Radar.Local -- --urls "$BASE" >"$WORK/runner.log" 2>&1 &
RUNNER=$!
trap 'kill $RUNNER 2>/dev/null; wait $RUNNER 2>/dev/null; rm -rf "$WORK"' EXIT

ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE$1")" = 200 ]; }
for _ in $(seq 1 180); do
  if ready /api/radar && ready "/api/feed.rss?q=wlan" && ready "/api/search?q=wlan"; then break; fi
  sleep 1
done
ready "/api/search?q=wlan" || { echo "Radar did not get ready; see $WORK/runner.log" >&2; cat "$WORK/runner.log" >&2; exit 1; }

ROUTES=(/api/radar /api/changes /api/feed.rss "/api/feed.rss?q=wlan" "/api/search?q=wlan")
etag_of() { curl -s -D - -o "$WORK/body" "$BASE$1" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}'; }
etags() { for route in "${ROUTES[@]}"; do etag_of "$route"; done; }
# The startup ingest (two radars) and the index commits it publishes settle first: every route's
# ETag the same twice, longer apart than the answer cache and the replica's refresh.
previous=""
for _ in $(seq 1 30); do
  current=$(etags)
  [ "$current" = "$previous" ] && break
  previous=$current
  sleep $((CACHE_SECONDS + 6))
done
echo "wrk, $THREADS threads, $CONNECTIONS connections, $DURATION per run, Radar__Http__CacheSeconds=$CACHE_SECONDS, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| route | answer | bytes | requests/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|---|---|"
for route in "${ROUTES[@]}"; do
  etag=$(etag_of "$route")
  bytes=$(wc -c <"$WORK/body")
  for mode in 200 304; do
    header=()
    if [ "$mode" = 304 ]; then
      header=(-H "If-None-Match: $etag")
      code=$(curl -s -o /dev/null -w '%{http_code}' "${header[@]}" "$BASE$route")
      [ "$code" = 304 ] || { echo "$route with If-None-Match $etag answered $code, not 304" >&2; exit 1; }
    fi
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${header[@]}" "$BASE$route")
    rps=$(awk '/^Requests\/sec/{printf "%.0f", $2}' <<<"$out")
    p50=$(awk '$1=="50%"{print $2}' <<<"$out")
    p99=$(awk '$1=="99%"{print $2}' <<<"$out")
    errors=$(awk '/Non-2xx or 3xx/{n+=$NF} /Socket errors/{gsub(",","");for(i=1;i<=NF;i++) if($i ~ /^[0-9]+$/) n+=$i} END{print n+0}' <<<"$out")
    echo "| \`$route\` | $mode | $([ "$mode" = 200 ] && echo "$bytes" || echo 0) | $rps | $p50 | $p99 | $errors |"
  done
done
