"""A TeleCampus cluster on one machine: `make cluster` and `make cluster-test`.

    python cluster/cluster.py up     # start everything, print the address, Ctrl-C stops
    python cluster/cluster.py test   # start, run tests/cluster, stop (what CI runs)
    python cluster/cluster.py down   # remove what a crashed run left behind

Topology (docs/decisions/0019-cluster.md, README "Running as a cluster"):

    client -> HAProxy 127.0.0.1:PORT -> Varnish 10.77.0.1:9381
           -> HAProxy 10.77.0.1:9382 (health checks on /healthz, round robin)
           -> gunicorn web1..web3, each in its own network namespace (10.77.0.11-13)

Two qcluster workers run in their own namespaces (10.77.0.21-22). Every node and
worker has its own working directory (VAR_DIR) under var/cluster/; they share only
network services on the host bridge 10.77.0.1: PostgreSQL (the local server, reached
through a socat relay because it listens on loopback only; database tc_cluster_run),
a Redis of our own, and moto's S3 server as the stand-in for object storage.

Needs root (network namespaces), haproxy, varnish, redis-server, socat, iproute2.
Teardown runs on every exit path and `down` removes leftovers of a killed run.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
RUN_DIR = ROOT / "var" / "cluster"
PORT = int(os.environ.get("PORT", "8000"))

# CLUSTER_ID (0-9) lets two clusters run on one machine at once (a CI run and a
# developer's): it picks the bridge, namespace and veth names, the subnet
# 10.77.<id>.0/24, the service ports (+1000 per id) and the database. 0 is the
# default and keeps the names below.
CLUSTER_ID = int(os.environ.get("CLUSTER_ID", "0"))
if not 0 <= CLUSTER_ID <= 9:
    raise SystemExit("CLUSTER_ID must be 0-9")
_SUFFIX = str(CLUSTER_ID) if CLUSTER_ID else ""
_PORTS = 1000 * CLUSTER_ID

BRIDGE = f"tc-br{CLUSTER_ID}"
SUBNET = f"10.77.{CLUSTER_ID}"
HOST_ADDRESS = f"{SUBNET}.1"
WEB_NODES = {"web1": f"{SUBNET}.11", "web2": f"{SUBNET}.12", "web3": f"{SUBNET}.13"}
WORKERS = {"worker1": f"{SUBNET}.21", "worker2": f"{SUBNET}.22"}
WEB_PORT = 9310 + _PORTS
VARNISH_PORT = 9381 + _PORTS
NODES_FRONTEND_PORT = 9382 + _PORTS
HAPROXY_STATS_PORT = 9383 + _PORTS
REDIS_PORT = 9379 + _PORTS
POSTGRES_RELAY_PORT = 9432 + _PORTS
S3_PORT = 9390 + _PORTS
DATABASE = os.environ.get("CLUSTER_DATABASE", f"tc_cluster_run{_SUFFIX}")
POSTGRES_ADMIN_URL = os.environ.get(
    "CLUSTER_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
BUCKET = "telecampus-media"
PERSONAS = (
    "admin editor reviewer coordinator meetingadmin clinician nurse specialist "
    "patient patient2 auditor"
)


def namespace(name: str) -> str:
    return f"tc{_SUFFIX}-{name}"


def veth(name: str) -> str:
    return f"tcv{_SUFFIX}-{name}"


def cluster_environment(*, node: str | None, address: str = HOST_ADDRESS) -> dict:
    """What every Django process of the cluster gets; the pytest process too,
    reaching the same services from the host."""
    postgres = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    if node is not None:
        # Inside a namespace only the bridge address leads to the host.
        postgres = f"postgres://postgres@{HOST_ADDRESS}:{POSTGRES_RELAY_PORT}"
    env = {
        **os.environ,
        "DATABASE_URL": f"{postgres}/{DATABASE}",
        "REDIS_URL": f"redis://{HOST_ADDRESS}:{REDIS_PORT}/3",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://{HOST_ADDRESS}:{S3_PORT}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "cluster",
        "AWS_SECRET_ACCESS_KEY": "cluster-secret",
        "FRONTEND_CACHE_URL": f"http://{HOST_ADDRESS}:{VARNISH_PORT}",
        "BASE_URL": f"http://127.0.0.1:{PORT}",
        # Tests also reach each node directly, by its namespace address.
        "ALLOWED_HOSTS": ",".join(["127.0.0.1", "localhost", *WEB_NODES.values()]),
        "PORT": str(PORT),
        # Short task timeouts: a task held by a killed worker comes back in
        # Q_TIMEOUT + 60 seconds (settings.Q_CLUSTER "retry").
        "Q_TIMEOUT": os.environ.get("Q_TIMEOUT", "30"),
        "Q_WORKERS": "1",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    if node is not None:
        workdir = RUN_DIR / node
        env.update(
            NODE_NAME=node,
            VAR_DIR=str(workdir),
            EMAIL_URL=f"file://{workdir / 'mail'}",
        )
    return env


def run(*command: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=check, **kwargs)  # noqa: S603


def wait_for_port(host: str, port: int, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not listen on {host}:{port} in {timeout:.0f}s")


class Cluster:
    def __init__(self) -> None:
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs = RUN_DIR / "logs"

    # --- processes ---------------------------------------------------------------

    def start(self, name: str, command: list[str], *, netns=None, env=None, cwd=None):
        if netns:
            command = ["ip", "netns", "exec", netns, *command]
        log = (self.logs / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(  # noqa: S603
            command,
            env=env or os.environ,
            cwd=cwd or ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, ended as one
        )
        return self.processes[name]

    def stop(self, name: str, sig=signal.SIGTERM) -> None:
        process = self.processes.get(name)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        except ProcessLookupError:
            pass

    # --- network -------------------------------------------------------------------

    def create_network(self) -> None:
        run("ip", "link", "add", BRIDGE, "type", "bridge")
        run("ip", "addr", "add", f"{HOST_ADDRESS}/24", "dev", BRIDGE)
        run("ip", "link", "set", BRIDGE, "up")
        for name, address in {**WEB_NODES, **WORKERS}.items():
            ns, link = namespace(name), veth(name)
            run("ip", "netns", "add", ns)
            run("ip", "link", "add", link, "type", "veth", "peer", "eth0", "netns", ns)
            run("ip", "link", "set", link, "master", BRIDGE, "up")
            run("ip", "-n", ns, "addr", "add", f"{address}/24", "dev", "eth0")
            run("ip", "-n", ns, "link", "set", "eth0", "up")
            run("ip", "-n", ns, "link", "set", "lo", "up")

    # --- services ------------------------------------------------------------------

    def start_services(self) -> None:
        self.start(
            "redis",
            [
                "redis-server",
                "--port",
                str(REDIS_PORT),
                "--bind",
                HOST_ADDRESS,
                "--save",
                "",
                "--appendonly",
                "no",
                # Bound to the host bridge only, which nothing outside this
                # machine reaches; protected mode would refuse the namespaces.
                "--protected-mode",
                "no",
                "--dir",
                str(RUN_DIR),
            ],
        )
        self.start(
            "postgres-relay",
            [
                "socat",
                f"TCP-LISTEN:{POSTGRES_RELAY_PORT},bind={HOST_ADDRESS},fork,reuseaddr",
                "TCP:127.0.0.1:5432",
            ],
        )
        self.start(
            "s3",
            [PYTHON, "-m", "moto.server", "-H", HOST_ADDRESS, "-p", str(S3_PORT)],
        )
        wait_for_port(HOST_ADDRESS, REDIS_PORT, "redis")
        wait_for_port(HOST_ADDRESS, POSTGRES_RELAY_PORT, "postgres relay")
        wait_for_port(HOST_ADDRESS, S3_PORT, "moto S3 server")

    def prepare_database(self) -> None:
        admin = POSTGRES_ADMIN_URL
        run("psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        run("psql", admin, "-qc", f'CREATE DATABASE "{DATABASE}"')
        env = cluster_environment(node=None)
        manage = [PYTHON, str(ROOT / "manage.py")]
        run(*manage, "migrate", "--noinput", env=env, stdout=subprocess.DEVNULL)
        run(
            PYTHON,
            "-c",
            "import boto3, os; boto3.client('s3', endpoint_url="
            "os.environ['AWS_S3_ENDPOINT_URL']).create_bucket("
            f"Bucket='{BUCKET}')",
            env=env,
        )
        run(*manage, "seed_demo", env=env, stdout=subprocess.DEVNULL)

    def start_front(self) -> None:
        # The VCL names the default cluster's addresses; another CLUSTER_ID gets a copy.
        vcl = RUN_DIR / "varnish.vcl"
        vcl.write_text(
            (ROOT / "cluster" / "varnish.vcl")
            .read_text()
            .replace("10.77.0.", f"{SUBNET}.")
            .replace('"9382"', f'"{NODES_FRONTEND_PORT}"')
        )
        self.start(
            "varnish",
            [
                "varnishd",
                "-F",
                "-n",
                str(RUN_DIR / "varnish"),
                "-a",
                f"{HOST_ADDRESS}:{VARNISH_PORT}",
                "-T",
                "none",
                "-f",
                str(vcl),
                "-s",
                "malloc,64m",
                "-p",
                "ban_lurker_sleep=0.1",
            ],
        )
        haproxy_cfg = RUN_DIR / "haproxy.cfg"
        template = (ROOT / "cluster" / "haproxy.cfg").read_text()
        servers = "\n".join(
            f"    server {name} {address}:{WEB_PORT} check inter 1s fall 2 rise 1"
            for name, address in WEB_NODES.items()
        )
        haproxy_cfg.write_text(
            template.format(
                port=PORT,
                host=HOST_ADDRESS,
                varnish_port=VARNISH_PORT,
                nodes_port=NODES_FRONTEND_PORT,
                stats_port=HAPROXY_STATS_PORT,
                servers=servers,
            )
        )
        self.start("haproxy", ["haproxy", "-db", "-f", str(haproxy_cfg)])

    def start_web_node(self, name: str) -> None:
        workdir = RUN_DIR / name
        workdir.mkdir(exist_ok=True)
        self.start(
            name,
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "config.wsgi",
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--bind",
                f"{WEB_NODES[name]}:{WEB_PORT}",
                "--workers",
                "1",
                "--threads",
                "8",
                "--access-logfile",
                "-",
            ],
            netns=namespace(name),
            env=cluster_environment(node=name),
            cwd=workdir,
        )

    def start_worker(self, name: str) -> subprocess.Popen:
        workdir = RUN_DIR / name
        workdir.mkdir(exist_ok=True)
        return self.start(
            name,
            [PYTHON, str(ROOT / "manage.py"), "qcluster"],
            netns=namespace(name),
            env=cluster_environment(node=name),
            cwd=workdir,
        )

    def wait_until_serving(self, timeout: float = 90) -> None:
        """Until /healthz through HAProxy has been answered by every node."""
        wait_for_port("127.0.0.1", PORT, "haproxy")
        seen: set[str] = set()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and seen != set(WEB_NODES):
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited; see {self.logs / name}.log")
            try:
                with urllib.request.urlopen(  # noqa: S310 - our own address
                    f"http://127.0.0.1:{PORT}/healthz", timeout=5
                ) as response:
                    seen.add(_node_of(response.read()))
            except OSError:
                pass
            except urllib.error.HTTPError as error:
                seen.add(_node_of(error.read()))
            time.sleep(0.2)
        if seen != set(WEB_NODES):
            raise RuntimeError(f"only {sorted(seen)} answered /healthz in {timeout}s")

    # --- whole cluster ---------------------------------------------------------------

    def up(self) -> None:
        teardown(quiet=True)
        RUN_DIR.mkdir(parents=True, exist_ok=True)
        for child in RUN_DIR.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        self.logs.mkdir()
        self.create_network()
        self.start_services()
        self.start_front()  # Varnish first: seeding publishes pages and purges
        self.prepare_database()
        for name in WORKERS:
            self.start_worker(name)
        for name in WEB_NODES:
            self.start_web_node(name)
        self.wait_until_serving()

    def down(self, grace: float = 8) -> None:
        """SIGTERM to every process group at once, SIGKILL to what is left after
        `grace` seconds (qcluster's own graceful stop can take longer)."""
        running = [p for p in self.processes.values() if p.poll() is None]
        for process in running:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in running:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=10)
        teardown(quiet=True)


def namespace_pids(name: str) -> list[int]:
    listed = run(
        "ip", "netns", "pids", namespace(name), check=False, capture_output=True
    ).stdout
    return [int(pid) for pid in listed.split()]


def kill_worker(name: str) -> list[int]:
    """`kill -9` every process of a running worker (qcluster and its children), as
    a crash would; for tests/cluster, which run in another process than the
    Cluster that started it. Returns the process ids killed."""
    pids = namespace_pids(name)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return pids


def restart_worker(name: str) -> subprocess.Popen:
    """Start a worker again after kill_worker; the Cluster's teardown ends it with
    everything else in its namespace."""
    return Cluster().start_worker(name)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def _node_of(body: bytes) -> str:
    import json

    try:
        return json.loads(body).get("node", "")
    except ValueError:
        return ""


def teardown(*, quiet: bool = False) -> None:
    """Remove the namespaces, veths and bridge (a namespace's veth end goes with it)."""
    out = subprocess.DEVNULL if quiet else None
    for name in {**WEB_NODES, **WORKERS}:
        ns = namespace(name)
        # Anything still running inside (a killed run's leftovers, a worker that
        # tests/cluster restarted) ends with it.
        for pid in namespace_pids(name):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        run("ip", "netns", "del", ns, check=False, stderr=out)
        run("ip", "link", "del", veth(name), check=False, stderr=out)
    run("ip", "link", "del", BRIDGE, check=False, stderr=out)


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["up", "test", "down"])
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args()
    if args.action == "down":
        teardown()
        return 0
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    cluster = Cluster()
    started = time.monotonic()
    try:
        cluster.up()
        print(f"cluster up in {time.monotonic() - started:.0f}s", flush=True)
        if args.action == "test":
            return run(
                PYTHON,
                "-m",
                "pytest",
                "tests/cluster",
                "-m",
                "cluster",
                "-p",
                "no:cacheprovider",
                *args.pytest_args,
                check=False,
                env={**cluster_environment(node=None), "CLUSTER_RUNNING": "1"},
                cwd=ROOT,
            ).returncode
        print(
            f"\n  TeleCampus cluster at http://127.0.0.1:{PORT}/ "
            f"(HAProxy; stats at http://127.0.0.1:{HAPROXY_STATS_PORT}/)\n"
            f"  Web nodes: {', '.join(WEB_NODES)}; workers: {', '.join(WORKERS)}\n"
            f"  Personas: {PERSONAS}\n"
            "  Demo password: "
            f"{os.environ.get('DEMO_PASSWORD', 'telecampus-demo')}\n"
            "  Staff TOTP: .venv/bin/python manage.py demo_totp\n"
            f"  Logs: {cluster.logs}/\n  Ctrl-C stops everything.\n",
            flush=True,
        )
        reported: set[str] = set()
        while True:
            time.sleep(1)
            # A node that dies is HAProxy's to route around: say so, keep running.
            for name, process in cluster.processes.items():
                if process.poll() is not None and name not in reported:
                    reported.add(name)
                    print(f"{name} exited; see {cluster.logs / name}.log", flush=True)
    except KeyboardInterrupt:
        return 0
    finally:
        print("stopping the cluster", flush=True)
        cluster.down()


if __name__ == "__main__":
    sys.exit(main())
