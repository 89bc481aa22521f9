# shellcheck shell=bash
# scripts/lib/deps.sh — make sure the external programs the test suite needs
# (a PostgreSQL server and Chromium) are present. Sourced by scripts/test and
# .ci/run; it defines functions only and changes no shell options.
#
# As root, missing programs are installed from Debian's apt repositories.
# As any other user, a missing program is a hard error naming the package.
#
# Overrides (all optional):
#   LANTERN_PG_BIN       directory holding postgres, initdb and pg_ctl
#                        (default: newest /usr/lib/postgresql/*/bin)
#   LANTERN_TEST_CHROME  path to a Chromium/Chrome binary
#                        (default: `chromium` on PATH, else /usr/bin/chromium)
#
# After lantern_ensure_postgres: LANTERN_PG_BIN is set.
# After lantern_ensure_chromium: LANTERN_TEST_CHROME is set.

lantern_log() { printf '==> %s\n' "$*" >&2; }
lantern_die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

lantern_is_root() { [ "$(id -u)" -eq 0 ]; }

# The package manager's locks. Another program (unattended-upgrades, an
# install in another terminal) may hold them for minutes: apt-get then fails
# at once, so wait for them instead, saying so.
_lantern_apt_locks=(/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock)

# Print the first of the locks that a process holds (apt and dpkg take
# fcntl locks, which /proc/locks lists by inode); fail when none is held.
_lantern_apt_locked() {
    local f ino
    for f in "${_lantern_apt_locks[@]}"; do
        [ -e "$f" ] || continue
        ino=$(stat -c %i "$f" 2>/dev/null) || continue
        if grep -qE "^[0-9]+: .* [0-9a-f]+:[0-9a-f]+:${ino} " /proc/locks 2>/dev/null; then
            printf '%s\n' "$f"
            return 0
        fi
    done
    return 1
}

# Wait until no other program holds the package manager's lock, up to
# LANTERN_APT_LOCK_WAIT seconds (default 600), saying what it waits for.
lantern_wait_apt_lock() {
    local max=${LANTERN_APT_LOCK_WAIT:-600} waited=0 f
    while f=$(_lantern_apt_locked); do
        if [ "$waited" -ge "$max" ]; then
            lantern_die "another program still holds $f after ${max}s; let it finish (or stop it) and run this again"
        fi
        if [ $((waited % 30)) -eq 0 ]; then
            lantern_log "waiting for another program to finish with the package manager ($f is locked; ${waited}s of at most ${max}s)"
        fi
        sleep 5
        waited=$((waited + 5))
    done
}

# Install Debian packages (root only); runs `apt-get update` at most once per
# process. It waits for another program holding the package manager's lock
# (and apt-get itself waits too, for one that takes it in between).
# Output goes to a log that is shown only on failure.
_lantern_apt_updated=0
lantern_apt_install() {
    local log t0 rc=0
    export DEBIAN_FRONTEND=noninteractive
    log=$(mktemp)
    t0=$SECONDS
    lantern_wait_apt_lock
    local wait_opt=(-o "DPkg::Lock::Timeout=${LANTERN_APT_LOCK_WAIT:-600}")
    if [ "$_lantern_apt_updated" -eq 0 ]; then
        lantern_log "apt-get update"
        apt-get "${wait_opt[@]}" update -q >"$log" 2>&1 || rc=$?
        if [ "$rc" -ne 0 ]; then
            sed 's/^/    /' "$log" >&2
            rm -f "$log"
            lantern_die "apt-get update failed (exit $rc)"
        fi
        _lantern_apt_updated=1
    fi
    lantern_log "apt-get install --no-install-recommends $*"
    lantern_wait_apt_lock
    apt-get "${wait_opt[@]}" install -y -q --no-install-recommends "$@" </dev/null >"$log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        tail -n 50 "$log" | sed 's/^/    /' >&2
        rm -f "$log"
        lantern_die "apt-get install $* failed (exit $rc)"
    fi
    rm -f "$log"
    lantern_log "installed $* in $((SECONDS - t0))s"
}

# Newest /usr/lib/postgresql/<ver>/bin that has a postgres binary, or nothing.
_lantern_find_pg_bin() {
    local best="" best_ver=-1 dir ver
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/postgres" ] || continue
        ver=${dir#/usr/lib/postgresql/}
        ver=${ver%/bin}
        # Versions are integers since PostgreSQL 10; ignore anything odd.
        [[ $ver =~ ^[0-9]+$ ]] || continue
        if [ "$ver" -gt "$best_ver" ]; then
            best_ver=$ver
            best=$dir
        fi
    done
    [ -n "$best" ] && printf '%s\n' "$best"
}

_lantern_pg_bin_ok() {
    [ -x "$1/postgres" ] && [ -x "$1/initdb" ] && [ -x "$1/pg_ctl" ]
}

lantern_ensure_postgres() {
    if [ -n "${LANTERN_PG_BIN:-}" ]; then
        _lantern_pg_bin_ok "$LANTERN_PG_BIN" ||
            lantern_die "LANTERN_PG_BIN=$LANTERN_PG_BIN does not contain postgres, initdb and pg_ctl." \
                "Unset it, or install the PostgreSQL server: sudo apt-get install postgresql"
        return 0
    fi
    local dir
    dir=$(_lantern_find_pg_bin || true)
    if [ -z "$dir" ]; then
        if ! lantern_is_root; then
            lantern_die "PostgreSQL server not found (no /usr/lib/postgresql/*/bin/postgres)." \
                "Install the Debian package 'postgresql' (sudo apt-get install postgresql)," \
                "or set LANTERN_PG_BIN to a directory containing postgres, initdb and pg_ctl."
        fi
        lantern_apt_install postgresql
        dir=$(_lantern_find_pg_bin || true)
        [ -n "$dir" ] || lantern_die "installed 'postgresql' but found no /usr/lib/postgresql/*/bin/postgres"
    fi
    _lantern_pg_bin_ok "$dir" || lantern_die "$dir lacks initdb or pg_ctl; reinstall the 'postgresql' package"
    LANTERN_PG_BIN=$dir
    export LANTERN_PG_BIN
}

_lantern_find_chromium() {
    local p
    p=$(command -v chromium 2>/dev/null || true)
    if [ -z "$p" ] && [ -x /usr/bin/chromium ]; then
        p=/usr/bin/chromium
    fi
    [ -n "$p" ] && printf '%s\n' "$p"
}

lantern_ensure_chromium() {
    if [ -n "${LANTERN_TEST_CHROME:-}" ]; then
        [ -x "$LANTERN_TEST_CHROME" ] ||
            lantern_die "LANTERN_TEST_CHROME=$LANTERN_TEST_CHROME is not an executable file." \
                "Unset it, or install Chromium: sudo apt-get install chromium"
        return 0
    fi
    local p
    p=$(_lantern_find_chromium || true)
    if [ -z "$p" ]; then
        if ! lantern_is_root; then
            lantern_die "Chromium not found (no 'chromium' on PATH, no /usr/bin/chromium)." \
                "Install the Debian package 'chromium' (sudo apt-get install chromium fonts-liberation)," \
                "or set LANTERN_TEST_CHROME to a Chromium/Chrome binary."
        fi
        lantern_apt_install chromium fonts-liberation
        p=$(_lantern_find_chromium || true)
        [ -n "$p" ] || lantern_die "installed 'chromium' but found no chromium binary"
    fi
    LANTERN_TEST_CHROME=$p
    export LANTERN_TEST_CHROME
}

lantern_ensure_deps() {
    lantern_ensure_postgres
    lantern_ensure_chromium
}

# One line each: the versions of the programs the tests will use.
lantern_print_dep_versions() {
    local pgv chv
    pgv=$("$LANTERN_PG_BIN/postgres" --version 2>/dev/null || echo unknown)
    chv=$("$LANTERN_TEST_CHROME" --version 2>/dev/null | head -n1 || true)
    printf 'postgres: %s (%s)\n' "$pgv" "$LANTERN_PG_BIN/postgres"
    printf 'chromium: %s (%s)\n' "${chv:-unknown}" "$LANTERN_TEST_CHROME"
}
