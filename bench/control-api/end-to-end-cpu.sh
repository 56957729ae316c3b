#!/usr/bin/env bash
# Runs bench/control-api/BatchEndToEndCpu.java (SDK batch against a real gateway, in one JVM: wall and CPU time per
# operation) for JSON and MessagePack on this checkout's classes. Usage: bench/control-api/end-to-end-cpu.sh [OPS] [ROUNDS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/bin/lib/jdk.sh"
sluice_find_jdk
cd "$root"
./mvnw -B -q --no-transfer-progress -pl sluice-bench -am test-compile >&2
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
./mvnw -B -q --no-transfer-progress -pl sluice-bench dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >&2
modules=""
for m in sluice-testing sluice-core sluice-transfer sluice-gateway sluice-client; do
  modules="$modules:$root/$m/target/classes"
done
for format in JSON MSGPACK; do
  "$JAVA_HOME/bin/java" $(sluice_jvm_flags) -cp "${modules#:}:$(cat "$cp_file")" \
    "$root/bench/control-api/BatchEndToEndCpu.java" "$format" "${1:-100}" "${2:-10}"
done
