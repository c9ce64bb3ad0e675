#!/usr/bin/env bash
# Peak memory of the Excel ledger export: writes a ledger JSON with N measures (default 300 000), renders it with
# `rectify render --to xlsx` and prints the peak resident set size (GNU time). Target: well under 500 MB.
# Usage: bench/xlsx-memory.sh [MEASURES] [WORKDIR]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-300000}"
work="${2:-$here/artifacts/xlsx-memory}"
mkdir -p "$work"
python3 - "$n" "$work/ledger.json" <<'PY'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
statuses = ["rectified", "rectified_ongoing", "in_progress", "closed", "not_started"]
per_problem, per_category = 3, 100
cats, m = [], 0
while m < n:
    problems = []
    for p in range(per_category):
        if m >= n: break
        measures = []
        for k in range(per_problem):
            if m >= n: break
            measures.append({"number": k + 1, "text": f"第{m}项整改措施：建立健全工作机制，加强督导检查，确保整改落实到位", "mode": "by_deadline",
                             "leader": "张三", "leadDepartment": "办公室", "owner": "李四", "deadline": "2022-09-30",
                             "status": statuses[m % len(statuses)], "progress": "已召开专题会议研究部署，正在推进落实", "evidence": "会议纪要"})
            m += 1
        problems.append({"number": str(p + 1), "title": f"第{len(cats) + 1}类第{p + 1}个问题：制度执行不到位", "measures": measures})
    cats.append({"number": str(len(cats) + 1), "title": f"第{len(cats) + 1}类问题", "problems": problems})
json.dump({"kind": "ledger", "issuer": "测试单位党组", "categories": cats}, open(path, "w"), ensure_ascii=False)
PY
dotnet build "$here/src/Rectify" -v quiet -nologo >/dev/null
/usr/bin/time -f "峰值内存 %M KB，用时 %e 秒" "$here/src/Rectify/bin/Debug/net10.0/rectify" render "$work/ledger.json" --to xlsx --out "$work/整改台账.xlsx"
ls -l "$work"
