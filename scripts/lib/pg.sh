# shellcheck shell=bash
# scripts/lib/pg.sh — a private, throwaway PostgreSQL cluster for tests.
# Sourced by scripts/test (after scripts/lib/deps.sh, which provides
# lantern_log, lantern_die, lantern_is_root and LANTERN_PG_BIN).
#
#   trap lantern_pg_stop EXIT   # safe to call even if nothing was started
#   lantern_pg_start            # sets and exports LANTERN_TEST_POSTGRES
#
# The cluster lives in a fresh mktemp directory (data, log and unix socket),
# listens on 127.0.0.1 only, on the first free port from LANTERN_PG_PORT_BASE
# (default 55432) upward, runs with durability switched off (fsync,
# synchronous_commit, full_page_writes) and allows 300 connections. It never
# touches a system cluster (e.g. Debian's on 5432). PostgreSQL refuses to run
# as root, so as root the cluster runs as the `postgres` OS user.
#
# A small watchdog process also stops the cluster and removes its directory
# if this shell dies without running its EXIT trap (e.g. SIGKILL).

LANTERN_PG_DIR=""
LANTERN_PG_PORT=""
_lantern_pg_started=0

# Run a command as the cluster's owner: `postgres` when we are root.
_lantern_pg_run() {
    if lantern_is_root; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

_lantern_pg_ensure_os_user() {
    lantern_is_root || return 0
    id -u postgres >/dev/null 2>&1 && return 0
    lantern_log "creating system user 'postgres'"
    useradd --system --user-group --no-create-home \
        --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
}

# True if something accepts TCP connections on 127.0.0.1:$1.
_lantern_port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

_lantern_pg_initdb() {
    local data=$1 log=$2 locale
    for locale in C.UTF-8 C; do
        if (cd "$LANTERN_PG_DIR" && _lantern_pg_run "$LANTERN_PG_BIN/initdb" \
            -D "$data" -A trust -U postgres --no-sync -E UTF8 --locale="$locale") \
            >"$log" 2>&1; then
            return 0
        fi
        lantern_log "initdb with --locale=$locale failed; output:"
        sed 's/^/    /' "$log" >&2
        rm -rf "$data"
    done
    lantern_die "initdb failed (see output above)"
}

lantern_pg_start() {
    [ -n "${LANTERN_PG_BIN:-}" ] || lantern_die "lantern_pg_start: LANTERN_PG_BIN is not set (call lantern_ensure_postgres first)"
    _lantern_pg_ensure_os_user

    # The socket path must stay short (Unix sockets allow ~107 bytes) and, as
    # root, be reachable by the postgres user: use /tmp unless TMPDIR is a
    # short, world-traversable directory.
    local base=/tmp
    if ! lantern_is_root && [ -n "${TMPDIR:-}" ] && [ -d "$TMPDIR" ] && [ "${#TMPDIR}" -le 60 ]; then
        base=${TMPDIR%/}
    fi
    LANTERN_PG_DIR=$(mktemp -d "$base/lantern-pg.XXXXXX")
    if lantern_is_root; then
        chown postgres: "$LANTERN_PG_DIR"
    fi
    chmod 700 "$LANTERN_PG_DIR"

    local data="$LANTERN_PG_DIR/data" log="$LANTERN_PG_DIR/postgres.log"
    lantern_log "initdb in $data"
    _lantern_pg_initdb "$data" "$LANTERN_PG_DIR/initdb.log"

    cat >>"$data/postgresql.conf" <<EOF

# --- lantern test settings (scripts/lib/pg.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$LANTERN_PG_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 128MB
wal_level = minimal
max_wal_senders = 0
logging_collector = off
EOF

    local port=${LANTERN_PG_PORT_BASE:-55432} last tries=0
    last=$((port + 100))
    while [ "$port" -lt "$last" ]; do
        if _lantern_port_busy "$port"; then
            port=$((port + 1))
            continue
        fi
        tries=$((tries + 1))
        rm -f "$log"
        if (cd "$LANTERN_PG_DIR" && _lantern_pg_run "$LANTERN_PG_BIN/pg_ctl" \
            -D "$data" -l "$log" -w -t 60 -o "-p $port" start) >/dev/null 2>&1; then
            LANTERN_PG_PORT=$port
            _lantern_pg_started=1
            break
        fi
        # Lost a race for the port to another process? Try the next one.
        if grep -qiE 'could not (bind|create listen socket)|already in use' "$log" 2>/dev/null && [ "$tries" -lt 10 ]; then
            port=$((port + 1))
            continue
        fi
        lantern_log "PostgreSQL failed to start on port $port; server log:"
        sed 's/^/    /' "$log" >&2 || true
        lantern_die "could not start the test PostgreSQL cluster"
    done
    [ -n "$LANTERN_PG_PORT" ] || lantern_die "no free TCP port in ${LANTERN_PG_PORT_BASE:-55432}..$((last - 1)) for PostgreSQL"

    LANTERN_TEST_POSTGRES="postgres://postgres@127.0.0.1:$LANTERN_PG_PORT/postgres?sslmode=disable"
    export LANTERN_TEST_POSTGRES
    lantern_log "PostgreSQL $("$LANTERN_PG_BIN/postgres" --version | awk '{print $3}') running on 127.0.0.1:$LANTERN_PG_PORT (dir $LANTERN_PG_DIR)"
    _lantern_pg_watchdog
}

# Stops the cluster and removes its directory. Idempotent; never fails.
lantern_pg_stop() {
    local dir=$LANTERN_PG_DIR
    [ -n "$dir" ] || return 0
    LANTERN_PG_DIR=""
    if [ "$_lantern_pg_started" -eq 1 ] || [ -f "$dir/data/postmaster.pid" ]; then
        (cd "$dir" && _lantern_pg_run "$LANTERN_PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop) \
            >/dev/null 2>&1 || true
    fi
    _lantern_pg_started=0
    rm -rf "$dir" 2>/dev/null || true
}

# Background process that cleans up if the calling shell disappears without
# running its EXIT trap (SIGKILL, a killed process group, ...). It runs in its
# own session (setsid) so that signals sent to our process group, SIGKILL
# included, do not reach it; it polls for our PID every 2 seconds and exits
# once we are gone (after a normal exit there is nothing left to clean).
_lantern_pg_watchdog() {
    local runas=""
    if lantern_is_root; then runas=postgres; fi
    # shellcheck disable=SC2016 # the script is for the child bash, not us
    setsid bash -c '
        parent=$1 dir=$2 bin=$3 runas=$4
        trap "" INT TERM HUP
        while kill -0 "$parent" 2>/dev/null; do sleep 2; done
        [ -d "$dir" ] || exit 0
        if [ -f "$dir/data/postmaster.pid" ]; then
            cd "$dir" || exit 0
            if [ -n "$runas" ]; then
                runuser -u "$runas" -- "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop
            else
                "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop
            fi
            cd /
        fi
        rm -rf "$dir"
    ' lantern-pg-watchdog "$$" "$LANTERN_PG_DIR" "$LANTERN_PG_BIN" "$runas" \
        </dev/null >/dev/null 2>&1 &
    disown $! 2>/dev/null || true
}
