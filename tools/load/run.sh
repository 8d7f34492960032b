#!/usr/bin/env bash
# Load figures for issue 14, side by side in one run (docs/performance.md, "Load figures").
#
#   tools/load/run.sh                    # 20 feeds x 500 items = 10,000 news, wrk 10 s per route
#   tools/load/run.sh --news 100000      # 200 feeds x 500 items (memory at 100,000 news documents)
#   tools/load/run.sh --duration 5s --keep --out /tmp/figures.md
#
# One run: builds functions/Radar.Local in Release, starts its own Azurite (in memory, a process
# per service, own ports) and nginx (own config and port) serving a generated RSS corpus, then
#   1. the runner with the sample settings (Munich + Musterstadt measures and the four sample
#      feeds ingested at start) and Radar__Http__CacheSeconds=0: registers the corpus feeds through
#      the admin API (PUT /api/admin/sources/{id}), times POST /api/admin/ingest/news until the
#      served index counts the new news documents, then POST /api/admin/ingest/news?force=true
#      (no validators sent, every feed read and every item compared again: all unchanged);
#      then wrk on every route, uncached; a conditional GET of /api/feed.rss (304); VmRSS.
#   2. the runner again on the same storage with the default answer cache (5 s): wrk on every
#      route, cached; the 304 against the runner and against nginx serving the same feed bytes
#      from a file with the runner's ETag; VmRSS.
# It prints one Markdown table and writes it to tools/load/results/<UTC time>.md (gitignored).
# "alone": the median of 15 requests one after another (no queueing); CPU columns: CPU seconds
# the server / Azurite used during the wrk run over its length (100 % = one core). Every process
# it starts is stopped on exit, Ctrl-C included.
#
# Needs: .NET SDK, node + npm (Azurite: `npm ci`, done here when missing), curl, python3, and
# wrk, nginx-light, jq (Debian: apt-get install -y wrk nginx-light jq; done here when run as
# root). Not run by `dotnet test` or .ci/run.
set -euo pipefail
cd "$(dirname "$0")/../.."

NEWS=10000
PER_FEED=500
DURATION=10s
CONNECTIONS=64
THREADS=2
KEEP=0
OUT=""
usage() { sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --news) NEWS=$2; shift 2 ;;
    --items-per-feed) PER_FEED=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h | --help) usage ;;
    *) echo "unknown option $1" >&2; usage 2 ;;
  esac
done
FEEDS=$(((NEWS + PER_FEED - 1) / PER_FEED))
NEWS=$((FEEDS * PER_FEED)) # whole feeds
PORT=${PORT:-7393}        # the runner
BLOB=${AZURITE_BLOB:-10396} # Azurite: blob, queue = +1, table = +2
STATIC=${STATIC_PORT:-8393} # the corpus and nginx's copy of feed.rss
BASE="http://127.0.0.1:$PORT"
FUNCTION_KEY=load-run-key
ACCOUNT_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
OUT=${OUT:-tools/load/results/$STAMP.md}
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- tools -------------------------------------------------------------------------------------
missing=()
for tool in wrk nginx jq; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing wrk nginx-light jq"
    apt-get install -y -q wrk nginx-light jq >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk nginx-light jq >/dev/null; }
  else
    die "missing ${missing[*]}: install them (Debian: sudo apt-get install -y wrk nginx-light jq) and run again"
  fi
fi
for tool in curl python3 node npm dotnet top; do command -v "$tool" >/dev/null || die "missing $tool"; done
[ -x node_modules/.bin/azurite ] || { log "npm ci (Azurite)"; npm ci --no-audit --no-fund >/dev/null; }
[ -f local.settings.json ] && log "note: local.settings.json exists and is read by the runner; the environment set here wins for the settings this script sets"

# --- processes and cleanup ----------------------------------------------------------------------
WORK=$(mktemp -d /tmp/radar-load-XXXXXX)
chmod 755 "$WORK" # nginx's workers (user nobody when started as root) read the corpus from here
PIDS=()
cleanup() {
  local pid
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid=${PIDS[i]}
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
# Prefixes every line with the Unix time it arrived (per-source ingest times come from the log).
stamp() { python3 -u -c 'import sys, time
for line in sys.stdin: sys.stdout.write(f"{time.time():.3f} {line}"); sys.stdout.flush()'; }
wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...: until COMMAND succeeds, or die
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@"; do
    [ $SECONDS -lt $deadline ] || die "timed out waiting for $what (work folder: $WORK)"
    sleep 1
  done
}
cpu_ticks() { # utime + stime of the given pids, in clock ticks
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
admin() { curl -sS -H "x-functions-key: $FUNCTION_KEY" --max-time 7200 "$@"; }
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$@"; }
rss_mb() { awk '/^VmRSS/{printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# --- build and corpus ---------------------------------------------------------------------------
log "building functions/Radar.Local (Release)"
dotnet build -c Release functions/Radar.Local -nologo -v q >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; die "build failed"; }
RUNNER_BIN=$(ls -d functions/Radar.Local/bin/Release/net*/Radar.Local | head -1)
log "corpus: $FEEDS feeds x $PER_FEED items"
python3 tools/load/corpus.py "$WORK/static/feeds" "$FEEDS" "$PER_FEED"
chmod -R a+rX "$WORK/static"

# --- Azurite and the static server --------------------------------------------------------------
# One process per service, as Azure runs them apart: in one Node process a busy table service
# (hundreds of thousands of rows at --news 100000) held up the blob service's lease renewals until
# the ingest run gave up its lease.
AZURITES=()
for service in blob queue table; do
  case $service in blob) port=$BLOB ;; queue) port=$((BLOB + 1)) ;; table) port=$((BLOB + 2)) ;; esac
  # In memory: the table service writes its whole database as one JSON string, which V8 cannot
  # make beyond 512 MB (it crashed at about 660,000 rows during --news 100000).
  node_modules/.bin/azurite-$service --silent --disableTelemetry --skipApiVersionCheck --loose --inMemoryPersistence \
    --${service}Host 127.0.0.1 --${service}Port "$port" >"$WORK/azurite-$service.log" 2>&1 &
  AZURITES+=($!)
  PIDS+=($!)
done
azurite_up() { for port in "$BLOB" $((BLOB + 1)) $((BLOB + 2)); do [ "$(code "http://127.0.0.1:$port/")" != 000 ] || return 1; done; }

# nginx serves the corpus now and, later, feed.rss with the runner's ETag (nginx.conf is written
# again then and reloaded). Its own ETag (mtime-size) cannot equal the runner's, so the
# conditional answer is an exact If-None-Match comparison, as the runner does it.
write_nginx_conf() { # write_nginx_conf [ETAG]
  local etag_block=""
  if [ -n "${1:-}" ]; then
    etag_block="location = /feed.rss {
      default_type 'application/rss+xml; charset=utf-8';
      etag off;
      add_header ETag '$1';
      add_header Cache-Control 'public, max-age=60';
      if (\$http_if_none_match = '$1') { return 304; }
    }"
  fi
  cat >"$WORK/nginx.conf" <<EOF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx-tmp;
  proxy_temp_path $WORK/nginx-tmp;
  fastcgi_temp_path $WORK/nginx-tmp;
  uwsgi_temp_path $WORK/nginx-tmp;
  scgi_temp_path $WORK/nginx-tmp;
  types { application/rss+xml rss; }
  server {
    listen 127.0.0.1:$STATIC;
    root $WORK/static;
    $etag_block
  }
}
EOF
}
write_nginx_conf
nginx -t -q -c "$WORK/nginx.conf" -g 'daemon off;' 2>/dev/null || true
nginx -c "$WORK/nginx.conf" -g 'daemon off;' >"$WORK/nginx.log" 2>&1 &
NGINX=$!
PIDS+=("$NGINX")
static_up() { curl -sf -o /dev/null "http://127.0.0.1:$STATIC/feeds/quelle-000.rss"; }
wait_for 30 "nginx on $STATIC" static_up
wait_for 60 "Azurite on $BLOB..$((BLOB + 2))" azurite_up

# --- the runner ---------------------------------------------------------------------------------
RUNNER=""
start_runner() { # start_runner CACHE_SECONDS RUN_TIMERS_ON_STARTUP LOGFILE
  env AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$ACCOUNT_KEY;BlobEndpoint=http://127.0.0.1:$BLOB/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$((BLOB + 1))/devstoreaccount1;TableEndpoint=http://127.0.0.1:$((BLOB + 2))/devstoreaccount1" \
    LocalRunner__StartAzurite=false \
    LocalRunner__FunctionKey=$FUNCTION_KEY \
    LocalRunner__RunTimersOnStartup="$2" \
    IngestMeasuresSchedule="0 0 0 1 1 *" \
    IngestNewsSchedule="0 0 0 1 1 *" \
    Radar__StoragePrefix=loadrun \
    Radar__PublicUrl="$BASE" \
    Radar__Http__CacheSeconds="$1" \
    Radar__Search__IndexPath="$WORK/index" \
    Radar__Search__RefreshInterval=00:00:01 \
    Radar__Fetch__AllowPrivateNetworks=true \
    Logging__LogLevel__Default=Warning \
    "Logging__LogLevel__Radar.Core.News=Information" \
    "$RUNNER_BIN" --urls "$BASE" > >(stamp >"$3") 2>&1 &
  RUNNER=$!
  PIDS+=("$RUNNER")
}
answers() { [ "$(code "$BASE$1")" = 200 ]; }
# What the served index holds (public health: documents per type of the loaded snapshot).
news_in_index() {
  local n
  n=$(curl -s --max-time 30 "$BASE/api/health" | jq '.components.index.counts.news // 0' 2>/dev/null || true)
  echo "${n:-0}"
}
index_has() { [ "$(news_in_index)" -ge "$1" ]; }

log "runner, uncached (Radar__Http__CacheSeconds=0), sample data ingested at start"
start_runner 0 true "$WORK/runner-uncached.log"
wait_for 600 "the runner and the sample radar" answers /api/radar
wait_for 600 "the sample news in the index" index_has 1
admin "$BASE/api/admin/health" >"$WORK/health-before.json"

# --- ingest -------------------------------------------------------------------------------------
log "registering $FEEDS feeds"
for ((f = 0; f < FEEDS; f++)); do
  printf -v id 'quelle-%03d' "$f"
  admin -f -o /dev/null -X PUT -H 'Content-Type: application/json' "$BASE/api/admin/sources/last$id" \
    -d "{\"url\": \"http://127.0.0.1:$STATIC/feeds/$id.rss\", \"kind\": \"news\", \"name\": \"Lastquelle $f\"}"
done
ingest() { # ingest QUERY REPORT: POST, retried while the start-up run holds the lease (409)
  local status
  while :; do
    status=$(admin -o "$2" -w '%{http_code}' -X POST "$BASE/api/admin/ingest/news$1")
    [ "$status" = 409 ] || break
    sleep 1
  done
  [ "$status" = 200 ] || { cat "$2" >&2; die "ingest answered $status"; }
}
BEFORE=$(news_in_index)
log "ingest of $NEWS new items (news documents in the index before: $BEFORE)"
TICKS=$(getconf CLK_TCK)
cpu_seconds() { # cpu_seconds TICKS_BEFORE PID...: CPU seconds the PIDs used since TICKS_BEFORE
  local before=$1; shift
  awk -v a="$before" -v b="$(cpu_ticks "$@")" -v hz="$TICKS" 'BEGIN { printf "%.1f", (b - a) / hz }'
}
C0=$(cpu_ticks "$RUNNER"); A0=$(cpu_ticks "${AZURITES[@]}"); L0=$(cut -d' ' -f1 /proc/loadavg)
T0=$(date +%s.%N)
ingest "" "$WORK/ingest-new.json"
T1=$(date +%s.%N)
wait_for 600 "the index to hold $((BEFORE + NEWS)) news documents" index_has $((BEFORE + NEWS))
T2=$(date +%s.%N)
CPU_NEW="runner $(cpu_seconds "$C0" "$RUNNER") s, Azurite $(cpu_seconds "$A0" "${AZURITES[@]}") s, load average $L0"
log "forced re-ingest of the same items"
C0=$(cpu_ticks "$RUNNER"); A0=$(cpu_ticks "${AZURITES[@]}"); L0=$(cut -d' ' -f1 /proc/loadavg)
T3=$(date +%s.%N)
ingest "?force=true" "$WORK/ingest-forced.json"
T4=$(date +%s.%N)
CPU_FORCED="runner $(cpu_seconds "$C0" "$RUNNER") s, Azurite $(cpu_seconds "$A0" "${AZURITES[@]}") s, load average $L0"
ingest "" "$WORK/ingest-plain.json" # and once more as a timer would: validators sent, 304s
T5=$(date +%s.%N)
python3 tools/load/ingest_figures.py "$WORK/runner-uncached.log" \
  "all new|$WORK/ingest-new.json|$T0|$T1|$T2" \
  "forced (?force=true), all unchanged|$WORK/ingest-forced.json|$T3|$T4|$T4" \
  "again without force (conditional GET)|$WORK/ingest-plain.json|$T4|$T5|$T5" >"$WORK/ingest.md"
printf '\nCPU used (utime + stime) during the ingest, all new: %s; forced: %s.\n' "$CPU_NEW" "$CPU_FORCED" >>"$WORK/ingest.md"
cat "$WORK/ingest.md" >&2

# --- wrk ----------------------------------------------------------------------------------------
MEASURE=$(curl -s "$BASE/api/radar" | jq -r '.measures[0].id')
[ -n "$MEASURE" ] && [ "$MEASURE" != null ] || die "no measure id in /api/radar"
ROUTES=("/api/search?q=wlan" /api/radar "/api/measures/$MEASURE" /api/news /api/feed.rss / "/massnahmen/$MEASURE")
echo "| route | answer cache | alone (p50 of 15 in a row) | answers/s | p50 | p99 | errors | server CPU | Azurite CPU | load avg |" >"$WORK/table.md"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|" >>"$WORK/table.md"
SERVER=() # the processes whose CPU the "server CPU" column counts
alone() { # alone URL [curl args...]: median time of 15 requests one after another (no queueing), in ms
  local url=$1; shift
  for _ in $(seq 1 15); do curl -s -o /dev/null -w '%{time_total}\n' --max-time 30 "$@" "$url"; done |
    sort -n | awk '{ t[NR] = $1 } END { printf "%.1fms", 1000 * t[int((NR + 1) / 2)] }'
}
measure() { # measure LABEL CACHE URL [wrk args...]: one wrk run, one table row
  local label=$1 cache=$2 url=$3; shift 3
  local load ticks_r ticks_a ticks_r2 ticks_a2 start end out single
  single=$(alone "$url" "$@")
  load=$(cut -d' ' -f1 /proc/loadavg)
  ticks_r=$(cpu_ticks "${SERVER[@]}"); ticks_a=$(cpu_ticks "${AZURITES[@]}"); start=$(date +%s.%N)
  # what else ran meanwhile (other processes share the cores): top halfway through the run
  (sleep "$(awk -v d="${DURATION%s}" 'BEGIN { print d / 2 }')"
   { echo; echo "$label, $cache:"; top -b -n1 -w 150 | sed -n '1,3p;7,14p'; } >>"$WORK/top.txt") &
  local top_pid=$!
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url")
  wait "$top_pid" || true
  end=$(date +%s.%N); ticks_r2=$(cpu_ticks "${SERVER[@]}"); ticks_a2=$(cpu_ticks "${AZURITES[@]}")
  echo "$out" >>"$WORK/wrk.txt"
  awk -v label="$label" -v cache="$cache" -v load="$load" -v hz="$(getconf CLK_TCK)" \
    -v single="$single" -v secs="$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" -v r=$((ticks_r2 - ticks_r)) -v a=$((ticks_a2 - ticks_a)) '
    /^Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = $2 }
    $1 == "99%" { p99 = $2 }
    /Non-2xx or 3xx/ { errors += $NF; non = $NF }
    /Socket errors/ { gsub(",", ""); for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { errors += $i; if ($(i-1) == "timeout") timeouts = $i } }
    END {
      note = errors + 0
      if (timeouts > 0) note = note " (" timeouts " timeouts)"
      printf "| %s | %s | %s | %s | %s | %s | %s | %.0f %% | %.0f %% | %s |\n", label, cache, single, sprintf("%.0f", rps), p50 ? p50 : "–", p99 ? p99 : "–", note, 100 * r / hz / secs, 100 * a / hz / secs, load
    }' <<<"$out" | tee -a "$WORK/table.md" >&2
}
etag_of() { curl -s -D - -o "$WORK/body" "$1" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" { print $2 }'; }
measure_routes() { # measure_routes CACHE
  local route
  for route in "${ROUTES[@]}"; do
    [ "$(code "$BASE$route")" = 200 ] || die "$route answered $(code "$BASE$route")"
    measure "\`$route\`" "$1" "$BASE$route"
  done
}
measure_not_modified() { # measure_not_modified CACHE: the feed's 304 from the runner
  local etag
  etag=$(etag_of "$BASE/api/feed.rss")
  [ "$(code -H "If-None-Match: $etag" "$BASE/api/feed.rss")" = 304 ] || die "/api/feed.rss with If-None-Match $etag did not answer 304"
  measure "\`/api/feed.rss\` If-None-Match → 304, runner" "$1" "$BASE/api/feed.rss" -H "If-None-Match: $etag"
}

log "wrk, uncached: ${ROUTES[*]}"
SERVER=("$RUNNER")
measure_routes "none (CacheSeconds=0)"
measure_not_modified "none (CacheSeconds=0)"
RSS_UNCACHED=$(rss_mb "$RUNNER")
stop "$RUNNER"

log "runner, cached (default Radar__Http__CacheSeconds=5), same storage"
start_runner 5 false "$WORK/runner-cached.log"
wait_for 300 "the restarted runner's index" index_has $((BEFORE + NEWS))
wait_for 60 "the restarted runner" answers /api/radar
SERVER=("$RUNNER")
measure_routes "5 s (default)"
measure_not_modified "5 s (default)"

# nginx: the same bytes of /api/feed.rss from a file, the runner's ETag, the same request.
ETAG=$(etag_of "$BASE/api/feed.rss")
cp "$WORK/body" "$WORK/static/feed.rss"
chmod a+r "$WORK/static/feed.rss"
write_nginx_conf "$ETAG"
nginx -c "$WORK/nginx.conf" -s reload 2>/dev/null
nginx_304() { [ "$(code -H "If-None-Match: $ETAG" "http://127.0.0.1:$STATIC/feed.rss")" = 304 ]; }
wait_for 10 "nginx to answer 304" nginx_304
cmp -s "$WORK/static/feed.rss" <(curl -s "http://127.0.0.1:$STATIC/feed.rss") || die "nginx does not serve the runner's bytes"
mapfile -t SERVER < <(echo "$NGINX"; pgrep -P "$NGINX")
measure "\`/feed.rss\` If-None-Match → 304, nginx (same bytes, same ETag)" "–" "http://127.0.0.1:$STATIC/feed.rss" -H "If-None-Match: $ETAG"
RSS_CACHED=$(rss_mb "$RUNNER") # after the cached runs (the nginx run leaves it idle)

# --- report -------------------------------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
{
  echo "## Load run of $STAMP ($(git rev-parse --short HEAD) on $(git rev-parse --abbrev-ref HEAD)$(git diff --quiet HEAD -- functions || echo ', with uncommitted changes'))"
  echo
  echo "\`tools/load/run.sh --news $NEWS --duration $DURATION\`: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency,"
  echo "Radar under the local runner (Release) on its own Azurite, $(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "errors: wrk's non-2xx/3xx answers and socket errors (timeouts: no answer within wrk's 2 s). CPU: the server's (runner, or"
  echo "nginx master and workers) and Azurite's CPU time during the wrk run over its length, 100 % = one core."
  echo "Corpus: $FEEDS feeds x $PER_FEED items from nginx on loopback; news documents in the index: $(news_in_index)."
  echo
  cat "$WORK/table.md"
  echo
  cat "$WORK/ingest.md"
  echo
  echo "Memory (VmRSS of the runner after its load runs): uncached $RSS_UNCACHED MB, cached $RSS_CACHED MB."
  echo
  echo "<details><summary>top halfway through each wrk run</summary>"
  echo
  echo '```'
  cat "$WORK/top.txt"
  echo '```'
  echo "</details>"
} >"$OUT"
echo
cat "$OUT"
log "written to $OUT"
