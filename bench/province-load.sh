#!/usr/bin/env bash
# Load run against an already generated province (see `rectify generate` and bench/run-all.sh):
#   the empty ceiling, one unit's ledger (50 inspections; cached and with the read cache off; cached also gzip), round
#   figures (64 and 1 connection; cached, also gzip, and off, off also with ?limit=20), the figures drill-down, full-text search over HTTP, weekly report POSTs (durable,
#   fresh Idempotency-Key each) for REPORT_SECONDS, the server's peak working set, and the raw SQL of the hot queries.
# Usage: bench/province-load.sh sqlite FILE | postgresql CONNSTRING        (prints Markdown to stdout)
# Environment: CONNECTIONS (64) SECONDS_PER_RUN (10) REPORT_SECONDS (60) PHASES ("read cold post", any subset, or
#   "search", "steady", "mixed", "change") WORK (keep logs there) RECTIFY_BIN (the server to measure, default this checkout's Release build)
#   SEARCH_TERMS (query strings for the search phase, default bench/search-terms.txt) REPORT_RATE (800: the offered
#   rate of the open-loop POST runs of the post, steady and mixed phases) STEADY_WARM_SECONDS (60) CHANGES (200)
# PHASES=search: full-text search over the query list (distinct terms of 1–8 characters, some with kind/status
#   filters) with the result cache off (every request computed: the cold case), then on (repeated queries), and similar
#   problems of 100 problems of the round.
# PHASES=steady: weekly report POSTs at REPORT_RATE for REPORT_SECONDS on a server warmed by STEADY_WARM_SECONDS (60)
#   of them (the post phase measures a fresh server).
# PHASES=mixed: round figures read at FIGURES_RATE (5) per second (cache on) while REPORT_RATE reports per second are
#   POSTed, for SECONDS_PER_RUN, after 30 s of reports to warm the server.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
provider="$1"; db="$2"
conns="${CONNECTIONS:-64}"; secs="${SECONDS_PER_RUN:-10}"; rsecs="${REPORT_SECONDS:-60}"
port="${PORT:-5098}"
rectify="${RECTIFY_BIN:-$here/src/Rectify/bin/Release/net10.0/rectify}"
load="$here/bench/Rectify.Load/bin/Release/net10.0/Rectify.Load"
work="${WORK:-$(mktemp -d)}"; mkdir -p "$work"
base="http://127.0.0.1:$port"
la() { cut -d' ' -f1 /proc/loadavg; }

psql_db() { psql "$(echo "$db" | sed -E 's/Host=([^;]*);Username=([^;]*);Password=([^;]*);Database=(.*)/postgresql:\/\/\2:\3@\1\/\4/')" "$@"; }
sql() { if [ "$provider" = sqlite ]; then sqlite3 "$db" "$1"; else psql_db -qAt -c "$1"; fi; }

user="bench$RANDOM"
echo "bench-password-1" | "$rectify" user add "$user" --role admin --password-stdin --db "$db" >/dev/null
token=$("$rectify" token create "$user" --label bench --db "$db" 2>/dev/null)
round=$(sql 'SELECT MAX("RoundId") FROM "Inspections";')
units=$(sql "SELECT COUNT(*) FROM \"Inspections\" WHERE \"RoundId\" = $round;")
mapfile -t insp < <(sql "SELECT \"Id\" FROM \"Inspections\" WHERE \"RoundId\" = $round ORDER BY \"Id\";")
ledgers=(); for i in $(seq 0 49); do ledgers+=(--url "$base/api/inspections/${insp[$((i * units / 50))]}/ledger"); done
# Report POSTs go to 4 000 different measures spread over the round (one in-flight report per measure at a time).
sql "SELECT \"Id\" FROM \"Measures\" WHERE \"InspectionId\" IN (SELECT \"Id\" FROM \"Inspections\" WHERE \"RoundId\" = $round) AND \"Status\" IN (0, 1) ORDER BY \"Id\" % 61, \"Id\" LIMIT 4000;" \
  | sed "s|^|$base/api/measures/|; s|$|/reports|" > "$work/measures.txt"

serve() { # $1 = read cache on/off
  if curl -s -o /dev/null "$base/health"; then echo "port $port is already in use" >&2; exit 1; fi
  # The reminder job is off: at province size its first run (lights of every measure) takes minutes of CPU and, on
  # SQLite, fails with "too many SQL variables"; it would be measured instead of the endpoints.
  # The warm-up's one line is logged (what it did: serve.log).
  Rectify__Reminders__Enabled=false Rectify__RateLimit__WritesPerMinute=0 Rectify__Bench__EmptyEndpoint=true Rectify__Perf__ReadCache="$1" Logging__LogLevel__Default=Warning \
    env "Logging__LogLevel__Rectify.Hosting.WarmUp=Information" "$rectify" serve --urls "$base" --db "$db" > "$work/serve.log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  # Traffic once ready, as a load balancer sends it: after the audit chain check and the warm-up (Hosting/WarmUp.cs).
  for _ in $(seq 1 600); do kill -0 $server 2>/dev/null || break; curl -fs "$base/health/ready" >/dev/null && return; sleep 1; done
  echo "server did not start" >&2; cat "$work/serve.log" >&2; exit 1
}
# Called as $(stop), i.e. in a subshell that cannot `wait`: poll until the server has exited (it drains in-flight
# requests for up to 30 s), so the next server can bind the port.
stop() { local hwm; hwm=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$server/status); kill $server; while kill -0 $server 2>/dev/null; do sleep 0.2; done; echo "$hwm"; }
# A different text in every report, as in real weeks (before the measure's progress was read from its newest report,
# each one also rewrote its measure's progress text and full-text entry; with one text for all only the first did).
body='{"done":"本周完成第{n}批台账核查，推进整改","percent":60}'
# $1 seconds of reports at REPORT_RATE, not measured: a server's first seconds recompile the request path under load.
warm_reports() {
  "$load" --name warm-up --url-file "$work/measures.txt" --post '{"done":"预热第{n}项","percent":50}' --connections "$conns" \
    --rate "${REPORT_RATE:-800}" --warmup 0 --token "$token" --seconds "$1" > /dev/null 2>&1 || true
}
run() { # name, then load args (for SECONDS_PER_RUN; `secs=N run …` for another length)
  local name="$1"; shift
  local l0; l0=$(la)
  local row; row=$("$load" --name "$name" "$@" --token "$token" --seconds "$secs" --markdown 2>"$work/err" || true)
  echo "$row $l0 |"
}

echo "Dataset: $units units in round $round ($provider). Load client: $conns connections, $secs s after 2 s warm-up. Last column: 1-min load average when the run started."
echo
echo "| endpoint | connections | requests | errors | req/s | p50 ms | p90 ms | p99 ms | max ms | load |"
echo "|---|---|---|---|---|---|---|---|---|---|"
phases="${PHASES:-read cold post}"
hwm_read=-; hwm_cold=-; hwm_change=-; hwm_write=-; hwm_search=-; hwm_mixed=-; hwm_steady=-; before=0; after=0
if [[ $phases == *read* ]]; then
serve true
run "GET /bench/empty (ceiling)" --url "$base/bench/empty" --connections "$conns"
# 1 connection first: it also fills the cache, so the 64-connection runs measure the steady state.
run "GET ledger, 1 connection" "${ledgers[@]}" --connections 1
run "GET ledger (50 inspections, read cache on)" "${ledgers[@]}" --connections "$conns"
run "GET round figures, 1 connection" --url "$base/api/rounds/$round/figures" --connections 1
run "GET round figures ($units units, cache on)" --url "$base/api/rounds/$round/figures" --connections "$conns"
# As a browser or a script with compression asks: the copy's gzip bytes, compressed once per copy.
run "GET round figures ($units units, cache on, gzip)" --url "$base/api/rounds/$round/figures" --connections "$conns" --gzip
run "GET ledger (50 inspections, read cache on, gzip)" "${ledgers[@]}" --connections "$conns" --gzip
run "GET round figures drill-down items, 1 connection" --url "$base/api/rounds/$round/figures/items" --connections 1
run "GET /api/search (4 terms)" --url "$base/api/search?q=公务接待" --url "$base/api/search?q=专项资金" --url "$base/api/search?q=合同管理&kind=problem" --url "$base/api/search?q=整改台账" --connections "$conns"
hwm_read=$(stop)
fi
if [[ $phases == *cold* ]]; then
serve false
run "GET ledger (50 inspections, read cache OFF)" "${ledgers[@]}" --connections "$conns"
run "GET round figures, 1 connection, cache OFF" --url "$base/api/rounds/$round/figures" --connections 1
run "GET round figures ?limit=20, 1 connection, cache OFF" --url "$base/api/rounds/$round/figures?limit=20" --connections 1
run "GET round figures ($units units), 16 connections, cache OFF" --url "$base/api/rounds/$round/figures" --connections 16
run "GET round figures ?limit=20, 16 connections, cache OFF" --url "$base/api/rounds/$round/figures?limit=20" --connections 16
hwm_cold=$(stop)
fi
# PHASES=change: the first reads of the round figures after a status change (cache on; the change's unit's rows are
# computed again, the others kept), CHANGES (200) times, a measure of another unit each time: once reading ?limit=20
# after each change, then once reading every unit.
if [[ $phases == *change* ]]; then
sql "SELECT MIN(\"Id\") FROM \"Measures\" WHERE \"InspectionId\" IN (SELECT \"Id\" FROM \"Inspections\" WHERE \"RoundId\" = $round) AND \"Status\" IN (1, 6) GROUP BY \"UnitId\" ORDER BY \"UnitId\" % 37, \"UnitId\";" > "$work/changes.txt"
serve true
for page in 20 all; do
  l0=$(la)
  python3 "$here/bench/figures-after-change.py" "$base" "$token" "$round" "$work/changes.txt" "${CHANGES:-200}" "$page" | sed "s/\$/ $l0 |/"
done
hwm_change=$(stop)
fi
# Search runs before the phases that write: their reports all say one sentence, and on PostgreSQL a term absent from
# the newest reports is looked up range after range below them (240 000 such reports on top of a fresh province cut
# the distinct searches per second by more than half; docs/benchmarks.md, "Search and report POSTs on a fresh
# province"). This protects only the first run on a database: the script does not delete the reports it posts, so
# measure search on a freshly generated province, or delete the reports of earlier runs first.
if [[ $phases == *search* ]]; then
sed "/^$/d; s|^|$base/api/search?|" "${SEARCH_TERMS:-$here/bench/search-terms.txt}" > "$work/search.txt"
nq=$(wc -l < "$work/search.txt")
sql "SELECT \"Id\" FROM \"Problems\" WHERE \"InspectionId\" IN (SELECT \"Id\" FROM \"Inspections\" WHERE \"RoundId\" = $round) ORDER BY \"Id\" % 97, \"Id\" LIMIT 100;" \
  | sed "s|^|$base/api/problems/|; s|$|/similar|" > "$work/similar.txt"
serve false
run "GET /api/search ($nq queries), 1 connection, cache OFF" --url-file "$work/search.txt" --connections 1
run "GET /api/search ($nq queries), cache OFF (every request computed)" --url-file "$work/search.txt" --connections "$conns"
run "GET similar problems (100 problems), cache OFF" --url-file "$work/similar.txt" --connections "$conns"
hwm_search=$(stop)
serve true
# One pass at 1 connection first: it fills the cache (as far as 10 s get), so the next run measures repeated queries.
run "GET /api/search ($nq queries), 1 connection, cache on (filling)" --url-file "$work/search.txt" --connections 1
run "GET /api/search ($nq queries, repeated), cache on" --url-file "$work/search.txt" --connections "$conns"
run "GET similar problems (100 problems), cache on" --url-file "$work/similar.txt" --connections "$conns"
hwm_search="$hwm_search / $(stop)"
fi
if [[ $phases == *post* ]]; then
serve true
run "GET /bench/empty (ceiling)" --url "$base/bench/empty" --connections "$conns"
before=$(sql 'SELECT COUNT(*) FROM "ProgressReports";')
# First the target's load (before the saturating run, whose WAL burst sets off PostgreSQL checkpoints that would
# land in this one): REPORT_RATE (800) reports per second offered on a fixed schedule over at most $conns connections;
# latency from the moment each report was due (open loop, see bench/Rectify.Load).
# --prime: the load client's own first second (its JIT, its connections) spent on the empty endpoint, not measured as
# the server's. The server has had its warm-up and the ceiling row's 12 s of empty-endpoint requests above, so this is
# not a server taken straight from readiness (docs/benchmarks.md, "A warm-up before the server is ready").
secs=$rsecs run "POST weekly report (durable, ${rsecs} s, ${REPORT_RATE:-800}/s offered)" --url-file "$work/measures.txt" --post "$body" --connections "$conns" --rate "${REPORT_RATE:-800}" --warmup 0 --prime "$base/bench/empty"
secs=$rsecs run "POST weekly report (durable, ${rsecs} s, as fast as answered)" --url-file "$work/measures.txt" --post "$body" --connections "$conns" --warmup 0
after=$(sql 'SELECT COUNT(*) FROM "ProgressReports";')
hwm_write=$(stop)
fi
if [[ $phases == *steady* ]]; then
# The report target in the steady state: a server that has taken STEADY_WARM_SECONDS (60) of reports at the same
# rate (its first seconds recompile the request path and read a cold database; the post phase measures those), then
# REPORT_SECONDS at REPORT_RATE offered, measured after the load client's own 5 s warm-up (in the first 5 s of a fresh
# client — its JIT, 64 new connections — the p99 it measured was 149–152 ms, against 39–58 ms in later windows).
serve true
warm_reports "${STEADY_WARM_SECONDS:-60}"
secs=$rsecs run "POST weekly report, warm server (durable, ${rsecs} s, ${REPORT_RATE:-800}/s offered)" --url-file "$work/measures.txt" --post "$body" --connections "$conns" --rate "${REPORT_RATE:-800}" --warmup 5
hwm_steady=$(stop)
fi
if [[ $phases == *mixed* ]]; then
# A Friday afternoon: the office reads the round figures (FIGURES_RATE (5) per second offered over 16 connections —
# a room of people refreshing a dashboard every few seconds; read cache on) while REPORT_RATE (800)
# reports per second stream in (open loop, as in the POST phase). A report that does not change its measure's status
# leaves the figures' copy valid (AuditHeads.CurrentStructureAsync); before, every write made the next read compute them.
serve true
# The first 15–20 s after a start are slow (see docs/benchmarks.md): posted through first, not measured with the figures.
warm_reports 30
"$load" --name "POST weekly report (${REPORT_RATE:-800}/s offered) while the figures are read" --url-file "$work/measures.txt" \
  --post '{"done":"本周推进第{n}项整改","percent":55}' --connections "$conns" --rate "${REPORT_RATE:-800}" --warmup 0 \
  --token "$token" --seconds "$secs" --markdown > "$work/mixed-post" 2>"$work/err-post" &
poster=$!
run "GET round figures (${FIGURES_RATE:-5}/s offered, 16 connections) while reports are POSTed (cache on)" --url "$base/api/rounds/$round/figures" --connections 16 --rate "${FIGURES_RATE:-5}" --warmup 0
wait $poster || true
echo "$(cat "$work/mixed-post") $(la) |"
hwm_mixed=$(stop)
fi
echo
[[ $phases == *post* ]] && echo "Report rows stored during the POST runs (no warm-up: equal to the two rows' requests when nothing acknowledged was lost): $((after - before))."
echo "Server peak working set (VmHWM): read runs ${hwm_read} MB, cache-off runs ${hwm_cold} MB, change run ${hwm_change} MB, POST run ${hwm_write} MB, search runs ${hwm_search} MB, mixed run ${hwm_mixed} MB, steady POST run ${hwm_steady} MB."
[ -s "$work/err" ] && head -c 300 "$work/err" | sed 's/^/Last load-client error: /' || true

# Raw SQL of the hot queries through the database's own client (median of 5, client start-up included for sqlite3).
first=${insp[0]}
ledger_sql="SELECT * FROM \"Categories\" WHERE \"InspectionId\" = $first ORDER BY \"Ordinal\"; SELECT * FROM \"Problems\" WHERE \"InspectionId\" = $first ORDER BY \"Ordinal\", \"Id\"; SELECT * FROM \"Measures\" WHERE \"InspectionId\" = $first ORDER BY \"Ordinal\", \"Id\"; SELECT r.\"MeasureId\", r.\"Week\", r.\"Done\" FROM \"ProgressReports\" r WHERE r.\"Id\" IN (SELECT (SELECT n.\"Id\" FROM \"ProgressReports\" n WHERE n.\"MeasureId\" = m.\"Id\" AND n.\"Id\" > COALESCE(m.\"ProgressAsOfReportId\", 0) ORDER BY n.\"Id\" DESC LIMIT 1) FROM \"Measures\" m WHERE m.\"InspectionId\" = $first);"
figures_sql="SELECT m.\"UnitId\", m.\"Status\", COUNT(*) FROM \"Measures\" m JOIN \"Inspections\" i ON i.\"Id\" = m.\"InspectionId\" WHERE i.\"RoundId\" = $round GROUP BY m.\"UnitId\", m.\"Status\";"
# The same aggregate as the endpoint: each problem's distinct measure statuses, grouped by unit.
problem_sql="SELECT p.\"UnitId\", COUNT(*) FROM \"Problems\" p JOIN \"Inspections\" i ON i.\"Id\" = p.\"InspectionId\" LEFT JOIN (SELECT \"ProblemId\", MIN(\"Status\") lo, MAX(\"Status\") hi FROM \"Measures\" GROUP BY \"ProblemId\") s ON s.\"ProblemId\" = p.\"Id\" WHERE i.\"RoundId\" = $round GROUP BY p.\"UnitId\", s.lo, s.hi;"
# What the endpoint groups since migration Figures: problems by unit and the bit set of their measures' statuses.
mask_sql="SELECT p.\"UnitId\", p.\"MeasureMask\", CASE WHEN p.\"MeasureMask\" = 0 THEN p.\"StatedStatus\" END, COUNT(*) FROM \"Problems\" p JOIN \"Inspections\" i ON i.\"Id\" = p.\"InspectionId\" WHERE i.\"RoundId\" = $round GROUP BY 1, 2, 3;"
raw_ms() {
  local t=()
  for _ in 1 2 3 4 5; do
    if [ "$provider" = sqlite ]; then
      s=$(date +%s%N); sqlite3 "$db" "$1" >/dev/null; e=$(date +%s%N); t+=($(( (e - s) / 1000 )))
    else
      t+=($(psql_db -qAt -c '\timing on' -c "$1" | grep -o 'Time: [0-9.]*' | awk '{s+=$2} END {printf "%d", s*1000}'))
    fi
  done
  printf '%s\n' "${t[@]}" | sort -n | sed -n 3p | awk '{printf "%.1f", $1/1000}'
}
echo
echo "Raw SQL (median of 5; sqlite3 includes its start-up): ledger's queries (categories, problems, measures, their newest reports) $(raw_ms "$ledger_sql") ms; measures by unit and status over the round $(raw_ms "$figures_sql") ms; problems by unit and min/max measure status over the round $(raw_ms "$problem_sql") ms; problems by unit and stored status bit set $(raw_ms "$mask_sql") ms."
[ -n "${WORK:-}" ] || rm -rf "$work"
