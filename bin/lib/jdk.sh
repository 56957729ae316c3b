# Sourced by bin/sluice and bin/test: exports JAVA_HOME pointing at a JDK 21 or newer.
# Order: $JAVA_HOME if it is 21+, else the newest JDK under /usr/lib/jvm (or $SLUICE_JVM_DIR), else stop and say what to install.

sluice_java_major() {
  # Prints the feature version (17, 21, 25, ...) of the java binary in $1, or nothing. The JDK's `release` file
  # answers without starting a JVM (each start costs ~100 ms of the command's own start-up); asking the binary is
  # the fallback for JDKs that lack the file.
  local v release
  release="$(dirname "$(dirname "$1")")/release"
  if [ -r "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9.]*\).*/\1/p' "$release" | head -n 1)
  fi
  [ -n "${v:-}" ] || v=$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
  # 1.8.0_402 / 1.8 -> 8; 21.0.4 / 21 -> 21
  v=${v#1.}
  printf '%s' "${v%%.*}"
}

sluice_find_jdk() {
  local want=21 best="" best_major=0 dir major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(sluice_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$want" ]; then
      return 0
    fi
  fi
  for dir in "${SLUICE_JVM_DIR:-/usr/lib/jvm}"/*; do
    [ -x "$dir/bin/javac" ] && [ ! -L "$dir" ] || continue
    major=$(sluice_java_major "$dir/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$want" ] && [ "$major" -gt "$best_major" ]; then
      best=$dir best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "Sluice needs a JDK $want or newer and found none (JAVA_HOME=${JAVA_HOME:-unset}; looked in ${SLUICE_JVM_DIR:-/usr/lib/jvm})." >&2
    echo "Install one, for example: apt-get install -y openjdk-21-jdk-headless  (or set JAVA_HOME to a JDK 21+)." >&2
    return 1
  fi
  export JAVA_HOME=$best
}

sluice_jvm_flags() {
  # JVM flags for running Sluice on the chosen JDK. On JDK 23+ sun.misc.Unsafe memory access must be allowed
  # explicitly, or Netty falls back to bounds- and scope-checked ByteBuffer access on every byte it touches.
  local major
  major=$(sluice_java_major "$JAVA_HOME/bin/java")
  if [ -n "$major" ] && [ "$major" -ge 23 ]; then
    printf '%s ' --sun-misc-unsafe-memory-access=allow
  fi
}

sluice_cds_flags() {
  # Class-data sharing for the jar in $1 running subcommand $2: the JVM writes an archive of the classes it loaded
  # beside the jar on the first exit and maps it on every later start (and rewrites it when the jar changes). One
  # archive per subcommand, because `serve` loads other classes than `--version`. It cuts start-up class loading,
  # most of Sluice's cold start (bench/compare measures it). SLUICE_CDS=0 turns it off.
  # The JVM does not rewrite an archive whose jar changed (JDK 25: "timestamp has changed" -> the archive is refused,
  # its classes load from the jar, and it is never replaced), so a rebuilt or upgraded jar would run without it for
  # good: +20 MiB RSS on `fetch` (docs/BENCHMARKS.md, "Transfers"). An archive older than its jar is removed here
  # (a shell test, no process), and this run writes a fresh one.
  [ "${SLUICE_CDS:-1}" = 1 ] || return 0
  local cmd=${2:-none}
  case "$cmd" in *[!a-z-]*|-*) cmd=other ;; esac
  local archive="$1.$cmd.jsa"
  if [ -f "$archive" ] && [ "$archive" -ot "$1" ]; then rm -f "$archive"; fi
  printf '%s ' -XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$archive" -Xlog:cds=off -Xlog:cds+dynamic=off
}

sluice_cmd_flags() {
  # Per-subcommand JVM sizing. `fetch` (and its export mode) is a short-lived client whose data lives in fixed-size
  # direct buffers, so it starts memory-lean; each flag was measured on a 1 GiB loopback fetch (docs/BENCHMARKS.md,
  # "Transfers"): the serial collector and a small heap (the engine needs far less than 64 MiB; ConstantMemoryTest),
  # direct memory capped at the heap's size (raise it with SLUICE_JAVA_OPTS for an export --buffer above ~48 MiB),
  # C1 only (-XX:TieredStopAtLevel=1: a download is memcpy and syscalls, C2's compile threads cost ~1 s CPU and ~20
  # MiB for nothing), a 16 MiB code cache, 256 KiB thread stacks, no hsperfdata file. Then, measured on 2 GiB at
  # 1 and 16 workers (docs/BENCHMARKS.md, "Transfers"), ~2 MiB each: a heap kept tight (the serial collector grows
  # it to keep 40 % free by default; the live set is ~8 MiB, most of it the CDS archive's objects, and young
  # collections of a download are sub-millisecond), no Netty JFR events (with JFR present Netty's allocator loads
  # and registers event classes), and the JVM handing freed malloc memory back once a second (C1's arenas). Anything
  # in SLUICE_JAVA_OPTS comes later on the command line and wins. `serve` and the rest keep the JVM's defaults.
  case "${1:-}" in
    fetch) printf '%s ' -XX:+UseSerialGC -Xms8m -Xmx64m -XX:MaxDirectMemorySize=64m -XX:TieredStopAtLevel=1 \
             -XX:ReservedCodeCacheSize=16m -Xss256k -XX:-UsePerfData \
             -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Dio.netty.jfr.enabled=false
           # a product flag from 21.0.1 (and 17.0.9); 21.0.0 would refuse to start with it
           local major; major=$(sluice_java_major "$JAVA_HOME/bin/java")
           if [ -n "$major" ] && [ "$major" -ge 22 ]; then printf '%s ' -XX:TrimNativeHeapInterval=1000; fi ;;
  esac
}
