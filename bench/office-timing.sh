#!/usr/bin/env bash
# Times the inspection office's cross-unit requests on a generated province: full-text search (p50/p90/p99 with the
# load client, one and eight connections), clusters of the round and one similar-problem query (curl, warm).
# Usage: bench/office-timing.sh DB [PORT]   (DB: a SQLite path or a PostgreSQL connection string filled by `rectify generate`)
# Prints a Markdown table on stdout. Builds Release first.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
db="$1"; port="${2:-5391}"; conns="${CONNECTIONS:-8}"; secs="${SECONDS_PER_RUN:-10}"
cd "$here"
dotnet build -c Release src/Rectify/Rectify.csproj -v q -nologo >/dev/null
dotnet build -c Release bench/Rectify.Load/Rectify.Load.csproj -v q -nologo >/dev/null
rectify="$here/src/Rectify/bin/Release/net10.0/rectify"
load="$here/bench/Rectify.Load/bin/Release/net10.0/Rectify.Load"
user="office-timing-$RANDOM"
echo "office-timing-password-1" | "$rectify" user add "$user" --role admin --password-stdin --db "$db" >/dev/null
token=$("$rectify" token create "$user" --label timing --db "$db" 2>/dev/null)
if curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1; then echo "port $port is in use" >&2; exit 2; fi
Logging__LogLevel__Default=Warning "$rectify" serve --urls "http://127.0.0.1:$port" --db "$db" > /tmp/office-timing-serve.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
# Timed once ready, as a load balancer sends traffic (after the audit chain check and the warm-up, Hosting/WarmUp.cs).
for _ in $(seq 1 180); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 1; done
base="http://127.0.0.1:$port"
auth=(-H "Authorization: Bearer $token")
round=$(curl -fs "${auth[@]}" "$base/api/rounds" | grep -o '"id":[0-9]*' | head -1 | grep -o '[0-9]*')
problem=$(curl -fs "${auth[@]}" "$base/api/search?q=%E5%85%AC%E5%8A%A1%E6%8E%A5%E5%BE%85&kind=problem&take=1" | grep -o '"id":[0-9]*' | head -1 | grep -o '[0-9]*')
ms() { curl -fs -o /dev/null -w '%{time_total}' "${auth[@]}" "$1" | awk '{printf "%.0f", $1 * 1000}'; }
echo "| request | first (cold) ms | warm ms (3 runs) |"
echo "|---|---|---|"
for url in "$base/api/rounds/$round/clusters" "$base/api/problems/$problem/similar?take=10"; do
  first=$(ms "$url"); warm="$(ms "$url") / $(ms "$url") / $(ms "$url")"
  echo "| \`${url#$base}\` | $first | $warm |"
done
echo
echo "| search | connections | requests | errors | req/s | p50 ms | p90 ms | p99 ms | max ms |"
echo "|---|---|---|---|---|---|---|---|---|"
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
for q in "公务接待" "台账记录不完整" "食堂" "超标准超范围列支" "整改推进缓慢"; do
  for c in 1 "$conns"; do
    "$load" --name "q=$q" --url "$base/api/search?q=$(enc "$q")" --token "$token" --connections "$c" --seconds "$secs" --markdown | sed "s/^| q=$q |/| q=$q |/" || true
  done
done
"$load" --name "q=公务接待&kind=measure&status=in_progress" --url "$base/api/search?q=$(enc 公务接待)&kind=measure&status=in_progress" --token "$token" --connections "$conns" --seconds "$secs" --markdown || true
