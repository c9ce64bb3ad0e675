#!/usr/bin/env python3
"""The first reads of the round figures after a status change (what an office user waits for after a unit's change).

Usage: bench/figures-after-change.py BASE TOKEN ROUND MEASURE_IDS_FILE N PAGE

Each of N iterations changes one measure's status through the API (in_progress <-> rectified_ongoing, a measure of
another unit each time, one id per line in MEASURE_IDS_FILE), then times one GET of the figures: PAGE "20" asks for
?limit=20 (the totals and the 20 units furthest behind), "all" for every unit. Prints one row of the table of
bench/province-load.sh: | endpoint | connections | requests | errors | req/s | p50 | p90 | p99 | max | (the caller adds
the load column). req/s is left empty: the loop also waits for the change in between."""
import json, sys, time, urllib.error, urllib.request

base, token, rnd, ids_file, n, page = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6]
ids = [int(line.split()[0]) for line in open(ids_file) if line.strip()]
headers = {"Authorization": "Bearer " + token}


def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    h = dict(headers, **({"Content-Type": "application/json"} if data else {}))
    with urllib.request.urlopen(urllib.request.Request(base + url, data=data, method=method, headers=h)) as r:
        return r.read()


name, url = ("limit=20", f"/api/rounds/{rnd}/figures?limit=20") if page == "20" else ("all units", f"/api/rounds/{rnd}/figures")
call("GET", url)
times, errors = [], 0
for i in range(n):
    measure = ids[i % len(ids)]
    current = json.loads(call("GET", f"/api/measures/{measure}"))
    status = "rectified_ongoing" if current["status"] == "in_progress" else "in_progress"
    call("PUT", f"/api/measures/{measure}", {"status": status, "version": current["version"]})
    start = time.perf_counter()
    try:
        call("GET", url)
        times.append((time.perf_counter() - start) * 1000)
    except urllib.error.URLError:
        errors += 1


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] if s else float("nan")


print(f"| GET round figures ({name}), first read after a status change | 1 | {n} | {errors} | – | "
      f"{pct(times, 50):.1f} | {pct(times, 90):.1f} | {pct(times, 99):.1f} | {max(times, default=float('nan')):.1f} |")
