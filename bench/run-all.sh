#!/usr/bin/env bash
# Runs the performance benchmarks in order and appends the results to docs/benchmarks.md ("Province scale" section):
#   1. builds Release; 2. `rectify generate` a province of UNITS units into a fresh database (timed);
#   3. starts `rectify serve` (Release) with the empty ceiling endpoint enabled; 4. the HTTP load client
#   (bench/Rectify.Load) against /bench/empty, the single-unit ledger and the round figures, with a bearer token;
#   5. the raw SQL of the same hot queries through the database's own client (sqlite3 / psql), as the data limit;
#   6. the BenchmarkDotNet suite (bench/Rectify.Bench; skipped with BDN=0).
# Usage: bench/run-all.sh [sqlite|postgresql]
# Environment: UNITS (200) PROBLEMS (40) MEASURES (3) WEEKS (26) CONNECTIONS (64) SECONDS_PER_RUN (10) BDN (1) BDN_JOB (short)
#              PG (PostgreSQL server connection string, default Host=127.0.0.1;Username=postgres;Password=postgres)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
provider="${1:-sqlite}"
units="${UNITS:-200}"; problems="${PROBLEMS:-40}"; measures="${MEASURES:-3}"; weeks="${WEEKS:-26}"
conns="${CONNECTIONS:-64}"; secs="${SECONDS_PER_RUN:-10}"; bdn="${BDN:-1}"; bdn_job="${BDN_JOB:-short}"
pg="${PG:-Host=127.0.0.1;Username=postgres;Password=postgres}"
work="$here/artifacts/bench"; mkdir -p "$work"
out="$work/results-$provider.md"
port=5097
cd "$here"

echo "== build (Release)"
dotnet build -c Release src/Rectify/Rectify.csproj -v q -nologo >/dev/null
dotnet build -c Release bench/Rectify.Load/Rectify.Load.csproj -v q -nologo >/dev/null
rectify="$here/src/Rectify/bin/Release/net10.0/rectify"
load="$here/bench/Rectify.Load/bin/Release/net10.0/Rectify.Load"

if [ "$provider" = sqlite ]; then
  rm -f "$work/bench.db" "$work/bench.db-wal" "$work/bench.db-shm"
  db="$work/bench.db"
else
  psql "postgresql://postgres:postgres@127.0.0.1/postgres" -qc "DROP DATABASE IF EXISTS rectify_bench" -qc "CREATE DATABASE rectify_bench" >/dev/null
  db="$pg;Database=rectify_bench"
fi

echo "== generate $units units × $problems problems × $measures measures, $weeks weeks ($provider)"
gen_start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/gen.rss" "$rectify" generate --units "$units" --problems-per-unit "$problems" --measures-per-problem "$measures" --weeks "$weeks" --seed 1 --db "$db" | tee "$work/gen.txt"
gen_secs=$(echo "$(date +%s.%N) - $gen_start" | bc)
round=$(grep -o '轮次 #[0-9]*' "$work/gen.txt" | grep -o '[0-9]*')
first=$(grep -o '首个巡察 #[0-9]*' "$work/gen.txt" | grep -o '[0-9]*')
echo "bench-password-1" | "$rectify" user add bench --role admin --password-stdin --db "$db" >/dev/null
token=$("$rectify" token create bench --label bench --db "$db" 2>/dev/null)

echo "== serve"
Rectify__RateLimit__WritesPerMinute=0 Rectify__Bench__EmptyEndpoint=true Logging__LogLevel__Default=Warning "$rectify" serve --urls "http://127.0.0.1:$port" --db "$db" > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
# Traffic once ready, as a load balancer sends it (after the audit chain check and the warm-up, Hosting/WarmUp.cs).
for _ in $(seq 1 180); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 1; done

# 50 different single-unit ledgers spread over the round, so no single row set stays hot.
ledgers=()
for i in $(seq 0 49); do ledgers+=(--url "http://127.0.0.1:$port/api/inspections/$((first + i * units / 50))/ledger"); done

echo "== load ($conns connections, $secs s each)"
{
  echo "| endpoint | connections | requests | errors | req/s | p50 ms | p90 ms | p99 ms | max ms |"
  echo "|---|---|---|---|---|---|---|---|---|"
  "$load" --name "GET /bench/empty (ceiling)" --url "http://127.0.0.1:$port/bench/empty" --connections "$conns" --seconds "$secs" --markdown || true
  "$load" --name "GET /api/inspections/{id}/ledger ($problems problems)" "${ledgers[@]}" --token "$token" --connections "$conns" --seconds "$secs" --markdown || true
  "$load" --name "GET /api/rounds/{id}/figures ($units units)" --url "http://127.0.0.1:$port/api/rounds/$round/figures" --token "$token" --connections "$conns" --seconds "$secs" --markdown || true
  "$load" --name "GET /api/rounds/{id}/figures, 1 connection" --url "http://127.0.0.1:$port/api/rounds/$round/figures" --token "$token" --connections 1 --seconds "$secs" --markdown || true
} | tee "$work/load.md"
server_rss=$(awk '/VmHWM/ {print $2/1024 " MB"}' /proc/$server/status)
kill $server; wait $server 2>/dev/null || true
trap - EXIT

echo "== raw SQL (data limit)"
ledger_sql="SELECT * FROM \"Categories\" WHERE \"InspectionId\" = $first ORDER BY \"Ordinal\"; SELECT * FROM \"Problems\" WHERE \"InspectionId\" = $first ORDER BY \"Ordinal\", \"Id\"; SELECT * FROM \"Measures\" WHERE \"InspectionId\" = $first ORDER BY \"Ordinal\", \"Id\";"
figures_sql="SELECT m.\"UnitId\", m.\"Status\", COUNT(*) FROM \"Measures\" m JOIN \"Inspections\" i ON i.\"Id\" = m.\"InspectionId\" WHERE i.\"RoundId\" = $round GROUP BY m.\"UnitId\", m.\"Status\";"
raw_ms() { # median of 5 runs of SQL $1, in ms
  local sql="$1" t=()
  for _ in 1 2 3 4 5; do
    if [ "$provider" = sqlite ]; then
      s=$(date +%s%N); sqlite3 "$db" "$sql" >/dev/null; e=$(date +%s%N); t+=($(( (e - s) / 1000 )))
    else
      t+=($(psql "postgresql://postgres:postgres@127.0.0.1/rectify_bench" -qAt -c '\timing on' -c "$sql" | grep -o 'Time: [0-9.]*' | awk '{s+=$2} END {printf "%d", s*1000}'))
    fi
  done
  printf '%s\n' "${t[@]}" | sort -n | sed -n 3p | awk '{printf "%.2f", $1/1000}'
}
raw_ledger=$(raw_ms "$ledger_sql"); raw_figures=$(raw_ms "$figures_sql")
echo "raw ledger $raw_ledger ms, raw figures aggregate $raw_figures ms"

bdn_out="(skipped: BDN=0)"
if [ "$bdn" = 1 ]; then
  echo "== BenchmarkDotNet ($bdn_job job)"
  dotnet run -c Release --project bench/Rectify.Bench -- --filter '*' --job "$bdn_job" --exporters github > "$work/bdn.log" 2>&1 || true
  bdn_out=$(cat "$here"/BenchmarkDotNet.Artifacts/results/*-report-github.md 2>/dev/null || tail -30 "$work/bdn.log")
fi

{
  echo "### Run $(date -u '+%Y-%m-%d %H:%M UTC') — $provider, $units units"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GB memory; shared with other jobs during the run."
  echo
  echo "Dataset: \`rectify generate --units $units --problems-per-unit $problems --measures-per-problem $measures --weeks $weeks --seed 1\` → $(grep -E 'measures|progress_reports' "$work/gen.txt" | xargs), generated in ${gen_secs%.*} s (peak RSS $(( $(cat "$work/gen.rss") / 1024 )) MB)."
  echo
  echo "Load: \`bench/Rectify.Load\` closed loop, $conns connections, $secs s after a 2 s warm-up; ledger over 50 different inspections; bearer token."
  echo
  cat "$work/load.md"
  echo
  echo "Server peak working set during the load: $server_rss."
  echo
  echo "Raw SQL through the database's own client (median of 5, includes client start-up): ledger's three queries $raw_ledger ms; round figure aggregate $raw_figures ms."
  echo
  echo "BenchmarkDotNet:"
  echo
  echo "$bdn_out"
} > "$out"
# Append the run to docs/benchmarks.md, under the province section (created if missing).
grep -q '^## Province scale (issue 8): measured runs' docs/benchmarks.md || printf '\n## Province scale (issue 8): measured runs\n\n' >> docs/benchmarks.md
{ echo; cat "$out"; } >> docs/benchmarks.md
echo "== written $out and appended to docs/benchmarks.md"
