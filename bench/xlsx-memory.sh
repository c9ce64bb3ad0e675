#!/usr/bin/env bash
# Time and peak memory of the Excel ledger export on the real path: a stored inspection of PROBLEMS problems × 3
# measures (default 80 000 × 3 = 240 000 measures) generated into a SQLite file, exported with
# `rectify notice ID --to xlsx` (Release build), peak resident set size from GNU time. Then the file is opened with a
# real reader (python3-openpyxl, else LibreOffice → CSV) and its data rows are counted. Targets: ≤ 60 s, ≤ 500 MB.
# Usage: bench/xlsx-memory.sh [PROBLEMS] [WORKDIR]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
problems="${1:-80000}"
work="${2:-$here/artifacts/xlsx-memory}"
mkdir -p "$work"
db="$work/ledger-$problems.db"
xlsx="$work/整改台账.xlsx"
dotnet build "$here/src/Rectify" -c Release -v quiet -nologo >/dev/null
rectify=(dotnet "$here/src/Rectify/bin/Release/net10.0/rectify.dll")
if [ ! -f "$db" ]; then
  # One unit, one week of reports (the export does not read reports; fewer rows keep the generation short).
  "${rectify[@]}" generate --units 1 --problems-per-unit "$problems" --measures-per-problem 3 --weeks 1 --seed 1 --db "$db" | head -1
fi
inspection="$(sqlite3 -readonly "$db" 'SELECT min("Id") FROM "Inspections"')"
echo "负载（1 分钟）：$(cut -d' ' -f1 /proc/loadavg)"
/usr/bin/time -f "峰值内存 %M KB，用时 %e 秒（用户态 %U 秒）" "${rectify[@]}" notice "$inspection" --to xlsx --out "$xlsx" --db "$db"
echo "负载（1 分钟）：$(cut -d' ' -f1 /proc/loadavg)"
ls -l "$xlsx"
expected=$((problems * 3))
if /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then
  rows="$(/usr/bin/python3 - "$xlsx" <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], read_only=True).worksheets[0]
print(sum(1 for _ in ws.iter_rows(values_only=True)) - 1)
PY
)"
elif command -v soffice >/dev/null; then
  # Reading xlsx needs LibreOffice Calc; a Writer-only install (as in CI) prints "source file could not be loaded".
  soffice --headless --convert-to csv --outdir "$work" "$xlsx" >/dev/null 2>&1 || true
  [ -f "${xlsx%.xlsx}.csv" ] || { echo "LibreOffice 无法打开 xlsx（需要 Calc：apt-get install libreoffice-calc-nogui，或 python3-openpyxl）" >&2; exit 1; }
  rows="$(( $(wc -l < "${xlsx%.xlsx}.csv") - 1 ))"
else
  echo "没有 python3-openpyxl 或 LibreOffice，无法核对行数" >&2; exit 1
fi
echo "数据行：$rows（应为 $expected）"
[ "$rows" -eq "$expected" ]
