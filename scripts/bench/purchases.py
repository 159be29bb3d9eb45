#!/usr/bin/env python3
"""Scenario 7 of the load benchmark: POST /api/v1/products/{id}/purchase from one
connection per user, each request with a fresh Idempotency-Key (oha cannot vary a header
per request), for DURATION seconds after WARMUP unmeasured ones. Prints a JSON report in
the shape of oha's (statusCodeDistribution, errorDistribution, latencyPercentiles in
seconds, summary.total), so report.py reads it like the other scenarios.

    purchases.py BASE_URL PRODUCT_ID TOKENS_FILE WARMUP DURATION

TOKENS_FILE holds one user access token per line: one connection (thread) each. Each
connection buys one month for its own device, so every purchase after its first extends
one subscription. The client is Python threads on the same machine: it takes CPU from
the server, so the rate is a floor.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse
import uuid


def worker(base, product, token, device, until_warm, until_end, out):
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    path = "/api/v1/products/%s/purchase" % product
    body = json.dumps({"months": 1, "device_id": device})
    while True:
        now = time.monotonic()
        if now >= until_end:
            break
        headers = {
            "Authorization": "Bearer " + token,
            "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4()),
        }
        started = time.monotonic()
        try:
            conn.request("POST", path, body, headers)
            response = conn.getresponse()
            response.read()
            status = response.status
            error = None
        except Exception as e:  # noqa: BLE001: counted and reported, like oha's errors
            status, error = None, type(e).__name__
            conn.close()
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        ended = time.monotonic()
        if started >= until_warm and ended <= until_end:
            out.append((status, error, ended - started))


def main():
    base, product, tokens_file, warmup, duration = sys.argv[1:6]
    tokens = [line.strip() for line in open(tokens_file) if line.strip()]
    start = time.monotonic()
    until_warm = start + float(warmup)
    until_end = until_warm + float(duration)
    results = [[] for _ in tokens]
    threads = [
        threading.Thread(target=worker, args=(base, product, token, "bench-%d" % n,
                                              until_warm, until_end, results[n]))
        for n, token in enumerate(tokens)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    samples = [s for r in results for s in r]
    statuses, errors = {}, {}
    for status, error, _ in samples:
        if status is None:
            errors[error] = errors.get(error, 0) + 1
        else:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
    latencies = sorted(s[2] for s in samples if s[0] is not None)

    def pct(p):
        if not latencies:
            return None
        return latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))]

    json.dump({
        "summary": {"total": float(duration), "requestsPerSec": len(samples) / float(duration)},
        "statusCodeDistribution": statuses,
        "errorDistribution": errors,
        "latencyPercentiles": {"p50": pct(50), "p90": pct(90), "p99": pct(99)},
    }, sys.stdout)


if __name__ == "__main__":
    main()
