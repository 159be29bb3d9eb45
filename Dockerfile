# syntax=docker/dockerfile:1

# --- build ---
FROM rust:1.95-bookworm AS builder
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p bilim-server

# --- runtime ---
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /home/bilim --shell /usr/sbin/nologin bilim \
    && mkdir -p /app/data \
    && chown bilim:bilim /app /app/data
COPY --from=builder /src/target/release/bilim /usr/local/bin/bilim
WORKDIR /app
USER bilim
ENV BILIM_BIND_ADDR=0.0.0.0:8080
EXPOSE 8080
# No HEALTHCHECK: the slim image has no curl; probe /health/live and /health/ready from outside.
ENTRYPOINT ["bilim"]
CMD ["serve"]
