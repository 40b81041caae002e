#!/usr/bin/env python3
"""Holds COUNT watches of the change feed open on one instance, each asked again as soon as it is answered.

  bench/watchers.py BASE DEPLOY_SECRET COUNT

Each watch waits the default 30 s, as the documented consumer does. Prints "open N" once every watch is waiting,
then, every 5 s, how many wait, how many answered with or without entries, how many were refused (503: more than
deploy.changes.max-waiting) and how many failed; runs until killed. Raw asyncio sockets keep 2,000 connections
cheap on the load generator's side.
"""
import asyncio
import sys
from urllib.parse import urlsplit

base, secret, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
host, port = urlsplit(base).hostname, urlsplit(base).port
answered = refused = errors = waiting = 0


def next_after(body):
    return int(body.split('"nextAfter":')[1].split(",")[0])


async def revision():
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET /internal/changes?waitSeconds=0&limit=1000 HTTP/1.1\r\nHost: {host}\r\n"
                 f"X-Deploy-Secret: {secret}\r\nConnection: close\r\n\r\n".encode())
    body = (await reader.read()).decode()
    writer.close()
    return next_after(body)


async def watch(after):
    global answered, refused, errors, waiting
    while True:
        writer = None
        try:
            reader, writer = await asyncio.open_connection(host, port)
            while True:
                writer.write(f"GET /internal/changes?after={after} HTTP/1.1\r\nHost: {host}\r\n"
                             f"X-Deploy-Secret: {secret}\r\n\r\n".encode())
                waiting += 1
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                finally:
                    waiting -= 1
                if not head.startswith(b"HTTP/1.1 200"):
                    # A refusal closes the connection; ask again a second later, as the documented consumer does.
                    refused += 1
                    break
                length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                                  if line.lower().startswith(b"content-length")))
                after = next_after((await reader.readexactly(length)).decode())
                answered += 1
        except (OSError, asyncio.IncompleteReadError, StopIteration, ValueError):
            errors += 1
        finally:
            if writer is not None:
                writer.close()
        await asyncio.sleep(1)


async def main():
    after = await revision()
    tasks = [asyncio.create_task(watch(after)) for _ in range(count)]
    while waiting < count:
        await asyncio.sleep(0.1)
    print(f"open {waiting}", flush=True)
    while True:
        await asyncio.sleep(5)
        print(f"waiting {waiting} answered {answered} refused {refused} errors {errors}", flush=True)
    await asyncio.gather(*tasks)


asyncio.run(main())
