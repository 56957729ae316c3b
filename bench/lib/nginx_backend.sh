# Sourced by bench/loadgen-vs-wrk, loadgen-engines, limiter-cost, proxy-ab, throttle and fetch/run.sh: prerequisites,
# process-group cleanup, one fixed nginx backend (1 worker, 1 KiB `return 200`, keep-alive, no access log) in its own
# temp prefix as in bench/proxy-baseline, a readiness wait and CPU time from /proc. Callers set $name (for messages)
# and $BACKEND_PORT before sourcing.
die() { echo "$name: ERROR: $*" >&2; exit 1; }
log() { echo "$name: $*" >&2; }

ensure_tools() { # ensure_tools CMD... : apt-get install the missing ones (root only), like proxy-baseline
  local missing=() c pkg
  for c in "$@"; do
    pkg=$c
    [ "$c" = pgrep ] && pkg=procps
    if [ "$c" = nginx ]; then [ -x "${NGINX_BIN:-/usr/sbin/nginx}" ] || command -v nginx >/dev/null || missing+=(nginx); continue; fi
    command -v "$c" >/dev/null || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}"
    command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
    log "installing ${missing[*]} (apt-get)..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
  NGINX_BIN=${NGINX_BIN:-$(command -v nginx || echo /usr/sbin/nginx)}
}

groups=()
tmp=$(mktemp -d "/tmp/$name.XXXXXX")
cleanup() {
  local g
  for g in "${groups[@]}"; do kill -TERM -- "-$g" 2>/dev/null || true; done
  for g in "${groups[@]}"; do
    for _ in $(seq 50); do kill -0 -- "-$g" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$g" 2>/dev/null || true
  done
  [ "${keep_tmp:-0}" = 1 ] && log "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_bg() { # start_bg LOGFILE CMD... ; sets $started_pid (== process group id)
  local logf=$1; shift
  setsid "$@" >"$logf" 2>&1 </dev/null &
  started_pid=$!
  groups+=("$started_pid")
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_ready() { # wait_ready PID URL WHAT LOGFILE [FILE...]: until URL answers 200 (120 s at most); if PID exits first,
  # shows the log's tail (and the FILEs, e.g. the config) and dies
  local deadline=$((SECONDS + 120))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$2" || true)" = 200 ]; do
    kill -0 "$1" 2>/dev/null || { tail -n 30 "$4" >&2; [ $# -le 4 ] || cat "${@:5}" >&2; die "$3 exited"; }
    [ $SECONDS -lt $deadline ] || die "$3 not ready after 120 s"
    sleep 0.2
  done
}

cpu_ticks() { # cpu_ticks PID or PID/task/TID: its utime+stime in clock ticks (getconf CLK_TCK); 0 once it is gone
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  s=${s##*) } # after the command name, which may hold spaces
  set -- $s
  echo $(( ${12} + ${13} ))
}

start_backend() { # nginx on 127.0.0.1:$BACKEND_PORT serving exactly 1024 bytes
  port_in_use "$BACKEND_PORT" && die "127.0.0.1:$BACKEND_PORT is already in use"
  local d="$tmp/backend" body
  mkdir -p "$d/tmp"
  body=$(python3 -c "import sys; s='0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'; sys.stdout.write((s*64)[:1024])")
  cat >"$d/nginx.conf" <<NGINX
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log warn;
daemon off;
events { worker_connections 16384; }
http {
    client_body_temp_path $d/tmp/body; proxy_temp_path $d/tmp/proxy; fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi; scgi_temp_path $d/tmp/scgi;
    access_log off;
    keepalive_requests 10000000;
    keepalive_timeout 300s;
    server {
        listen 127.0.0.1:$BACKEND_PORT backlog=4096;
        location / { default_type text/plain; return 200 "$body"; }
    }
}
NGINX
  "$NGINX_BIN" -t -q -p "$d" -e "$d/error.log" -c "$d/nginx.conf" 2>"$d/test.log" || { cat "$d/test.log" >&2; die "nginx config test failed"; }
  start_bg "$d/stdout.log" "$NGINX_BIN" -p "$d" -e "$d/error.log" -c "$d/nginx.conf"
  backend_pid=$started_pid
  local deadline=$((SECONDS + 10))
  until port_in_use "$BACKEND_PORT"; do
    kill -0 "$backend_pid" 2>/dev/null || { cat "$d/error.log" >&2; die "nginx exited before listening"; }
    [ $SECONDS -lt $deadline ] || die "nginx not listening on :$BACKEND_PORT after 10 s"
    sleep 0.1
  done
  local r
  r=$(curl -s -o /dev/null --max-time 5 -w '%{http_code} %{size_download}' "http://127.0.0.1:$BACKEND_PORT/") || true
  [ "$r" = "200 1024" ] || die "backend answered '${r:-nothing}' (want '200 1024')"
}

sluice_jar() { # builds sluice.jar if needed (via bin/sluice's staleness check) and sets $sluice_cmd
  local root=$1
  "$root/bin/sluice" --version >/dev/null || die "bin/sluice failed to build or run"
  sluice_cmd=("$root/bin/sluice")
}
