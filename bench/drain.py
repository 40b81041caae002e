#!/usr/bin/env python3
"""Drains one node into another through the admin API, 2,000 apps a call until none remain, on one kept-alive
connection, and prints the milliseconds it took: the figure is the service's, not the cost of starting a
client process per call.

Usage: drain.py BASE_URL SOURCE_NODE_ID TARGET_NODE_ID     (ADMIN_TOKEN from the environment)
"""
import http.client
import json
import os
import sys
import time
from urllib.parse import urlparse


def main():
    base, source, target = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    url = urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    headers = {"Content-Type": "application/json", "X-Admin-Token": os.environ["ADMIN_TOKEN"]}
    body = json.dumps({"sourceNodeId": source, "targetNodeId": target, "limit": 2000})
    started = time.monotonic()
    remaining = None
    while remaining != 0:
        conn.request("POST", "/admin/runtime-nodes/drain", body=body, headers=headers)
        response = conn.getresponse()
        answer = response.read()
        if response.status != 200:
            sys.exit(f"drain answered {response.status}: {answer[:300]!r}")
        remaining = json.loads(answer)["data"]["remaining"]
    print(round((time.monotonic() - started) * 1000))


if __name__ == "__main__":
    main()
