#!/usr/bin/env python3
"""Seeds a running service over HTTP for the benchmark: nodes by heartbeat, apps by ensure or reassign.

Usage: seed.py BASE_URL nodes COUNT            heartbeat bench-node-0 .. COUNT-1
       seed.py BASE_URL apps COUNT             ensure bench-app-0 .. COUNT-1
       seed.py BASE_URL pin COUNT NODE_ID      reassign drain-app-0 .. COUNT-1 to NODE_ID
Tokens come from NODE_TOKEN, INTERNAL_TOKEN and ADMIN_TOKEN.
"""
import http.client
import json
import os
import sys
import threading
from urllib.parse import urlparse

WORKERS = 8


def worker(base, items, make_request, failures):
    url = urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    for item in items:
        path, headers, body = make_request(item)
        conn.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json", **headers})
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            failures.append((item, response.status))
    conn.close()


def main():
    base, kind, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if kind == "nodes":
        def make(i):
            return ("/internal/runtime-nodes/heartbeat", {"X-RT-Node-Token": os.environ["NODE_TOKEN"]},
                    {"nodeName": f"bench-node-{i}", "agentBaseUrl": f"http://127.0.0.1:{20000 + i}",
                     "gatewayBaseUrl": f"http://127.0.0.1:{30000 + i}"})
    elif kind == "apps":
        def make(i):
            return ("/internal/placements/ensure", {"X-Deploy-Secret": os.environ["INTERNAL_TOKEN"]},
                    {"appId": f"bench-app-{i}"})
    elif kind == "pin":
        node_id = int(sys.argv[4])

        def make(i):
            return ("/admin/runtime-nodes/reassign", {"X-Admin-Token": os.environ["ADMIN_TOKEN"]},
                    {"appId": f"drain-app-{i}", "targetNodeId": node_id})
    else:
        sys.exit(f"unknown kind {kind}")
    failures = []
    threads = [threading.Thread(target=worker, args=(base, range(w, count, WORKERS), make, failures))
               for w in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        sys.exit(f"{len(failures)} seeding requests failed, first: {failures[0]}")


if __name__ == "__main__":
    main()
