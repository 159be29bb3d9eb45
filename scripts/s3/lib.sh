# shellcheck shell=bash
# Shared by scripts/s3-suite.sh and scripts/two-instances.sh; source it from the
# repository root. Installs moto's S3-compatible server on first use (a venv under
# target/, pins: tests/s3/requirements.txt) and runs it on a free loopback port.

S3_TOOLS_DIR=${S3_TOOLS_DIR:-target/s3-tools}
S3_VENV=$S3_TOOLS_DIR/venv

# moto and requests, pinned with every dependency.
s3_tools() {
  local stamp=$S3_VENV/.requirements
  if [ -x "$S3_VENV/bin/moto_server" ] && cmp -s tests/s3/requirements.txt "$stamp"; then
    return 0
  fi
  echo "installing moto into $S3_VENV"
  rm -rf "$S3_VENV"
  python3 -m venv "$S3_VENV"
  "$S3_VENV/bin/pip" install --quiet --disable-pip-version-check -r tests/s3/requirements.txt
  cp tests/s3/requirements.txt "$stamp"
}

# s3_start: moto's server on a free port with the bucket $TEST_S3_BUCKET
# (default bilim-test). Exports TEST_S3_ENDPOINT and TEST_S3_BUCKET and sets
# S3_SERVER_PID; call s3_stop after (the callers trap it on EXIT).
s3_start() {
  s3_tools
  local port i
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  export TEST_S3_ENDPOINT=http://127.0.0.1:$port TEST_S3_BUCKET=${TEST_S3_BUCKET:-bilim-test}
  mkdir -p "$S3_TOOLS_DIR"
  "$S3_VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$S3_TOOLS_DIR/moto.log" 2>&1 &
  S3_SERVER_PID=$!
  for i in $(seq 100); do
    # Creating the bucket is the readiness check (moto keeps everything in memory).
    if curl -fsS -o /dev/null -X PUT "$TEST_S3_ENDPOINT/$TEST_S3_BUCKET" 2>/dev/null; then
      echo "S3 (moto) up at $TEST_S3_ENDPOINT, bucket $TEST_S3_BUCKET (pid $S3_SERVER_PID)"
      return 0
    fi
    if ! kill -0 "$S3_SERVER_PID" 2>/dev/null; then
      echo "error: moto exited at start; its log:" >&2
      cat "$S3_TOOLS_DIR/moto.log" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "error: moto is not ready after 20 s" >&2
  return 1
}

s3_stop() {
  if [ -n "${S3_SERVER_PID:-}" ]; then
    kill "$S3_SERVER_PID" 2>/dev/null || true
    wait "$S3_SERVER_PID" 2>/dev/null || true
    S3_SERVER_PID=
  fi
}
