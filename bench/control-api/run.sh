#!/usr/bin/env bash
# Control API latency at a fixed rate (issue 8 target: p99 < 2 ms at 1,000 req/s; seed 000 lists 8-35 ms).
# Starts `sluice serve` with the admin API rate limit off, then drives it with `sluice bench` in the open model
# (latency from the intended send time, so queueing counts) for each endpoint; prints one line per endpoint.
# Usage: bench/control-api/run.sh [--rate 1000] [--duration 20s] [--warmup 5s]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rate=1000; duration=20s; warmup=5s
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift 2;;
    --duration) duration=$2; shift 2;;
    --warmup) warmup=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
out="$root/bench/out/control-api"; mkdir -p "$out"
tmp=$(mktemp -d)
admin=18742
cat > "$tmp/sluice.yaml" <<YAML
server:
  workers: 1
  listeners:
    - name: http
      host: 127.0.0.1
      port: 18741
admin:
  port: $admin
  rate_limit:
    enabled: false
health_checks:
  enabled: false
routes:
  - name: api
    backends:
      - host: 127.0.0.1
        port: 18743
      - host: 127.0.0.1
        port: 18744
YAML
set -m
"$root/bin/sluice" serve -c "$tmp/sluice.yaml" > "$tmp/serve.log" 2>&1 &
serve=$!
trap 'kill -- -$serve 2>/dev/null || kill $serve 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$admin/healthz" >/dev/null && break; sleep 0.2; done
run() { # name, then bench args
  local name=$1; shift
  SLUICE_NO_BUILD=1 "$root/bin/sluice" bench -q -R "$rate" -d "$duration" --warmup "$warmup" -c 8 \
      --json "$out/$name.json" "$@" >/dev/null
  python3 - "$out/$name.json" "$name" "$rate" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
lat, svc = d["latency"], d["service_time"]
errors = sum(d.get("errors", {}).values())
verdict = "PASS" if lat["p99"] < 2.0 and errors == 0 else "MISS"
print(f"{sys.argv[2]:<14} {d['requests_per_second']:8.0f} req/s  errors {errors:<4} latency p50 {lat['p50']:.3f} "
      f"p99 {lat['p99']:.3f} p99.9 {lat['p999']:.3f} max {lat['max']:.3f} ms  (service p99 {svc['p99']:.3f} ms)  "
      f"target p99<2ms@{sys.argv[3]}/s: {verdict}")
PY
}
run get-routes "http://127.0.0.1:$admin/api/v1/routes"
run get-stats "http://127.0.0.1:$admin/api/v1/stats"
run get-jobs "http://127.0.0.1:$admin/api/v1/jobs"
run patch-weight -m PATCH -H "Content-Type: application/json" --body '{"weight": 50}' \
    "http://127.0.0.1:$admin/api/v1/routes/api/backends/127.0.0.1:18743"
run batch-100 -m POST -H "Content-Type: application/json" \
    --body "$(python3 -c 'import json; print(json.dumps({"operations": [{"method": "PATCH", "path": "/api/v1/routes/api/backends/127.0.0.1:18743", "body": {"weight": 10 + i}} for i in range(100)]}))')" \
    "http://127.0.0.1:$admin/api/v1/batch"
