#!/usr/bin/env bash
# Checks the OpenAPI document and the server against it (issue 14).
#
#   scripts/check-openapi.sh [STEP...]     STEP: validate, typescript, schemathesis, all (default)
#
#   validate      openapi-spec-validator 0.9.0 on docs/openapi.json
#   typescript    openapi-typescript 7.13.0 makes schema.d.ts from docs/openapi.json, and
#                 tsc 5.9.3 --strict compiles tests/openapi/client.ts (openapi-fetch 0.17.0) with it
#   schemathesis  schemathesis 4.32.5, every check, phases examples, coverage, fuzzing and
#                 stateful, against target/debug/bilim on SQLite with an admin and a user token
#
# Installs what it needs on first use: a venv in target/openapi-tools/venv (pins:
# tests/openapi/requirements.txt) and tests/openapi/node_modules (npm ci). Needs
# python3 with venv, node 20 with npm, and cargo when target/debug/bilim is missing.
# Each step prints its time; the script exits non-zero when any step fails (all
# requested steps run). Reports go to target/openapi-tools/.
#
# Knobs (environment): BILIM_BIN (default target/debug/bilim), SCHEMATHESIS_MAX_EXAMPLES
# (per operation and phase, default 30), SCHEMATHESIS_MAX_TIME (seconds for the main run,
# which fuzzes and walks links until it is spent, default 120; the own-account run gets a
# quarter of it), SCHEMATHESIS_SEED (default 14), SCHEMATHESIS_WORKERS (default 1: on
# Python 3.11.7, the CI machine's, threads now and then trip CPython's "AST constructor
# recursion depth mismatch" (gh-106905, fixed in 3.11.8) inside Hypothesis).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/openapi/lib.sh

DOCUMENT=docs/openapi.json
REPORTS=$OPENAPI_TOOLS_DIR/reports

validate() {
  python_tools
  "$OPENAPI_VENV/bin/openapi-spec-validator" --validation-errors all "$DOCUMENT"
}

typescript() {
  node_tools
  local dir=$OPENAPI_NODE_DIR
  mkdir -p "$dir/generated"
  "$dir/node_modules/.bin/openapi-typescript" "$DOCUMENT" -o "$dir/generated/schema.d.ts"
  "$dir/node_modules/.bin/tsc" -p "$dir/tsconfig.json"
}

# Every admin route but admin login and refresh must ask for admin_token, every
# route of the signed-in user for user_token: Schemathesis gives each operation
# the token of the scheme its document names, so a route without one would be
# tested without a token and pass unnoticed on its 401s.
security_declared() {
  python3 - "$DOCUMENT" <<'PY'
import json, re, sys
document = json.load(open(sys.argv[1]))
schemes = document.get("components", {}).get("securitySchemes", {})
problems = [f"no security scheme {name!r}" for name in ("admin_token", "user_token") if name not in schemes]
user_routes = re.compile(r"^/api/v1/(users/me|lessons/\{id\}/(video|progress)|workbooks/\{id\}/download|courses/\{id\}/certificate/claim|auth/logout-all)")
for path, item in document["paths"].items():
    for method, operation in item.items():
        if method not in ("get", "put", "post", "patch", "delete"):
            continue
        names = {name for requirement in operation.get("security") or [] for name in requirement}
        if path.startswith("/api/v1/admin/") and not path.startswith("/api/v1/admin/auth/"):
            wanted = "admin_token"
        elif user_routes.match(path):
            wanted = "user_token"
        else:
            continue
        if wanted not in names:
            problems.append(f"{method.upper()} {path} does not declare {wanted}")
for problem in problems:
    print(f"error: {problem}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
}

schemathesis() {
  python_tools
  security_declared
  trap server_stop EXIT
  server_start
  # The user token comes from this hook, which signs a new user up when it dies.
  export SCHEMATHESIS_HOOKS=$PWD/tests/openapi/hooks.py
  mkdir -p "$REPORTS"
  local status=0 seed=${SCHEMATHESIS_SEED:-14} budget=${SCHEMATHESIS_MAX_TIME:-120}
  # Routes that end the caller's own session or account run apart, with the
  # second user: in the main run every one of them would cost a new sign-up.
  local -a own=(
    --include-name "DELETE /api/v1/users/me"
    --include-name "POST /api/v1/auth/logout-all"
    --include-name "PUT /api/v1/users/me/password"
  )
  local -a common=(
    --url "$BILIM_BASE_URL"
    --checks all
    --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-30}"
    --max-response-time 5
    --request-timeout 10
    --request-retries 2
    --seed "$seed"
    --workers "${SCHEMATHESIS_WORKERS:-1}"
    --no-color
    --report junit
  )
  # The bot's pre-registration is left to its API tests (crates/server/tests/api/telegram/):
  # its phone pattern (every usual spelling of +998 numbers) makes Schemathesis' generator
  # give up (health check filter_too_much).
  echo "schemathesis: every operation but the three own-account ones and the bot's pre-registration (seed $seed)"
  timeout --kill-after=10 "$((budget + 90))" \
    "$OPENAPI_VENV/bin/schemathesis" --config-file tests/openapi/schemathesis.toml run \
    "$BILIM_BASE_URL/api-docs/openapi.json" "${common[@]}" \
    --phases examples,coverage,fuzzing,stateful --max-time "$budget" \
    --exclude-name "DELETE /api/v1/users/me" \
    --exclude-name "POST /api/v1/auth/logout-all" \
    --exclude-name "PUT /api/v1/users/me/password" \
    --exclude-name "POST /api/v1/telegram/pre-registrations" \
    --report-dir "$REPORTS/main" || status=$?
  echo "schemathesis: the own-account operations, as a second user (seed $seed)"
  BILIM_USER_TOKEN=$BILIM_USER2_TOKEN timeout --kill-after=10 "$((budget / 4 + 90))" \
    "$OPENAPI_VENV/bin/schemathesis" --config-file tests/openapi/schemathesis.toml run \
    "$BILIM_BASE_URL/api-docs/openapi.json" "${common[@]}" "${own[@]}" \
    --phases examples,coverage,fuzzing --max-time "$((budget / 4))" \
    --report-dir "$REPORTS/own-account" || status=$?
  server_stop
  trap - EXIT
  if grep -qE 'panicked|ERROR' "$OPENAPI_TOOLS_DIR/server.log"; then
    echo "the server logged errors (target/openapi-tools/server.log):"
    grep -E 'panicked|ERROR' "$OPENAPI_TOOLS_DIR/server.log" | sed -E 's/\x1b\[[0-9;]*m//g' | sort | uniq -c | sort -rn | head -20
  fi
  return "$status"
}

# Each step runs in its own process, so that `set -e` holds inside it.
if [ "${1:-}" = --step ]; then
  "$2"
  exit
fi

steps=("$@")
[ ${#steps[@]} = 0 ] && steps=(all)
[ "${steps[*]}" = all ] && steps=(validate typescript schemathesis)
failed=()
for step in "${steps[@]}"; do
  case $step in
    validate | typescript | schemathesis) timed "openapi: $step" "$0" --step "$step" || failed+=("$step") ;;
    *) echo "unknown step $step (validate, typescript, schemathesis, all)" >&2; exit 2 ;;
  esac
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "openapi checks failed: ${failed[*]}" >&2
  exit 1
fi
echo "openapi checks passed: ${steps[*]}"
