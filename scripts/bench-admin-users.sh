#!/usr/bin/env bash
# Latency of GET /api/v1/admin/users on PostgreSQL, at growing numbers of users.
#
#   scripts/bench-admin-users.sh [ADMIN_DATABASE_URL] [SIZE ...]
#   just bench-admin-users [ADMIN_DATABASE_URL] [SIZE ...]
#
# ADMIN_DATABASE_URL  a PostgreSQL URL allowed to CREATE and DROP DATABASE
#                     (default $BENCH_ADMIN_DATABASE_URL, else
#                     postgres://postgres@127.0.0.1:5432/postgres)
# SIZE ...            total users to measure at, ascending (default $BENCH_SIZES,
#                     else "10000 1000000"); each size seeds only the difference
#
# Environment (all optional):
#   BENCH_DB        database created for the run and dropped at the end (bilim_bench);
#                   an existing database of that name is dropped first
#   BENCH_PORT      port the server binds on 127.0.0.1 (18080)
#   BENCH_REQUESTS  measured requests per scenario (200)
#   BENCH_WARMUP    unmeasured requests per scenario before those (20)
#   BENCH_EXPLAIN   1: also print EXPLAIN (ANALYZE, BUFFERS) of each scenario's query
#   BENCH_REV       build and measure this git revision (e.g. HEAD), exported with
#                   `git archive` into the temporary directory, instead of the working
#                   tree; the report then names exactly that commit
#   BENCH_BIN       measure this binary and build nothing (BILIM_BIN works too); the
#                   report names BENCH_REV if set, else the binary only
#   Without BENCH_BIN, `cargo build --release -p bilim-server` runs first (into
#   $CARGO_TARGET_DIR if set, else ./target).
#
# Needs psql, curl and python3. Every request goes to 127.0.0.1, one at a time
# (curl with keep-alive), and is timed by curl (%{time_total}): client, server and
# PostgreSQL share the machine. Leaves nothing behind: the server is stopped, the
# database dropped and the temporary directory removed on exit, even on failure.
set -euo pipefail
shopt -s inherit_errexit

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
admin_url=${1:-${BENCH_ADMIN_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}}
if [ $# -gt 1 ]; then
    shift
    sizes=("$@")
else
    read -r -a sizes <<<"${BENCH_SIZES:-10000 1000000}"
fi
db_name=${BENCH_DB:-bilim_bench}
port=${BENCH_PORT:-18080}
requests=${BENCH_REQUESTS:-200}
warmup=${BENCH_WARMUP:-20}
explain=${BENCH_EXPLAIN:-0}

die() { echo "bench-admin-users: $*" >&2; exit 1; }

for tool in psql curl python3; do
    command -v "$tool" >/dev/null || die "$tool is required"
done
[[ $db_name =~ ^[a-z_][a-z0-9_]*$ ]] || die "BENCH_DB must be a plain lower-case name"
[[ $port =~ ^[0-9]+$ ]] || die "BENCH_PORT must be a number"
[[ $requests =~ ^[1-9][0-9]*$ && $warmup =~ ^[0-9]+$ ]] || die "BENCH_REQUESTS/BENCH_WARMUP must be numbers"
previous=0
for size in "${sizes[@]}"; do
    [[ $size =~ ^[1-9][0-9]*$ ]] || die "size '$size' is not a positive number"
    ((size > previous)) || die "sizes must be ascending: ${sizes[*]}"
    ((size >= 10)) || die "sizes must be at least 10"
    previous=$size
done

# The bench database's URL: the admin URL with its database name replaced.
bench_url=$(python3 - "$admin_url" "$db_name" <<'PY'
import sys, urllib.parse
url = urllib.parse.urlsplit(sys.argv[1])
if url.scheme not in ("postgres", "postgresql"):
    sys.exit("bench-admin-users: the admin URL must be postgres://…")
print(urllib.parse.urlunsplit(url._replace(path="/" + sys.argv[2])))
PY
)

bin=${BENCH_BIN:-${BILIM_BIN:-}}
rev=${BENCH_REV:-}

base="http://127.0.0.1:$port"
if curl -s -o /dev/null --max-time 2 "$base/health/live"; then
    die "something already answers on 127.0.0.1:$port (set BENCH_PORT)"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-admin-users.XXXXXX")
server_pid=""
child=""
created_db=0
cleanup() {
    local status=$?
    if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
        kill "$child" 2>/dev/null || true
        wait "$child" 2>/dev/null || true
    fi
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ "$created_db" = 1 ]; then
        psql -q -X "$admin_url" -c "DROP DATABASE IF EXISTS $db_name WITH (FORCE)" >/dev/null 2>&1 \
            || echo "bench-admin-users: could not drop database $db_name" >&2
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs a long command in the background and waits for it, so that INT/TERM are
# handled at once (bash defers traps until a foreground command ends).
run() {
    "$@" &
    child=$!
    wait "$child"
    child=""
}

# What is measured, and the commit the report names.
if [ -n "$rev" ]; then
    commit=$(git -C "$repo" rev-parse --verify --quiet "$rev^{commit}") || die "BENCH_REV: no commit '$rev'"
    commit="$(git -C "$repo" log -1 --format='%h (%cI) %s' "$commit")"
fi
if [ -n "$bin" ]; then
    [ -n "$rev" ] || commit="unknown (given binary)"
elif [ -n "$rev" ]; then
    echo "== building $rev (git archive into $work/src; cargo build --release -p bilim-server)"
    mkdir "$work/src"
    git -C "$repo" archive "$rev" | tar -x -C "$work/src"
    (cd "$work/src" && CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}" \
        cargo build --release --quiet -p bilim-server)
    bin="${CARGO_TARGET_DIR:-$repo/target}/release/bilim"
else
    echo "== building the working tree (cargo build --release -p bilim-server)"
    (cd "$repo" && cargo build --release --quiet -p bilim-server)
    bin="${CARGO_TARGET_DIR:-$repo/target}/release/bilim"
    commit=$(git -C "$repo" log -1 --format='%h (%cI) %s' 2>/dev/null || echo unknown)
    if [ -n "$(git -C "$repo" status --porcelain 2>/dev/null)" ]; then
        commit="$commit + uncommitted changes"
    fi
fi
[ -x "$bin" ] || die "no binary at $bin"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

# Settings come only from here: no BILIM_* of the caller, and the binaries run in
# the temporary directory so that no .env is read.
while read -r name; do unset "$name"; done < <(compgen -e | grep '^BILIM_' || true)

mkdir -p "$work/outbox" "$work/files"
cd "$work"
export BILIM_ENV=development
export BILIM_DATABASE_URL="$bench_url"
export BILIM_BIND_ADDR="127.0.0.1:$port"
export BILIM_MAIL_TRANSPORT=file
export BILIM_MAIL_OUTBOX_DIR="$work/outbox"
export BILIM_STORAGE_URL="$work/files"
export BILIM_JWT_SECRET
BILIM_JWT_SECRET=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')
export BILIM_RESEND_AFTER_SECONDS=1
export RUST_LOG=warn

sql() { psql -X -q -v ON_ERROR_STOP=1 -At "$bench_url" "$@"; }

# --- the machine --------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || true)
echo "== machine"
echo "date:       $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "commit:     $commit"
echo "cpu:        $(nproc) × ${cpu:-unknown}"
echo "memory:     ${mem:-unknown}"
echo "kernel:     $(uname -sr)"
echo "postgresql: $(psql -X -At "$admin_url" -c 'SHOW server_version')"
echo "binary:     $bin"
echo "load:       $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min; other work on the machine competes)"
echo "requests:   $requests per scenario after $warmup warm-up, sequential, one keep-alive connection"

# --- database, admin, server -----------------------------------------------------
echo "== database $db_name"
psql -X -q -v ON_ERROR_STOP=1 "$admin_url" -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS $db_name WITH (FORCE)" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 "$admin_url" -c "CREATE DATABASE $db_name" >/dev/null
created_db=1
"$bin" migrate >/dev/null

admin_login=bench
admin_password="Bench-Admin-$(python3 -c 'import secrets; print(secrets.token_hex(8))')!"
BILIM_ADMIN_PASSWORD="$admin_password" "$bin" create-admin \
    --username "$admin_login" --email bench-admin@bilim.test --super >/dev/null

"$bin" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    curl -s -o /dev/null --max-time 1 "$base/health/live" && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; die "the server did not start"; }
    sleep 0.1
done
curl -s -o /dev/null --max-time 1 "$base/health/live" || die "the server does not answer on $base"

# Prints an admin access token: password, then the six-digit code from the newest .eml.
login() {
    local before challenge mail code
    before=$(ls "$work/outbox" | grep -c '\.eml$' || true)
    challenge=$(curl -sf --max-time 10 -H 'Content-Type: application/json' \
        -d "{\"login\":\"$admin_login\",\"password\":\"$admin_password\"}" \
        "$base/api/v1/admin/auth/login" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["challenge_id"])')
    for _ in $(seq 1 50); do
        [ "$(ls "$work/outbox" | grep -c '\.eml$' || true)" -gt "$before" ] && break
        sleep 0.1
    done
    mail=$(ls "$work/outbox"/*.eml | sort | tail -n 1)
    code=$(python3 - "$mail" <<'PY'
import email, re, sys
from email import policy
with open(sys.argv[1], "rb") as f:
    message = email.message_from_binary_file(f, policy=policy.default)
body = message.get_body(preferencelist=("plain",)) or message
for line in body.get_content().splitlines():
    if re.fullmatch(r"\d{6}", line.strip()):
        print(line.strip())
        break
else:
    sys.exit("no six-digit code in " + sys.argv[1])
PY
)
    curl -sf --max-time 10 -H 'Content-Type: application/json' \
        -d "{\"challenge_id\":\"$challenge\",\"code\":\"$code\"}" \
        "$base/api/v1/admin/auth/login/verify" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

# --- measuring --------------------------------------------------------------------
results="$work/results.tsv"
plans="$work/plans.txt"
: >"$results"

# measure SIZE NAME QUERY: one check request, the warm-up, then $requests timed ones.
measure() {
    local size=$1 name=$2 query=$3
    local url="$base/api/v1/admin/users?$query" config="$work/curl.cfg" times="$work/times.txt" shape
    shape=$(curl -sf --max-time 30 -H "Authorization: Bearer $token" "$url" | python3 -c '
import json, sys
page = json.load(sys.stdin)
print("%d rows, %s" % (len(page["items"]), "next page" if page["next_cursor"] else "last page"))') ||
        die "$name: the request failed: $url"
    {
        echo "header = \"Authorization: Bearer $token\""
        echo "max-time = 30"
        echo 'write-out = "%{http_code} %{time_total}\n"'
        for _ in $(seq 1 $((warmup + requests))); do
            echo "url = \"$url\""
            echo 'output = "/dev/null"'
        done
    } >"$config"
    run curl -s -K "$config" >"$times"
    python3 - "$times" "$warmup" "$size" "$name" "$query" "$shape" >>"$results" <<'PY'
import math, sys
path, warmup, size, name, query, shape = sys.argv[1:]
lines = [line.split() for line in open(path)]
bad = [l for l in lines if l[0] != "200"]
if bad or len(lines) == 0:
    sys.exit(f"{name}: {len(bad)} of {len(lines)} requests did not answer 200")
ms = sorted(float(l[1]) * 1000 for l in lines[int(warmup):])
rank = lambda p: ms[max(0, math.ceil(p / 100 * len(ms)) - 1)]
print("\t".join([size, name, query, shape] +
      ["%.2f" % v for v in (rank(50), rank(95), rank(99), ms[-1], sum(ms) / len(ms))]))
PY
    tail -n 1 "$results" | awk -F'\t' '{printf "  %-26s p50 %7s  p95 %7s  p99 %7s  max %7s ms   (%s)\n", $2, $5, $6, $7, $8, $4}'
}

# explain NAME WHERE: the plan of the query the server sends (sea-orm's shape,
# with the values inline; the page asks for limit + 1 = 21 rows).
explain_scenario() {
    local name=$1 where=$2
    {
        echo "---- $name"
        sql -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
                SELECT * FROM users ${where:+WHERE $where} ORDER BY id DESC LIMIT 21"
    } >>"$plans"
}

seeded=0
for size in "${sizes[@]}"; do
    echo "== $size users"
    started=$(date +%s)
    run "$bin" seed-demo --users $((size - seeded)) >/dev/null
    seeded=$size
    # A bulk load leaves the planner without statistics; autovacuum would catch up
    # on its own, this just does it now.
    sql -c "VACUUM ANALYZE users"
    echo "  seeded and analysed in $(($(date +%s) - started)) s; table + indexes: $(sql -c "SELECT pg_size_pretty(pg_total_relation_size('users'))")"

    # The id ~90 % down the newest-first list, as a cursor: base64url of its 16 bytes.
    deep_id=$(sql -c "SELECT id FROM users ORDER BY id DESC OFFSET $((size * 9 / 10)) LIMIT 1")
    deep_cursor=$(python3 -c 'import base64, sys, uuid; print(base64.urlsafe_b64encode(uuid.UUID(sys.argv[1]).bytes).decode().rstrip("="))' "$deep_id")
    rare=demo$((size / 2 + 7))@bilim.test

    token=$(login)
    echo "  load average before measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
    measure "$size" "first page" "limit=20"
    measure "$size" "deep page (90 %)" "limit=20&cursor=$deep_cursor"
    measure "$size" "status=inactive" "status=inactive&limit=20"
    measure "$size" "q=sardor (common name)" "q=sardor&limit=20"
    measure "$size" "q=<one email>" "q=$rare&limit=20"
    measure "$size" "q=zzyzx (no match)" "q=zzyzx&limit=20"

    if [ "$explain" = 1 ]; then
        echo "==== $size users (values inline: the custom plans PostgreSQL makes for the server's prepared statements)" >>"$plans"
        explain_scenario "first page" ""
        explain_scenario "deep page (90 %)" "id < '$deep_id'"
        explain_scenario "status=inactive" "active = false"
        explain_scenario "q=sardor" "search_text LIKE '%sardor%' ESCAPE '\\'"
        explain_scenario "q=$rare" "search_text LIKE '%$rare%' ESCAPE '\\'"
        explain_scenario "q=zzyzx" "search_text LIKE '%zzyzx%' ESCAPE '\\'"
        {
            echo "---- totals"
            sql -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM user_totals WHERE id = 1"
            # The server's statements are prepared once per pooled connection; after
            # five executions PostgreSQL may switch a connection to this generic plan
            # (when its estimated cost is below the average of the custom plans).
            echo "---- generic plan of the search query (estimate only), then a custom plan's estimate"
            sql <<'SQL'
PREPARE search(text, bigint) AS
    SELECT * FROM users WHERE search_text LIKE $1 ESCAPE E'\\' ORDER BY id DESC LIMIT $2;
SET plan_cache_mode = force_generic_plan;
EXPLAIN EXECUTE search('%zzyzx%', 21);
SET plan_cache_mode = force_custom_plan;
EXPLAIN EXECUTE search('%sardor%', 21);
SQL
        } >>"$plans"
    fi
done

# --- report -----------------------------------------------------------------------
echo
echo "== results (ms, $requests sequential requests each; limit=20)"
echo
echo "| scenario | users | p50 | p95 | p99 | max | page |"
echo "|---|---:|---:|---:|---:|---:|---|"
awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s |\n", $2, $1, $5, $6, $7, $8, $4}' "$results"
if [ "$explain" = 1 ]; then
    echo
    echo "== plans"
    cat "$plans"
fi
