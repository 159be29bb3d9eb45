#!/usr/bin/env bash
# Bilim's load benchmark (docs/performance.md, "Load benchmark"): the release server on
# PostgreSQL and Redis with the demo data, six scenarios under oha, purchases (7) under
# scripts/bench/purchases.py and test attempts (8) under scripts/bench/attempts.py, the raw Argon2id rate,
# CPU per process and the server's peak RSS. The course page is measured twice: scenario
# 1u on a server with the course-tree cache off (BILIM_COURSE_CACHE_SIZE=0), then
# scenario 1 (and 2–6) on one as it runs by default, the cache on (each request then
# validates the cached tree with one read of the catalogue revision). The SQL of each is
# captured on the wire beforehand and replayed under pgbench right after it: each is
# compared with PostgreSQL's rate for its own SQL.
#
#   scripts/bench.sh [ADMIN_DATABASE_URL] [REDIS_URL]
#   just bench [ADMIN_DATABASE_URL] [REDIS_URL]
#
# ADMIN_DATABASE_URL  a PostgreSQL URL allowed to CREATE and DROP DATABASE (default
#                     $BENCH_ADMIN_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres);
#                     it must name a TCP host (the course page's SQL is captured through
#                     a proxy)
# REDIS_URL           redis://host:port/DB with DB other than 0: it is FLUSHDB'd before and
#                     after the run (default $BENCH_REDIS_URL, else redis://127.0.0.1:6379/15)
#
# Environment (all optional):
#   BENCH_DB                 database created for the run and dropped at the end (bilim_bench_load);
#                            an existing database of that name is dropped first
#   BENCH_PORT               port the server binds on 127.0.0.1 (18080)
#   BENCH_USERS              demo users to seed (100000)
#   BENCH_COURSES            demo courses, 10 modules × 10 lessons each (50)
#   BENCH_GRANTED_USERS      demo students given courses (1000)
#   BENCH_COURSES_PER_USER   courses each of them gets (3)
#   BENCH_SEARCH_COURSES     published courses of 100 lessons added before scenario 9, search
#                            (10000; 0 skips scenario 9)
#   BENCH_DURATION           measured seconds per scenario, per pgbench run and for the
#                            raw Argon2id rate (15)
#   BENCH_WARMUP             unmeasured seconds before each of those (3)
#   BENCH_CONCURRENCY        connections of scenarios 1, 1u, 2, 3, 5 (its scenario-1 half)
#                            and 6, and of the first pgbench run of each captured SQL (32)
#   BENCH_LOGIN_CONCURRENCY  connections of scenario 4 and of 5's login half (4 × cores)
#   BENCH_THREADS            threads of the raw Argon2id rate (cores: the server hashes on
#                            one thread per core)
#   BENCH_RUST_LOG           RUST_LOG of the server (unset: production's default, info)
#   BENCH_OUT                where the report is written too
#                            (${TMPDIR:-/tmp}/bilim-bench-<UTC date>.md)
#   BENCH_REV                build and measure this git revision (git archive into the
#                            temporary directory) instead of the working tree
#   BENCH_BIN                measure this server binary and build nothing (BILIM_BIN works
#                            too); BENCH_ARGON2_BIN then names the argon2_rate example binary,
#                            else that example alone is built
#   Without BENCH_BIN, `cargo build --release` builds the server and the example into
#   $CARGO_TARGET_DIR if set, else ./target.
#
# Needs psql, pgbench, curl and python3, and oha (installed with
# `cargo install oha --locked --version 1.16.0` when missing: a few minutes, once).
# Everything runs on this machine: server, PostgreSQL, Redis and the load generator
# share its cores. Leaves nothing behind: the server is stopped, the database dropped,
# the Redis database flushed and the temporary directory removed on exit, even on
# failure or Ctrl-C. Exits 1 when a scenario had answers other than 2xx.
set -euo pipefail
shopt -s inherit_errexit

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
helpers="$repo/scripts/bench"
invocation=("$0" "$@")
admin_url=${1:-${BENCH_ADMIN_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}}
redis_url=${2:-${BENCH_REDIS_URL:-redis://127.0.0.1:6379/15}}
db_name=${BENCH_DB:-bilim_bench_load}
port=${BENCH_PORT:-18080}
users=${BENCH_USERS:-100000}
courses=${BENCH_COURSES:-50}
granted_users=${BENCH_GRANTED_USERS:-1000}
courses_per_user=${BENCH_COURSES_PER_USER:-3}
search_courses=${BENCH_SEARCH_COURSES:-10000}
duration=${BENCH_DURATION:-15}
warmup=${BENCH_WARMUP:-3}
concurrency=${BENCH_CONCURRENCY:-32}
cores=$(nproc)
login_concurrency=${BENCH_LOGIN_CONCURRENCY:-$((4 * cores))}
threads=${BENCH_THREADS:-$cores}
out=${BENCH_OUT:-${TMPDIR:-/tmp}/bilim-bench-$(date -u +%Y%m%d-%H%M%S).md}
bin=${BENCH_BIN:-${BILIM_BIN:-}}
argon2_bin=${BENCH_ARGON2_BIN:-}
rev=${BENCH_REV:-}

die() { echo "bench: $*" >&2; exit 1; }

for tool in psql pgbench curl python3; do
    command -v "$tool" >/dev/null || die "$tool is required"
done
[[ $db_name =~ ^[a-z_][a-z0-9_]*$ ]] || die "BENCH_DB must be a plain lower-case name"
for pair in "BENCH_PORT=$port" "BENCH_USERS=$users" "BENCH_COURSES=$courses" \
    "BENCH_GRANTED_USERS=$granted_users" "BENCH_COURSES_PER_USER=$courses_per_user" \
    "BENCH_DURATION=$duration" "BENCH_CONCURRENCY=$concurrency" \
    "BENCH_LOGIN_CONCURRENCY=$login_concurrency" "BENCH_THREADS=$threads"; do
    [[ ${pair#*=} =~ ^[1-9][0-9]*$ ]] || die "${pair%%=*} must be a positive number"
done
[[ $warmup =~ ^[0-9]+$ ]] || die "BENCH_WARMUP must be a number"
[[ $redis_url =~ ^redis://[^/]+/([0-9]+)$ ]] || die "REDIS_URL must be redis://host:port/DB"
((BASH_REMATCH[1] != 0)) || die "REDIS_URL: use a database other than 0; the run flushes it"

# The bench database's URL (the admin URL with its database name replaced), and its
# host and port for the capture proxy.
read -r bench_url pg_host pg_port < <(python3 - "$admin_url" "$db_name" <<'PY'
import sys, urllib.parse
url = urllib.parse.urlsplit(sys.argv[1])
if url.scheme not in ("postgres", "postgresql"):
    sys.exit("bench: the admin URL must be postgres://…")
if not url.hostname:
    sys.exit("bench: the admin URL must name a TCP host")
print(urllib.parse.urlunsplit(url._replace(path="/" + sys.argv[2])), url.hostname, url.port or 5432)
PY
)
[ -n "$bench_url" ] || exit 1

if ! command -v oha >/dev/null; then
    echo "== oha is not on PATH: cargo install oha --locked --version 1.16.0 (a few minutes, once)"
    cargo install oha --locked --version 1.16.0
    PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
    command -v oha >/dev/null || die "oha was installed but is not on PATH"
fi

base="http://127.0.0.1:$port"
if curl -s -o /dev/null --max-time 2 "$base/health/live"; then
    die "something already answers on 127.0.0.1:$port (set BENCH_PORT)"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
res="$work/results"
mkdir -p "$res" "$work/outbox" "$work/files" "$work/capture"
# Processes of ours that may be running; each is cleared once it has ended, so that
# the cleanup never signals a pid that the system has since given to another process.
server_pid=""
child=""
proxy_pid=""
sampler=""
logins=""
created_db=0
flushed_redis=0
cleanup() {
    local status=$?
    local pid
    for pid in "$child" "$logins" "$sampler" "$proxy_pid" "$server_pid"; do
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    if [ "$created_db" = 1 ]; then
        psql -q -X "$admin_url" -c "DROP DATABASE IF EXISTS $db_name WITH (FORCE)" >/dev/null 2>&1 \
            || echo "bench: could not drop database $db_name" >&2
    fi
    if [ "$flushed_redis" = 1 ]; then
        python3 "$helpers/report.py" redis "$redis_url" FLUSHDB >/dev/null 2>&1 \
            || echo "bench: could not flush $redis_url" >&2
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs a command in the background and waits for it, so that INT/TERM are handled at
# once (bash defers traps until a foreground command ends).
run() {
    local status=0
    "$@" &
    child=$!
    wait "$child" || status=$?
    child=""
    return "$status"
}

meta() { printf '%s=%s\n' "$1" "$2" >>"$res/meta"; }

# --- what is measured --------------------------------------------------------------
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
build() { # DIR ARGS...: cargo build --release in DIR (niced: it is not what is measured)
    local dir=$1
    shift
    (cd "$dir" && CARGO_TARGET_DIR="$target_dir" nice cargo build --release --quiet "$@")
}
if [ -n "$rev" ]; then
    sha=$(git -C "$repo" rev-parse --verify --quiet "$rev^{commit}") || die "BENCH_REV: no commit '$rev'"
    commit=$(git -C "$repo" log -1 --format='`%h` (%cI) "%s"' "$sha")
    source_dir="$work/src"
    if [ -z "$bin" ] || [ -z "$argon2_bin" ]; then
        echo "== exporting $rev (git archive into $source_dir)"
        mkdir "$source_dir"
        git -C "$repo" archive "$sha" | tar -x -C "$source_dir"
    fi
else
    source_dir="$repo"
    commit=$(git -C "$repo" log -1 --format='`%h` (%cI) "%s"' 2>/dev/null || echo unknown)
    if [ -n "$(git -C "$repo" status --porcelain 2>/dev/null)" ]; then
        # Dirty: say how much, and a fingerprint of exactly what (the diff against HEAD
        # and the untracked files' contents) to tell two runs' trees apart.
        untracked=$(git -C "$repo" ls-files --others --exclude-standard | wc -l)
        fingerprint=$({
            git -C "$repo" diff HEAD
            git -C "$repo" ls-files --others --exclude-standard -z |
                (cd "$repo" && xargs -0 -r sha256sum)
        } | sha256sum | cut -c1-12)
        commit="$commit + uncommitted changes ($(git -C "$repo" diff HEAD --shortstat | sed 's/^ *//'); $untracked untracked files; fingerprint $fingerprint)"
    fi
fi
if [ -z "$bin" ]; then
    echo "== building the server and argon2_rate (cargo build --release, into $target_dir)"
    build "$source_dir" -p bilim-server -p bilim-service --bin bilim --example argon2_rate
    bin="$target_dir/release/bilim"
    argon2_bin="$target_dir/release/examples/argon2_rate"
elif [ -z "$argon2_bin" ]; then
    [ -n "$rev" ] || commit="unknown (given binary $bin)"
    echo "== building argon2_rate (cargo build --release, into $target_dir)"
    build "$source_dir" -p bilim-service --example argon2_rate
    argon2_bin="$target_dir/release/examples/argon2_rate"
else
    [ -n "$rev" ] || commit="unknown (given binaries)"
fi
[ -x "$bin" ] || die "no server binary at $bin"
[ -x "$argon2_bin" ] || die "no argon2_rate binary at $argon2_bin"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
argon2_bin=$(cd "$(dirname "$argon2_bin")" && pwd)/$(basename "$argon2_bin")

# Settings come only from here: no BILIM_* of the caller, and the binaries run in the
# temporary directory so that no .env is read. Production mode, as deployed; only the
# rate limits are raised so that they do not refuse the load.
while read -r name; do unset "$name"; done < <(compgen -e | grep '^BILIM_' || true)
unset RUST_LOG
cd "$work"
export BILIM_ENV=production
export BILIM_DATABASE_URL="$bench_url"
export BILIM_REDIS_URL="$redis_url"
export BILIM_BIND_ADDR="127.0.0.1:$port"
export BILIM_PUBLIC_URL="$base"
export BILIM_MAIL_TRANSPORT=file
export BILIM_MAIL_OUTBOX_DIR="$work/outbox"
export BILIM_STORAGE_URL="$work/files"
export BILIM_ACCESS_JOB_INTERVAL_SECONDS=0
export BILIM_AUTH_REQUESTS_PER_IP_PER_MINUTE=1000000000
export BILIM_CODE_MAILS_PER_ADDRESS_PER_HOUR=1000000000
export BILIM_JWT_SECRET
BILIM_JWT_SECRET=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')
server_log_filter=${BENCH_RUST_LOG:-}

sql() { psql -X -q -v ON_ERROR_STOP=1 -At "$bench_url" "$@"; }

# --- the machine ------------------------------------------------------------------------
command_line=""
while read -r assignment; do
    command_line+="$(printf '%q ' "$assignment")"
done < <(env | grep -E '^(BENCH_[A-Z0-9_]*|CARGO_TARGET_DIR)=' | sort)
for word in "${invocation[@]}"; do command_line+="$(printf '%q ' "$word")"; done
command_line=${command_line% }
command_line=${command_line//$repo\//}

meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
meta commit "$commit"
meta cores "$cores"
meta cpu "$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || echo unknown)"
meta memory "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo unknown)"
meta kernel "$(uname -sr)"
meta postgres "$(psql -X -At "$admin_url" -c "SELECT current_setting('server_version') || ', shared_buffers ' || current_setting('shared_buffers') || ', max_connections ' || current_setting('max_connections') || ', ssl ' || current_setting('ssl')")"
meta redis "$(python3 "$helpers/report.py" redis "$redis_url" 'INFO server' | sed -n 's/^redis_version:\([^\r]*\).*/\1/p')"
meta oha "$(oha --version | awk '{print $2}')"
meta duration "$duration"
meta warmup "$warmup"
meta concurrency "$concurrency"
meta login_concurrency "$login_concurrency"
meta argon2_threads "$threads"
meta command "$command_line"
echo "== $(grep -E '^(date|commit|cores|cpu|postgres|redis)=' "$res/meta" | tr '\n' ' ')"

# --- database and data ------------------------------------------------------------------
echo "== database $db_name: migrate, seed-demo --users $users --courses $courses --granted-users $granted_users --courses-per-user $courses_per_user"
psql -X -q -v ON_ERROR_STOP=1 "$admin_url" -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS $db_name WITH (FORCE)" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 "$admin_url" -c "CREATE DATABASE $db_name" >/dev/null
created_db=1
"$bin" migrate >/dev/null
started=$(date +%s)
run "$bin" seed-demo --users "$users" --courses "$courses" \
    --granted-users "$granted_users" --courses-per-user "$courses_per_user" >"$work/seed.log"
sql -c "VACUUM ANALYZE"
echo "   seeded and analysed in $(($(date +%s) - started)) s"
meta data "$(sql -F ' ' <<'SQL'
SELECT format('%s users; %s published courses, %s modules, %s lessons (%s with a video), %s workbooks; %s grants (%s active); database %s',
    (SELECT count(*) FROM users),
    (SELECT count(*) FROM courses WHERE status = 'published'),
    (SELECT count(*) FROM modules), (SELECT count(*) FROM lessons),
    (SELECT count(*) FROM videos), (SELECT count(*) FROM workbooks),
    (SELECT count(*) FROM courses_open_users),
    (SELECT count(*) FROM courses_open_users WHERE revoked_at IS NULL AND expires_at > now()),
    pg_size_pretty(pg_database_size(current_database())))
SQL
)"

# A student with an active grant, its course (scenario 1's course too) and a lesson of it
# with a video, near the middle of the course.
read -r email course_id < <(sql -F ' ' <<'SQL'
SELECT u.email, g.course_id
FROM courses_open_users g JOIN users u ON u.id = g.user_id
WHERE u.active AND u.role = 'student' AND g.revoked_at IS NULL
  AND g.opened_at <= now() AND g.expires_at > now() + interval '1 day'
ORDER BY u.created_at, u.id LIMIT 1
SQL
) || true
[ -n "${course_id:-}" ] || die "no student with an active grant (BENCH_GRANTED_USERS?)"
lesson_id=$(sql -c "SELECT l.id FROM lessons l JOIN modules m ON m.id = l.module_id
    JOIN videos v ON v.lesson_id = l.id WHERE m.course_id = '$course_id'
    ORDER BY m.position, l.position OFFSET 45 LIMIT 1")
[ -n "$lesson_id" ] || lesson_id=$(sql -c "SELECT l.id FROM lessons l JOIN modules m ON m.id = l.module_id
    JOIN videos v ON v.lesson_id = l.id WHERE m.course_id = '$course_id' LIMIT 1")
[ -n "$lesson_id" ] || die "the course $course_id has no lesson with a video"
password='Bilim-demo-2026!'
login_body="{\"email\":\"$email\",\"password\":\"$password\"}"
echo "   user $email, course $course_id, lesson $lesson_id"

python3 "$helpers/report.py" redis "$redis_url" FLUSHDB >/dev/null
flushed_redis=1

# --- server ---------------------------------------------------------------------------
# start_server LOG DATABASE_URL CACHE_SIZE: CACHE_SIZE is BILIM_COURSE_CACHE_SIZE, empty
# for the server's default (the cache on).
start_server() {
    local log=$1 url=$2 cache=$3
    local settings=("BILIM_DATABASE_URL=$url")
    if [ -n "$cache" ]; then settings+=("BILIM_COURSE_CACHE_SIZE=$cache"); fi
    if [ -n "$server_log_filter" ]; then settings+=("RUST_LOG=$server_log_filter"); fi
    env "${settings[@]}" "$bin" serve >"$log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
        curl -sf -o /dev/null --max-time 1 "$base/health/ready" && return 0
        kill -0 "$server_pid" 2>/dev/null || { tail -n 20 "$log" >&2; die "the server did not start"; }
        sleep 0.1
    done
    tail -n 20 "$log" >&2
    die "the server is not ready on $base"
}
stop_server() {
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}
now() { date +%s.%N; }

# --- the course page's SQL, captured on the wire ----------------------------------------
# Twice: with the course cache off (scenario 1u: the tree's statements in one read-only
# transaction) and on, as the server runs by default (scenario 1: once the tree is
# cached, the revision read that validates it). Each time the server runs through a
# recording proxy (no TLS on that leg) and each GET of the course is bracketed by
# timestamps. The first requests warm the pool's connections (type look-ups, statement
# preparation) and, with the cache on, fill it; the statements of the last ones are
# replayed.
proxy_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
proxy_url=$(python3 - "$bench_url" "$proxy_port" <<'PY'
import sys, urllib.parse
url = urllib.parse.urlsplit(sys.argv[1])
auth = url.netloc.rpartition("@")[0]
netloc = (auth + "@" if auth else "") + "127.0.0.1:" + sys.argv[2]
query = "&".join([q for q in url.query.split("&") if q and not q.startswith("sslmode=")] + ["sslmode=disable"])
print(urllib.parse.urlunsplit(url._replace(netloc=netloc, query=query)))
PY
)
capture() { # NAME CACHE_SIZE: into $work/capture/NAME and $res/capture-NAME.json
    local name=$1 cache=$2 dir="$work/capture/$1" windows=() t0 t1
    mkdir -p "$dir"
    python3 "$helpers/pgcapture.py" proxy "$proxy_port" "$pg_host" "$pg_port" "$dir/events" &
    proxy_pid=$!
    for _ in $(seq 1 50); do
        python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
            "$proxy_port" 2>/dev/null && break
        sleep 0.1
    done
    start_server "$dir/server.log" "$proxy_url" "$cache"
    for _ in 1 2 3 4 5 6 7; do
        t0=$(now)
        curl -sf -o /dev/null --max-time 10 "$base/api/v1/courses/$course_id" ||
            die "GET /api/v1/courses/$course_id failed"
        t1=$(now)
        windows+=("$t0" "$t1")
        sleep 0.3
    done
    stop_server
    kill "$proxy_pid" 2>/dev/null || true
    wait "$proxy_pid" 2>/dev/null || true
    proxy_pid=""
    python3 "$helpers/pgcapture.py" script "$dir/events" "$bench_url" "$dir" "${windows[@]}"
    cp "$dir/capture.json" "$res/capture-$name.json"
    python3 - "$res/capture-$name.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
print("   the last request: %d statement(s), %d ping(s); statements per request: %s%s%s" % (
    c["statements"], c["pings"], ", ".join(str(r["statements"]) for r in c["requests"]),
    "" if c.get("stable", True) else "; the last ones differ",
    "; " + c["note"] if c.get("note") else ""))
PY
}
echo "== capturing the SQL of GET /api/v1/courses/{id} with the cache off (BILIM_COURSE_CACHE_SIZE=0)"
capture 1u 0
echo "== capturing the SQL of GET /api/v1/courses/{id} with the cache on (the default)"
capture 1 ""

# --- measuring ---------------------------------------------------------------------------
failures=0
watch_start() { # NAME: CPU per process group until watch_stop
    python3 "$helpers/cpu.py" watch "$server_pid" "$res/$1.cpu" &
    sampler=$!
}
watch_stop() {
    kill -TERM "$sampler" 2>/dev/null || true
    wait "$sampler" || true
    sampler=""
}
rss() { awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status" >"$res/$1.rss"; }
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$server_pid/status" >"$res/$1"; }

# oha_run NAME CONNECTIONS URL [OHA ARGS...]: warm-up, then the measured run, its CPU
# and the server's RSS after it.
oha_run() {
    local name=$1 connections=$2 url=$3
    shift 3
    if [ "$warmup" -gt 0 ]; then
        run oha --no-tui -z "${warmup}s" -w -t 10s -c "$connections" "$@" "$url" >/dev/null
    fi
    watch_start "$name"
    run oha --no-tui --output-format json -z "${duration}s" -w -t 10s -c "$connections" "$@" "$url" >"$res/$name"
    watch_stop
    rss "$name"
    printf '   %-5s' "$name"
    python3 "$helpers/report.py" oha "$res/$name" || failures=$((failures + 1))
}

# check WHAT CURL-ARGS...: one request that must answer 2xx.
check() {
    local what=$1
    shift
    curl -sf -o /dev/null --max-time 10 "$@" || die "$what: the check request failed"
}

# Prints a user access token: step one, then the code from the newest new .eml. BODY
# (default: the scenario user's) is the login body.
token() {
    local body=${1:-$login_body} before challenge mail code
    before=$(find "$work/outbox" -name '*.eml' | wc -l)
    challenge=$(curl -sf --max-time 10 -H 'Content-Type: application/json' -d "$body" \
        "$base/api/v1/auth/login" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["challenge_id"])') ||
        die "login step one failed"
    for _ in $(seq 1 100); do
        [ "$(find "$work/outbox" -name '*.eml' | wc -l)" -gt "$before" ] && break
        sleep 0.05
    done
    mail=$(find "$work/outbox" -name '*.eml' | sort | tail -n 1)
    code=$(python3 "$helpers/report.py" mailcode "$mail")
    curl -sf --max-time 10 -H 'Content-Type: application/json' \
        -d "{\"challenge_id\":\"$challenge\",\"code\":\"$code\"}" \
        "$base/api/v1/auth/login/verify" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])' ||
        die "login step two failed"
}

# pgbench_run NAME CAPTURE CONNECTIONS: the SQL captured as CAPTURE (1 or 1u), warm-up,
# then the measured run, its CPU and its transactions' latencies.
pgbench_run() {
    local name=$1 dir="$work/capture/$2" connections=$3 jobs define
    jobs=$((connections < cores ? connections : cores))
    local args=(-n -M prepared -c "$connections" -j "$jobs" -f "$dir/request.sql")
    while read -r define; do args+=(-D "$define"); done <"$dir/defines"
    if [ "$warmup" -gt 0 ]; then
        run pgbench "${args[@]}" -T "$warmup" "$bench_url" >/dev/null 2>&1 ||
            die "pgbench failed: PGSSLMODE=$PGSSLMODE pgbench ${args[*]} -T $warmup"
    fi
    watch_start "pgbench-$name"
    run pgbench "${args[@]}" -T "$duration" -l --log-prefix="$res/pgbench-$name.lat" \
        "$bench_url" >"$res/pgbench-$name.out" 2>&1 || { cat "$res/pgbench-$name.out" >&2; die "pgbench failed"; }
    watch_stop
    printf '   pgbench %-7s %s connections: %s\n' "$name" "$connections" \
        "$(grep -E '^tps' "$res/pgbench-$name.out" | head -n 1)"
}

# pool_pgbench SCENARIO: after scenario SCENARIO (1 or 1u), the server's pool as it
# stands (connections open to the database) and whether they use TLS; then pgbench of
# that scenario's captured SQL at $concurrency connections and at the pool size, with
# TLS when the server's connections use it.
pool_pgbench() {
    local scenario=$1 pool server_ssl what
    pool=$(sql -c "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
        AND pid <> pg_backend_pid() AND backend_type = 'client backend'")
    server_ssl=$(sql -c "SELECT coalesce(bool_and(s.ssl), false) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
        WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'")
    export PGSSLMODE
    PGSSLMODE=$([ "$server_ssl" = t ] && echo require || echo disable)
    meta "pool_$scenario" "$pool"
    meta "pool_ssl_$scenario" "$server_ssl"
    if [ "$scenario" = 1u ]; then what="uncached: the tree"; else what="cached: the revision read"; fi
    echo "== pgbench: scenario $scenario's SQL ($what; the server holds $pool connections, TLS: $server_ssl)"
    pgbench_run "$scenario-c" "$scenario" "$concurrency"
    if [ "$pool" -ne "$concurrency" ] && [ "$pool" -gt 0 ]; then
        pgbench_run "$scenario-pool" "$scenario" "$pool"
    fi
}

course_url="$base/api/v1/courses/$course_id"

# The server with the course cache off: scenario 1u and its SQL under pgbench.
start_server "$work/server-1u.log" "$bench_url" 0
meta load "$(cut -d' ' -f1-3 /proc/loadavg)"

echo "== scenario 1u: GET /api/v1/courses/{id} with the cache off (BILIM_COURSE_CACHE_SIZE=0), $concurrency connections"
check "GET /courses/{id}" "$course_url"
oha_run s1u "$concurrency" "$course_url"
pool_pgbench 1u
hwm hwm-1u
stop_server

# The server as it runs by default (the cache on): scenario 1 and its SQL under pgbench,
# then the other scenarios.
start_server "$work/server.log" "$bench_url" ""

echo "== scenario 1: GET /api/v1/courses/{id} (cache on, the default), $concurrency connections"
check "GET /courses/{id}" "$course_url"
oha_run s1 "$concurrency" "$course_url"
pool_pgbench 1

echo "== scenario 2: GET /api/v1/users/me, $concurrency connections"
auth="Authorization: Bearer $(token)"
check "GET /users/me" -H "$auth" "$base/api/v1/users/me"
oha_run s2 "$concurrency" "$base/api/v1/users/me" -H "$auth"

echo "== scenario 3: GET /api/v1/lessons/{id}/video, $concurrency connections"
auth="Authorization: Bearer $(token)"
video_url="$base/api/v1/lessons/$lesson_id/video"
check "GET /lessons/{id}/video" -H "$auth" "$video_url"
oha_run s3 "$concurrency" "$video_url" -H "$auth"

# The raw rate right before scenario 4, with the server idle: the two windows are compared,
# and this VM's speed drifts by tens of percent over minutes.
echo "== raw Argon2id rate: $threads threads, ${duration} s (server idle)"
watch_start argon2
run "$argon2_bin" "$threads" "$duration" >"$res/argon2"
watch_stop
echo "   $(cat "$res/argon2")"

echo "== scenario 4: POST /api/v1/auth/login (step one), $login_concurrency connections"
login_args=(-m POST -T application/json -d "$login_body")
check "POST /auth/login" -H 'Content-Type: application/json' -d "$login_body" "$base/api/v1/auth/login"
oha_run s4 "$login_concurrency" "$base/api/v1/auth/login" "${login_args[@]}"

echo "== scenario 5: scenario 1 ($concurrency connections) while logins saturate ($login_concurrency connections)"
if [ "$warmup" -gt 0 ]; then
    oha --no-tui -z "${warmup}s" -w -t 10s -c "$login_concurrency" "${login_args[@]}" "$base/api/v1/auth/login" >/dev/null &
    logins=$!
    run oha --no-tui -z "${warmup}s" -w -t 10s -c "$concurrency" "$course_url" >/dev/null
    wait "$logins"
    logins=""
fi
watch_start s5
oha --no-tui --output-format json -z "${duration}s" -w -t 10s -c "$login_concurrency" "${login_args[@]}" \
    "$base/api/v1/auth/login" >"$res/s5b" &
logins=$!
run oha --no-tui --output-format json -z "${duration}s" -w -t 10s -c "$concurrency" "$course_url" >"$res/s5a"
wait "$logins"
logins=""
watch_stop
rss s5a
cp "$res/s5a.rss" "$res/s5b.rss"
printf '   %-5s' s5a
python3 "$helpers/report.py" oha "$res/s5a" || failures=$((failures + 1))
printf '   %-5s' s5b
python3 "$helpers/report.py" oha "$res/s5b" || failures=$((failures + 1))

echo "== scenario 6: GET /health/live, $concurrency connections"
check "GET /health/live" "$base/health/live"
oha_run s6 "$concurrency" "$base/health/live"

# Scenario 7: purchases by $concurrency distinct demo users, one connection each, every
# request with its own Idempotency-Key (scripts/bench/purchases.py: oha sends one set of
# headers). The users are given a balance no run can spend, with its ledger row, so
# every purchase is a 200.
echo "== scenario 7: POST /api/v1/products/{id}/purchase, $concurrency connections, $concurrency users"
product_id=$(sql -c "SELECT id FROM products WHERE code = 'kundalik-mobile'")
[ -n "$product_id" ] || die "no kundalik-mobile product (migrations?)"
mapfile -t buyers < <(sql -c "SELECT email FROM users WHERE email LIKE 'demo%@bilim.test'
    AND active ORDER BY id LIMIT $concurrency")
[ "${#buyers[@]}" -eq "$concurrency" ] || die "scenario 7 needs $concurrency active demo users"
sql -c "WITH given AS (UPDATE users SET balance = balance + 1000000000000
    WHERE email LIKE 'demo%@bilim.test' AND id IN (SELECT id FROM users
    WHERE email LIKE 'demo%@bilim.test' AND active ORDER BY id LIMIT $concurrency)
    RETURNING id, balance)
    INSERT INTO wallet_entries (id, user_id, amount, balance_after, kind, note, created_at)
    SELECT gen_random_uuid(), id, 1000000000000, balance, 'top_up', 'bench', now() FROM given" >/dev/null
: >"$work/buyers"
for buyer in "${buyers[@]}"; do
    token "{\"email\":\"$buyer\",\"password\":\"$password\"}" >>"$work/buyers"
done
watch_start s7
run python3 "$helpers/purchases.py" "$base" "$product_id" "$work/buyers" "$warmup" "$duration" >"$res/s7"
watch_stop
rss s7
printf '   %-5s' s7
python3 "$helpers/report.py" oha "$res/s7" || failures=$((failures + 1))
ledger_off=$(sql -c "SELECT COUNT(*) FROM users u WHERE u.balance <>
    (SELECT COALESCE(SUM(e.amount), 0) FROM wallet_entries e WHERE e.user_id = u.id)")
echo "   users whose ledger does not sum to their balance: $ledger_off"
[ "$ledger_off" = 0 ] || failures=$((failures + 1))

# Scenario 8: a test attempt started and submitted by $concurrency distinct demo students,
# one connection each (scripts/bench/attempts.py: a sample is the pair). Each takes the
# tests of the courses granted to them (seed-demo puts one on every demo course), their
# earlier attempts removed and the limit raised to 100, so no run exhausts them.
echo "== scenario 8: POST /api/v1/tests/{id}/attempts + POST /api/v1/attempts/{id}/submit, $concurrency connections, $concurrency users"
mapfile -t takers < <(sql -c "SELECT u.email || ' ' || string_agg(t.id::text, ',')
    FROM users u
    JOIN courses_open_users g ON g.user_id = u.id AND g.revoked_at IS NULL AND g.expires_at > now()
    JOIN modules m ON m.course_id = g.course_id
    JOIN lessons l ON l.module_id = m.id
    JOIN tests t ON t.lesson_id = l.id
    WHERE u.email LIKE 'demo%@bilim.test' AND u.active
    GROUP BY u.id, u.email ORDER BY u.id LIMIT $concurrency")
[ "${#takers[@]}" -eq "$concurrency" ] || die "scenario 8 needs $concurrency demo students with tests (seed-demo)"
sql -c "UPDATE tests SET max_attempts = 100" >/dev/null
sql -c "DELETE FROM test_attempts WHERE user_id IN (SELECT id FROM users WHERE email LIKE 'demo%@bilim.test')" >/dev/null
: >"$work/takers"
for taker in "${takers[@]}"; do
    email=${taker%% *}
    printf '%s %s\n' "$(token "{\"email\":\"$email\",\"password\":\"$password\"}")" "${taker#* }" >>"$work/takers"
done
watch_start s8
run python3 "$helpers/attempts.py" "$base" "$work/takers" "$warmup" "$duration" >"$res/s8"
watch_stop
rss s8
printf '   %-5s' s8
python3 "$helpers/report.py" oha "$res/s8" || failures=$((failures + 1))

# Scenario 9: search over BENCH_SEARCH_COURSES more published courses of 100 lessons each
# (scripts/bench/search-catalogue.sql), one random query per request from a mix of
# subjects alone (each in 5 % of the lessons), subject + topic, a typo, Cyrillic, and a
# course number + topic (oha --rand-regex-url).
if [ "$search_courses" -gt 0 ]; then
    echo "== scenario 9: GET /api/v1/search, $concurrency connections, over $search_courses more courses × 100 lessons"
    started=$(date +%s)
    sql -v courses="$search_courses" -f "$helpers/search-catalogue.sql" >/dev/null
    meta search_data "$(sql -c "SELECT format('%s published courses, %s lessons, %s indexed words',
        (SELECT count(*) FROM courses WHERE status = 'published'), (SELECT count(*) FROM lessons),
        (SELECT count(*) FROM search_words))")"
    echo "   loaded in $(($(date +%s) - started)) s"
    check "GET /search" "$base/api/v1/search?q=matematika%20tenglamalar"
    subjects='matematika|fizika|kimyo|biologiya|tarix|geografiya|informatika|algebra|geometriya|dasturlash'
    typos='matematka|fizka|kimyyo|bilogiya|geometirya'
    cyrillic='%D0%BC%D0%B0%D1%82%D0%B5%D0%BC%D0%B0%D1%82%D0%B8%D0%BA%D0%B0|%D1%84%D0%B8%D0%B7%D0%B8%D0%BA%D0%B0'
    topics='tenglamalar|funksiyalar|kasrlar|hosilalar|vektorlar|kuchlar|energiya|atomlar|algoritmlar|rekursiya|hujayralar|genetika|xaritalar|iqlim'
    search_regex="http://127\\.0\\.0\\.1:$port/api/v1/search\\?q=(($subjects)|($typos)|$cyrillic|kurs[1-9][0-9]{0,3})(%20($topics))?"
    oha_run s9 "$concurrency" "$search_regex" --rand-regex-url
fi

hwm hwm
stop_server

# --- report -------------------------------------------------------------------------------
python3 "$helpers/report.py" render "$res" >"$work/report.md"
mkdir -p "$(dirname "$out")"
cp "$work/report.md" "$out"
echo
cat "$work/report.md"
echo
echo "(written to $out)"
if [ "$failures" -gt 0 ]; then
    die "$failures scenario(s) had answers other than 2xx"
fi
