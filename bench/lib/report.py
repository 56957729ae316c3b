#!/usr/bin/env python3
"""Summarise bench/proxy-baseline runs: medians per target, Sluice/nginx ratios, PASS/MISS per target.

Input:  --runs  JSON lines, one per wrk run: {"target", "round", "cpu_ticks", "wrk": {...from wrk_done.lua...}}
        --meta  JSON object: parameters, versions, clk_tck, peak RSS per target (kB)
Output: Markdown on stdout, the same figures as JSON in --out.
"""
import argparse
import json
import statistics

LABELS = {
    "direct": "backend direct (nginx :18080)",
    "sluice": "Sluice (:18081)",
    "nginx": "nginx proxy (:18082)",
}
# Targets from the issue: Sluice throughput >= 0.8x nginx, Sluice p99 <= 1.5x nginx. CPU/request is reported, no target.
TARGETS = [
    ("throughput", "rps", ">=", 0.8),
    ("p99", "p99_ms", "<=", 1.5),
    ("cpu_per_request", "cpu_us_per_req", None, None),
]


def fmt(v, digits=2):
    return "n/a" if v is None else f"{v:,.{digits}f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", required=True)
    ap.add_argument("--meta", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    meta = json.load(open(a.meta))
    clk = float(meta["clk_tck"])
    runs = [json.loads(line) for line in open(a.runs) if line.strip()]
    order = [t for t in meta["targets"]]

    per_target = {}
    for r in runs:
        w = r["wrk"]
        secs = w["duration_us"] / 1e6
        errors = sum(w[k] for k in ("err_connect", "err_read", "err_write", "err_status", "err_timeout"))
        cpu_s = r["cpu_ticks"] / clk
        r["derived"] = {
            "rps": w["requests"] / secs if secs else 0.0,
            "p50_ms": w["p50_us"] / 1000.0,
            "p99_ms": w["p99_us"] / 1000.0,
            "cpu_seconds": cpu_s,
            "cpu_us_per_req": cpu_s * 1e6 / w["requests"] if w["requests"] else None,
            "errors": errors,
        }
        per_target.setdefault(r["target"], []).append(r)

    summary = {}
    for t in order:
        rs = per_target.get(t, [])
        if not rs:
            continue
        d = [r["derived"] for r in rs]
        med = lambda k: statistics.median([x[k] for x in d if x[k] is not None]) if any(x[k] is not None for x in d) else None
        rss_kb = meta.get("peak_rss_kb", {}).get(t)
        summary[t] = {
            "runs": len(rs),
            "rps": med("rps"),
            "p50_ms": med("p50_ms"),
            "p99_ms": med("p99_ms"),
            "cpu_us_per_req": med("cpu_us_per_req"),
            "peak_rss_mib": rss_kb / 1024.0 if rss_kb is not None else None,
            "errors": sum(x["errors"] for x in d),
            "rps_all": [round(x["rps"], 1) for x in d],
            "p99_ms_all": [round(x["p99_ms"], 3) for x in d],
        }

    ratios = {}
    if "sluice" in summary and "nginx" in summary:
        s, n = summary["sluice"], summary["nginx"]
        for name, key, op, limit in TARGETS:
            ratio = s[key] / n[key] if s[key] is not None and n[key] else None
            verdict = None
            if limit is not None and ratio is not None:
                ok = ratio >= limit if op == ">=" else ratio <= limit
                verdict = "PASS" if ok else "MISS"
            ratios[name] = {"sluice_over_nginx": ratio, "target": f"{op} {limit}" if limit else None, "verdict": verdict}

    p = meta["params"]
    print()
    print(f"## Proxy baseline — {meta['timestamp']}")
    print()
    print(f"workers={p['workers']}  rounds={p['rounds']}  duration={p['duration']}s  connections={p['connections']}  "
          f"wrk threads={p['threads']}  body={p['body_bytes']} B  nproc={meta['nproc']}  (medians over rounds)")
    print()
    print("| target | median req/s | median p50 (ms) | median p99 (ms) | CPU µs/request | peak RSS (MiB) | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for t, s in summary.items():
        print(f"| {LABELS.get(t, t)} | {fmt(s['rps'], 0)} | {fmt(s['p50_ms'], 3)} | {fmt(s['p99_ms'], 3)} | "
              f"{fmt(s['cpu_us_per_req'], 1)} | {fmt(s['peak_rss_mib'], 1)} | {s['errors']} |")
    print()
    print("CPU and RSS: for the proxies, the proxy process(es) only (nginx: master + workers summed; Sluice: the JVM);")
    print("for 'backend direct', the backend nginx itself. RSS is VmHWM (peak) at the end of the run.")
    if ratios:
        print()
        print("| ratio Sluice/nginx | value | target | result |")
        print("|---|---:|---:|---|")
        for name, r in ratios.items():
            print(f"| {name} | {fmt(r['sluice_over_nginx'], 3)} | {r['target'] or '(info)'} | {r['verdict'] or '-'} |")
    else:
        print()
        print("Ratios: n/a (need both 'sluice' and 'nginx' targets).")
    if any(s["errors"] for s in summary.values()):
        print()
        print("WARNING: some runs reported socket errors or non-2xx/3xx responses; see the JSON for per-run detail.")

    out = {"meta": meta, "summary": summary, "ratios": ratios, "runs": runs}
    with open(a.out, "w") as f:
        json.dump(out, f, indent=2)
    print()
    print(f"JSON: {a.out}")


if __name__ == "__main__":
    main()
