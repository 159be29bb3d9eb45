#!/usr/bin/env bash
# Swagger UI in a headless browser (issue 14): starts target/debug/bilim on
# SQLite with the file mail outbox, signs an admin in through the emailed code,
# and runs tests/openapi/swagger-ui.mjs (playwright-core 1.65.2 driving Debian's
# /usr/bin/chromium): the page loads, Authorize takes the admin token, and
# Execute on GET /api/v1/admin/users and GET /api/v1/admin/admins each sends its
# own request. Pictures of each step go to target/openapi-tools/swagger-ui/.
#
#   scripts/e2e-swagger.sh          (also: just e2e)
#
# Needs node 20 with npm (npm ci into tests/openapi/node_modules on first use),
# python3, cargo when target/debug/bilim is missing, and Chromium: when
# /usr/bin/chromium is missing it is installed with apt-get as root, otherwise
# the script says what to run. CHROMIUM=/path/to/chrome uses another build.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/openapi/lib.sh

start=$SECONDS
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian's chromium (apt-get)"
    timeout 300 apt-get update -qq
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "error: no Chromium at $CHROMIUM; install it with: sudo apt-get install chromium" >&2
    echo "       (or point CHROMIUM at a Chrome or Chromium binary)" >&2
    exit 1
  fi
fi
echo "browser: $("$CHROMIUM" --version 2>/dev/null) ($((SECONDS - start)) s)"
node_tools
trap server_stop EXIT
server_start
status=0
SCREENSHOTS=$OPENAPI_TOOLS_DIR/swagger-ui BILIM_BASE_URL=$BILIM_BASE_URL \
  timeout --kill-after=10 180 node tests/openapi/swagger-ui.mjs || status=$?
echo "Swagger UI check: $([ "$status" = 0 ] && echo ok || echo FAILED) in $((SECONDS - start)) s"
exit "$status"
