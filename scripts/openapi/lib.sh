# shellcheck shell=bash
# Shared by scripts/check-openapi.sh and scripts/e2e-swagger.sh; source it from
# the repository root. Installs the pinned tools on first use (nothing global:
# a venv and node_modules, both ignored by git) and runs a throwaway server.

OPENAPI_TOOLS_DIR=${OPENAPI_TOOLS_DIR:-target/openapi-tools}
OPENAPI_VENV=$OPENAPI_TOOLS_DIR/venv
OPENAPI_NODE_DIR=tests/openapi
BILIM_BIN=${BILIM_BIN:-target/debug/bilim}

# timed TITLE CMD...: run CMD and print how long it took, keeping its status.
timed() {
  local title=$1 start=$SECONDS status=0
  shift
  echo "--- $title"
  "$@" || status=$?
  echo "--- $title: $([ "$status" = 0 ] && echo ok || echo "FAILED (exit $status)") in $((SECONDS - start)) s"
  return "$status"
}

# The Python tools, pinned with their dependencies in tests/openapi/requirements.txt.
python_tools() {
  local stamp=$OPENAPI_VENV/.requirements
  if [ -x "$OPENAPI_VENV/bin/python" ] && cmp -s tests/openapi/requirements.txt "$stamp"; then
    return 0
  fi
  echo "installing the Python tools into $OPENAPI_VENV"
  rm -rf "$OPENAPI_VENV"
  python3 -m venv "$OPENAPI_VENV"
  "$OPENAPI_VENV/bin/pip" install --quiet --disable-pip-version-check \
    -r tests/openapi/requirements.txt
  cp tests/openapi/requirements.txt "$stamp"
}

# The Node tools, pinned in tests/openapi/package-lock.json.
node_tools() {
  local stamp=$OPENAPI_NODE_DIR/node_modules/.package-lock.json
  if [ -f "$stamp" ] && [ "$stamp" -nt "$OPENAPI_NODE_DIR/package-lock.json" ]; then
    return 0
  fi
  echo "installing the Node tools into $OPENAPI_NODE_DIR/node_modules"
  (cd "$OPENAPI_NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
}

# The server binary: built only when missing (CI's test steps built it already).
server_binary() {
  if [ ! -x "$BILIM_BIN" ]; then
    echo "building $BILIM_BIN"
    cargo build --quiet -p bilim-server
  fi
}

# free_port: a free loopback port.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_ready BASE_URL PID LOG: wait up to 20 s for /health/ready to answer 200;
# fail (showing LOG) when the process exits first.
wait_ready() {
  local i
  for i in $(seq 100); do
    if python3 - "$1/health/ready" <<'PY' 2>/dev/null; then return 0; fi
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=1)
PY
    if ! kill -0 "$2" 2>/dev/null; then
      echo "error: the server exited at start; its log:" >&2
      cat "$3" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "error: the server at $1 is not ready after 20 s" >&2
  return 1
}

# server_start: start the binary on SQLite in a fresh temporary directory on a
# free loopback port, with the file mail outbox, create a super admin and sign
# in an admin and two users through their email codes. Sets BILIM_SERVER_DIR
# and BILIM_SERVER_PID and exports BILIM_BASE_URL, BILIM_OUTBOX_DIR,
# BILIM_ADMIN_TOKEN, BILIM_USER_TOKEN, BILIM_USER2_TOKEN, BILIM_USER_ID. Call
# server_stop after (the callers trap it on EXIT).
server_start() {
  server_binary
  local bin port password tokens
  bin=$(realpath "$BILIM_BIN")
  BILIM_SERVER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/bilim-openapi.XXXXXX")
  port=$(free_port)
  export BILIM_BASE_URL=http://127.0.0.1:$port BILIM_OUTBOX_DIR=$BILIM_SERVER_DIR/outbox
  password=Adm-$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
  # The server runs in the temporary directory, so no .env of the checkout is read;
  # the rate limits are raised so that fuzzed auth requests reach the handlers.
  local -a env=(
    env -i PATH="$PATH" HOME="$BILIM_SERVER_DIR"
    BILIM_ENV=development
    "BILIM_BIND_ADDR=127.0.0.1:$port"
    BILIM_DATABASE_URL="sqlite://$BILIM_SERVER_DIR/bilim.db?mode=rwc"
    BILIM_JWT_SECRET="$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
    BILIM_MAIL_TRANSPORT=file
    BILIM_MAIL_OUTBOX_DIR="$BILIM_OUTBOX_DIR"
    BILIM_STORAGE_URL="$BILIM_SERVER_DIR/files"
    BILIM_AUTH_REQUESTS_PER_IP_PER_MINUTE=1000000
    BILIM_CODE_MAILS_PER_ADDRESS_PER_HOUR=1000000
    BILIM_RESEND_AFTER_SECONDS=1
    BILIM_ACCESS_JOB_INTERVAL_SECONDS=0
    # The bot's routes on, so that their secret headers are checked; its Bot API
    # is a closed local port (the run never knows the webhook secret, so never
    # gets as far as calling it).
    BILIM_TELEGRAM_BOT_SECRET="$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
    BILIM_TELEGRAM_BOT_TOKEN=123456789:schemathesis-run
    BILIM_TELEGRAM_WEBHOOK_SECRET="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
    BILIM_TELEGRAM_API_URL=http://127.0.0.1:9
  )
  if ! (cd "$BILIM_SERVER_DIR" && "${env[@]}" BILIM_ADMIN_PASSWORD="$password" \
    "$bin" create-admin --username root --email root@bilim.test --super) >"$BILIM_SERVER_DIR/admin.log" 2>&1; then
    echo "error: bilim create-admin failed:" >&2
    cat "$BILIM_SERVER_DIR/admin.log" >&2
    return 1
  fi
  (cd "$BILIM_SERVER_DIR" && exec "${env[@]}" RUST_LOG=info "$bin" serve) >"$BILIM_SERVER_DIR/server.log" 2>&1 &
  BILIM_SERVER_PID=$!
  wait_ready "$BILIM_BASE_URL" "$BILIM_SERVER_PID" "$BILIM_SERVER_DIR/server.log"
  tokens=$(python3 scripts/openapi/tokens.py "$BILIM_BASE_URL" "$BILIM_OUTBOX_DIR" \
    root root@bilim.test "$password")
  while IFS='=' read -r name value; do
    export "$name=$value"
  done <<<"$tokens"
  echo "server up at $BILIM_BASE_URL (pid $BILIM_SERVER_PID, files in $BILIM_SERVER_DIR)"
}

# server_stop: stop the server started by server_start (SIGINT: at once) and
# remove its directory, keeping its log in $OPENAPI_TOOLS_DIR/server.log.
server_stop() {
  if [ -n "${BILIM_SERVER_PID:-}" ]; then
    kill -INT "$BILIM_SERVER_PID" 2>/dev/null || true
    wait "$BILIM_SERVER_PID" 2>/dev/null || true
    BILIM_SERVER_PID=
  fi
  if [ -n "${BILIM_SERVER_DIR:-}" ] && [ -d "$BILIM_SERVER_DIR" ]; then
    mkdir -p "$OPENAPI_TOOLS_DIR"
    cp "$BILIM_SERVER_DIR/server.log" "$OPENAPI_TOOLS_DIR/server.log" 2>/dev/null || true
    rm -rf "$BILIM_SERVER_DIR"
    BILIM_SERVER_DIR=
  fi
}
