#!/usr/bin/env bash
# The file storage against a real S3-compatible server (issue 15): starts moto's
# server (scripts/s3/lib.sh) and runs, with TEST_S3_ENDPOINT set, the FileStore
# contract suite on S3 (crates/repository/tests/contract/files*) and the API
# tests that upload and download through a bucket
# (crates/server/tests/api/learning/object_storage.rs).
#
#   scripts/s3-suite.sh [-- TEST-ARGS...]
#
# `--workspace` as in .ci/run's test steps, so the test binaries they built are
# reused (`-p` alone would rebuild dependencies with other features).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/s3/lib.sh

[ "${1:-}" = -- ] && shift
trap s3_stop EXIT
s3_start
cargo test --workspace --test contract --test api -- files:: object_storage "$@"
