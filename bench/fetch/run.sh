#!/usr/bin/env bash
# bench/fetch: `sluice fetch` vs aria2c vs curl downloading one file from nginx, and the export's compression table.
#
#   bench/fetch/run.sh [--size 2G] [--workers "1 4 8 16"] [--links "loopback 1gbit"] [--compress-size 512M]
#                      [--formats "none gzip:1 gzip:6 gzip:9 zstd:3"] [--limit 320Mbps|""] [--limit-rounds 1]
#                      [--before-jar JAR] [--keep]
#
# --before-jar: an earlier build measured beside this one, interleaved (tool "sluice-before", right after each
# "sluice" row, and in the --limit rows), with its own CDS archive beside that jar and the JVM flags in
# $SLUICE_BEFORE_JAVA_OPTS (default: this launcher's `fetch` flags), for before/after figures from one run.
# --limit-rounds: how many times each --limit row is repeated (the 1-worker rate is sensitive to the machine's load).
#
# Links: "loopback" is 127.0.0.1 of this machine, unshaped (CPU-bound). "1gbit" runs nginx and every client inside
# a private network namespace whose own loopback is shaped with tc tbf (rate 1gbit, burst 256 KiB, MTU 1500; this
# kernel has no netem module, so no added latency),
# so 127.0.0.1 there behaves like a 1 Gbps LAN and nothing outside the namespace is touched. Needs root for that.
# Downloads land on tmpfs (/dev/shm) so disk speed is not measured; every result is compared with the source (cmp).
# Measured per run with /usr/bin/time: wall time, user+system CPU seconds, peak RSS. Output: a Markdown table on
# stdout and bench/out/fetch-<date>.md.
set -euo pipefail
name=fetch-bench
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
size=2G; workers="1 4 8 16"; links="loopback 1gbit"; csize=512M; formats="none gzip:1 gzip:6 gzip:9 zstd:3"
limit=320Mbps; limit_rounds=1; before_jar=""
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --links) links=$2; shift 2 ;;
    --compress-size) csize=$2; shift 2 ;;
    --formats) formats=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    --limit-rounds) limit_rounds=$2; shift 2 ;;
    --before-jar) before_jar=$2; shift 2 ;;
    --keep) keep_tmp=1; shift ;;
    *) echo "usage: $0 [--size 2G] [--workers LIST] [--links LIST] [--compress-size 512M] [--formats LIST] [--limit RATE] [--limit-rounds N] [--before-jar JAR] [--keep]" >&2; exit 2 ;;
  esac
done
BACKEND_PORT=18090
. "$root/bench/lib/nginx_backend.sh"
. "$root/bin/lib/jdk.sh"
ensure_tools nginx aria2c curl cmp
[ -x /usr/bin/time ] || { export DEBIAN_FRONTEND=noninteractive; apt-get install -y -qq time >&2; }
sluice_find_jdk
jar="$root/sluice-cli/target/sluice.jar"
if [ ! -f "$jar" ]; then
  log "building the jar..."
  (cd "$root" && ./mvnw -B -q --no-transfer-progress -DskipTests -pl sluice-cli -am package) >&2
fi
# The JVM flags `bin/sluice fetch` uses (bin/lib/jdk.sh: sluice_cmd_flags, the per-subcommand CDS archive), so the
# figures are what a user gets; SLUICE_BENCH_JAVA_OPTS is appended (later flags win). JVM start-up is measured on its
# own (`sluice --version`) so it can be told apart from transfer time.
sluice=("$JAVA_HOME/bin/java" $(sluice_jvm_flags) $(sluice_cds_flags "$jar" fetch) $(sluice_cmd_flags fetch)
        ${SLUICE_BENCH_JAVA_OPTS:-} -jar "$jar")
# Sanity checks without the CDS flags: the JVM writes a missing archive from the first run that names it, and a
# `--version` run would leave one without the fetch path's classes (every later fetch then loads them from the jar).
# For the same reason each build's fetch archive is removed here and written by its warm-up fetch below.
"$JAVA_HOME/bin/java" -jar "$jar" --version >/dev/null 2>&1 || die "cannot run $jar"
rm -f "$jar.fetch.jsa"
tools=(sluice)
if [ -n "$before_jar" ]; then
  [ -f "$before_jar" ] || die "no $before_jar"
  before=("$JAVA_HOME/bin/java" $(sluice_jvm_flags) $(sluice_cds_flags "$before_jar" fetch)
          ${SLUICE_BEFORE_JAVA_OPTS:-$(sluice_cmd_flags fetch)} -jar "$before_jar")
  "$JAVA_HOME/bin/java" -jar "$before_jar" --version >/dev/null 2>&1 || die "cannot run $before_jar"
  rm -f "$before_jar.fetch.jsa"
  tools+=(sluice-before)
fi
tool_cmd() { # tool_cmd sluice|sluice-before: sets tc to the java command line of that build (an array, for time/netns)
  if [ "$1" = sluice ]; then tc=("${sluice[@]}"); else tc=("${before[@]}"); fi
}
ns=sluicefetch$$
shm=$(mktemp -d /dev/shm/$name.XXXXXX)
netns_cleanup() { ip netns del "$ns" 2>/dev/null || true; rm -rf "$shm"; cleanup; }
trap netns_cleanup EXIT

# ---- data: a random file for speed, an image-like one (binaries, text, 25 % zeros) for compression
www="$tmp/www"; mkdir -p "$www"; chmod 755 "$tmp" "$www" # nginx workers run as another user
log "writing $size of random data..."
head -c "$size" /dev/urandom >"$www/big.bin"
log "writing a $csize image-like file..."
cbytes=$(numfmt --from=iec "$csize")
{ (set +o pipefail; tar cf - /usr/bin /usr/share /usr/lib/x86_64-linux-gnu 2>/dev/null | head -c $((cbytes * 3 / 4)));
  head -c $((cbytes / 4)) /dev/zero; } >"$www/image.raw"
head -c 8M /dev/urandom >"$www/warm.bin" # one fetch before measuring writes the CDS archive
chmod 644 "$www"/*
cat "$www/big.bin" "$www/image.raw" >/dev/null # into the page cache

nginx_conf() { # nginx_conf DIR
  mkdir -p "$1/tmp"
  cat >"$1/nginx.conf" <<NGINX
worker_processes 2;
pid $1/nginx.pid;
error_log $1/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 100000;
  client_body_temp_path $1/tmp; proxy_temp_path $1/tmp; fastcgi_temp_path $1/tmp; uwsgi_temp_path $1/tmp; scgi_temp_path $1/tmp;
  server { listen 127.0.0.1:$BACKEND_PORT; root $www; }
}
NGINX
}

results="$tmp/results.tsv"; : >"$results"
measure() { # measure LINK TOOL N OUTFILE|- SOURCE|- CMD... : one timed run, checked with cmp against SOURCE
  local link=$1 tool=$2 n=$3 out=$4 src=$5; shift 5
  case $out in "$shm"/*) rm -f "$out" ;; -) ;; *) die "measure: output $out must be under $shm or -" ;; esac
  local so=/dev/null # stdout: the data itself with -o -, else the --json summary (kept for the --limit rows)
  case $out in "$shm"/*) so="$tmp/run.out" ;; esac
  if ! $prefix /usr/bin/time -f '%e %U %S %M' -o "$tmp/time.txt" "$@" >"$so" 2>"$tmp/run.err"; then
    log "$tool $n on $link FAILED:"; tail -5 "$tmp/run.err" >&2; echo -e "$link\t$tool\t$n\tFAILED" >>"$results"; return
  fi
  read -r wall user sys rss <"$tmp/time.txt"
  local ok=ok
  if [ "$src" != - ]; then cmp -s "$out" "$src" || ok=DIFFERENT; fi
  local extra=""
  [ "$src" = - ] && extra=$(grep -o '"bytes_out":[0-9]*' "$tmp/run.err" | cut -d: -f2 || true)
  echo -e "$link\t$tool\t$n\t$wall\t$(echo "$user + $sys" | bc)\t$rss\t$ok\t$extra" >>"$results"
  log "$link $tool $n: ${wall}s cpu $(echo "$user + $sys" | bc)s rss ${rss}KB $ok $extra"
  case $out in "$shm"/*) rm -f "$out" ;; esac
}

for link in $links; do
  prefix=""
  d="$tmp/nginx-$link"; nginx_conf "$d"
  if [ "$link" = 1gbit ]; then
    ip netns add "$ns"
    ip netns exec "$ns" ip link set lo up
    ip netns exec "$ns" ip link set lo mtu 1500
    ip netns exec "$ns" tc qdisc add dev lo root tbf rate 1gbit burst 256kb latency 50ms
    prefix="ip netns exec $ns"
    start_bg "$d/out.log" ip netns exec "$ns" "$NGINX_BIN" -p "$d" -c "$d/nginx.conf"
  else
    start_bg "$d/out.log" "$NGINX_BIN" -p "$d" -c "$d/nginx.conf"
  fi
  for _ in $(seq 50); do $prefix curl -sf -o /dev/null -r 0-0 "http://127.0.0.1:$BACKEND_PORT/big.bin" && break; sleep 0.1; done
  url="http://127.0.0.1:$BACKEND_PORT/big.bin"
  for t in "${tools[@]}"; do
    tool_cmd "$t"
    $prefix "${tc[@]}" fetch "http://127.0.0.1:$BACKEND_PORT/warm.bin" -o "$shm/w.bin" -q && rm -f "$shm/w.bin"
    measure "$link" "jvm-start(--version)$([ "$t" = sluice ] || echo "-before")" 0 - - "${tc[@]}" --version
  done
  for n in $workers; do
    for t in "${tools[@]}"; do
      tool_cmd "$t"
      measure "$link" "$t" "$n" "$shm/s.bin" "$www/big.bin" "${tc[@]}" fetch "$url" -o "$shm/s.bin" --workers "$n" -q
    done
    measure "$link" aria2c "$n" "$shm/a.bin" "$www/big.bin" aria2c -x "$n" -s "$n" --file-allocation=falloc \
      --allow-overwrite=true --auto-file-renaming=false --console-log-level=error --summary-interval=0 \
      --download-result=hide -q -d "$shm" -o a.bin "$url"
  done
  measure "$link" sluice auto "$shm/s.bin" "$www/big.bin" "${sluice[@]}" fetch "$url" -o "$shm/s.bin" --workers auto -q
  measure "$link" curl 1 "$shm/c.bin" "$www/big.bin" curl -sS -o "$shm/c.bin" "$url"
  if [ "$link" = loopback ] && [ -n "$limit" ]; then
    # --limit accuracy over >= 10 s: the image-like file at a rate that makes the fetch last ~13 s; the rate is read
    # from the --json progress lines (every 500 ms, each with its elapsed_ms): bytes between the first line past
    # 1 s and the last line, over the time between them (the job's start-up and end are outside the window)
    for n in $(for _ in $(seq "$limit_rounds"); do echo 1 8; done); do
     for t in "${tools[@]}"; do
      tool_cmd "$t"
      measure "$link" "limit-$limit" "$n" "$shm/l.bin" "$www/image.raw" "${tc[@]}" fetch \
        "http://127.0.0.1:$BACKEND_PORT/image.raw" -o "$shm/l.bin" --workers "$n" --limit "$limit" --json \
        --progress-interval 500
      window=$(python3 -c '
import json,sys
p=[json.loads(l) for l in open(sys.argv[1]) if l.startswith("{\"event\":\"progress\"")]
p=[e for e in p if e["elapsed_ms"]>=1000 and e["done"]<e["size"]]
a,b=p[0],p[-1]; print("%d:%d" % (b["done"]-a["done"], b["elapsed_ms"]-a["elapsed_ms"]))' "$tmp/run.err")
      sed -i "\$s/\$/\t$window\t$t/" "$results"
     done
    done
  fi
  if [ "$link" = 1gbit ] || [ "$links" = loopback ]; then
    for f in $formats; do
      measure "$link" "export-$f" 4 - - "${sluice[@]}" fetch "http://127.0.0.1:$BACKEND_PORT/image.raw" \
        -o - --compress "$f" --workers 4 --json -q
    done
  fi
  kill -TERM -- "-$started_pid" 2>/dev/null || true; sleep 0.5
  [ "$link" = 1gbit ] && ip netns del "$ns"
done

bytes=$(stat -c %s "$www/big.bin")
mkdir -p "$root/bench/out"
report="$root/bench/out/fetch-$(date -u +%Y%m%dT%H%M%SZ).md"
python3 - "$results" "$bytes" "$cbytes" >"$report" <<'PY'
import sys
rows=[l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
size=int(sys.argv[2]); csize=int(sys.argv[3])
print("| link | tool | workers | wall s | MB/s | CPU s | peak RSS MiB | check |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    if r[3]=="FAILED": print(f"| {r[0]} | {r[1]} | {r[2]} | FAILED | | | | |"); continue
    if r[1].startswith("export-") or r[1].startswith("limit-"): continue
    if r[1].startswith("jvm-start"):
        print(f"| {r[0]} | {r[1]} | - | {float(r[3]):.2f} | - | {float(r[4]):.2f} | {int(r[5])/1024:.0f} | - |"); continue
    wall=float(r[3]); print(f"| {r[0]} | {r[1]} | {r[2]} | {wall:.2f} | {size/wall/1e6:.0f} | {float(r[4]):.2f} | {int(r[5])/1024:.0f} | {r[6]} |")
lim=[r for r in rows if r[1].startswith("limit-") and r[3]!="FAILED"]
if lim:
    print()
    print(f"--limit accuracy, the {csize/2**20:.0f} MiB file (rate over the window between the first progress line past 1 s and the last one):")
    print()
    print("| build | limit | workers | window s | bytes in window | achieved Mbit/s | vs limit | wall s | CPU s | peak RSS MiB | check |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    units={"k":1e3,"m":1e6,"g":1e9}
    for r in lim:
        spec=r[1][6:]; num=spec.lower().rstrip("bps"); mult=units.get(num[-1],1); want=float(num.rstrip("kmg"))*mult
        done,ms=(int(x) for x in r[8].split(":")); got=done*8/(ms/1000)
        print(f"| {r[9] if len(r)>9 else 'sluice'} | {spec} | {r[2]} | {ms/1000:.2f} | {done} | {got/1e6:.1f} | {100*(got/want-1):+.1f} % | {float(r[3]):.2f} | {float(r[4]):.2f} | {int(r[5])/1024:.0f} | {r[6]} |")
ex=[r for r in rows if r[1].startswith("export-") and r[3]!="FAILED"]
if ex:
    print()
    print(f"Export of a {csize/2**20:.0f} MiB image-like file (4 workers, `-o -` to /dev/null):")
    print()
    print("| link | compression | size out MiB | ratio | wall s | MB/s in | CPU s | CPU % of wall | peak RSS MiB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in ex:
        wall=float(r[3]); out=int(r[7] or 0); cpu=float(r[4])
        print(f"| {r[0]} | {r[1][7:]} | {out/2**20:.0f} | {out/csize:.2f} | {wall:.2f} | {csize/wall/1e6:.0f} | {cpu:.2f} | {100*cpu/wall:.0f} % | {int(r[5])/1024:.0f} |")
PY
cat "$report"
log "report: $report"
