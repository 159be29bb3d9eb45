#!/usr/bin/env python3
"""Scenario 8 of the load benchmark: a test attempt started and submitted
(POST /api/v1/tests/{id}/attempts, then POST /api/v1/attempts/{id}/submit) from one
connection per user, for DURATION seconds after WARMUP unmeasured ones. One sample is
the pair; its status is the submit's (or the start's when that failed). Prints a JSON
report in the shape of oha's, like purchases.py.

    attempts.py BASE_URL USERS_FILE WARMUP DURATION

USERS_FILE holds one line per user: an access token, a space, and the comma-separated
ids of tests the user may take (their courses are granted). A user moves to their next
test when one answers 409 `test.attempts_exhausted`. The client is Python threads on the
same machine: it takes CPU from the server, so the rate is a floor.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse


def worker(base, token, tests, until_warm, until_end, out):
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    current = 0
    while current < len(tests):
        now = time.monotonic()
        if now >= until_end:
            break
        started = time.monotonic()
        try:
            conn.request("POST", "/api/v1/tests/%s/attempts" % tests[current], "{}", headers)
            response = conn.getresponse()
            body = response.read()
            status, error = response.status, None
            if status == 409 and b"attempts_exhausted" in body:
                current += 1
                continue
            if status == 201:
                attempt = json.loads(body)["id"]
                conn.request("POST", "/api/v1/attempts/%s/submit" % attempt, "{}", headers)
                response = conn.getresponse()
                response.read()
                status = response.status
        except Exception as e:  # noqa: BLE001: counted and reported, like oha's errors
            status, error = None, type(e).__name__
            conn.close()
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        ended = time.monotonic()
        if started >= until_warm and ended <= until_end:
            out.append((status, error, ended - started))


def main():
    base, users_file, warmup, duration = sys.argv[1:5]
    users = []
    for line in open(users_file):
        if line.strip():
            token, tests = line.split()
            users.append((token, tests.split(",")))
    start = time.monotonic()
    until_warm = start + float(warmup)
    until_end = until_warm + float(duration)
    results = [[] for _ in users]
    threads = [
        threading.Thread(target=worker, args=(base, token, tests, until_warm, until_end,
                                              results[n]))
        for n, (token, tests) in enumerate(users)
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
