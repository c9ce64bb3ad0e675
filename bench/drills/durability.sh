#!/usr/bin/env bash
# The long durability drill: the same test CI runs (one SIGKILL after 3 s), here with more kills over longer runs, on
# SQLite and — when RECTIFY_TEST_POSTGRES names a server — on PostgreSQL. Each run appends one line to the report:
# requests attempted, acknowledged, stored, lost (must be 0), stored twice (must be 0), and the audit chain's state.
# Two drills run: category writes, and weekly reports with idempotency keys resent after each restart.
# Usage: bench/drills/durability.sh [SECONDS_PER_RUN=20] [KILLS=5] [REPORT=artifacts/drills/durability.txt]
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${1:-20}"
kills="${2:-5}"
report="${3:-$here/artifacts/drills/durability.txt}"
mkdir -p "$(dirname "$report")"
export RECTIFY_DRILL_SECONDS="$seconds" RECTIFY_DRILL_KILLS="$kills" RECTIFY_DRILL_REPORT="$report"
[ -n "${RECTIFY_TEST_POSTGRES:-}" ] || echo "未设置 RECTIFY_TEST_POSTGRES：只在 SQLite 上演练。" >&2
dotnet test "$here/tests/Rectify.Tests" -nologo -v quiet \
  --filter "FullyQualifiedName~DurabilityDrillTests.Sigkill" --logger "console;verbosity=normal"
tail -n 2 "$report"
