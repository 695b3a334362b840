#!/usr/bin/env bash
# Local Apache Jena Fuseki 5 server and Jena command-line tools for cikg, obtained from Maven Central only.
#
#   bash scripts/fuseki.sh start      install if needed, start, wait until the SPARQL endpoint answers (idempotent)
#   bash scripts/fuseki.sh stop       SIGTERM, wait, then SIGKILL (exit 0 when not running)
#   bash scripts/fuseki.sh kill       SIGKILL at once (what a crash looks like to a client)
#   bash scripts/fuseki.sh status     exit 0 when running and answering, 3 when not running, 1 when unhealthy
#   bash scripts/fuseki.sh restart    stop + start
#   bash scripts/fuseki.sh wipe       stop + delete the databases and logs (keeps the downloaded lib/)
#   bash scripts/fuseki.sh install    only download the jars into <home>/lib
#   bash scripts/fuseki.sh logs       print the tail of the server's log
#   bash scripts/fuseki.sh jena CMD [ARGS...]   run a Jena command: riot, arq, sparql, tdb2.tdbloader,
#                                     tdb2.tdbquery, shacl (e.g. `jena riot --validate data.nq`)
#
# Datasets (scripts/fuseki/config.ttl.template): /cikg, TDB2 on disk with the union of the named graphs as
# its default graph (query /cikg/sparql, Graph Store Protocol /cikg/data); /cikg-plain, in memory, with a
# default graph of its own; /cikg-auth, in memory, for user cikg only (HTTP Basic); /cikg-test, like /cikg
# in a database of its own, for the tests.
#
# Environment (defaults):
#   FUSEKI_HOME_DIR=<repo>/.fuseki   everything lives here (git-ignored)
#   FUSEKI_LIB_DIR=<home>/lib        the jars (another home may share them)
#   FUSEKI_PORT=3030  FUSEKI_HOST=127.0.0.1 (the server listens on localhost only)
#   FUSEKI_PASSWORD=cikg-password   password of user "cikg", the one user of the protected dataset /cikg-auth
#   FUSEKI_HEAP=1g  FUSEKI_START_TIMEOUT=120  FUSEKI_STOP_TIMEOUT=30 (seconds)
#   FUSEKI_JAVA      java binary (default: JAVA_HOME's or PATH's java if it is 17 or newer)
#   JENA_VERSION     override the version pinned in scripts/fuseki/pom.xml (5.x on Java 17)
#   FUSEKI_MVN_ARGS  extra Maven arguments (e.g. -Dmaven.repo.local=/tmp/m2)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
SUPPORT_DIR="$SCRIPT_DIR/fuseki"

HOME_DIR="${FUSEKI_HOME_DIR:-$REPO_ROOT/.fuseki}"
mkdir -p "$HOME_DIR"
HOME_DIR="$(cd "$HOME_DIR" && pwd)"
LIB_DIR="${FUSEKI_LIB_DIR:-$HOME_DIR/lib}"
PORT="${FUSEKI_PORT:-3030}"
HOST=127.0.0.1
HEAP="${FUSEKI_HEAP:-1g}"
PASSWORD="${FUSEKI_PASSWORD:-cikg-password}"
START_TIMEOUT="${FUSEKI_START_TIMEOUT:-120}"
STOP_TIMEOUT="${FUSEKI_STOP_TIMEOUT:-30}"
RUN_DIR="$HOME_DIR/run"
LOG_DIR="$HOME_DIR/logs"
DB_DIR="$HOME_DIR/databases/cikg"
CONFIG="$RUN_DIR/config.ttl"
PID_FILE="$RUN_DIR/fuseki.pid"
LOG="$LOG_DIR/fuseki.log"
INSTALL_LOG="$HOME_DIR/install.log"
MAIN_CLASS="org.apache.jena.fuseki.main.cmds.FusekiMainCmd"

say() { printf 'fuseki: %s\n' "$*"; }
fail() {
    printf 'fuseki: ERROR: %s\n' "$*" >&2
    exit 1
}
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
secs_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%d", b - a }'; }

# ---------------------------------------------------------------- java
java_major() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'; }

find_java() {
    if [[ -n "${FUSEKI_JAVA:-}" ]]; then
        echo "$FUSEKI_JAVA"
        return
    fi
    local cand major
    for cand in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)" /usr/lib/jvm/*-17-*/bin/java /usr/lib/jvm/*21*/bin/java; do
        [[ -n "$cand" && -x "$cand" ]] || continue
        major="$(java_major "$cand")"
        if [[ "$major" =~ ^[0-9]+$ ]] && ((major >= 17)); then
            echo "$cand"
            return
        fi
    done
    fail "Jena 5 needs Java 17 or newer; none found (set FUSEKI_JAVA or JAVA_HOME)"
}

# ---------------------------------------------------------------- install
fingerprint() { { cat "$SUPPORT_DIR/pom.xml"; echo "${JENA_VERSION:-}"; } | sha256sum | cut -c1-16; }
installed() { [[ -f "$LIB_DIR/.cikg-installed" && "$(cat "$LIB_DIR/.cikg-installed")" == "$(fingerprint)" ]]; }

do_install() {
    installed && return 0
    command -v mvn >/dev/null 2>&1 || fail "Maven (mvn) is needed to download Jena from Maven Central and is not on PATH"
    local t0 tmp java_bin
    t0=$(now)
    java_bin="$(find_java)"
    tmp="$LIB_DIR.partial"
    rm -rf "$tmp"
    local -a args=(-B -f "$SUPPORT_DIR/pom.xml" "-Dfuseki.work.dir=$HOME_DIR/mvn" dependency:copy-dependencies
        "-DoutputDirectory=$tmp" -DincludeScope=runtime)
    [[ -n "${JENA_VERSION:-}" ]] && args+=("-Djena.version=$JENA_VERSION")
    # shellcheck disable=SC2206 # word splitting of user-given extra args is intended
    [[ -n "${FUSEKI_MVN_ARGS:-}" ]] && args+=(${FUSEKI_MVN_ARGS})
    say "downloading Jena Fuseki and the Jena commands from Maven Central into $LIB_DIR (log: $INSTALL_LOG)"
    if ! JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$java_bin")")")" mvn "${args[@]}" >"$INSTALL_LOG" 2>&1; then
        grep -E 'ERROR' "$INSTALL_LOG" | head -n 5 >&2 || true
        rm -rf "$tmp"
        fail "Maven could not download the Jena jars (log: $INSTALL_LOG)"
    fi
    compgen -G "$tmp/jena-fuseki-main-*.jar" >/dev/null || fail "no jena-fuseki-main jar after download (log: $INSTALL_LOG)"
    rm -rf "$LIB_DIR" "$HOME_DIR/mvn"
    mv "$tmp" "$LIB_DIR"
    fingerprint >"$LIB_DIR/.cikg-installed"
    local -a jars=("$LIB_DIR"/*.jar)
    say "installed ${#jars[@]} jars ($(du -sh "$LIB_DIR" | cut -f1)) in $(took "$t0"): $(basename "$(compgen -G "$LIB_DIR/jena-fuseki-main-*.jar")" .jar)"
}

# ---------------------------------------------------------------- process
alive() {
    kill -0 "$1" 2>/dev/null || return 1
    [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]
}

server_pid() { # pid of this home's server if it runs (a stale pid file, or another program's pid, is ignored)
    local pid
    [[ -f "$PID_FILE" ]] || return 0
    pid="$(tr -dc '0-9' <"$PID_FILE")"
    [[ -n "$pid" ]] && alive "$pid" || return 0
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$MAIN_CLASS --config=$CONFIG "; then
        echo "$pid"
    fi
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

probe() { # one readiness check: an ASK on the union dataset answers "boolean"
    curl -fsS --max-time 3 -H 'Accept: application/sparql-results+json' \
        --data-urlencode 'query=ASK {}' "http://$HOST:$PORT/cikg/sparql" 2>/dev/null | grep -q '"boolean"'
}

log_tail() {
    [[ -s "$LOG" ]] || return 0
    printf -- '---- last lines of %s ----\n' "$LOG" >&2
    grep -v -E '^[[:space:]]+(at |\.\.\. [0-9]+ more)' "$LOG" | tail -n 15 | cut -c1-400 >&2
}

cmd_start() {
    local pid t0
    pid="$(server_pid)"
    if [[ -n "$pid" ]]; then
        say "already running (pid $pid): http://$HOST:$PORT/cikg/sparql"
        return 0
    fi
    t0=$(now)
    local java
    java="$(find_java)"
    do_install
    port_open "$PORT" && fail "port $PORT on $HOST is already in use by another process (not this server: no live pid in $PID_FILE); set FUSEKI_PORT or stop it"
    mkdir -p "$RUN_DIR" "$LOG_DIR" "$DB_DIR"
    mkdir -p "$HOME_DIR/databases/cikg-test"
    sed -e "s|@DB_DIR@|$DB_DIR|g" -e "s|@TEST_DB_DIR@|$HOME_DIR/databases/cikg-test|g" \
        "$SUPPORT_DIR/config.ttl.template" >"$CONFIG"
    [[ "$PASSWORD" =~ ^[^[:space:]:,]+$ ]] || fail "FUSEKI_PASSWORD must be one word without ':' or ','"
    (umask 077 && printf 'cikg: %s\n' "$PASSWORD" >"$RUN_DIR/passwd")
    : >"$LOG"
    local -a detach=()
    command -v setsid >/dev/null 2>&1 && detach=(setsid)
    # One JVM: Fuseki main with the configuration file, on localhost only; setsid: it survives Ctrl-C here,
    # 9>&-: it must not hold our lock.
    "${detach[@]}" "$java" "-Xmx$HEAP" -Dfile.encoding=UTF-8 -cp "$LIB_DIR/*" \
        "$MAIN_CLASS" "--config=$CONFIG" "--port=$PORT" --localhost "--passwd=$RUN_DIR/passwd" --auth=basic \
        </dev/null >>"$LOG" 2>&1 9>&- &
    pid=$!
    echo "$pid" >"$PID_FILE"
    say "started Jena Fuseki $(basename "$(compgen -G "$LIB_DIR/jena-fuseki-main-*.jar")" .jar | sed 's/^jena-fuseki-main-//') (pid $pid, java $(java_major "$java"), heap $HEAP, database $DB_DIR)"
    while :; do
        if [[ -z "$(server_pid)" ]]; then
            log_tail
            fail "the Fuseki process exited during startup (log: $LOG)"
        fi
        if probe; then
            say "ready in $(took "$t0"): http://$HOST:$PORT/cikg/sparql (Graph Store: http://$HOST:$PORT/cikg/data)"
            return 0
        fi
        if (($(secs_since "$t0") >= START_TIMEOUT)); then
            log_tail
            fail "Fuseki did not answer on http://$HOST:$PORT/cikg/sparql within ${START_TIMEOUT}s; it is still running as pid $pid (log: $LOG)"
        fi
        sleep 0.3
    done
}

cmd_stop() {
    local pid t0 signal="${1:-TERM}"
    pid="$(server_pid)"
    if [[ -z "$pid" ]]; then
        rm -f "$PID_FILE"
        say "not running"
        return 0
    fi
    t0=$(now)
    kill "-$signal" "$pid" 2>/dev/null || true
    while alive "$pid"; do
        if (($(secs_since "$t0") >= STOP_TIMEOUT)); then
            say "still running after ${STOP_TIMEOUT}s, sending SIGKILL to pid $pid"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        sleep 0.2
    done
    # the port closes a moment after the process has gone: a start right after a stop must find it free
    while port_open "$PORT" && (($(secs_since "$t0") < STOP_TIMEOUT)); do
        sleep 0.1
    done
    rm -f "$PID_FILE"
    say "stopped (pid $pid, SIG$signal) in $(took "$t0")"
}

cmd_status() {
    local pid
    pid="$(server_pid)"
    if [[ -z "$pid" ]]; then
        say "not running (home $HOME_DIR)"
        return 3
    fi
    if probe; then
        say "running (pid $pid): http://$HOST:$PORT/cikg/sparql"
        return 0
    fi
    say "running (pid $pid) but not answering (log: $LOG)"
    return 1
}

cmd_jena() {
    local name="${1:-}"
    [[ -n "$name" ]] || fail "usage: bash scripts/fuseki.sh jena riot|arq|sparql|tdb2.tdbloader|tdb2.tdbquery|shacl [ARGS...]"
    shift
    local class
    case "$name" in
        riot) class=riotcmd.riot ;;
        arq) class=arq.arq ;;
        sparql) class=arq.sparql ;;
        qparse) class=arq.qparse ;;
        shacl) class=shacl.shacl ;;
        tdb2.tdbloader | tdb2.tdbquery | tdb2.tdbdump) class="$name" ;;
        *) fail "unknown Jena command '$name' (riot, arq, sparql, qparse, shacl, tdb2.tdbloader, tdb2.tdbquery, tdb2.tdbdump)" ;;
    esac
    local java
    java="$(find_java)"
    do_install >&2
    exec "$java" -Xmx1g -Dfile.encoding=UTF-8 -cp "$LIB_DIR/*" "$class" "$@" 9>&-
}

usage() {
    awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "${BASH_SOURCE[0]}"
}

main() {
    local cmd="${1:-}"
    case "$cmd" in
        start | stop | kill | restart | wipe | install)
            exec 9>"$HOME_DIR/.lock"
            if command -v flock >/dev/null 2>&1; then
                flock -w 600 9 || fail "could not lock $HOME_DIR/.lock within 600s"
            fi
            ;;
    esac
    case "$cmd" in
        start) cmd_start ;;
        stop) cmd_stop ;;
        kill) cmd_stop KILL ;;
        restart) cmd_stop && cmd_start ;;
        status) cmd_status ;;
        wipe)
            cmd_stop
            rm -rf "$HOME_DIR/databases" "$LOG_DIR" "$RUN_DIR" "$HOME_DIR/mvn" "$LIB_DIR.partial"
            say "wiped databases and logs under $HOME_DIR (downloaded jars in $LIB_DIR kept)"
            ;;
        install) do_install ;;
        logs)
            [[ -s "$LOG" ]] && tail -n "${FUSEKI_LOG_LINES:-40}" "$LOG"
            return 0
            ;;
        jena)
            shift
            cmd_jena "$@"
            ;;
        -h | --help | help) usage ;;
        *)
            usage >&2
            exit 2
            ;;
    esac
}

main "$@"
