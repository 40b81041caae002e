#!/usr/bin/env python3
"""Reliability drills against the packaged service on MariaDB. Prints a table; exits 1 when a drill fails.

  bench/drills.py [--short] [drill ...]     drills: kill9 outage partition overload badinput soak leader feed (default: all)

--short is the form CI runs: shorter loads and outage, a 30 s soak. The jar must be built first
(bench/drills.sh does that). With DRILL_RESULTS=<file> the table is also written there as Markdown.
The drills start their own MariaDB server for the run (bench/private_mariadb.py: a fresh data directory in
a temporary directory, a free port on 127.0.0.1) and remove it at the end; the outage drill stops and
restarts only that server; the partition drill puts a proxy of its own in front of it that swallows every
byte for a while. No other database server is touched. The overload drill needs wrk.
"""
import glob
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from private_mariadb import PrivateMariaDB

PORT = int(os.environ.get("DRILL_PORT", "7290"))
DB = "deploy_drill"
TOKENS = {"X-Admin-Token": "drill-admin", "X-RT-Node-Token": "drill-node", "X-Deploy-Secret": "drill-internal"}
SHORT = "--short" in sys.argv
LOG_DIR = os.environ.get("DRILL_LOG_DIR", "target/drills")
DB_SERVER = PrivateMariaDB()  # started by main() for the whole run


class Service:
    """The jar on MariaDB, started and killed as the drills need."""

    def __init__(self, name, jdbc_url=None, extra_args=(), port=PORT):
        self.name = name
        self.jdbc_url = jdbc_url
        self.extra_args = list(extra_args)
        self.port = port
        self.proc = None

    def start(self, wait=True):
        jar = [j for j in glob.glob("target/fun-ai-studio-deploy-*.jar") if not j.endswith(".original")][0]
        os.makedirs(LOG_DIR, exist_ok=True)
        log = open(f"{LOG_DIR}/{self.name}.log", "a")
        settings = {"server.port": self.port, "deploy.admin.token": "drill-admin",
                    "deploy.runtime-node-registry.shared-secret": "drill-node",
                    "deploy.internal-api.shared-secret": "drill-internal",
                    "deploy.runtime-node-registry.heartbeat-stale-seconds": 3600,
                    "deploy.runtime.persistence.enabled": "true",
                    "spring.datasource.url": self.jdbc_url or DB_SERVER.jdbc_url(DB)}
        # A drill's own value for a setting replaces the default (Spring would join two values with a comma).
        settings.update(arg[2:].split("=", 1) for arg in self.extra_args)
        self.proc = subprocess.Popen(["java", "-jar", jar, *(f"--{key}={value}" for key, value in settings.items())],
                                     stdout=log, stderr=subprocess.STDOUT)
        if wait:
            try:
                self.wait_ready()
            except BaseException:  # not started in time, or interrupted: leave no service behind
                self.stop()
                raise
        return self

    def wait_ready(self, timeout=90):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"service exited with {self.proc.returncode}; see {LOG_DIR}/{self.name}.log")
            try:
                if call("GET", "/internal/health", timeout=2, port=self.port)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("service did not start")

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def pid(self):
        return self.proc.pid


def call(method, path, body=None, headers=None, timeout=10, raw=None, port=PORT):
    """One request on a fresh connection; returns (status, parsed JSON or None, seconds)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.time()
    try:
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        hdrs = dict(headers or {})
        if data is not None and "Content-Type" not in hdrs:
            hdrs["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=hdrs)
        response = conn.getresponse()
        text = response.read()
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = None
        return response.status, parsed, time.time() - started
    finally:
        conn.close()


def admin(method, path, body=None, port=PORT):
    return call(method, path, body, {"X-Admin-Token": TOKENS["X-Admin-Token"]}, port=port)


def heartbeat(name, port=PORT):
    return call("POST", "/internal/runtime-nodes/heartbeat",
                {"nodeName": name, "agentBaseUrl": f"http://127.0.0.1:1/{name}", "gatewayBaseUrl": "http://127.0.0.1:2"},
                {"X-RT-Node-Token": TOKENS["X-RT-Node-Token"]}, timeout=15, port=port)


def ensure(app_id):
    return call("POST", "/internal/placements/ensure", {"appId": app_id},
                {"X-Deploy-Secret": TOKENS["X-Deploy-Secret"]}, timeout=15)


def fresh_database():
    # A partition can leave sessions on the server that no client will ever close, still holding the locks of
    # a transaction (as a real database keeps them until its own timeouts): the drills own this server, so
    # they end such sessions before dropping the schema, which would otherwise wait on their locks for good.
    out = subprocess.run(DB_SERVER.client("-N", "-e", "SELECT id FROM information_schema.processlist "
                                          f"WHERE db = '{DB}' AND id <> CONNECTION_ID()"),
                         capture_output=True, text=True, check=True)
    for session in out.stdout.split():
        subprocess.run(DB_SERVER.client("-e", f"KILL {int(session)}"), capture_output=True)
    DB_SERVER.sql(f"DROP DATABASE IF EXISTS {DB}")


def drill_kill9():
    """Clients ensure new appIds; the service is SIGKILLed mid-run and restarted; every 200 must survive."""
    fresh_database()
    service = Service("kill9").start()
    try:
        nodes = [f"drill-node-{i}" for i in range(8)]
        for name in nodes:
            heartbeat(name)
        acknowledged = {}
        lock = threading.Lock()
        stop = threading.Event()

        def client(n):
            i = 0
            while not stop.is_set():
                app_id = f"k9-{n}-{i}"
                try:
                    status, body, _ = ensure(app_id)
                    if status == 200:
                        with lock:
                            acknowledged[app_id] = body["data"]["nodeId"]
                        i += 1
                except OSError:
                    time.sleep(0.05)

        threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(4)]
        for t in threads:
            t.start()
        time.sleep(3 if SHORT else 10)
        service.kill9()
        killed_at = len(acknowledged)
        service.start()
        time.sleep(2 if SHORT else 5)
        stop.set()
        for t in threads:
            t.join()
        lost = [a for a, node in acknowledged.items()
                if (lambda r: r[0] != 200 or r[1]["data"]["nodeId"] != node)(
                    call("GET", f"/internal/placements/{a}", headers={"X-Deploy-Secret": TOKENS["X-Deploy-Secret"]}))]
        listed = {n["name"] for n in admin("GET", "/admin/runtime-nodes/list")[1]["data"]}
        missing = [n for n in nodes if n not in listed]
        ok = not lost and not missing and killed_at > 0
        return ok, (f"{len(acknowledged)} acknowledged ({killed_at} before SIGKILL), {len(lost)} lost, "
                    f"{len(missing)} of {len(nodes)} nodes missing")
    finally:
        service.stop()


def drill_outage():
    """MariaDB stops under load: answers are 503 envelopes within 5 s, readiness DOWN, recovery within 5 s."""
    fresh_database()
    service = Service("outage").start()
    # The short form CI runs keeps the outage brief; the full form's 20 s is the one the results record.
    outage_seconds = 5 if SHORT else 20
    try:
        for i in range(4):
            heartbeat(f"outage-node-{i}")
        results = []
        lock = threading.Lock()
        stop = threading.Event()

        def load(kind, n):
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    if kind == "heartbeat":
                        status, body, seconds = heartbeat(f"outage-node-{i % 4}")
                    else:
                        status, body, seconds = ensure(f"outage-{n}-{i}")
                except OSError as e:
                    status, body, seconds = -1, None, 15
                with lock:
                    results.append((time.time(), kind, status, body, seconds))
                time.sleep(0.02)

        threads = [threading.Thread(target=load, args=(k, n), daemon=True)
                   for n, k in enumerate(["heartbeat", "ensure"] * 2)]
        for t in threads:
            t.start()
        time.sleep(3)
        DB_SERVER.stop_server()  # a clean shutdown (SIGTERM) of the drills' own server, nothing else
        down_at = time.time()
        time.sleep(min(6, outage_seconds / 2))
        readiness = call("GET", "/actuator/health/readiness")
        time.sleep(max(0.0, outage_seconds - (time.time() - down_at)))
        DB_SERVER.start_server()  # same data directory and port; returns once it answers
        db_back_at = time.time()
        recovered_at = None
        while time.time() - db_back_at < 30:
            with lock:
                recent = [r for r in results if r[0] > db_back_at and r[2] == 200]
            if recent:
                recovered_at = min(r[0] for r in recent)
                break
            time.sleep(0.1)
        time.sleep(1)
        stop.set()
        for t in threads:
            t.join()
        during = [r for r in results if down_at + 0.5 < r[0] - r[4] and r[0] < db_back_at]
        bad = [r for r in during if r[2] not in (200, 503) or (r[2] == 503 and (r[3] or {}).get("code") != 503)]
        slow = [r for r in during if r[4] > 5]
        recovery = None if recovered_at is None else recovered_at - db_back_at
        ok = (not bad and not slow and readiness[0] == 503 and readiness[1].get("status") == "DOWN"
              and recovery is not None and recovery <= 5)
        statuses = sorted({r[2] for r in during})
        return ok, (f"{len(during)} answers during a {outage_seconds} s outage with statuses {statuses}, "
                    f"{len(bad)} not 503 envelopes, {len(slow)} over 5 s; readiness {readiness[0]} "
                    f"{readiness[1].get('status') if readiness[1] else None}; first 200 {recovery if recovery is None else round(recovery, 2)} s after MariaDB returned")
    finally:
        service.stop()


def bad_inputs():
    node_hb = {"X-RT-Node-Token": TOKENS["X-RT-Node-Token"]}
    adm = {"X-Admin-Token": TOKENS["X-Admin-Token"]}
    internal = {"X-Deploy-Secret": TOKENS["X-Deploy-Secret"]}
    good_hb = {"nodeName": "bad-node", "agentBaseUrl": "http://127.0.0.1:1", "gatewayBaseUrl": "http://127.0.0.1:2"}
    cases = [
        ("POST", "/internal/runtime-nodes/heartbeat", node_hb, "{", 400),
        ("POST", "/internal/runtime-nodes/heartbeat", node_hb, "", 400),
        ("POST", "/internal/runtime-nodes/heartbeat", node_hb, "[]", 400),
        ("POST", "/internal/runtime-nodes/heartbeat", node_hb, "null", 400),
        ("POST", "/internal/runtime-nodes/heartbeat", node_hb, json.dumps({**good_hb, "nodeName": "-x"}), 400),
        ("POST", "/internal/runtime-nodes/heartbeat", node_hb, json.dumps({**good_hb, "nodeName": "x" * 65}), 400),
        ("POST", "/internal/runtime-nodes/heartbeat", node_hb, json.dumps({**good_hb, "nodeName": "né"}), 400),
        ("POST", "/internal/runtime-nodes/heartbeat", node_hb, json.dumps({**good_hb, "agentBaseUrl": "ftp://x"}), 400),
        ("POST", "/internal/runtime-nodes/heartbeat", node_hb, json.dumps({**good_hb, "agentBaseUrl": "http://" + "a" * 520}), 400),
        ("POST", "/internal/runtime-nodes/heartbeat", node_hb, json.dumps({**good_hb, "gatewayBaseUrl": "/relative"}), 400),
        ("POST", "/internal/runtime-nodes/heartbeat", node_hb, json.dumps({**good_hb, "diskFreePct": 101}), 400),
        ("POST", "/internal/runtime-nodes/heartbeat", node_hb, json.dumps({**good_hb, "diskFreePct": "lots"}), 400),
        ("POST", "/internal/runtime-nodes/heartbeat", node_hb, json.dumps({**good_hb, "containerCount": -1}), 400),
        ("POST", "/internal/runtime-nodes/heartbeat", node_hb, json.dumps({**good_hb, "diskFreeBytes": 1e40}), 400),
        ("POST", "/internal/runtime-nodes/heartbeat", {**node_hb, "Content-Type": "text/plain"}, json.dumps(good_hb), 415),
        ("POST", "/internal/runtime-nodes/heartbeat", {"X-RT-Node-Token": "wrong"}, json.dumps(good_hb), 401),
        ("POST", "/internal/runtime-nodes/heartbeat", {}, json.dumps(good_hb), 401),
        ("POST", "/internal/runtime-nodes/heartbeat", node_hb, json.dumps({**good_hb, "pad": "x" * 70000}), 413),
        ("POST", "/internal/runtime-nodes/heartbeat", node_hb, b"\xff\xfe{\x00", 400),
        ("GET", "/internal/runtime-nodes/heartbeat", node_hb, None, 405),
        ("POST", "/admin/runtime-nodes/upsert", adm, json.dumps({"name": "ok-name", "agentBaseUrl": "http://a"}), 400),
        ("POST", "/admin/runtime-nodes/upsert", adm, json.dumps({**good_hb, "name": "bad-node", "weight": 10001}), 400),
        ("POST", "/admin/runtime-nodes/upsert", adm, json.dumps({**good_hb, "name": "bad-node", "weight": "heavy"}), 400),
        ("POST", "/admin/runtime-nodes/upsert", adm, json.dumps({**good_hb, "name": "bad-node", "enabled": "maybe"}), 400),
        ("POST", "/admin/runtime-nodes/set-enabled?name=bad-node", adm, None, 400),
        ("POST", "/admin/runtime-nodes/set-enabled?name=bad-node&enabled=maybe", adm, None, 400),
        ("POST", "/admin/runtime-nodes/set-enabled?name=no%20such&enabled=true", adm, None, 400),
        ("POST", "/admin/runtime-nodes/set-enabled?name=never-seen&enabled=true", adm, None, 404),
        ("GET", "/admin/runtime-nodes/placements", adm, None, 400),
        ("GET", "/admin/runtime-nodes/placements?nodeId=abc", adm, None, 400),
        ("GET", "/admin/runtime-nodes/placements?nodeId=1&limit=0", adm, None, 400),
        ("GET", "/admin/runtime-nodes/placements?nodeId=1&limit=2001", adm, None, 400),
        ("GET", "/admin/runtime-nodes/placements?nodeId=1&offset=-1", adm, None, 400),
        ("GET", "/admin/runtime-nodes/placements?nodeId=99999999", adm, None, 404),
        ("GET", "/admin/runtime-nodes/placements?nodeId=1&afterAppId=%20", adm, None, 400),
        ("POST", "/admin/runtime-nodes/reassign", adm, json.dumps({"appId": "a b", "targetNodeId": 1}), 400),
        ("POST", "/admin/runtime-nodes/reassign", adm, json.dumps({"appId": "ok", "targetNodeId": "one"}), 400),
        ("POST", "/admin/runtime-nodes/reassign", adm, json.dumps({"appId": "ok", "targetNodeId": 99999999}), 404),
        ("POST", "/admin/runtime-nodes/drain", adm, json.dumps({"sourceNodeId": 1, "targetNodeId": 1}), 400),
        ("POST", "/admin/runtime-nodes/drain", adm, json.dumps({"sourceNodeId": 1, "limit": 0}), 400),
        ("POST", "/admin/runtime-nodes/drain", adm, json.dumps({"sourceNodeId": 99999999}), 404),
        ("POST", "/admin/runtime-nodes/drain", adm, json.dumps({}), 400),
        ("GET", "/admin/apps/" + "a" * 129, adm, None, 400),
        ("GET", "/admin/apps/never-seen", adm, None, 404),
        ("GET", "/admin/runtime-nodes/list", {"X-Admin-Token": "x" * 5000}, None, 401),
        ("POST", "/internal/placements/ensure", internal, json.dumps({"appId": ""}), 400),
        ("POST", "/internal/placements/ensure", internal, json.dumps({"appId": 42}), 400),
        ("POST", "/internal/placements/ensure", internal, json.dumps({"appId": "a" * 129}), 400),
        ("POST", "/internal/placements/ensure", internal, json.dumps({"appId": "über"}), 400),
        ("POST", "/internal/placements/ensure", internal, "{\"appId\": \"x\"", 400),
        ("GET", "/internal/placements/%2e%2e", internal, None, 404),
        ("GET", "/internal/placements/never-seen", internal, None, 404),
        ("POST", "/internal/apps/app-1/report", internal, json.dumps({"status": "DONE"}), 400),
        ("POST", "/internal/apps/app-1/report", internal, json.dumps({"jobId": "j"}), 400),
        ("POST", "/internal/apps/app-1/report", internal, json.dumps({"status": "RUNNING", "jobId": "j" * 129}), 400),
        ("POST", "/internal/apps/bad%20id/report", internal, json.dumps({"status": "RUNNING"}), 400),
        ("GET", "/admin/audit?limit=0", adm, None, 400),
        ("GET", "/admin/audit?before=x", adm, None, 400),
    ]
    return cases


def state_snapshot():
    nodes = admin("GET", "/admin/runtime-nodes/list")[1]["data"]
    stable = [{k: v for k, v in n.items() if k not in ("health", "placeable")} for n in nodes]
    apps = {a: call("GET", f"/internal/placements/{a}", headers={"X-Deploy-Secret": TOKENS["X-Deploy-Secret"]})[1]
            for a in ("app-1", "kept-app")}
    return stable, apps


def drill_badinput():
    """Malformed requests across every endpoint: each a 4xx envelope with a message, state unchanged."""
    fresh_database()
    service = Service("badinput").start()
    try:
        heartbeat("kept-node")
        ensure("kept-app")
        before = state_snapshot()
        failures = []
        cases = bad_inputs()
        for method, path, headers, body, expected in cases:
            raw = body if isinstance(body, (bytes, type(None))) else body.encode()
            status, parsed, _ = call(method, path, headers=headers, raw=raw)
            good = (status == expected and isinstance(parsed, dict) and parsed.get("code") == status
                    and parsed.get("data") is None and parsed.get("message"))
            if not good:
                failures.append(f"{method} {path[:60]} -> {status} {str(parsed)[:80]} (expected {expected})")
        after = state_snapshot()
        if before != after:
            failures.append("state changed")
        for f in failures:
            print("   ", f)
        return not failures, f"{len(cases)} malformed requests, {len(failures)} failures, state unchanged: {before == after}"
    finally:
        service.stop()


def heap_used_mb(pid):
    """Heap in use right after a full GC, from jcmd: the 'used NNNK' figure of the heap line."""
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True)
    out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True).stdout
    match = re.search(r"heap\s+total\s+\d+K,\s+used\s+(\d+)K", out)
    return int(match.group(1)) // 1024 if match else -1


def drill_soak():
    """Mixed load on MariaDB: heartbeats from 2,000 nodes, ensure, lists, drains; no error answers."""
    fresh_database()
    service = Service("soak").start()
    seconds = 30 if SHORT else 600
    try:
        for i in range(2000):
            heartbeat(f"soak-node-{i}")
        heap_start = heap_used_mb(service.pid())
        errors = []
        counts = {"heartbeat": 0, "ensure": 0, "list": 0, "drain": 0}
        lock = threading.Lock()
        stop = threading.Event()
        nodes = {n["name"]: n["nodeId"] for n in admin("GET", "/admin/runtime-nodes/list")[1]["data"]}

        def run(kind, n):
            i = 0
            while not stop.is_set():
                i += 1
                if kind == "heartbeat":
                    status, body, _ = heartbeat(f"soak-node-{(n * 1000 + i) % 2000}")
                elif kind == "ensure":
                    status, body, _ = ensure(f"soak-{n}-{i % 5000}")
                elif kind == "list":
                    status, body, _ = admin("GET", "/admin/runtime-nodes/list")
                    time.sleep(0.2)
                else:
                    source = nodes[f"soak-node-{i % 2000}"]
                    status, body, _ = admin("POST", "/admin/runtime-nodes/drain", {"sourceNodeId": source, "limit": 50})
                    time.sleep(0.5)
                with lock:
                    counts[kind] += 1
                    if status != 200:
                        errors.append((kind, status, str(body)[:120]))

        threads = [threading.Thread(target=run, args=(k, n), daemon=True) for n, k in
                   enumerate(["heartbeat", "heartbeat", "ensure", "ensure", "list", "drain"])]
        for t in threads:
            t.start()
        time.sleep(seconds)
        stop.set()
        for t in threads:
            t.join()
        heap_end = heap_used_mb(service.pid())
        for e in errors[:5]:
            print("   ", e)
        return not errors, (f"{seconds} s, {sum(counts.values())} requests {counts}, {len(errors)} errors; "
                            f"heap after GC {heap_start} MB at start, {heap_end} MB at end")
    finally:
        service.stop()


class Blackhole:
    """A TCP relay in front of the drills' MariaDB that can swallow every byte both ways, as a network partition
    does: connections stay open, new ones are taken, nothing is answered. relay() ends the partition and drops
    the connections that lost bytes (their clients have long given up on them)."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.swallowing = False
        self.sockets = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                self.sockets.append(client)
            if self.swallowing:
                threading.Thread(target=self._pump, args=(client, None), daemon=True).start()
                continue
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.append(server)
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if sink is not None and not self.swallowing:
                    sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                if sock is not None:
                    try:
                        sock.close()
                    except OSError:
                        pass

    def swallow(self):
        self.swallowing = True

    def relay(self):
        self.swallowing = False
        with self.lock:
            broken, self.sockets = self.sockets, []
        for sock in broken:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already shut by its peer; it must still be closed
            try:
                sock.close()
            except OSError:
                pass

    def close(self):
        self.listener.close()
        self.relay()


def prometheus_text():
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    try:
        conn.request("GET", "/actuator/prometheus", headers={"X-Admin-Token": TOKENS["X-Admin-Token"]})
        return conn.getresponse().read().decode()
    finally:
        conn.close()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else None


def query_rows(statement):
    out = subprocess.run(DB_SERVER.client("-N", "-B", DB, "-e", statement), capture_output=True, text=True,
                         check=True).stdout
    return [line.split("\t") for line in out.splitlines()]


def agent_heartbeat(name, beat):
    """A heartbeat shaped like the runtime-agent's: URLs and figures, diskFreeBytes moving on every beat."""
    n = int(name.rsplit("-", 1)[1])
    return call("POST", "/internal/runtime-nodes/heartbeat",
                {"nodeName": name, "agentBaseUrl": f"http://10.1.{n // 250}.{n % 250}:7005",
                 "gatewayBaseUrl": f"http://10.1.{n // 250}.{n % 250}:80", "diskFreePct": 71.5,
                 "diskFreeBytes": 123456789000 - beat * 4096, "containerCount": 12},
                {"X-RT-Node-Token": TOKENS["X-RT-Node-Token"]}, timeout=15)


class Prober(threading.Thread):
    """Calls one path every `every` seconds and keeps (sent at, status, seconds) for each answer."""

    def __init__(self, path, every, headers=None):
        super().__init__(daemon=True)
        self.path, self.every, self.headers = path, every, headers
        self.answers = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            sent = time.time()
            try:
                status, body, seconds = call("GET", self.path, headers=self.headers, timeout=15)
            except OSError:
                status, body, seconds = -1, None, time.time() - sent
            self.answers.append((sent, status, seconds, body))
            time.sleep(max(0.0, self.every - (time.time() - sent)))


def drill_partition():
    """The database partitioned away (a proxy swallows every byte) under 500 agent-shaped writers: liveness
    p99 under 100 ms, every heartbeat answered within 2 s and no call over 5 s, readiness DOWN within 1 s of
    the first failure, the first 200 of a call that needs the database within 2 s of its return, and no
    acknowledged write lost."""
    fresh_database()
    DB_SERVER.sql(f"CREATE DATABASE {DB}")
    proxy = Blackhole(DB_SERVER.port)
    service = Service("partition", jdbc_url=f"jdbc:mysql://127.0.0.1:{proxy.port}/{DB}").start()
    writers_count = 100 if SHORT else 500
    partition_seconds = 15 if SHORT else 60
    try:
        names = [f"part-node-{i}" for i in range(writers_count)]
        for name in names:
            agent_heartbeat(name, 0)
        acknowledged = {}  # node name -> newest lastHeartbeatAtMs answered 200
        ensured = {}  # appId -> nodeId answered 200
        writes = []  # (sent, done, kind, status)
        lock = threading.Lock()
        stop = threading.Event()

        def writer(name):
            beat = 0
            while not stop.is_set():
                beat += 1
                sent = time.time()
                try:
                    status, body, _ = agent_heartbeat(name, beat)
                except OSError:
                    status, body = -1, None
                done = time.time()
                with lock:
                    writes.append((sent, done, "heartbeat", status))
                    if status == 200:
                        at = body["data"]["lastHeartbeatAtMs"]
                        acknowledged[name] = max(acknowledged.get(name, 0), at)
                time.sleep(max(0.0, 1.0 - (done - sent)))

        def runner():
            i = 0
            while not stop.is_set():
                i += 1
                app_id = f"part-app-{i}"
                sent = time.time()
                try:
                    status, body, _ = ensure(app_id)
                except OSError:
                    status, body = -1, None
                done = time.time()
                with lock:
                    writes.append((sent, done, "ensure", status))
                    if status == 200:
                        ensured[app_id] = body["data"]["nodeId"]
                time.sleep(max(0.0, 0.1 - (done - sent)))

        liveness = Prober("/actuator/health/liveness", 0.05)
        readiness = Prober("/actuator/health/readiness", 0.1)
        threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in names]
        threads.append(threading.Thread(target=runner, daemon=True))
        for t in threads + [liveness, readiness]:
            t.start()
        time.sleep(5)
        proxy.swallow()
        partitioned_at = time.time()
        time.sleep(partition_seconds)
        proxy.relay()
        back_at = time.time()
        time.sleep(5)
        stop.set()
        liveness.stop.set()
        readiness.stop.set()
        for t in threads + [liveness, readiness]:
            t.join()
        # Heartbeats acknowledged from memory are written by the next flush; give it a moment.
        time.sleep(2)

        first_failure = min((done for sent, done, kind, status in writes if status != 200 and done > partitioned_at),
                            default=None)
        down_at = min((sent for sent, status, _, _ in readiness.answers if status == 503 and sent > partitioned_at),
                      default=None)
        first_200 = min((done for sent, done, kind, status in writes
                         if kind == "ensure" and status == 200 and sent >= back_at), default=None)
        heartbeat_seconds = [done - sent for sent, done, kind, _ in writes if kind == "heartbeat"]
        slowest_heartbeat = max(heartbeat_seconds)
        slowest_call = max(done - sent for sent, done, _, _ in writes)
        bad_status = sorted({status for _, _, _, status in writes if status not in (200, 503)})
        liveness_p99 = percentile([s for _, _, s, _ in liveness.answers], 0.99)
        liveness_down = [a for a in liveness.answers if a[1] != 200]
        stored = {name: int(at) for name, at in query_rows(
            "SET time_zone = '+00:00'; SELECT name, ROUND(UNIX_TIMESTAMP(last_heartbeat_at) * 1000)"
            " FROM fun_ai_deploy_runtime_node")}
        lost_heartbeats = [n for n, at in acknowledged.items() if stored.get(n, 0) < at]
        placed = {app: int(node) for app, node in query_rows(
            "SELECT app_id, node_id FROM fun_ai_deploy_runtime_placement WHERE app_id LIKE 'part-app-%'")}
        lost_ensures = [a for a, node in ensured.items() if placed.get(a) != node]
        ready_again = min((sent for sent, status, _, _ in readiness.answers if status == 200 and sent >= back_at),
                          default=None)
        ensure_after = sorted((round(sent - back_at, 2), round(done - sent, 2), status)
                              for sent, done, kind, status in writes
                              if kind == "ensure" and back_at <= sent <= back_at + 5)[:12]
        print("    ensure calls around the return (sent after, took, status):", ensure_after)
        readiness_lag = None if first_failure is None or down_at is None else down_at - first_failure
        recovery = None if first_200 is None else first_200 - back_at
        ok = (liveness_p99 is not None and liveness_p99 < 0.1 and not liveness_down
              and slowest_heartbeat <= 2 and slowest_call <= 5 and not bad_status
              and readiness_lag is not None and readiness_lag <= 1
              and recovery is not None and recovery <= 2 and not lost_heartbeats and not lost_ensures)
        during = [w for w in writes if partitioned_at <= w[0] < back_at]
        return ok, (f"{writers_count} agents, {partition_seconds} s partition: {len(writes)} writes "
                    f"({len(during)} during it: {sum(1 for w in during if w[3] == 200)} answered 200, "
                    f"{sum(1 for w in during if w[3] == 503)} 503), other statuses {bad_status}; slowest heartbeat "
                    f"{slowest_heartbeat:.2f} s, slowest call {slowest_call:.2f} s; liveness p99 "
                    f"{liveness_p99 * 1000:.0f} ms over {len(liveness.answers)} probes, {len(liveness_down)} not 200; "
                    f"readiness DOWN {None if readiness_lag is None else round(readiness_lag, 2)} s after the first "
                    f"failure, UP again {None if ready_again is None else round(ready_again - back_at, 2)} s after the "
                    f"database returned; first ensure 200 {None if recovery is None else round(recovery, 2)} s after "
                    f"it; {len(lost_heartbeats)} of {len(acknowledged)} acknowledged heartbeat times "
                    f"and {len(lost_ensures)} of {len(ensured)} acknowledged placements lost")
    finally:
        service.stop()
        proxy.close()


def drill_overload():
    """Heartbeats sent on a fixed schedule at three times the rate the service sustains (needs wrk): no call times
    out, every answer is a 200 or a 503 with the envelope, and liveness (p99 under 100 ms) and the admin list keep
    answering."""
    fresh_database()
    service = Service("overload", extra_args=["--deploy.runtime-node-registry.max-nodes=100000"]).start()
    seconds = 10 if SHORT else 30
    env = {**os.environ, "BENCH_LUA": os.path.abspath("bench/lua"), "NODE_TOKEN": TOKENS["X-RT-Node-Token"],
           "THREADS": "2"}
    base = f"http://127.0.0.1:{PORT}/"

    def wrk(connections, duration, **settings):
        out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "5s",
                              "-s", "bench/lua/heartbeat.lua", base], env={**env, **settings},
                             capture_output=True, text=True).stdout
        result = re.search(r"RESULT rps=([\d.]+) p50_ms=([\d.]+) p99_ms=([\d.]+) requests=(\d+)", out)
        timeouts = re.search(r"timeout (\d+)", out)
        not_200 = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        return (float(result.group(1)), float(result.group(3)), int(result.group(4)),
                int(timeouts.group(1)) if timeouts else 0, int(not_200.group(1)) if not_200 else 0)

    try:
        # The jar runs without an AOT cache here: 20 s of load brings the JIT to its steady state first.
        wrk(32, 20, NODES="1000")
        sustained = wrk(32, 10, NODES="1000")[0]
        offered = int(sustained * 3)
        wrk(64, 60, NODES=str(offered), ONCE="true")  # registers the nodes the schedule will beat for
        liveness = Prober("/actuator/health/liveness", 0.05)
        listing = Prober("/admin/runtime-nodes/list?limit=100", 0.25, {"X-Admin-Token": TOKENS["X-Admin-Token"]})
        liveness.start()
        listing.start()
        rps, p99, requests, timeouts, not_200 = wrk(1024, seconds, NODES=str(offered), INTERVAL="1")
        liveness.stop.set()
        listing.stop.set()
        liveness.join()
        listing.join()
        shed = re.search(r'deploy_overload_shed_total\{call="heartbeat"[^}]*\} ([\d.eE+]+)', prometheus_text())
        shed_count = int(float(shed.group(1))) if shed else 0
        liveness_p99 = percentile([s for _, _, s, _ in liveness.answers], 0.99)
        list_p99 = percentile([s for _, _, s, _ in listing.answers], 0.99)
        probe_failures = [a for a in liveness.answers + listing.answers if a[1] != 200]
        ok = timeouts == 0 and shed_count == not_200 and liveness_p99 < 0.1 and not probe_failures
        return ok, (f"sustained {sustained:.0f} heartbeats/s (32 connections); offered {offered}/s on a schedule "
                    f"over 1,024 connections, answered {rps:.0f}/s: {requests - not_200} 200 and {not_200} others "
                    f"({shed_count} shed as overload), p99 {p99:.0f} ms, {timeouts} timeouts; liveness p99 "
                    f"{liveness_p99 * 1000:.0f} ms, admin list p99 {list_p99 * 1000:.0f} ms, "
                    f"{len(probe_failures)} probes not 200")
    finally:
        service.stop()

def drill_leader():
    """Two instances with automatic failover on one MariaDB: exactly one leads; its reconciler empties a lost node
    no faster than failover-rate-per-second; after the leader is SIGKILLed the other leads within two leases (20 s)
    and finishes the job, with no app lost or left on the lost node."""
    fresh_database()
    rate, apps = 10, 60
    settings = ["--deploy.runtime-node-registry.heartbeat-stale-seconds=2", "--deploy.runtime.placement.failover=auto",
                "--deploy.runtime.placement.failover-grace-seconds=4",
                f"--deploy.runtime.placement.failover-rate-per-second={rate}"]
    services = [Service("leader-a", extra_args=settings, port=PORT), Service("leader-b", extra_args=settings,
                                                                             port=PORT + 1)]
    for service in services:
        service.start()
    beating = threading.Event()
    beating.set()
    healthy = ["leader-node-a", "leader-node-b", "leader-node-c"]

    def beat():
        while beating.is_set():
            for name in healthy:
                for service in services:
                    try:
                        call("POST", "/internal/runtime-nodes/heartbeat",
                             {"nodeName": name, "agentBaseUrl": f"http://127.0.0.1:1/{name}",
                              "gatewayBaseUrl": "http://127.0.0.1:2"},
                             {"X-RT-Node-Token": TOKENS["X-RT-Node-Token"]}, timeout=2, port=service.port)
                        break
                    except OSError:
                        continue  # that instance is gone; the other one answers
            time.sleep(0.5)

    def leads(service):
        try:
            status, body, _ = admin("GET", "/actuator/health", port=service.port)
            return status == 200 and body["components"]["leadership"]["details"]["leader"]
        except (OSError, KeyError, TypeError):
            return False

    def placed_on(node_id):
        # Read in the database itself: an instance's page totals of moves made by another may be 5 s old.
        out = subprocess.run(DB_SERVER.client("-N", "-e", "SELECT COUNT(*) FROM fun_ai_deploy_runtime_placement "
                                              f"WHERE node_id = {int(node_id)}", DB), capture_output=True, text=True)
        return int(out.stdout.strip()) if out.returncode == 0 else None

    beater = threading.Thread(target=beat, daemon=True)
    try:
        deadline = time.time() + 30
        while time.time() < deadline and sum(leads(service) for service in services) != 1:
            time.sleep(0.2)
        leaders = [service for service in services if leads(service)]
        if len(leaders) != 1:
            return False, f"{len(leaders)} instances lead after 30 s"
        leader = leaders[0]
        survivor = services[1] if leader is services[0] else services[0]
        lost = heartbeat("leader-node-lost", port=survivor.port)[1]["data"]["nodeId"]
        beater.start()
        for i in range(apps):
            if i % 10 == 0:
                heartbeat("leader-node-lost", port=survivor.port)  # healthy while it takes apps
            admin("POST", "/admin/runtime-nodes/reassign", {"appId": f"leader-app-{i}", "targetNodeId": lost},
                  port=survivor.port)
        samples = []  # (seconds, apps left on the lost node)
        killed_at = took_over_at = None
        two_leaders = 0
        started = time.time()
        while time.time() - started < 120:
            left = placed_on(lost)
            samples.append((time.time(), left))
            if killed_at is None and leads(survivor):
                two_leaders += 1
            if killed_at is None and left is not None and left <= apps - 2 * rate:
                leader.kill9()
                killed_at = time.time()
            if killed_at and took_over_at is None and leads(survivor):
                took_over_at = time.time()
            if left == 0 and took_over_at:
                break
            time.sleep(0.25)
        beating.clear()
        elsewhere = sum(placed_on(heartbeat(name, port=survivor.port)[1]["data"]["nodeId"]) for name in healthy)
        # The pace: between any two samples of one leader's phase, no more than rate a second (plus one round).
        def fastest(phase):
            return max([(a[1] - b[1]) - rate * (b[0] - a[0]) for i, a in enumerate(phase) for b in phase[i + 1:]
                        if a[1] is not None and b[1] is not None] or [0])
        before = [x for x in samples if killed_at is None or x[0] < killed_at]
        after = [x for x in samples if took_over_at and x[0] >= took_over_at]
        excess = max(fastest(before), fastest(after))
        takeover = (took_over_at - killed_at) if killed_at and took_over_at else None
        left = samples[-1][1]
        ok = (takeover is not None and takeover <= 20 and left == 0 and elsewhere == apps and excess <= rate
              and two_leaders == 0)
        return ok, (f"leader {leader.name} SIGKILLed with {apps - 2 * rate} or fewer of {apps} apps left on the lost "
                    f"node; {survivor.name} led {takeover if takeover is None else round(takeover, 1)} s later "
                    f"(at most 20 s); {left} apps left on the lost node, {elsewhere} on the healthy ones; fastest "
                    f"pace {excess:+.0f} apps over {rate}/s (at most one round, {rate}); the follower led beside the "
                    f"leader in {two_leaders} samples")
    finally:
        beating.clear()
        for service in services:
            service.stop()


class FeedConsumer(threading.Thread):
    """A consumer written as docs/change-feed.md tells one: list, then watch after the list's revision, wait a
    second and ask again after a 503 or a connection error, list again after a 410. Given two instances it moves
    to the other one when its own does not answer, and goes on from its own `after`."""

    def __init__(self, name, ports):
        super().__init__(name=name, daemon=True)
        self.ports = ports
        self.current = 0
        self.started_after = None  # the revision of its first list
        self.entries = []  # every entry received, in the order received
        self.gone = []  # the `after` of each 410
        self.unexpected = []  # answers and errors the documented consumer does not handle
        self.switches = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def get(self, path, token_header):
        request = urllib.request.Request(f"http://127.0.0.1:{self.ports[self.current]}{path}",
                                         headers={token_header: TOKENS[token_header]})
        with urllib.request.urlopen(request, timeout=70) as answer:
            return answer.headers, json.load(answer)

    def away(self):
        if len(self.ports) > 1:
            self.current = (self.current + 1) % len(self.ports)
            self.switches += 1
            time.sleep(0.1)
        else:
            time.sleep(1)

    def list_revision(self):
        while not self.stop.is_set():
            try:
                headers, _ = self.get("/admin/runtime-nodes/list", "X-Admin-Token")
                return int(headers["X-Deploy-Revision"])
            except OSError:
                self.away()
        return None

    def run(self):
        after = self.started_after = self.list_revision()
        while not self.stop.is_set():
            try:
                _, body = self.get(f"/internal/changes?after={after}&waitSeconds=30", "X-Deploy-Secret")
            except urllib.error.HTTPError as e:
                if e.code == 410:
                    self.gone.append(after)
                    after = self.list_revision()
                elif e.code == 503:
                    self.away()
                else:
                    self.unexpected.append(f"{e.code} after {after}")
                    time.sleep(1)
                continue
            except OSError:
                self.away()
                continue
            except (http.client.HTTPException, ValueError) as e:
                # Not an OSError, so the consumer in the docs would stop here.
                self.unexpected.append(f"{type(e).__name__} after {after}")
                self.away()
                continue
            with self.lock:
                self.entries.extend(body["data"]["items"])
            after = body["data"]["nextAfter"]

    def received(self):
        with self.lock:
            return list(self.entries)


def log_from(port, after):
    """The change log after `after`, page by page through GET /admin/changes without waiting."""
    entries = []
    while True:
        status, body, _ = call("GET", f"/admin/changes?after={after}&limit=1000&waitSeconds=0",
                               headers={"X-Admin-Token": TOKENS["X-Admin-Token"]}, port=port)
        if status != 200:
            raise RuntimeError(f"GET /admin/changes after {after} answered {status}: {body}")
        items = body["data"]["items"]
        if not items:
            return entries
        entries += items
        after = body["data"]["nextAfter"]


def latest_revision(port, after=0):
    entries = log_from(port, after)
    return entries[-1]["revision"] if entries else after


def is_subsequence(wanted, within):
    rest = iter(within)
    return all(item in rest for item in wanted)


def first_gap(consumer):
    """The first place where a consumer's revisions do not go on by one from its list's revision, or None."""
    expected = consumer.started_after + 1
    entries = consumer.received()
    for i, entry in enumerate(entries):
        if entry["revision"] != expected:
            before = entries[i - 1] if i else None
            return (f"{consumer.name}: revision {entry['revision']} ({entry['kind']} {entry.get('appId')}) came after "
                    f"{before['revision'] if before else consumer.started_after}, expected {expected}")
        expected += 1
    return None


def drill_feed():
    """Two instances on one MariaDB with automatic failover; consumers written from docs/change-feed.md watch them
    (one on each, one moving between them) while nodes beat, apps are placed, reported, reassigned and drained, a
    node dies and its apps fail over, and each instance is SIGKILLed and restarted in turn. Every consumer gets
    every entry once, in order, without a gap, the same as the log read afterwards; every acknowledged write is
    in the log; replaying the log gives the placements table; a watcher on B learns of a change made on A within
    1.5 s."""
    fresh_database()
    settings = ["--deploy.runtime-node-registry.heartbeat-stale-seconds=2", "--deploy.runtime.placement.failover=auto",
                "--deploy.runtime.placement.failover-grace-seconds=4",
                "--deploy.runtime.placement.failover-rate-per-second=10"]
    a = Service("feed-a", extra_args=settings, port=PORT)
    b = Service("feed-b", extra_args=settings, port=PORT + 1)
    phase_seconds = 3 if SHORT else 15
    latency_rounds = 30 if SHORT else 100
    internal = {"X-Deploy-Secret": TOKENS["X-Deploy-Secret"]}
    down = set()  # ports of instances killed and not yet ready again
    stop = threading.Event()  # ends the load of ensures, reports and reassigns
    lock = threading.Lock()

    def send(preferred, method, path, body, headers):
        """One call on the preferred instance, or on the other while it is down; None when no answer came (the
        outcome is unknown: it may have committed)."""
        port = preferred if preferred not in down else (b.port if preferred == a.port else a.port)
        try:
            return call(method, path, body, headers, timeout=15, port=port)
        except OSError:
            return None

    healthy = [f"feed-node-{i}" for i in range(4)]
    drained, dead = "feed-node-drained", "feed-node-dead"
    beating = {name: threading.Event() for name in healthy + [drained, dead]}
    urls_moving = threading.Event()  # one node changes its gateway URL every few beats: node-urls-changed
    heartbeats_on = threading.Event()
    node_ids = {}

    def beat():
        round_number = 0
        while heartbeats_on.is_set():
            round_number += 1
            for n, name in enumerate(healthy + [drained, dead]):
                if not beating[name].is_set():
                    continue
                gateway = 3 if name == healthy[3] and urls_moving.is_set() and round_number % 8 < 4 else 2
                answer = send((a.port, b.port)[(n + round_number) % 2], "POST", "/internal/runtime-nodes/heartbeat",
                              {"nodeName": name, "agentBaseUrl": f"http://127.0.0.1:1/{name}",
                               "gatewayBaseUrl": f"http://127.0.0.1:{gateway}"},
                              {"X-RT-Node-Token": TOKENS["X-RT-Node-Token"]})
                if answer and answer[0] == 200:
                    node_ids[name] = answer[1]["data"]["nodeId"]
            time.sleep(0.5)

    created = {}  # appId -> nodeId of each ensure answered 200 with created=true
    reports = {}  # appId -> reports answered 200
    reassigned = {}  # appId -> targets answered 200, in call order
    drained_moves = []  # `moved` of each drain answered 200
    other_answers = {}  # (call, status) -> count of answers neither 200 nor missing

    def note(kind, answer):
        if answer is not None and answer[0] != 200:
            with lock:
                other_answers[(kind, answer[0])] = other_answers.get((kind, answer[0]), 0) + 1
        return answer is not None and answer[0] == 200

    def reassign(app_id, target, port):
        answer = send(port, "POST", "/admin/runtime-nodes/reassign", {"appId": app_id, "targetNodeId": target},
                      {"X-Admin-Token": TOKENS["X-Admin-Token"]})
        if note("reassign", answer):
            with lock:
                reassigned.setdefault(app_id, []).append(target)
        return answer

    def ensurer(n, port):
        i = 0
        while not stop.is_set():
            i += 1
            app_id = f"feed-e{n}-{i}"
            answer = send(port, "POST", "/internal/placements/ensure", {"appId": app_id}, internal)
            if note("ensure", answer) and answer[1]["data"]["created"]:
                with lock:
                    created[app_id] = answer[1]["data"]["nodeId"]
            time.sleep(0.1)

    def reporter():
        i = 0
        while not stop.is_set():
            i += 1
            with lock:
                apps = list(created)
            if apps:
                app_id = apps[(i * 7) % len(apps)]
                answer = send((a.port, b.port)[i % 2], "POST", f"/internal/apps/{app_id}/report",
                              {"jobId": f"job-{i}", "status": ("RUNNING", "SUCCEEDED")[i % 2]}, internal)
                if note("report", answer):
                    with lock:
                        reports[app_id] = reports.get(app_id, 0) + 1
            time.sleep(0.1)

    def operator():
        # Consecutive calls for one app name different nodes (four in turn), even when one's outcome is unknown.
        attempt = 0
        while not stop.is_set():
            attempt += 1
            app = attempt % 10
            reassign(f"feed-moving-{app}", node_ids[healthy[(app + attempt // 10) % 4]], (a.port, b.port)[attempt % 2])
            time.sleep(0.2)

    def placed_on(node_id):
        return int(query_rows(f"SELECT COUNT(*) FROM fun_ai_deploy_runtime_placement WHERE node_id = {int(node_id)}")[0][0])

    def mark(event):
        print(f"    {time.time() - began:5.1f} s {event}", flush=True)

    def kill_and_restart(service):
        down.add(service.port)
        service.kill9()
        killed_at = time.time()
        mark(f"{service.name} SIGKILLed")
        service.start()
        down.discard(service.port)
        mark(f"{service.name} ready again")
        return killed_at

    consumers = [FeedConsumer("on-A", [a.port]), FeedConsumer("on-B", [b.port]),
                 FeedConsumer("roaming", [a.port, b.port])]
    load = [threading.Thread(target=ensurer, args=(0, a.port), daemon=True),
            threading.Thread(target=ensurer, args=(1, b.port), daemon=True),
            threading.Thread(target=reporter, daemon=True), threading.Thread(target=operator, daemon=True)]
    beater = threading.Thread(target=beat, daemon=True)
    try:
        began = time.time()
        a.start(wait=False)
        b.start(wait=False)
        a.wait_ready()
        b.wait_ready()
        mark("both instances ready")
        for consumer in consumers:
            consumer.start()
        while any(consumer.started_after is None for consumer in consumers):
            time.sleep(0.05)
        for name in healthy + [drained, dead]:
            beating[name].set()
        heartbeats_on.set()
        urls_moving.set()
        beater.start()
        while len(node_ids) < len(beating):
            time.sleep(0.05)
        for i in range(40):
            reassign(f"feed-dead-app-{i}", node_ids[dead], (a.port, b.port)[i % 2])
        for i in range(20):
            reassign(f"feed-drained-app-{i}", node_ids[drained], (a.port, b.port)[i % 2])
        for thread in load:
            thread.start()
        mark("load started")

        time.sleep(phase_seconds)
        # The node dies as A is killed: if A led, B takes the lease over while A restarts, and moves the apps.
        beating[dead].clear()
        a_killed = kill_and_restart(a) - began
        time.sleep(phase_seconds)

        # Drained through the instance just restarted, as the runbook says: disable, drain until empty, enable.
        operator_calls = [admin("POST", f"/admin/runtime-nodes/set-enabled?name={drained}&enabled=false", port=a.port)]
        while True:
            answer = admin("POST", "/admin/runtime-nodes/drain",
                           {"sourceNodeId": node_ids[drained], "targetNodeId": node_ids[healthy[0]], "limit": 10},
                           port=a.port)
            operator_calls.append(answer)
            if answer[0] != 200:
                break
            drained_moves.append(answer[1]["data"]["moved"])
            if answer[1]["data"]["remaining"] == 0:
                break
        operator_calls.append(admin("POST", f"/admin/runtime-nodes/set-enabled?name={drained}&enabled=true",
                                    port=a.port))
        operator_failures = [(status, body) for status, body, _ in operator_calls if status != 200]

        mark(f"{sum(drained_moves)} apps drained")
        on_dead_at_b_kill = placed_on(node_ids[dead])
        b_killed = kill_and_restart(b) - began
        deadline = time.time() + 60
        while time.time() < deadline and placed_on(node_ids[dead]) > 0:
            time.sleep(0.25)
        stop.set()
        urls_moving.clear()
        for thread in load:
            thread.join()
        mark("load stopped")
        # The last URL change (back to the usual gateway) may come a beat later; quiet is a log standing still.
        after, settled = -1, latest_revision(b.port)
        while settled != after:
            time.sleep(1.5)
            after, settled = settled, latest_revision(b.port)
        mark(f"quiet at revision {after}")

        # Quiet: only the heartbeats go on (they record nothing now), so the one change made on A is all B's
        # watcher can see. The pause before it puts the change at a random point of B's poll.
        latencies, missed = [], []
        for i in range(latency_rounds):
            watched = {}

            def watch(after=after, watched=watched):
                status, body, _ = call("GET", f"/internal/changes?after={after}&waitSeconds=10", headers=internal,
                                       timeout=20, port=b.port)
                watched.update(at=time.time(), status=status, body=body)

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
            time.sleep(0.3 + random.random() * 0.25)
            answer = reassign("feed-latency", node_ids[healthy[i % 4]], a.port)
            changed_at = time.time()
            watcher.join(15)
            items = (watched.get("body") or {}).get("data", {}).get("items", []) if watched.get("status") == 200 else []
            if (answer and answer[0] == 200 and items and items[0]["revision"] == after + 1
                    and items[0]["appId"] == "feed-latency"):
                latencies.append(watched["at"] - changed_at)
            else:
                missed.append((i, answer and answer[0], watched.get("status"), items[:2]))
            after = latest_revision(b.port, after)

        mark(f"{len(latencies)} latency rounds done")
        log = log_from(a.port, 0)
        latest = log[-1]["revision"]
        deadline = time.time() + 30
        while time.time() < deadline and any((c.received() or [{"revision": 0}])[-1]["revision"] < latest
                                             for c in consumers):
            time.sleep(0.1)
        log = log_from(a.port, 0)
        heartbeats_on.clear()

        # Each consumer: in order, no gap, no 410, and exactly the log from its list's revision on.
        gaps = [gap for gap in map(first_gap, consumers) if gap]
        differing = [c.name for c in consumers if c.received() != log[c.started_after:]]
        gone = {c.name: c.gone for c in consumers if c.gone}
        unexpected = {c.name: c.unexpected[:3] for c in consumers if c.unexpected}
        log_gaps = [e["revision"] for i, e in enumerate(log) if e["revision"] != i + 1]

        # Replaying the log: a move starts where the app was, nothing is created twice, and the end is the table.
        placed, replay_faults = {}, []
        for e in log:
            if e["kind"] == "placement-created" and e["appId"] in placed:
                replay_faults.append(f"{e['revision']} creates {e['appId']} already on {placed[e['appId']]}")
            if e["kind"] == "placement-moved" and placed.get(e["appId"]) != e["fromNodeId"]:
                replay_faults.append(f"{e['revision']} moves {e['appId']} from {e['fromNodeId']}, "
                                     f"it was on {placed.get(e['appId'])}")
            if e["kind"] in ("placement-created", "placement-moved"):
                placed[e["appId"]] = e["toNodeId"]
        table = {app: int(node) for app, node in query_rows("SELECT app_id, node_id FROM fun_ai_deploy_runtime_placement")}
        table_differs = sorted(set(placed.items()) ^ set(table.items()))[:5]

        # Every acknowledged write is in the log.
        created_logged = {e["appId"]: e["toNodeId"] for e in log if e["kind"] == "placement-created"}
        lost_ensures = [app for app, node in created.items() if created_logged.get(app) != node]
        reassign_logged = {}
        for e in log:
            if e["kind"] == "placement-created" or e.get("reason") == "reassign":
                reassign_logged.setdefault(e["appId"], []).append(e["toNodeId"])
        lost_reassigns = [app for app, targets in reassigned.items()
                          if not is_subsequence(targets, reassign_logged.get(app, []))]
        reported_logged = {}
        for e in log:
            if e["kind"] == "app-reported":
                reported_logged[e["appId"]] = reported_logged.get(e["appId"], 0) + 1
        lost_reports = [app for app, count in reports.items() if reported_logged.get(app, 0) < count]
        drain_logged = [e for e in log if e.get("reason") == "drain"]
        drain_wrong = [e for e in drain_logged
                       if (e["fromNodeId"], e["toNodeId"]) != (node_ids[drained], node_ids[healthy[0]])]
        off_dead = [e for e in log if e["kind"] == "placement-moved" and e["fromNodeId"] == node_ids[dead]]
        off_dead_not_failover = [e["revision"] for e in off_dead if e["reason"] != "failover"]
        left_on_dead = sum(1 for node in placed.values() if node == node_ids[dead])
        kinds = {}
        for e in log:
            kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
        for line in gaps + [f"table differs: {table_differs}"] * bool(table_differs) + replay_faults[:5] + [
                f"missed latency rounds: {missed[:3]}"] * bool(missed):
            print("   ", line)

        ok = (not gaps and not differing and not gone and not unexpected and not log_gaps and not replay_faults
              and not table_differs and not lost_ensures and not lost_reassigns and not lost_reports
              and sum(drained_moves) == len(drain_logged) and drained_moves and not drain_wrong
              and not operator_failures and off_dead and not off_dead_not_failover and left_on_dead == 0
              and not missed and len(latencies) == latency_rounds and max(latencies) <= 1.5)
        ms = lambda seconds: f"{seconds * 1000:.0f}"
        return ok, (
            f"A SIGKILLed and restarted at {a_killed:.0f} s as a node died, B at {b_killed:.0f} s with "
            f"{on_dead_at_b_kill} apps still on the dead node; log of {latest} entries {kinds}, revisions "
            f"{'1..' + str(latest) + ' without a gap' if not log_gaps else 'with gaps at ' + str(log_gaps[:5])}; "
            f"consumers on A, on B and roaming ({consumers[2].switches} switches): {len(gaps)} out of order or with "
            f"a gap, {len(differing)} differing from the log {differing}, 410s {gone}, unexpected {unexpected}; "
            f"acknowledged and missing from the log: {len(lost_ensures)} of {len(created)} created placements, "
            f"{len(lost_reassigns)} of {len(reassigned)} reassigned apps ({sum(map(len, reassigned.values()))} "
            f"calls), {len(lost_reports)} of {len(reports)} reported apps ({sum(reports.values())} reports); drain "
            f"moved {sum(drained_moves)}, logged {len(drain_logged)} ({len(drain_wrong)} between other nodes); "
            f"{len(off_dead)} moves off the dead node, {len(off_dead_not_failover)} not failover, {left_on_dead} "
            f"left; replaying the log gives the placements table of {len(table)} apps: "
            f"{not table_differs and not replay_faults}; operator calls not 200: {operator_failures}; other "
            f"answers {other_answers}; B's watcher saw A's change after p50 {ms(percentile(latencies, 0.5) or 0)} ms, "
            f"p99 {ms(percentile(latencies, 0.99) or 0)} ms, max {ms(max(latencies or [0]))} ms over "
            f"{len(latencies)} of {latency_rounds} rounds (at most 1500 ms)")
    finally:
        stop.set()
        heartbeats_on.clear()
        for consumer in consumers:
            consumer.stop.set()
        # Both at once: a graceful stop waits for the watches still waiting on an instance, up to 20 s.
        for service in (a, b):
            if service.proc and service.proc.poll() is None:
                service.proc.terminate()
        a.stop()
        b.stop()


DRILLS = {"kill9": drill_kill9, "outage": drill_outage, "partition": drill_partition, "overload": drill_overload,
          "badinput": drill_badinput, "soak": drill_soak, "leader": drill_leader,
          "feed": drill_feed}


def run_drills(chosen):
    rows = []
    for name in chosen:
        started = time.time()
        try:
            ok, detail = DRILLS[name]()
        except Exception as e:  # a drill that crashes has failed; say why and go on to the next
            ok, detail = False, f"{type(e).__name__}: {e}"
        rows.append((name, "PASS" if ok else "FAIL", f"{time.time() - started:.0f} s", detail))
        print(f"{name}: {'PASS' if ok else 'FAIL'} - {detail}", flush=True)
    return rows


def main():
    chosen = [a for a in sys.argv[1:] if not a.startswith("--")] or list(DRILLS)
    unknown = [name for name in chosen if name not in DRILLS]
    if unknown:
        sys.exit(f"unknown drills {unknown}; choose from {list(DRILLS)}")
    # SIGTERM and SIGHUP end the run through the finally below, as Ctrl-C does, so the server is stopped; the
    # load threads are daemons, so an interrupted drill does not keep the process alive.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, frame: sys.exit(128 + signum))
    DB_SERVER.start()
    print(f"drills: private MariaDB on 127.0.0.1:{DB_SERVER.port}, data in {DB_SERVER.dir}", flush=True)
    try:
        rows = run_drills(chosen)
    finally:
        DB_SERVER.close()
    table = ["| drill | result | time | detail |", "|---|---|---|---|"]
    table += ["| " + " | ".join(row) + " |" for row in rows]
    passed = sum(1 for r in rows if r[1] == "PASS")
    print()
    print("\n".join(table))
    print(f"drills: {passed} passed, {len(rows) - passed} failed")
    results = os.environ.get("DRILL_RESULTS")
    if results:
        with open(results, "w") as out:
            out.write(f"# Reliability drills, {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}\n\n")
            out.write(f"Command: `bench/drills.sh {' '.join(sys.argv[1:])}`. Machine: {os.cpu_count()} cores.\n\n")
            out.write("\n".join(table) + "\n")
    sys.exit(0 if passed == len(rows) else 1)


if __name__ == "__main__":
    main()
