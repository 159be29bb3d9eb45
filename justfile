# Bilim developer tasks. Run `just` to list them.

# A local PostgreSQL and Redis on their usual ports, with the role `postgres` (as CI has them)
test_database_url := "postgres://postgres@127.0.0.1:5432/postgres"
test_redis_url := "redis://127.0.0.1:6379"
bench_redis_url := "redis://127.0.0.1:6379/15"

# The PostgreSQL and Redis of `just up` (docker-compose.yml): other ports, the role `bilim`
compose_database_url := "postgres://bilim:bilim@127.0.0.1:55432/bilim"
compose_redis_url := "redis://127.0.0.1:56379"

# List the recipes
default:
    @just --list

# Run the server locally (settings from .env / environment)
dev:
    cargo run

# Run the test suite on SQLite and the in-process store
test:
    cargo test --workspace

# Run the test suite on a local PostgreSQL and Redis (or pass their URLs)
test-pg database_url=test_database_url redis_url=test_redis_url:
    TEST_DATABASE_URL={{quote(database_url)}} TEST_REDIS_URL={{quote(redis_url)}} cargo test --workspace

# Run the test suite on the PostgreSQL and Redis of `just up`
test-compose: (test-pg compose_database_url compose_redis_url)

# Check formatting and run clippy with warnings as errors
lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings

# Regenerate docs/openapi.json
openapi:
    cargo run --quiet -p bilim-server -- openapi > docs/openapi.json

# Check docs/openapi.json and the server against it: validate, typescript, schemathesis (default: all)
check-openapi *steps:
    scripts/check-openapi.sh {{steps}}

# File storage on S3: moto's server, the FileStore contract and the API tests on a bucket
test-s3:
    scripts/s3-suite.sh

# Two instances on one PostgreSQL, Redis and S3 bucket, checked from outside (or pass the URLs)
two-instances database_url=test_database_url redis_url=test_redis_url:
    TEST_DATABASE_URL={{quote(database_url)}} TEST_REDIS_URL={{quote(redis_url)}} scripts/two-instances.sh

# Swagger UI in headless Chromium: Authorize, then Execute two admin operations (installs chromium as root)
e2e:
    scripts/e2e-swagger.sh

# Load benchmark on the release build, PostgreSQL and Redis (docs/performance.md); flushes the Redis DB
bench database_url=test_database_url redis_url=bench_redis_url:
    scripts/bench.sh {{quote(database_url)}} {{quote(redis_url)}}

# Time GET /api/v1/admin/users at 10k and 1M users on PostgreSQL (docs/performance.md)
bench-admin-users database_url=test_database_url *sizes:
    scripts/bench-admin-users.sh {{quote(database_url)}} {{sizes}}

# Start PostgreSQL (127.0.0.1:55432), Redis (127.0.0.1:56379) and Mailpit (1025, 8025) in the background
up:
    docker compose up -d postgres redis mailpit
