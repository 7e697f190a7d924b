#!/usr/bin/env python3
"""list_pages.py — p50 of list and log pages of 100 on a running emulator's site.

Run by tests/bench/bench_advance as BENCH_AFTER_ADVANCE=tests/bench/list_pages.py, which puts
EMULATOR_URL, BENCH_API_KEY, BENCH_ADMIN_ID and BENCH_ACCESS_KEY in the environment; so the
same pages are timed on whatever site the bench built and lived (BENCH_USERS, BENCH_LOCKS).
One keep-alive connection, REPEAT calls of each page, the median printed in milliseconds;
then one snapshot of the whole state and its restore (POST /_emulator/v1/snapshots, …/restore),
each timed once.
"""
import http.client
import json
import os
import statistics
import sys
import time
import urllib.parse

REPEAT = int(os.environ.get("BENCH_PAGE_REPEAT", "101"))
ACCEPT = "application/vnd.assaabloy.keyless.administration-2+json"


def main():
    url = urllib.parse.urlsplit(os.environ["EMULATOR_URL"])
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    headers = {"X-Api-Key": os.environ["BENCH_API_KEY"], "Accept": ACCEPT}

    def call(method, path, body=None):
        h = dict(headers)
        if body is not None:
            h["Content-Type"] = "application/json"
        conn.request(method, "/administration" + path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        if r.status != 200:
            sys.exit(f"list_pages: {method} {path}: {r.status} {data[:300]!r}")
        return json.loads(data)

    login = call("POST", "/login", json.dumps({"userId": os.environ["BENCH_ADMIN_ID"],
                                               "accessKey": os.environ["BENCH_ACCESS_KEY"]}))
    headers["Authorization"] = "Bearer " + login["token"]
    locks = call("GET", "/locking-device?limit=100")["items"]
    lock = locks[len(locks) // 2]["id"]
    # A later page of the whole site's audit log: its token, five pages in.
    token = None
    for _ in range(5):
        page = call("GET", "/locking-device-audit-log?limit=100" +
                    (f"&next-page-token={urllib.parse.quote(token)}" if token else ""))
        token = page.get("nextPageToken")
        if token is None:
            break
    pages = [
        ("GET /locking-device?limit=100", "/locking-device?limit=100"),
        ("GET /locking-device?claiming-status=UNCLAIMED", "/locking-device?claiming-status=UNCLAIMED&limit=100"),
        ("a lock's audit log, 100, ASC", f"/locking-device-audit-log?locking-device-id={lock}&limit=100"),
        ("a lock's audit log, 100, DESC", f"/locking-device-audit-log?locking-device-id={lock}&limit=100&sort-direction=DESC"),
        ("the site's audit log, page 6", "/locking-device-audit-log?limit=100" +
         (f"&next-page-token={urllib.parse.quote(token)}" if token else "")),
    ]
    for name, path in pages:
        times = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            items = call("GET", path)["items"]
            times.append((time.perf_counter() - start) * 1e3)
        print(f"  {name:48s} p50 {statistics.median(times):7.2f} ms ({len(items)} items)")
    for name, path, body in [("snapshot", "/_emulator/v1/snapshots", json.dumps({"name": "list-pages"})),
                             ("restore", "/_emulator/v1/snapshots/list-pages/restore", None)]:
        start = time.perf_counter()
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"} if body else {})
        r = conn.getresponse()
        data = r.read()
        if r.status not in (200, 201):
            sys.exit(f"list_pages: POST {path}: {r.status} {data[:300]!r}")
        print(f"  {name:48s}      {(time.perf_counter() - start) * 1e3:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
