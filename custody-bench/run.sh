#!/usr/bin/env bash
# Builds custody-bench and what it needs, then runs the benchmarks with JDK 25:
#   custody-bench/run.sh [--full] [--prof NAME]... [REGEX]...
# Writes custody-bench/target/bench-results.md (ratio tables) and bench-results.json (JMH's).
# JAVA may name another JDK 25+ java binary.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
java="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
# compile, not package: the dependency modules resolve to their target/classes in the reactor
mvn -q -B -f "$root/pom.xml" -pl custody-bench -am -DskipTests compile
bench="$root/custody-bench/target"
exec "$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -cp "$bench/classes:$(cat "$bench/classpath.txt")" \
    dev.custody.bench.BenchMain "$@"
