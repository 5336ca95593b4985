# custody-env.sh: what ./custody (the clone's launcher) and bin/custody (the distribution's) share:
# finding a JDK 25, the Debian packages the command line needs, and the flags its JVM runs with.
# Sourced by both, never run. custody_setup sets JAVA and JDK, or stops with one line.

die() {
    echo "custody: $*" >&2
    exit 2
}

say() {
    echo "custody: $*" >&2
}

# The feature version of a java binary ("25" for 25.0.1, "8" for 1.8.0), or nothing.
java_feature() {
    local v
    v="$("$1" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')" || return 0
    [[ "$v" == 1.* ]] && v="${v#1.}"
    echo "${v%%[.+-]*}"
}

# JAVA_HOME if it is 25+, then java on PATH, then /usr/lib/jvm/*.
find_java() {
    local candidates=() j v
    [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
    if command -v java >/dev/null 2>&1; then
        candidates+=("$(command -v java)")
    fi
    for j in /usr/lib/jvm/*/bin/java; do
        candidates+=("$j")
    done
    for j in "${candidates[@]}"; do
        [[ -x "$j" ]] || continue
        v="$(java_feature "$j")"
        if [[ "$v" =~ ^[0-9]+$ ]] && ((v >= 25)); then
            readlink -f "$j"
            return 0
        fi
    done
    return 1
}

# Installs Debian packages as root, or names the exact command and stops.
need_packages() {
    local why="$1"
    shift
    local cmd="apt-get update && apt-get install -y $*"
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        say "$why; installing: $cmd"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >&2 </dev/null \
            || die "could not install $*; run: $cmd"
    else
        die "$why; install it as root: $cmd"
    fi
}

# Installs a Debian package when the shared library it ships is missing (as root), or names it.
ensure_library() {
    local soname="$1" package="$2" why="$3"
    if [[ -e "/usr/lib/x86_64-linux-gnu/$soname" ]] \
        || { command -v ldconfig >/dev/null 2>&1 && ldconfig -p | grep -q "${soname//./\\.} "; }; then
        return 0
    fi
    need_packages "$package is missing ($why)" "$package"
}

# grpc-netty-shaded still uses sun.misc.Unsafe's memory access; allow it without the JDK's warning.
# The user's MALLOC_ARENA_MAX is kept aside, so that `custody run` gives it back to the command.
run_java() {
    CUSTODY_OUTER_MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX-<unset>}" MALLOC_ARENA_MAX=1 \
        "$JAVA" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow "$@"
}

# stress judges native memory, not the Java heap: a fixed, pre-touched Java heap keeps G1's first touch
# of fresh young-generation pages out of the RSS witness, and Native Memory Tracking lets the mallinfo2
# witness take out the JVM's own mallocs (the JIT's arenas above all). See the README's stress section.
# StressAcceptanceTest reads this line.
STRESS_JVM=(-Xms2g -Xmx2g -XX:+AlwaysPreTouch -XX:NativeMemoryTracking=summary)

# Runs the command line: run_cli CLASS_PATH AGENT_JAR ARGS...
run_cli() {
    local cp="$1" agent="$2" heap=()
    shift 2
    [[ "${1:-}" == "stress" ]] && heap=("${STRESS_JVM[@]}")
    run_java "${heap[@]}" -Dcustody.agent.jar="$agent" -cp "$cp" dev.custody.cli.Main "$@"
}

# Finds the JDK 25 (JAVA, JDK) and makes sure of the shared libraries, or stops with the command to run.
custody_setup() {
    JAVA="$(find_java)" \
        || die "no JDK 25 found; install Temurin 25 (apt-get install temurin-25-jdk) or set JAVA_HOME to a JDK 25+"
    JDK="$(dirname "$(dirname "$JAVA")")"
    ensure_library libmimalloc.so.2 libmimalloc2.0 "the tests and scenarios use mimalloc"
    ensure_library libsqlite3.so.0 libsqlite3-0 "the tests use SQLite's allocator"
}
