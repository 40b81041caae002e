#!/usr/bin/env python3
"""A private MariaDB server for the benchmark and the drills, so they never touch a shared one.

It installs a fresh data directory in a new temporary directory (mariadb-install-db), runs mariadbd there
on a free TCP port on 127.0.0.1 with its own socket, pid file and error log, lets root in over TCP with an
empty password, and on close stops the server and removes the directory. --no-defaults keeps every option
file (and so the machine's own server's paths and port) out of it.

From Python (bench/drills.py):
    db = PrivateMariaDB().start()
    db.port, db.jdbc_url("deploy_drill"), db.sql("DROP DATABASE IF EXISTS x")
    db.stop_server(); db.start_server()     # an outage: same data directory, same port
    db.close()                              # stops the server and removes the directory
From a shell (bench/run.sh):
    python3 bench/private_mariadb.py serve ENV_FILE &
starts the server, writes PRIVATE_DB_DIR=... PRIVATE_DB_PORT=... to ENV_FILE once it answers, and stays
until SIGTERM, SIGINT or SIGHUP, or until its parent process is gone (even if that one was SIGKILLed);
then it stops the server and removes the directory.
"""
import os
import pwd
import random
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

MARIADBD = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
# Ports are drawn below the kernel's ephemeral range, so an outgoing connection cannot hold the port while
# the server is down during the outage drill.
PORT_RANGE = (20000, 32000)
SERVER_OPTIONS = [
    # mariadbd refuses to run as root unless told to; the data directory belongs to whoever runs this.
    "--user=" + pwd.getpwuid(os.geteuid()).pw_name,
    "--bind-address=127.0.0.1",
    "--skip-name-resolve",
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_general_ci",
]


class PortTaken(RuntimeError):
    pass


def free_port():
    for _ in range(100):
        port = random.randrange(*PORT_RANGE)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port for the private MariaDB")


def pid_alive(pid):
    """True while the process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


class PrivateMariaDB:
    def __init__(self, directory=None, port=None):
        self.dir = directory
        self.port = port
        self.proc = None

    @property
    def datadir(self):
        return os.path.join(self.dir, "data")

    @property
    def pid_file(self):
        return os.path.join(self.dir, "mariadbd.pid")

    def client(self, *args):
        """The mariadb client command for this server, as root over TCP."""
        return ["mariadb", "--no-defaults", "--protocol=TCP", "-h127.0.0.1", f"-P{self.port}", "-uroot",
                "--connect-timeout=5", *args]

    def sql(self, statement, database=None):
        subprocess.run(self.client(*([database] if database else []), "-e", statement), check=True)

    def jdbc_url(self, database, params="createDatabaseIfNotExist=true"):
        return f"jdbc:mysql://127.0.0.1:{self.port}/{database}?{params}"

    def answers(self):
        return subprocess.run(self.client("-e", "SELECT 1"), capture_output=True).returncode == 0

    def start(self):
        """Creates the directory and data directory, then starts the server on a free port."""
        self.dir = tempfile.mkdtemp(prefix="private-mariadb-")
        try:
            with open(os.path.join(self.dir, "install.log"), "w") as log:
                subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={self.datadir}",
                                SERVER_OPTIONS[0], "--auth-root-authentication-method=normal",
                                "--skip-test-db", "--skip-name-resolve"],
                               stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, check=True)
            for attempt in range(5):
                self.port = free_port()
                try:
                    return self.start_server()
                except PortTaken:  # taken between the check and mariadbd's bind: another one
                    if attempt == 4:
                        raise
        except BaseException:
            self.close()
            raise

    def start_server(self, timeout=60):
        """Starts mariadbd on the existing data directory and port and waits until it answers."""
        out = open(os.path.join(self.dir, "mariadbd.out"), "a")
        self.proc = subprocess.Popen(
            [MARIADBD, "--no-defaults", f"--datadir={self.datadir}", f"--port={self.port}",
             f"--socket={os.path.join(self.dir, 'mariadbd.sock')}", f"--pid-file={self.pid_file}",
             f"--log-error={os.path.join(self.dir, 'mariadbd.err')}", *SERVER_OPTIONS],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)  # so Ctrl-C reaches only the scripts, which then stop it in order
        out.close()
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                error_log = os.path.join(self.dir, "mariadbd.err")
                with open(error_log, errors="replace") as f:
                    taken = "Address already in use" in f.read()
                raise (PortTaken if taken else RuntimeError)(
                    f"private mariadbd exited with {self.proc.returncode}; see {error_log}")
            if self.answers():
                return self
            time.sleep(0.1)
        self.stop_server()
        raise RuntimeError(f"private mariadbd did not answer on port {self.port} within {timeout} s")

    def server_pid(self):
        """The pid in our pid file, only when that process is a mariadbd on our data directory."""
        try:
            with open(self.pid_file) as f:
                pid = int(f.read().strip())
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if f"--datadir={self.datadir}".encode() in f.read().split(b"\0"):
                    return pid
        except (FileNotFoundError, ValueError):
            pass
        # Before mariadbd writes its pid file (or after it removed it), our own child is the one.
        return self.proc.pid if self.proc and self.proc.poll() is None else None

    def stop_server(self, timeout=60):
        """Stops our mariadbd (SIGTERM, a clean shutdown; SIGKILL after the timeout) and waits until it is gone."""
        pid = self.server_pid()
        if pid is not None and pid_alive(pid):
            os.kill(pid, signal.SIGTERM)
            deadline = time.time() + timeout
            while pid_alive(pid) and time.time() < deadline:
                if self.proc and self.proc.pid == pid:
                    self.proc.poll()  # reaps our own child
                time.sleep(0.05)
            if pid_alive(pid):
                os.kill(pid, signal.SIGKILL)
                while pid_alive(pid):
                    time.sleep(0.05)
        if self.proc:
            self.proc.wait()
            self.proc = None

    def close(self):
        """Stops the server and removes the directory."""
        if self.dir and os.path.isdir(self.dir):
            self.stop_server()
            shutil.rmtree(self.dir, ignore_errors=True)


def serve(env_file):
    parent = os.getppid()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda signum, frame: sys.exit(0))
    db = PrivateMariaDB()
    try:
        db.start()
        with open(env_file + ".tmp", "w") as f:
            f.write(f"PRIVATE_DB_DIR={shlex.quote(db.dir)} PRIVATE_DB_PORT={db.port}\n")
        os.replace(env_file + ".tmp", env_file)  # the shell sees the whole line or nothing
        while os.getppid() == parent:
            time.sleep(0.5)
    finally:
        db.close()


def main():
    if len(sys.argv) != 3 or sys.argv[1] != "serve":
        sys.exit("usage: private_mariadb.py serve ENV_FILE")
    serve(sys.argv[2])


if __name__ == "__main__":
    main()
