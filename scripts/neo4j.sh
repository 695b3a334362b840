#!/usr/bin/env bash
# Local Neo4j Community 5.26 LTS server for cikg, obtained from Maven Central only.
#
#   bash scripts/neo4j.sh start    install if needed, start, wait until Bolt answers (idempotent)
#   bash scripts/neo4j.sh stop     SIGTERM, wait, then SIGKILL (exit 0 when not running)
#   bash scripts/neo4j.sh status   exit 0 when running and answering, 3 when not running, 1 when unhealthy
#   bash scripts/neo4j.sh wait     wait until a started server answers (timeout NEO4J_START_TIMEOUT)
#   bash scripts/neo4j.sh restart  stop + start
#   bash scripts/neo4j.sh wipe     stop + delete data, logs, run, conf (keeps the downloaded lib/)
#   bash scripts/neo4j.sh install  only download the server jars into <home>/lib
#   bash scripts/neo4j.sh logs     print the tail of the logs
#   bash scripts/neo4j.sh admin ARGS...  neo4j-admin with this home's conf (e.g. `admin database import full ...`,
#                                  which needs the server stopped: `kg load neo4j --bulk` runs stop, admin, start)
#
# Environment (defaults):
#   NEO4J_HOME_DIR=<repo>/.neo4j    everything lives here (git-ignored)
#   NEO4J_BOLT_PORT=7687  NEO4J_HTTP_PORT=7474  NEO4J_LISTEN_ADDRESS=127.0.0.1
#   NEO4J_PASSWORD=cikg-password    user neo4j's password, applied at the FIRST start only
#   NEO4J_HEAP_INITIAL=512m NEO4J_HEAP_MAX=1g NEO4J_PAGECACHE=256m
#   NEO4J_START_TIMEOUT=120  NEO4J_STOP_TIMEOUT=60   seconds
#   NEO4J_EXTRA_CONF  extra neo4j.conf lines (key=value, one a line) appended at start, e.g.
#                     NEO4J_EXTRA_CONF='server.databases.default_to_read_only=true' for a read-only server
#                     (a running server keeps its settings: restart to apply or drop them)
#   NEO4J_VERSION / NEO4J_BROWSER_VERSION  override the versions pinned in scripts/neo4j/pom.xml
#   NEO4J_JAVA       java binary (default: JAVA_HOME's or PATH's java if it is 17 or 21, else a 17/21 JDK in /usr/lib/jvm)
#   NEO4J_PYTHON     python used for the readiness check (default: <repo>/.venv/bin/python, else python3)
#   NEO4J_MVN_ARGS   extra Maven arguments (e.g. -Dmaven.repo.local=/tmp/m2)
#   NEO4J_ADMIN_HEAP heap of the neo4j-admin JVM (default 1g; the importer keeps its own data off-heap)
#
# Neo4j Browser is served by Neo4j's own HTTP connector: http://127.0.0.1:7474/browser/
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
SUPPORT_DIR="$SCRIPT_DIR/neo4j"

HOME_DIR="${NEO4J_HOME_DIR:-$REPO_ROOT/.neo4j}"
mkdir -p "$HOME_DIR"
HOME_DIR="$(cd "$HOME_DIR" && pwd)"
BOLT_PORT="${NEO4J_BOLT_PORT:-7687}"
HTTP_PORT="${NEO4J_HTTP_PORT:-7474}"
LISTEN_ADDRESS="${NEO4J_LISTEN_ADDRESS:-127.0.0.1}"
PASSWORD="${NEO4J_PASSWORD:-cikg-password}"
HEAP_INITIAL="${NEO4J_HEAP_INITIAL:-512m}"
HEAP_MAX="${NEO4J_HEAP_MAX:-1g}"
PAGECACHE="${NEO4J_PAGECACHE:-256m}"
START_TIMEOUT="${NEO4J_START_TIMEOUT:-120}"
STOP_TIMEOUT="${NEO4J_STOP_TIMEOUT:-60}"

LIB_DIR="$HOME_DIR/lib"
CONF_DIR="$HOME_DIR/conf"
LOG_DIR="$HOME_DIR/logs"
RUN_DIR="$HOME_DIR/run"
PID_FILE="$RUN_DIR/neo4j.pid"
CONSOLE_LOG="$LOG_DIR/console.log"
INSTALL_LOG="$HOME_DIR/install.log"
STAMP_FILE="$LIB_DIR/.cikg-installed"
ENTRY_POINT="org.neo4j.server.CommunityEntryPoint"
# Probe host: the listen address, unless it is a wildcard.
case "$LISTEN_ADDRESS" in 0.0.0.0 | "::" | "[::]") PROBE_HOST=127.0.0.1 ;; *) PROBE_HOST="$LISTEN_ADDRESS" ;; esac

say() { printf 'neo4j: %s\n' "$*"; }
fail() {
    printf 'neo4j: ERROR: %s\n' "$*" >&2
    exit 1
}
now() { echo "${EPOCHREALTIME:-$(date +%s.%N)}"; }
secs_since() { local t; t="$(now)"; echo $((${t%[.,]*} - ${1%[.,]*})); }      # whole seconds
took() { awk -v a="${1/,/.}" -v b="$(now | tr , .)" 'BEGIN { printf "%.1fs", b - a }'; } # e.g. 7.3s

log_tail() { # the end of this run's console output and of neo4j.log, and recent debug.log errors, to stderr
    if [[ -s "$CONSOLE_LOG" ]]; then
        printf -- '---- last lines of %s (stack frames left out) ----\n' "$CONSOLE_LOG" >&2
        grep -v -E '^[[:space:]]+(at |\.\.\. [0-9]+ more)' "$CONSOLE_LOG" | tail -n 15 | cut -c1-400 >&2
    fi
    if [[ -s "$LOG_DIR/neo4j.log" ]]; then
        printf -- '---- last lines of %s ----\n' "$LOG_DIR/neo4j.log" >&2
        tail -n 10 "$LOG_DIR/neo4j.log" >&2
    fi
    if [[ -s "$LOG_DIR/debug.log" ]] && tail -n 300 "$LOG_DIR/debug.log" | grep -q ' ERROR '; then
        printf -- '---- recent errors in %s ----\n' "$LOG_DIR/debug.log" >&2
        tail -n 300 "$LOG_DIR/debug.log" | grep ' ERROR ' | tail -n 5 | cut -c1-400 >&2
    fi
    return 0
}

# ---------------------------------------------------------------- java / python
java_major() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'; }

find_java() {
    if [[ -n "${NEO4J_JAVA:-}" ]]; then
        echo "$NEO4J_JAVA"
        return
    fi
    local cand major
    for cand in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)" /usr/lib/jvm/*-21-*/bin/java /usr/lib/jvm/*21*/bin/java /usr/lib/jvm/*-17-*/bin/java /usr/lib/jvm/*17*/bin/java; do
        [[ -n "$cand" && -x "$cand" ]] || continue
        major="$(java_major "$cand")"
        if [[ "$major" == 17 || "$major" == 21 ]]; then
            echo "$cand"
            return
        fi
    done
    fail "Neo4j 5.26 needs Java 17 or 21; none found (set NEO4J_JAVA or JAVA_HOME)"
}

find_python() {
    if [[ -n "${NEO4J_PYTHON:-}" ]]; then
        echo "$NEO4J_PYTHON"
    elif [[ -x "$REPO_ROOT/.venv/bin/python" ]]; then
        echo "$REPO_ROOT/.venv/bin/python"
    elif command -v python3 >/dev/null 2>&1; then
        command -v python3
    fi
}

# ---------------------------------------------------------------- install
pom_fingerprint() {
    { cat "$SUPPORT_DIR/pom.xml"; echo "${NEO4J_VERSION:-} ${NEO4J_BROWSER_VERSION:-}"; } | sha256sum | cut -c1-16
}

jar_name() { # jar_name DIR PREFIX -> e.g. neo4j-server-5.26.30 (first match, without .jar)
    local f
    for f in "$1/$2"-[0-9]*.jar; do
        [[ -e "$f" ]] && { basename "$f" .jar; return 0; }
    done
    return 1
}

installed() { [[ -f "$STAMP_FILE" && "$(cat "$STAMP_FILE")" == "$(pom_fingerprint)" ]]; }

do_install() {
    installed && return 0
    command -v mvn >/dev/null 2>&1 || fail "Maven (mvn) is needed to download Neo4j from Maven Central and is not on PATH"
    local t0 tmp java_bin
    t0=$(now)
    java_bin="$(find_java)"
    tmp="$HOME_DIR/lib.partial"
    rm -rf "$tmp"
    local -a args=(-B -f "$SUPPORT_DIR/pom.xml" "-Dneo4j.work.dir=$HOME_DIR/mvn" dependency:copy-dependencies
        "-DoutputDirectory=$tmp" -DincludeScope=runtime)
    [[ -n "${NEO4J_VERSION:-}" ]] && args+=("-Dneo4j.version=$NEO4J_VERSION")
    [[ -n "${NEO4J_BROWSER_VERSION:-}" ]] && args+=("-Dneo4j-browser.version=$NEO4J_BROWSER_VERSION")
    # shellcheck disable=SC2206 # word splitting of user-given extra args is intended
    [[ -n "${NEO4J_MVN_ARGS:-}" ]] && args+=(${NEO4J_MVN_ARGS})
    say "downloading Neo4j server jars from Maven Central into $LIB_DIR (log: $INSTALL_LOG)"
    # Maven runs on the same JDK (17) as the server.
    if ! JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$java_bin")")")" mvn "${args[@]}" >"$INSTALL_LOG" 2>&1; then
        grep -E 'ERROR' "$INSTALL_LOG" | head -n 5 >&2 || true
        rm -rf "$tmp"
        fail "Maven could not download the Neo4j jars (log: $INSTALL_LOG)"
    fi
    jar_name "$tmp" neo4j-server >/dev/null || fail "no neo4j-server jar after download (log: $INSTALL_LOG)"
    rm -rf "$LIB_DIR" "$HOME_DIR/mvn"
    mv "$tmp" "$LIB_DIR"
    pom_fingerprint >"$STAMP_FILE"
    local -a jars=("$LIB_DIR"/*.jar)
    say "installed ${#jars[@]} jars ($(du -sh "$LIB_DIR" | cut -f1)) in $(took "$t0"): $(jar_name "$LIB_DIR" neo4j-server), $(jar_name "$LIB_DIR" neo4j-browser)"
}

# ---------------------------------------------------------------- config
render_conf() {
    mkdir -p "$CONF_DIR" "$LOG_DIR" "$RUN_DIR" "$HOME_DIR/data" "$HOME_DIR/import" "$HOME_DIR/plugins"
    sed -e "s|@LISTEN_ADDRESS@|$LISTEN_ADDRESS|g" -e "s|@BOLT_PORT@|$BOLT_PORT|g" -e "s|@HTTP_PORT@|$HTTP_PORT|g" \
        -e "s|@HEAP_INITIAL@|$HEAP_INITIAL|g" -e "s|@HEAP_MAX@|$HEAP_MAX|g" -e "s|@PAGECACHE@|$PAGECACHE|g" \
        "$SUPPORT_DIR/neo4j.conf.template" >"$CONF_DIR/neo4j.conf.new"
    append_extra_conf "$CONF_DIR/neo4j.conf.new"
    mv "$CONF_DIR/neo4j.conf.new" "$CONF_DIR/neo4j.conf"
}

append_extra_conf() { # NEO4J_EXTRA_CONF lines, checked to be key=value so a typo fails here, not in the JVM
    [[ -n "${NEO4J_EXTRA_CONF:-}" ]] || return 0
    local line
    printf '\n# --- From NEO4J_EXTRA_CONF (this start only) ---\n' >>"$1"
    while IFS= read -r line; do
        line="${line#"${line%%[![:space:]]*}"}"
        [[ -z "$line" || "$line" == \#* ]] && continue
        if [[ ! "$line" =~ ^[a-z][a-z0-9_.]*=[^[:cntrl:]]*$ ]]; then
            rm -f "$1"
            fail "NEO4J_EXTRA_CONF line is not a neo4j.conf setting (key=value): '$line'"
        fi
        printf '%s\n' "$line" >>"$1"
    done <<<"$NEO4J_EXTRA_CONF"
}

set_initial_password() {
    # Only before the system database exists: afterwards the password lives in it.
    [[ -d "$HOME_DIR/data/databases/system" ]] && return 0
    ((${#PASSWORD} >= 8)) || fail "NEO4J_PASSWORD must have at least 8 characters (Neo4j 5 rule)"
    local out
    if ! out="$(NEO4J_HOME="$HOME_DIR" NEO4J_CONF="$CONF_DIR" "$JAVA" -cp "$LIB_DIR/*" org.neo4j.cli.AdminTool \
        dbms set-initial-password "$PASSWORD" 2>&1)"; then
        printf '%s\n' "$out" | head -n 5 >&2
        fail "neo4j-admin dbms set-initial-password failed"
    fi
    say "initial password of user neo4j set (from NEO4J_PASSWORD)"
}

# ---------------------------------------------------------------- process
server_pid() { # pid of our server if it runs, else nothing (stale pid files are ignored)
    local pid
    [[ -f "$PID_FILE" ]] || return 0
    pid="$(tr -dc '0-9' <"$PID_FILE")"
    [[ -n "$pid" ]] || return 0
    alive "$pid" || return 0
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$ENTRY_POINT --home-dir=$HOME_DIR "; then
        echo "$pid"
    fi
}

alive() { # process exists and is not a zombie
    kill -0 "$1" 2>/dev/null || return 1
    [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]
}

port_open() { (exec 3<>"/dev/tcp/$PROBE_HOST/$1") 2>/dev/null; }

probe() { # one readiness probe; sets PROBE_MSG, returns 0 ready / 1 not yet / 2 auth refused
    local py rc=0
    py="$(find_python)"
    if [[ -n "$py" ]]; then
        PROBE_MSG="$(NEO4J_PASSWORD="$PASSWORD" "$py" "$SUPPORT_DIR/check.py" --host "$PROBE_HOST" \
            --bolt-port "$BOLT_PORT" --http-port "$HTTP_PORT" 2>&1)" || rc=$?
        return "$rc"
    fi
    # No Python at all: open Bolt port + HTTP discovery document.
    if port_open "$BOLT_PORT" && curl -fsS --max-time 3 "http://$PROBE_HOST:$HTTP_PORT/" 2>/dev/null | grep -q neo4j_version; then
        PROBE_MSG="Bolt port open, HTTP discovery ok (no python: Bolt handshake and login not checked)"
        return 0
    fi
    PROBE_MSG="not ready: Bolt port $BOLT_PORT or HTTP port $HTTP_PORT not answering"
    return 1
}

wait_ready() { # $1 = start time; waits for the server in PID_FILE; returns 0 when ready
    local t0="$1" pid rc
    while :; do
        pid="$(server_pid)"
        if [[ -z "$pid" ]]; then
            log_tail
            fail "the Neo4j process exited during startup (logs: $LOG_DIR)"
        fi
        if port_open "$BOLT_PORT"; then
            rc=0
            probe || rc=$?
            if ((rc == 0)); then
                say "ready in $(took "$t0") (pid $pid): bolt://$PROBE_HOST:$BOLT_PORT  http://$PROBE_HOST:$HTTP_PORT/browser/  user neo4j"
                say "check: $PROBE_MSG"
                return 0
            elif ((rc == 2)); then
                fail "server is running (pid $pid) but refused the login: $PROBE_MSG. The password is set at the first start only; use the old one, or 'bash scripts/neo4j.sh wipe' to start over"
            fi
        fi
        if (($(secs_since "$t0") >= START_TIMEOUT)); then
            log_tail
            fail "Neo4j did not answer on bolt://$PROBE_HOST:$BOLT_PORT within ${START_TIMEOUT}s (${PROBE_MSG:-port closed}); it is still running as pid $pid (stop it with 'bash scripts/neo4j.sh stop'; logs: $LOG_DIR)"
        fi
        sleep 0.5
    done
}

cmd_start() {
    local pid t0
    pid="$(server_pid)"
    if [[ -n "$pid" ]]; then
        # Report the ports it was started with (the environment may differ now).
        local bolt http
        bolt="$(sed -n 's/^server\.bolt\.listen_address=.*://p' "$CONF_DIR/neo4j.conf" 2>/dev/null)"
        http="$(sed -n 's/^server\.http\.listen_address=.*://p' "$CONF_DIR/neo4j.conf" 2>/dev/null)"
        say "already running (pid $pid): bolt://$PROBE_HOST:${bolt:-$BOLT_PORT}  http://$PROBE_HOST:${http:-$HTTP_PORT}/browser/"
        return 0
    fi
    rm -f "$PID_FILE"
    t0=$(now)
    JAVA="$(find_java)"
    do_install
    for port in "$BOLT_PORT" "$HTTP_PORT"; do
        port_open "$port" && fail "port $port on $PROBE_HOST is already in use by another process (not this server: no live pid in $PID_FILE); set NEO4J_BOLT_PORT / NEO4J_HTTP_PORT or stop it"
    done
    render_conf
    set_initial_password

    local -a jvm_flags=()
    mapfile -t jvm_flags < <(sed -n 's/^server\.jvm\.additional=//p' "$CONF_DIR/neo4j.conf")
    : >"$CONSOLE_LOG"
    # One JVM, as the official launcher starts it (see `Neo4jBoot console --dry-run`):
    # classpath conf/*:lib/*:plugins/*, flags from neo4j.conf, heap, CommunityEntryPoint.
    # setsid: the server survives Ctrl-C in this terminal; 9>&-: it must not hold our lock.
    local -a detach=()
    command -v setsid >/dev/null 2>&1 && detach=(setsid)
    NEO4J_HOME="$HOME_DIR" NEO4J_CONF="$CONF_DIR" "${detach[@]}" "$JAVA" \
        -cp "$CONF_DIR/*:$LIB_DIR/*:$HOME_DIR/plugins/*" \
        "${jvm_flags[@]}" -Dfile.encoding=UTF-8 "-Xms$HEAP_INITIAL" "-Xmx$HEAP_MAX" \
        "$ENTRY_POINT" "--home-dir=$HOME_DIR" "--config-dir=$CONF_DIR" \
        </dev/null >>"$CONSOLE_LOG" 2>&1 9>&- &
    pid=$!
    echo "$pid" >"$PID_FILE"
    say "started Neo4j $(jar_name "$LIB_DIR" neo4j-server | sed 's/^neo4j-server-//') (pid $pid, java $(java_major "$JAVA"), heap $HEAP_INITIAL-$HEAP_MAX, page cache $PAGECACHE, home $HOME_DIR)"
    wait_ready "$t0"
}

cmd_wait() {
    local pid
    pid="$(server_pid)"
    [[ -n "$pid" ]] || fail "not running (no live pid in $PID_FILE); use 'bash scripts/neo4j.sh start'"
    wait_ready "$(now)"
}

cmd_stop() {
    local pid t0
    pid="$(server_pid)"
    if [[ -z "$pid" ]]; then
        rm -f "$PID_FILE"
        say "not running"
        return 0
    fi
    t0=$(now)
    kill -TERM "$pid" 2>/dev/null || true
    while alive "$pid"; do
        if (($(secs_since "$t0") >= STOP_TIMEOUT)); then
            say "still running after ${STOP_TIMEOUT}s, sending SIGKILL to pid $pid"
            kill -KILL "$pid" 2>/dev/null || true
            local i
            for ((i = 0; i < 100; i++)); do
                alive "$pid" || break
                sleep 0.2
            done
            break
        fi
        sleep 0.3
    done
    alive "$pid" && fail "could not stop pid $pid"
    rm -f "$PID_FILE"
    say "stopped (pid $pid) in $(took "$t0")"
}

cmd_status() {
    local pid rc=0
    pid="$(server_pid)"
    if [[ -z "$pid" ]]; then
        say "not running (home $HOME_DIR)"
        return 3
    fi
    probe || rc=$?
    if ((rc == 0)); then
        say "running (pid $pid): bolt://$PROBE_HOST:$BOLT_PORT  http://$PROBE_HOST:$HTTP_PORT/browser/; $PROBE_MSG"
        return 0
    fi
    say "running (pid $pid) but not answering: $PROBE_MSG (logs: $LOG_DIR)"
    return 1
}

cmd_wipe() {
    cmd_stop
    rm -rf "$HOME_DIR/data" "$LOG_DIR" "$RUN_DIR" "$CONF_DIR" "$HOME_DIR/import" "$HOME_DIR/mvn" "$HOME_DIR/lib.partial"
    say "wiped data, logs and config under $HOME_DIR (downloaded jars in $LIB_DIR kept)"
}

cmd_logs() {
    local f
    for f in "$CONSOLE_LOG" "$LOG_DIR/neo4j.log" "$LOG_DIR/debug.log" "$INSTALL_LOG"; do
        [[ -s "$f" ]] && { printf -- '---- %s ----\n' "$f"; tail -n "${NEO4J_LOG_LINES:-40}" "$f"; }
    done
    return 0
}

cmd_admin() { # neo4j-admin as the official launcher runs it: same home and conf as the server, java 17/21
    JAVA="$(find_java)"
    installed || fail "Neo4j is not installed in $HOME_DIR (run 'bash scripts/neo4j.sh install' or 'start')"
    [[ -f "$CONF_DIR/neo4j.conf" ]] || render_conf
    exec env NEO4J_HOME="$HOME_DIR" NEO4J_CONF="$CONF_DIR" "$JAVA" "-Xmx${NEO4J_ADMIN_HEAP:-1g}" \
        -cp "$CONF_DIR/*:$LIB_DIR/*:$HOME_DIR/plugins/*" org.neo4j.cli.AdminTool "$@"
}

usage() {
    awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "${BASH_SOURCE[0]}"
}

main() {
    local cmd="${1:-}"
    # Serialize start/stop/wipe/install of one home dir (e.g. parallel test sessions).
    case "$cmd" in
        start | stop | restart | wipe | install)
            exec 9>"$HOME_DIR/.lock"
            if command -v flock >/dev/null 2>&1; then
                flock -w 600 9 || fail "could not lock $HOME_DIR/.lock within 600s"
            fi
            ;;
    esac
    case "$cmd" in
        start) cmd_start ;;
        stop) cmd_stop ;;
        restart) cmd_stop && cmd_start ;;
        status) cmd_status ;;
        wait) cmd_wait ;;
        wipe) cmd_wipe ;;
        install) do_install ;;
        logs) cmd_logs ;;
        admin)
            shift
            cmd_admin "$@"
            ;;
        -h | --help | help) usage ;;
        *)
            usage >&2
            exit 2
            ;;
    esac
}

main "$@"
