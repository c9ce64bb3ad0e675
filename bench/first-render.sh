#!/usr/bin/env bash
# Server-side first render of the ledger page: the prerendered HTML of /inspections/{id} (the page's data loaded and
# rendered on the server, before any circuit), timed with curl over a bearer token. Two databases: the demo (the seed's
# ledger, 23 problems) and a generated province slice (`rectify generate`), one unit's inspection. The first request of
# each is reported apart (cold: JIT, EF model, first queries); then N warm requests give p50/p90/max.
# Usage: bench/first-render.sh [REQUESTS=30] [UNITS=20]
# PROVINCE_DB=FILE|CONNSTRING: measure one unit of an already generated province (e.g. the 2 000-unit PostgreSQL
# database of bench/province-load.sh) instead of generating UNITS units into a fresh SQLite file.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-30}"
units="${2:-20}"
work="$(mktemp -d /tmp/rectify-first-render.XXXXXX)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

dotnet build "$here/src/Rectify" -c Release -v quiet -nologo >/dev/null
rectify="$here/src/Rectify/bin/Release/net10.0/rectify"
export Rectify__Reminders__Enabled=false
# The cold start is what is measured here: no warm-up before /health/ready (Hosting/WarmUp.cs).
export Rectify__WarmUp__Seconds=0

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# serve DB: starts the server, waits for /health/ready.
serve() {
    local port; port="$(free_port)"
    url="http://127.0.0.1:$port"
    "$rectify" serve --db "$1" --urls "$url" ${2:-} >"$work/serve.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 120); do curl -fs "$url/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done
    echo "服务未能启动：" >&2; cat "$work/serve.log" >&2; exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }

# measure LABEL TOKEN ID EXPECTED-TEXT
measure() {
    local label="$1" token="$2" id="$3" expect="$4" page="$url/inspections/$3"
    local cold; cold="$(curl -fs -o "$work/page.html" -w '%{time_total}' -H "Authorization: Bearer $token" "$page")"
    grep -q "$expect" "$work/page.html" || { cp "$work/page.html" /tmp/first-render-failed.html; echo "$label: 预渲染的页面中没有“$expect”（页面存于 /tmp/first-render-failed.html）" >&2; exit 1; }
    for _ in $(seq 1 "$n"); do curl -fs -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$page"; done > "$work/times"
    report "$label" "$cold" "$(wc -c < "$work/page.html")"
    # The same ledger as JSON from the API: how much of the page's time is loading the data.
    cold="$(curl -fs -o "$work/page.html" -w '%{time_total}' -H "Authorization: Bearer $token" "$url/api/inspections/$id/ledger")"
    for _ in $(seq 1 "$n"); do curl -fs -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$url/api/inspections/$id/ledger"; done > "$work/times"
    report "— same ledger as JSON (GET /api/inspections/{id}/ledger)" "$cold" "$(wc -c < "$work/page.html")"
}

report() {
    python3 - "$1" "$2" "$3" "$work/times" <<'PY'
import sys
label, cold, size, path = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
t = sorted(float(x) * 1000 for x in open(path) if x.strip())
q = lambda p: t[min(len(t) - 1, int(round(p * (len(t) - 1))))]
print(f"| {label} | {size // 1024} KB | {cold * 1000:.0f} | {len(t)} | {q(0.5):.0f} | {q(0.9):.0f} | {t[-1]:.0f} |")
PY
}

echo "| ledger page | HTML | first request ms | warm requests | p50 ms | p90 ms | max ms |"
echo "|---|---|---|---|---|---|---|"

# 1. The demo: the seed's ledger as the demo unit admin (the first request after start is the cold one).
serve "$work/demo.db" --demo
stop
token="$("$rectify" token create unit --db "$work/demo.db" 2>/dev/null | tail -1)"
id="$(sqlite3 "$work/demo.db" 'SELECT Id FROM Inspections ORDER BY Id LIMIT 1')"
serve "$work/demo.db"
measure "seed (23 problems, 49 measures)" "$token" "$id" "95.65%"
stop

# 2. A generated province slice: one unit's inspection as that unit's admin.
gen="${PROVINCE_DB:-$work/gen.db}"
if [[ $gen == *=* ]]; then
    pg="$(echo "$gen" | sed -E 's/Host=([^;]*);Username=([^;]*);Password=([^;]*);Database=(.*)/postgresql:\/\/\2:\3@\1\/\4/')"
    sql() { psql "$pg" -qAt -c "$1"; }
else
    sql() { sqlite3 "$gen" "$1"; }
fi
[ -n "${PROVINCE_DB:-}" ] || "$rectify" generate --units "$units" --problems-per-unit 40 --measures-per-problem 3 --weeks 26 --seed 1 --db "$gen" >/dev/null
units="$(sql 'SELECT COUNT(*) FROM "Organisations" WHERE "Kind" = 1')"
unit="$(sql 'SELECT "Id" FROM "Organisations" WHERE "Kind" = 1 ORDER BY "Id" LIMIT 1')"
id="$(sql "SELECT \"Id\" FROM \"Inspections\" WHERE \"UnitId\" = $unit ORDER BY \"Id\" LIMIT 1")"
measures="$(sql "SELECT COUNT(*) FROM \"Measures\" WHERE \"InspectionId\" = $id")"
bench_user="bench-unit-$RANDOM"
echo "Bench-Passw0rd" | "$rectify" user add "$bench_user" --role unit_admin --unit "$unit" --password-stdin --db "$gen" >/dev/null
token="$("$rectify" token create "$bench_user" --db "$gen" 2>/dev/null | tail -1)"
serve "$gen"
measure "generated, $units units: one unit ($measures measures, 26 weeks of reports)" "$token" "$id" 'data-testid="rate"' 
stop
