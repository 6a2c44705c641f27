#!/usr/bin/env python3
"""The container contract of the x402-dev mock, run for real with Debian's podman.

  image    packaging/container/build.sh makes a FROM-scratch image under 10 MB holding exactly
           the binary, the shared objects ldd names, /etc/passwd+group, LICENSE, a home and
           /tmp; OCI labels, non-root UID, HEALTHCHECK on `x402-dev mock health`. Then
           `podman run`: 402 on the published port, config from X402_DEV_* and a mounted
           file, the banner on stdout and the log on stderr (`podman logs`), health turns
           healthy (start-to-healthy time measured), RSS idle and under wrk, `podman stop`
           answers a request in flight (408 after the simulated delay) and exits 0 within the
           stop timeout, a bad config exits 3 with its one line in `podman logs`.
  compose  packaging/container/compose.yaml with podman-compose: the mock as the facilitator
           of the example x402-express app, a real x402-fetch client pays the app from the
           host, the mock verifies and settles.
  kube     packaging/kubernetes/x402-mock.yaml with `podman kube play` (the ConfigMap, the
           Deployment's probes, resources and grace period) then `podman kube down`.

Every podman call uses a throwaway store, run root and network config under one temp
directory (CONTAINERS_CONF / CONTAINERS_STORAGE_CONF), removed at the end; clients only ever
connect to 127.0.0.1 (ports are published on 127.0.0.1 only). Exit 77 (skip) where podman
cannot run: not root, podman/runc missing.

  container_test.py --binary out/build/release/x402-dev image|compose|kube
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD_SH = os.path.join(ROOT, "packaging", "container", "build.sh")
APP_BUILD_SH = os.path.join(ROOT, "packaging", "container", "example-app", "build.sh")
COMPOSE_YAML = os.path.join(ROOT, "packaging", "container", "compose.yaml")
KUBE_YAML = os.path.join(ROOT, "packaging", "kubernetes", "x402-mock.yaml")
E2E_DIR = os.path.join(ROOT, "tests", "e2e")
IMAGE = "localhost/x402-dev:latest"
# Issue 19 asked for "under 10 MB" (6.17 MB then). Statically linked libsecp256k1 and Crypto++
# (issue 17's offline signature check) and the libm they need took it to 10.3 MB, until the
# release build let the linker drop unreachable sections (packaging/linux/StaticDependencies.cmake).
SIZE_LIMIT = 10 * 1000 * 1000

sys.path.insert(0, os.path.join(ROOT, "tests", "perf"))
from bench import free_port, valid_payment  # noqa: E402


class Skip(Exception):
    pass


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def log(message):
    print(message, flush=True)


class Podman:
    """podman with every piece of state in |self.dir|: images, containers, networks."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="x402-container-")
        for sub in ("root", "run", "net", "tmp"):
            os.makedirs(os.path.join(self.dir, sub))
        # What this machine needs (Debian 12, cgroup v1 hybrid, rlimits that may not be raised):
        # runc (crun refuses hybrid cgroups), cgroupfs, vfs, and explicit ulimits.
        with open(os.path.join(self.dir, "containers.conf"), "w") as f:
            f.write(f"""[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
events_logger = "file"
tmp_dir = "{self.dir}/tmp"
[network]
network_config_dir = "{self.dir}/net"
""")
        with open(os.path.join(self.dir, "storage.conf"), "w") as f:
            f.write(f"""[storage]
driver = "vfs"
graphroot = "{self.dir}/root"
runroot = "{self.dir}/run"
""")
        self.env = dict(os.environ)
        self.env.update(CONTAINERS_CONF=os.path.join(self.dir, "containers.conf"),
                        CONTAINERS_STORAGE_CONF=os.path.join(self.dir, "storage.conf"),
                        PODMAN_GLOBAL_OPTS="")
        for k in list(self.env):
            if k.startswith("X402_DEV_"):
                del self.env[k]

    def run(self, *args, check_ok=True, timeout=120, env=None):
        r = subprocess.run(["podman", *args], env=env or self.env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=timeout)
        if check_ok and r.returncode != 0:
            raise Failure(f"podman {' '.join(args)} → {r.returncode}: {noise_free(r.stderr)}")
        return r

    def inspect(self, name, fmt):
        return self.run("inspect", "--format", fmt, name).stdout.strip()

    def healthcheck(self, name):
        """One run of the container's healthcheck, as the timer would (no systemd here)."""
        return self.run("healthcheck", "run", name, check_ok=False).returncode == 0

    def wait_healthy(self, name, timeout=20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.healthcheck(name):
                return True
            time.sleep(0.1)
        return False

    def close(self):
        # Everything this run made lives in self.dir: remove the containers and pods (which
        # also tears down their netavark rules and bridges), then the directory.
        self.run("pod", "rm", "--all", "--force", check_ok=False)
        self.run("rm", "--all", "--force", "--time", "0", check_ok=False)
        self.run("network", "prune", "--force", check_ok=False)
        shutil.rmtree(self.dir, ignore_errors=True)


def noise_free(stderr):
    # podman without systemd logs that it cannot create healthcheck timers, and conmon that it
    # has no syslog; neither matters here (the test runs the healthchecks itself).
    return "\n".join(line for line in stderr.splitlines()
                     if "systemd" not in line and "syslog" not in line).strip()


def http_get(port, path, headers=None, timeout=10):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def file_tail(path, size=64 * 1024):
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        f.seek(max(0, f.tell() - size))
        return f.read().decode("utf-8", "replace")


def wait_answers(port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return http_get(port, "/__x402/health", timeout=1)[0]
        except OSError:
            time.sleep(0.05)
    return None


def build_image(podman, binary):
    t = time.monotonic()
    r = subprocess.run([BUILD_SH, "--binary", binary], env=podman.env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=300)
    check(r.returncode == 0, f"build.sh → {r.returncode}: {noise_free(r.stderr)}")
    log(r.stdout.strip() + f" in {time.monotonic() - t:.1f} s")


def version_of(binary):
    return subprocess.run([binary, "version"], stdout=subprocess.PIPE, text=True).stdout.split()[1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


# --- image ---------------------------------------------------------------------------------------

def image_contents(podman, binary):
    image = json.loads(podman.run("image", "inspect", IMAGE).stdout)[0]
    size = image["Size"]
    log(f"image size: {size} bytes ({size / 1e6:.2f} MB)")
    check(size < SIZE_LIMIT, f"image is {size} bytes, over {SIZE_LIMIT}")
    labels = image["Labels"]
    check(labels.get("org.opencontainers.image.version") == version_of(binary), f"version label: {labels}")
    check(labels.get("org.opencontainers.image.source", "").startswith("https://"), f"source label: {labels}")
    check(labels.get("org.opencontainers.image.licenses") == "MIT", f"licence label: {labels}")
    check(image["Config"]["User"] == "10001:10001", "the image must run as UID 10001")
    check(image["Config"]["Entrypoint"] == ["/usr/bin/x402-dev", "mock"], "entrypoint")
    health = image.get("Healthcheck") or {}
    check(health.get("Test", [])[:4] == ["CMD", "/usr/bin/x402-dev", "mock", "health"],
          f"healthcheck: {health}")

    # Exactly the binary, what ldd names, the account files, LICENSE, the home and /tmp.
    mount = podman.run("image", "mount", IMAGE).stdout.strip()
    try:
        files = set()
        for dirpath, dirnames, filenames in os.walk(mount):
            for name in filenames:
                files.add(os.path.relpath(os.path.join(dirpath, name), mount))
            if not dirnames and not filenames:
                files.add(os.path.relpath(dirpath, mount) + "/")
        home_owner = os.stat(os.path.join(mount, "home", "x402")).st_uid
    finally:
        podman.run("image", "unmount", IMAGE, check_ok=False)
    ldd = subprocess.run(["ldd", binary], stdout=subprocess.PIPE, text=True).stdout
    libs = {m.lstrip("/") for m in re.findall(r"=> (/\S+)", ldd)}
    libs |= {m.lstrip("/") for m in re.findall(r"^\s*(/\S+)", ldd, re.M)}
    expected = {"usr/bin/x402-dev", "etc/passwd", "etc/group", "LICENSE", "home/x402/", "tmp/"} | libs
    check(files == expected, f"image files {sorted(files)} != expected {sorted(expected)}")
    check(home_owner == 10001, f"/home/x402 is owned by {home_owner}, not 10001")
    log(f"image files: {sorted(files)}")


def run_contract(podman, work):
    port = free_port()
    config = os.path.join(work, "config.yaml")
    with open(config, "w") as f:
        # /slow costs what bench.valid_payment() pays (50000 = $0.05): the request in flight.
        # That payment is hand-made (unsigned): shape checks only.
        f.write("mock_server:\n  verification: shape\n  timeout_delay_ms: 3000\n  pricing:\n    per_resource:\n"
                "      /api/data: 0.07\n      /slow: 0.05\n")
    t0 = time.monotonic()
    podman.run("run", "-d", "--name", "mock", "-p", f"127.0.0.1:{port}:3402",
               "-e", "X402_DEV_CONFIG=/etc/x402-dev/config.yaml", "-e", "X402_DEV_PRICING=0.02",
               "-v", f"{config}:/etc/x402-dev/config.yaml:ro", IMAGE)
    run_returned = time.monotonic() - t0
    check(wait_answers(port) == 200, "no answer on the published port")
    answering = time.monotonic() - t0
    check(podman.wait_healthy("mock"), "the healthcheck never passed")
    healthy = time.monotonic() - t0
    log(f"start-to-healthy: podman run returned after {run_returned:.2f} s, the published port "
        f"answered after {answering:.2f} s, the first healthcheck passed after {healthy:.2f} s")
    check(podman.inspect("mock", "{{.State.Health.Status}}") == "healthy", "health status")
    log("podman ps:\n" + podman.run("ps").stdout.rstrip())

    # 402 on the published port; the mounted file's rule and the environment's default price.
    status, body = http_get(port, "/api/data")
    check(status == 402, f"GET /api/data → {status}")
    check(json.loads(body)["accepts"][0]["maxAmountRequired"] == "70000", f"file price: {body[:300]}")
    status, body = http_get(port, "/anything")
    check(status == 402 and json.loads(body)["accepts"][0]["maxAmountRequired"] == "20000",
          f"env price: {status} {body[:300]}")

    # Non-root: the server process's real UID, seen from the host.
    pid = int(podman.inspect("mock", "{{.State.Pid}}"))
    with open(f"/proc/{pid}/status") as f:
        uid_line = next(line for line in f if line.startswith("Uid:"))
    check(uid_line.split()[1:] == ["10001"] * 4, f"server runs as {uid_line.strip()}")

    # Memory: idle, then under 64 connections of wrk (the Kubernetes requests/limits).
    idle = rss_kib(pid)
    peak = idle
    if shutil.which("wrk"):
        load = subprocess.Popen(["wrk", "-t2", "-c64", "-d3s", f"http://127.0.0.1:{port}/api/data"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        while load.poll() is None:
            peak = max(peak, rss_kib(pid))
            time.sleep(0.1)
        out = load.stdout.read()
        rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
        log(f"wrk through the published port: {rps.group(1) if rps else out} req/s")
    log(f"RSS in the container: {idle} KiB idle, {peak} KiB peak under wrk -c64")
    check(peak < 64 * 1024, f"RSS {peak} KiB is over the manifest's 64Mi limit")

    # Logs: the banner on stdout, the log lines on stderr, both in `podman logs`.
    logs = podman.run("logs", "mock")
    check("x402-dev mock server listening on http://0.0.0.0:3402" in logs.stdout,
          f"banner not on stdout: {logs.stdout[:500]}")
    check("INFO ready: listening on http://0.0.0.0:3402" in logs.stderr,
          f"log not on stderr: {logs.stderr[:500]}")

    # Graceful stop: a request in flight (a valid payment in timeout mode: 408 after 3 s) is
    # answered; the exit code is 0; it all happens within the stop timeout.
    answer = {}

    def in_flight():
        try:
            answer["status"] = http_get(port, "/slow", {"X-PAYMENT": valid_payment(),
                                                            "X-Simulation-Mode": "timeout"})[0]
        except OSError as e:
            answer["error"] = repr(e)
    # Watched in the tail of the container's log file: `podman logs` parses all of it, and
    # after wrk's access lines (~16 MB) one call takes longer than the request is in flight.
    log_path = podman.inspect("mock", "{{.HostConfig.LogConfig.Path}}")
    client = threading.Thread(target=in_flight)
    client.start()
    deadline = time.monotonic() + 5
    while "payment timed out (simulated" not in file_tail(log_path):
        check(time.monotonic() < deadline, "the in-flight request never reached the server")
        time.sleep(0.05)
    t = time.monotonic()
    podman.run("stop", "--time", "10", "mock", timeout=30)
    stop_s = time.monotonic() - t
    client.join(10)
    log(f"podman stop with a request in flight: {stop_s:.2f} s, the client got {answer}")
    check(answer.get("status") == 408, f"the request in flight was not answered: {answer}")
    check(1.5 < stop_s < 10, f"podman stop took {stop_s:.2f} s (drain ~3 s, timeout 10 s)")
    check(podman.inspect("mock", "{{.State.ExitCode}}") == "0", "exit code after podman stop")
    stopped = podman.run("logs", "mock").stderr
    check(re.search(r"stopped: \d+ answers written; 0 connections cut off", stopped),
          f"no clean drain in the log: {stopped[-500:]}")


def bad_config(podman, work):
    r = podman.run("run", "--name", "bad-env", "-e", "X402_DEV_PORT=http", IMAGE, check_ok=False)
    check(r.returncode == 3, f"bad X402_DEV_PORT → {r.returncode}")
    logs = podman.run("logs", "bad-env")
    lines = logs.stderr.splitlines()
    check(lines and lines[0] == "error: invalid mock_server.port from environment variable "
                                "X402_DEV_PORT: 'http' is not a valid port (1-65535)",
          f"podman logs: {logs.stderr!r}")
    check(logs.stdout == "", f"nothing on stdout: {logs.stdout!r}")
    log(f"bad config: exit 3, podman logs: {lines}")

    config = os.path.join(work, "bad.yaml")
    with open(config, "w") as f:
        f.write("mock_server:\n  prot: 4000\n")
    r = podman.run("run", "--name", "bad-file", "-e", "X402_DEV_CONFIG=/etc/x402-dev/config.yaml",
                   "-v", f"{config}:/etc/x402-dev/config.yaml:ro", IMAGE, check_ok=False)
    check(r.returncode == 3, f"bad config file → {r.returncode}")
    first = podman.run("logs", "bad-file").stderr.splitlines()[0]
    check(first == "error: /etc/x402-dev/config.yaml:2: mock_server.prot: unknown key", f"got {first!r}")
    log(f"bad config file: exit 3, first line: {first}")


def flag_port(podman):
    """Options after the image name go to `x402-dev mock`; the HEALTHCHECK follows the port
    the server really listens on (its state file under HOME), not X402_DEV_PORT."""
    podman.run("run", "-d", "--name", "flag-port", IMAGE, "--port", "4020")
    check(podman.wait_healthy("flag-port"), "a server given --port 4020 never turned healthy")
    check("listening on http://0.0.0.0:4020" in podman.run("logs", "flag-port").stderr, "port 4020")
    podman.run("stop", "flag-port")
    log("--port 4020 after the image name: healthy")


def suite_image(podman, binary, work):
    build_image(podman, binary)
    image_contents(podman, binary)
    run_contract(podman, work)
    bad_config(podman, work)
    flag_port(podman)


# --- compose -------------------------------------------------------------------------------------

def suite_compose(podman, binary, work):
    if not shutil.which("podman-compose"):
        raise Skip("podman-compose is not installed (apt-get install podman-compose)")
    if not shutil.which("node") or not os.path.isdir(os.path.join(E2E_DIR, "node_modules", "x402-express")):
        raise Skip("the example app needs node and tests/e2e/node_modules (npm ci in tests/e2e)")
    build_image(podman, binary)
    r = subprocess.run([APP_BUILD_SH], env=podman.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=300)
    check(r.returncode == 0, f"example-app/build.sh → {r.returncode}: {noise_free(r.stderr)}")

    mock_port, app_port = free_port(), free_port()
    env = dict(podman.env, X402_MOCK_PORT=str(mock_port), X402_APP_PORT=str(app_port))
    compose = ["podman-compose", "--no-ansi", "-p", "x402test", "-f", COMPOSE_YAML]

    def run_compose(*args):
        r = subprocess.run([*compose, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=120)
        check(r.returncode == 0, f"podman-compose {' '.join(args)} → {r.returncode}: {noise_free(r.stderr)}")
        return r

    t = time.monotonic()
    run_compose("up", "-d")
    try:
        check(podman.wait_healthy("x402test_mock_1"), "the mock service never turned healthy")
        log(f"compose: mock healthy {time.monotonic() - t:.2f} s after `up -d`")
        check(http_get(mock_port, "/api/data")[0] == 402, "the mock's published port")
        deadline = time.monotonic() + 15
        status = None
        while time.monotonic() < deadline:
            try:
                status = http_get(app_port, "/weather", timeout=2)[0]
                break
            except OSError:
                time.sleep(0.2)
        check(status == 402, f"the app without a payment → {status}")
        # A real x402-fetch client pays the app; the app asks the mock (http://mock:3402) to
        # verify and settle.
        paid = subprocess.run(["node", os.path.join(E2E_DIR, "pay_once.mjs"),
                               f"http://127.0.0.1:{app_port}/weather"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
        check(paid.returncode == 0, f"pay_once.mjs → {paid.returncode}: {paid.stderr}")
        result = json.loads(paid.stdout.strip().splitlines()[-1])
        log(f"compose: paid the app: {result}")
        check(result["status"] == 200 and json.loads(result["body"]) == {"weather": "sunny"}, "paid answer")
        check(result["settlement"]["success"] is True, "settlement")
        mock_log = podman.run("logs", "x402test_mock_1").stderr
        check(re.search(r"facilitator verify v1 from 0x[0-9a-fA-F]{40}: valid", mock_log), "verify in the mock's log")
        check(re.search(r"facilitator settle v1 from 0x[0-9a-fA-F]{40}: valid", mock_log), "settle in the mock's log")
        log("compose ps:\n" + podman.run("ps", "--filter", "label=io.podman.compose.project=x402test").stdout.rstrip())
        run_compose("stop")
        for service in ("x402test_mock_1", "x402test_app_1"):
            code = podman.inspect(service, "{{.State.ExitCode}}")
            check(code == "0", f"{service} exited {code} on stop")
    finally:
        run_compose("down")
    left = podman.run("ps", "-a", "--filter", "label=io.podman.compose.project=x402test", "-q").stdout.strip()
    check(left == "", f"containers left after down: {left}")


# --- kube ----------------------------------------------------------------------------------------

def podman_version(podman):
    text = podman.run("version", "--format", "{{.Client.Version}}").stdout.strip()
    return tuple(int(x) for x in re.findall(r"\d+", text)[:2])


def suite_kube(podman, binary, work):
    build_image(podman, binary)
    if podman_version(podman) < (4, 4):
        # podman 4.3 turns an exec probe into CMD-SHELL: `/bin/sh -c "<command> || exit 1"`
        # (4.4 and later run it as written, as the kubelet does). The image has no shell, so
        # here only, a layer adds Debian's dash (libc only) as /bin/sh; the probe command that
        # runs is still the manifest's `x402-dev mock health`.
        context = os.path.join(work, "sh-layer")
        os.makedirs(context)
        shutil.copy("/bin/dash", os.path.join(context, "sh"))
        with open(os.path.join(context, "Containerfile"), "w") as f:
            f.write(f"FROM {IMAGE}\nCOPY sh /bin/sh\n")
        podman.run("build", "--quiet", "--format", "docker", "--pull=never", "--network", "none",
                   "-t", IMAGE, context, timeout=120)
        log("podman < 4.4: /bin/sh added for its CMD-SHELL probe wrapping")

    # The one change for a single machine: publish the container port on 127.0.0.1 (a
    # cluster reaches it through the Service instead).
    port = free_port()
    with open(KUBE_YAML) as f:
        manifest = f.read()
    published, n = re.subn(r"^(\s*)containerPort: 3402\n",
                           lambda m: f"{m.group(0)}{m.group(1)}hostPort: {port}\n{m.group(1)}hostIP: 127.0.0.1\n",
                           manifest, flags=re.M)
    check(n == 1, "the manifest should have one containerPort: 3402")
    played = os.path.join(work, "x402-mock.yaml")
    with open(played, "w") as f:
        f.write(published)

    t = time.monotonic()
    podman.run("kube", "play", played, timeout=120)
    try:
        ctr = "x402-mock-pod-0-mock"
        check(wait_answers(port) == 200, "no answer on the hostPort")
        check(podman.wait_healthy(ctr), "the liveness probe never passed")
        log(f"kube play: liveness probe passed {time.monotonic() - t:.2f} s after `podman kube play`")
        check(http_get(port, "/api/data")[0] == 402, "402 through the pod")

        # The readiness probe's command, run the way the kubelet runs an exec probe (podman
        # 4.3 ignores readinessProbe).
        with open(KUBE_YAML) as f:
            probe = re.search(r"readinessProbe:\s*\n\s*exec:\s*\n\s*command: (\[.*\])", f.read())
        check(probe, "the manifest's readinessProbe should be an exec probe")
        readiness = json.loads(probe.group(1))  # a YAML flow sequence of strings is JSON
        r = podman.run("exec", ctr, *readiness, check_ok=False)
        log(f"readiness probe {readiness} → exit {r.returncode}: {r.stdout.strip()}")
        check(r.returncode == 0, "readiness probe")

        health = json.loads(podman.inspect(ctr, "{{json .State.Health}}"))
        log(f"kube play probe status: {health['Status']}, last check exit {health['Log'][-1]['ExitCode']}")
        check(health["Status"] == "healthy", f"health {health}")
        log("podman pod ps:\n" + podman.run("pod", "ps").stdout.rstrip())
        log("podman ps:\n" + podman.run("ps").stdout.rstrip())

        # The ConfigMap is the config file; resources, grace period and UID are applied.
        shown = json.loads(podman.run("exec", ctr, "/usr/bin/x402-dev", "config", "show", "--json").stdout)
        check("/etc/x402-dev/config.yaml" in json.dumps(shown), f"config show: {shown}")
        check(podman.inspect(ctr, "{{.HostConfig.Memory}}") == str(64 * 1024 * 1024), "memory limit")
        check(podman.inspect(ctr, "{{.Config.StopTimeout}}") == "10", "terminationGracePeriodSeconds")
        check(podman.inspect(ctr, "{{.Config.User}}").startswith("10001"), "runAsUser")
    finally:
        podman.run("kube", "down", played, timeout=60)
    check(podman.run("pod", "ps", "-q").stdout.strip() == "", "pods left after kube down")
    log("kube down: the pod is gone")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(ROOT, "out", "build", "release", "x402-dev"))
    parser.add_argument("suite", choices=["image", "compose", "kube"])
    args = parser.parse_args()
    try:
        if os.geteuid() != 0:
            raise Skip("podman's networking and cgroups here need root")
        for tool in ("podman", "runc"):
            if not shutil.which(tool):
                raise Skip(f"{tool} is not installed (apt-get install podman runc)")
        podman = Podman()
        work = tempfile.mkdtemp(prefix="x402-container-work-")
        try:
            started = time.monotonic()
            {"image": suite_image, "compose": suite_compose, "kube": suite_kube}[args.suite](
                podman, os.path.abspath(args.binary), work)
            log(f"PASS {args.suite} in {time.monotonic() - started:.1f} s")
        finally:
            podman.close()
            shutil.rmtree(work, ignore_errors=True)
    except Skip as e:
        print(f"SKIP: {e}")
        return 77
    except Failure as e:
        print(f"FAIL: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
