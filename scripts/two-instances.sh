#!/usr/bin/env bash
# Two Bilim instances on one PostgreSQL database, one Redis and one S3 bucket
# (moto's server), checked from outside (issue 15): a code issued by A verifies
# on B; a refresh token rotated on A and reused on B revokes its family; a
# catalogue change on A is on B's cached course page at once; rate limits are
# shared; the access job running on both sends each mail once; files uploaded
# through A are served by B. The checks are scripts/two_instances/checks.py.
#
#   scripts/two-instances.sh
#
# Runs target/debug/bilim (built when missing). Needs PostgreSQL and Redis
# (TEST_DATABASE_URL, TEST_REDIS_URL; defaults: the local ones .ci/run uses),
# python3 with venv, psql and curl. The database, the Redis keys (a fresh
# prefix) and the bucket prefix are its own, so runs never meet. Logs are kept
# in target/two-instances/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/openapi/lib.sh
source scripts/s3/lib.sh

PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379}
LOGS=target/two-instances
AUTH_LIMIT=12
RUN=$(python3 -c 'import secrets; print(secrets.token_hex(6))')
DATABASE=bilim_two_$RUN
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bilim-two.XXXXXX")
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -INT "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  s3_stop
  mkdir -p "$LOGS"
  cp "$WORK"/*.log "$LOGS/" 2>/dev/null || true
  psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

server_binary
s3_start
BIN=$(realpath "$BILIM_BIN")
psql -q "$PG_URL" -c "CREATE DATABASE $DATABASE" >/dev/null
port_a=$(free_port)
port_b=$(free_port)
export BILIM_A=http://127.0.0.1:$port_a BILIM_B=http://127.0.0.1:$port_b
export BILIM_OUTBOX_DIR=$WORK/outbox BILIM_AUTH_LIMIT=$AUTH_LIMIT
export BILIM_ADMIN_LOGIN=root BILIM_ADMIN_EMAIL=root@bilim.test
BILIM_ADMIN_PASSWORD=Adm-$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
export BILIM_ADMIN_PASSWORD

# What every instance shares (docs/operations.md, "Several instances"): the
# database, Redis, the bucket, the JWT secret, the proxies it trusts. The file
# outbox is shared here only so that the checks can count the mails.
common=(
  env -i PATH="$PATH" HOME="$WORK"
  BILIM_ENV=production BILIM_PUBLIC_URL="$BILIM_A"
  BILIM_DATABASE_URL="${PG_URL%/*}/$DATABASE"
  BILIM_REDIS_URL="$REDIS_URL"
  BILIM_REDIS_KEY_PREFIX="bilim-two-$RUN:"
  BILIM_JWT_SECRET="$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
  BILIM_STORAGE_URL="s3://$TEST_S3_BUCKET/two-$RUN"
  AWS_ENDPOINT="$TEST_S3_ENDPOINT" AWS_ALLOW_HTTP=true AWS_REGION=us-east-1
  AWS_ACCESS_KEY_ID=bilim-test AWS_SECRET_ACCESS_KEY=bilim-test-secret
  BILIM_MAIL_TRANSPORT=file BILIM_MAIL_OUTBOX_DIR="$BILIM_OUTBOX_DIR"
  BILIM_TRUSTED_PROXIES=127.0.0.1
  BILIM_AUTH_REQUESTS_PER_IP_PER_MINUTE=$AUTH_LIMIT
  BILIM_ACCESS_JOB_INTERVAL_SECONDS=1
)

# Migrations run once, before any instance starts (as a deployment would).
(cd "$WORK" && "${common[@]}" "$BIN" migrate) >"$WORK/migrate.log" 2>&1 \
  || { cat "$WORK/migrate.log" >&2; exit 1; }
(cd "$WORK" && "${common[@]}" BILIM_ADMIN_PASSWORD="$BILIM_ADMIN_PASSWORD" \
  "$BIN" create-admin --username root --email root@bilim.test --super) >"$WORK/admin.log" 2>&1 \
  || { cat "$WORK/admin.log" >&2; exit 1; }
for name in a b; do
  port=port_$name
  # Each its own public URL, so that the links it hands out are its own.
  (cd "$WORK" && exec "${common[@]}" RUST_LOG=info BILIM_BIND_ADDR="127.0.0.1:${!port}" \
    BILIM_PUBLIC_URL="http://127.0.0.1:${!port}" "$BIN" serve) >"$WORK/server-$name.log" 2>&1 &
  PIDS+=($!)
done
wait_ready "$BILIM_A" "${PIDS[0]}" "$WORK/server-a.log"
wait_ready "$BILIM_B" "${PIDS[1]}" "$WORK/server-b.log"
echo "instances up: A $BILIM_A, B $BILIM_B (database $DATABASE)"

status=0
timeout --kill-after=10 120 "$S3_VENV/bin/python" scripts/two_instances/checks.py || status=$?
if grep -hE 'panicked| ERROR ' "$WORK"/server-*.log | head -20; then
  echo "error: an instance logged errors (logs in $LOGS/)" >&2
  status=1
fi
exit "$status"
