#!/usr/bin/env python3
"""x402-dev benchmark, side by side with its references, in one run.

Per core:  the mock (release build, 1 thread) and nginx (1 worker) each pinned to core 0, wrk -t1
           pinned to core 1; judged by the server's CPU time (utime+stime) per request, for the
           402 path (vs nginx) and the paid path (vs the 402 path). Rounds interleaved, medians.
Two threads: 1- and 2-thread mock and 2-worker nginx on cores 0-1, wrk -t1 on core 1: CPU per
           request with 1 and 2 threads, and futex calls per request of the 2-thread server
           (perf's syscalls:sys_enter_futex tracepoint, or strace -f -c).
HTTP:      unpinned, as on a user's machine: the mock (1 thread and the default) against nginx
           with one worker returning the same 402, and express + x402-express 1.2.0; wrk -t2
           -c64 for throughput and wrk -t1 -c1 for latency, rounds interleaved, medians.
Lifecycle: start / status / restart / stop for the direct and systemd backends against the plain
           floor (setsid a tiny C server + PID file, kill -0), pm2, and systemctl --user on the
           same Type=notify unit; rounds interleaved, medians.

Every figure that is judged is a ratio to a reference measured in the same run, and every row
of the report says what was pinned where.
Usage: tests/perf/run.sh [--quick] [--only core|http|lifecycle]   (writes docs/performance.md)
"""
import argparse, base64, datetime, json, os, re, shutil, signal, socket, statistics, subprocess
import sys, tempfile, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PERF = os.path.join(ROOT, "tests", "perf")
BIN = os.path.join(ROOT, "out", "build", "release", "x402-dev")
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def can_connect(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_until(predicate, timeout=15.0, step=0.002):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def tree(pid):
    """pid and its descendants (nginx's worker, node's threads are in one process)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / CLK_TCK


def run(cmd, env=None, cwd=None, check=True):
    r = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} → {r.returncode}\n{r.stdout}")
    return r


def timed(fn):
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000.0


# --- servers -------------------------------------------------------------------------------

class Mock:
    def __init__(self, threads=None, name=None, env=None):
        self.home = tempfile.mkdtemp(prefix="x402-bench-")
        self.port = free_port()
        self.threads = threads
        self.name = name or ("x402-dev mock, 1 thread" if threads == 1 else "x402-dev mock, default threads")
        # The paid path's payment is hand-made (unsigned, one nonce for every request): shape
        # checks only, or every paid request after the first would be a refused replay.
        self.env = {**os.environ, "HOME": self.home, "X402_DEV_VERIFICATION": "shape", **(env or {})}
        self.env.pop("XDG_RUNTIME_DIR", None)

    def start(self):
        args = [BIN, "mock", "start", "--port", str(self.port), "--backend", "direct"]
        if self.threads:
            args += ["--threads", str(self.threads)]
        run(args, env=self.env, cwd=self.home)
        pidfile = os.path.join(self.home, ".x402dev", "mock-server.pid")
        with open(pidfile) as f:  # `mock start` returns once the server is ready: the file is there
            self.pid = int(f.read())

    def stop(self):
        run([BIN, "mock", "stop"], env=self.env, cwd=self.home, check=False)
        shutil.rmtree(self.home, ignore_errors=True)


class Nginx:
    def __init__(self, body, header, workers=1, access_log=False, name=None):
        self.name = name or ("nginx, 1 worker" if workers == 1 else f"nginx, {workers} workers")
        self.dir = tempfile.mkdtemp(prefix="x402-nginx-")
        self.port = free_port()
        # access_log: nginx's default (the combined format, one line per request to a file), as
        # x402-dev's default access log writes one line per request; off otherwise.
        log = f"access_log {self.dir}/access.log combined;" if access_log else "access_log off;"
        conf = f"""worker_processes {workers};
daemon off;
error_log {self.dir}/error.log;
pid {self.dir}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
  {log}
  client_body_temp_path {self.dir}; proxy_temp_path {self.dir}; fastcgi_temp_path {self.dir};
  uwsgi_temp_path {self.dir}; scgi_temp_path {self.dir};
  server {{
    listen 127.0.0.1:{self.port};
    location / {{
      default_type application/json;
      add_header PAYMENT-REQUIRED "{header}" always;
      add_header Access-Control-Allow-Origin "*" always;
      add_header Access-Control-Expose-Headers "PAYMENT-REQUIRED, PAYMENT-RESPONSE, X-PAYMENT-RESPONSE" always;
      add_header Cache-Control "no-store" always;
      return 402 '{body}';
    }}
  }}
}}
"""
        with open(os.path.join(self.dir, "nginx.conf"), "w") as f:
            f.write(conf)

    def start(self):
        self.proc = subprocess.Popen(["nginx", "-c", f"{self.dir}/nginx.conf", "-p", self.dir],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.pid = self.proc.pid
        if not wait_until(lambda: can_connect(self.port)):
            raise RuntimeError("nginx did not start")

    def stop(self):
        self.proc.send_signal(signal.SIGQUIT)
        self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


class Express:
    name = "express + x402-express 1.2.0"

    def __init__(self):
        self.port = free_port()

    def start(self):
        self.proc = subprocess.Popen(["node", os.path.join(PERF, "express_server.mjs"), str(self.port)],
                                     cwd=PERF, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.pid = self.proc.pid
        if not wait_until(lambda: can_connect(self.port), 30):
            raise RuntimeError("express did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


# --- wrk -----------------------------------------------------------------------------------

def to_ms(value):
    m = re.match(r"([\d.]+)(us|ms|s|m|h)$", value)
    if not m:
        raise ValueError(f"unexpected wrk latency {value!r}")
    number, unit = float(m.group(1)), m.group(2)
    return number * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000, "h": 3600000}[unit]


def wrk(port, path, threads, conns, seconds, headers=(), cpus=None):
    cmd = ["taskset", "-c", cpus] if cpus else []
    cmd += ["wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "--latency"]
    for h in headers:
        cmd += ["-H", h]
    out = run(cmd + [f"http://127.0.0.1:{port}{path}"]).stdout
    if "Requests/sec" not in out or "50%" not in out:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    # Anchored at the start of a line: "+/- Stdev" columns such as "85.50%" also end in "50%".
    p50 = to_ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1))
    p99 = to_ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1))
    errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p50": p50, "p99": p99, "socket_errors": errors, "requests": requests}




def valid_payment():
    """A hand-made v1 payment (unsigned, one nonce for every request). Every caller (the bench's
    paid path, the reliability suite, the adversarial files) runs the mock with `verification:
    shape`, which checks neither signatures nor replays, so this needs no Node and no signing;
    the strict paid path, with distinct really signed payments, is signature_bench.py's."""
    now = int(time.time())
    payment = {"x402Version": 1, "scheme": "exact", "network": "base-sepolia",
               "payload": {"signature": "0x" + "e" * 130,
                           "authorization": {"from": "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
                                             "to": "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF",
                                             "value": "50000", "validAfter": str(now - 600),
                                             "validBefore": str(now + 86400), "nonce": "0x" + "5" * 64}}}
    return base64.b64encode(json.dumps(payment, separators=(",", ":")).encode()).decode()


def probe_402():
    """The mock's unpaid answer, so that nginx returns the very same bytes."""
    probe = Mock(threads=1)
    probe.start()
    import http.client
    c = http.client.HTTPConnection("127.0.0.1", probe.port)
    c.request("GET", "/api/data")
    r = c.getresponse()
    body, header = r.read().decode(), r.getheader("PAYMENT-REQUIRED")
    probe.stop()
    return body, header


def http_bench(rounds, seconds, latency_seconds, body, header):
    servers = [Mock(threads=1), Mock(), Nginx(body, header), Express()]
    results = {s.name: {"402": [], "paid": [], "lat": [], "cpu": [], "peak_rss": 0, "idle_rss": 0}
               for s in servers}
    for s in servers:
        s.start()
        time.sleep(0.5)
        results[s.name]["idle_rss"] = sum(status_kb(p, "VmRSS") for p in tree(s.pid))
    paid_header = "X-PAYMENT: " + valid_payment()
    try:
        for rnd in range(rounds):
            for s in servers:
                pids = tree(s.pid)
                cpu0 = cpu_seconds(pids)
                t0 = time.monotonic()
                res = wrk(s.port, "/api/data", 2, 64, seconds)
                res["cpu"] = (cpu_seconds(pids) - cpu0) / (time.monotonic() - t0)
                results[s.name]["402"].append(res)
                results[s.name]["lat"].append(wrk(s.port, "/api/data", 1, 1, latency_seconds))
                if isinstance(s, Mock):
                    results[s.name]["paid"].append(wrk(s.port, "/api/data", 2, 64, seconds, [paid_header]))
                results[s.name]["peak_rss"] = max(results[s.name]["peak_rss"],
                                                  sum(status_kb(p, "VmHWM") for p in tree(s.pid)))
                print(f"  round {rnd + 1}: {s.name}: {res['rps']:.0f} req/s", flush=True)
    finally:
        for s in servers:
            s.stop()
    return results


# --- per core: CPU time per request, pinned ---------------------------------------------------

SERVER_CORE, WRK_CORE = "0", "1"


def pin(pid, cpus):
    """Every thread of |pid| and of its children (nginx's workers) onto |cpus|."""
    for p in tree(pid):
        run(["taskset", "-a", "-p", "-c", cpus, str(p)])


def cpu_per_request(server, path, seconds, conns, headers=(), wrk_cpus=WRK_CORE):
    """One wrk -t1 run; the server's utime+stime over it (from /proc) per request served."""
    pids = tree(server.pid)
    cpu0 = cpu_seconds(pids)
    res = wrk(server.port, path, 1, conns, seconds, headers, cpus=wrk_cpus)
    res["cpu_us"] = (cpu_seconds(pids) - cpu0) * 1e6 / max(res["requests"], 1)
    return res


def five_options_config():
    """A config whose every 402 lists five payment options (issue 26: a 402 with 5 options may
    cost at most 1.3× the CPU of a 402 with one), one of them an 18-decimal declared token."""
    path = os.path.join(tempfile.mkdtemp(prefix="x402-bench-cfg-"), "five.yaml")
    with open(path, "w") as f:
        f.write("mock_server:\n  accepts:\n"
                "    - network: base-sepolia\n"
                "    - network: \"eip155:137\"\n"
                "    - network: \"eip155:42161\"\n"
                "    - network: celo\n      asset: \"0x48065fbBE25f71C9282ddf5e1cD6D6A887483D5e\"\n"
                "    - network: \"eip155:31337\"\n"
                "      asset: {address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\", decimals: 18, name: Mock USD, version: \"1\"}\n")
    return path


def core_bench(rounds, seconds, body, header):
    """Per-core efficiency: each server pinned to core 0 (all its threads), wrk -t1 pinned to
    core 1, so wrk never takes the server's core; 1 server thread against 1 nginx worker,
    rounds interleaved. Judged by the server's CPU time per request, not req/s: one wrk thread
    is close to its own limit here. Both logging off, and both with their default logging (the
    mock's access log; nginx's combined access log), so that neither pays for a line the other
    does not write."""
    mock = Mock(threads=1, name="x402-dev, 1 thread")
    mock_quiet = Mock(threads=1, name="x402-dev, 1 thread, access log off", env={"X402_DEV_ACCESS_LOG": "off"})
    mock_five = Mock(threads=1, name="x402-dev, 1 thread, 5 options", env={"X402_DEV_CONFIG": five_options_config()})
    nginx = Nginx(body, header)
    nginx_logging = Nginx(body, header, access_log=True, name="nginx, 1 worker, access log on")
    paid_header = "X-PAYMENT: " + valid_payment()
    rows = {"x402-dev 402": [], "nginx 402": [], "x402-dev 402, access log off": [],
            "nginx 402, access log off": [], "x402-dev paid": [], "x402-dev 402, 5 options": []}
    servers = (mock, mock_quiet, nginx, nginx_logging, mock_five)
    for s in servers:
        s.start()
        pin(s.pid, SERVER_CORE)
    try:
        for rnd in range(rounds):
            rows["x402-dev 402"].append(cpu_per_request(mock, "/api/data", seconds, 64))
            rows["nginx 402"].append(cpu_per_request(nginx_logging, "/api/data", seconds, 64))
            rows["x402-dev 402, access log off"].append(cpu_per_request(mock_quiet, "/api/data", seconds, 64))
            rows["nginx 402, access log off"].append(cpu_per_request(nginx, "/api/data", seconds, 64))
            rows["x402-dev paid"].append(cpu_per_request(mock, "/api/data", seconds, 64, [paid_header]))
            rows["x402-dev 402, 5 options"].append(cpu_per_request(mock_five, "/api/data", seconds, 64))
            print("  per-core round %d: %s" % (rnd + 1, ", ".join(
                f"{k} {v[-1]['cpu_us']:.2f} µs/req ({v[-1]['rps']:.0f} req/s)" for k, v in rows.items())), flush=True)
    finally:
        for s in servers:
            s.stop()
    return rows


def access_log_bench(rounds, seconds):
    """What the access log costs: the same build twice, 1 thread each, one with
    X402_DEV_ACCESS_LOG=off, both pinned to core 0 and wrk -t1 to core 1, rounds interleaved;
    CPU µs per request (from /proc) on the paid and the 402 path. The request history records
    in both."""
    on = Mock(threads=1, name="access log on")
    off = Mock(threads=1, name="access log off", env={"X402_DEV_ACCESS_LOG": "off"})
    paid_header = "X-PAYMENT: " + valid_payment()
    rows = {f"{m.name}, {path}": [] for m in (on, off) for path in ("paid", "402")}
    for m in (on, off):
        m.start()
        pin(m.pid, SERVER_CORE)
    try:
        for rnd in range(rounds):
            for m in (on, off):
                rows[f"{m.name}, paid"].append(cpu_per_request(m, "/api/data", seconds, 64, [paid_header]))
                rows[f"{m.name}, 402"].append(cpu_per_request(m, "/api/data", seconds, 64))
            print("  access-log round %d: %s" % (rnd + 1, ", ".join(
                f"{k} {v[-1]['cpu_us']:.2f} µs/req ({v[-1]['rps']:.0f} req/s)" for k, v in rows.items())), flush=True)
    finally:
        for m in (on, off):
            m.stop()
    summary = {k: {"cpu_us": med([r["cpu_us"] for r in v]), "rps": med([r["rps"] for r in v])}
               for k, v in rows.items()}
    for path in ("paid", "402"):
        a, b = summary[f"access log on, {path}"], summary[f"access log off, {path}"]
        summary[f"{path}: CPU per request, on / off"] = a["cpu_us"] / b["cpu_us"]
        summary[f"{path}: req/s, on / off"] = a["rps"] / b["rps"]
    return summary


def count_syscalls(pid, seconds, action):
    """Futex calls and all system calls made by every thread of |pid| while |action| runs (a
    bounded wrk). perf's tracepoints when they work (no slowdown); strace -f -c otherwise."""
    perf = None
    if shutil.which("perf"):
        perf = subprocess.Popen(["perf", "stat", "-x", ",", "-e", "syscalls:sys_enter_futex",
                                 "-e", "raw_syscalls:sys_enter", "-p", str(pid), "--", "sleep", str(seconds + 1)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.3)
        if perf.poll() is not None:
            perf = None
    if perf:
        res = action()
        err = perf.communicate()[1]
        counts = {}
        for line in err.splitlines():
            parts = line.split(",")
            if len(parts) > 2 and parts[0].isdigit():
                counts[parts[2]] = int(parts[0])
        if "syscalls:sys_enter_futex" in counts:
            return res, counts["syscalls:sys_enter_futex"], counts.get("raw_syscalls:sys_enter"), "perf stat"
    out = os.path.join(tempfile.mkdtemp(prefix="x402-strace-"), "strace.txt")
    tracer = subprocess.Popen(["strace", "-f", "-c", "-e", "trace=futex", "-o", out, "-p", str(pid)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    res = action()
    tracer.send_signal(signal.SIGINT)
    tracer.wait(timeout=10)
    futex = 0
    with open(out) as f:
        for line in f:
            parts = line.split()
            if parts and parts[-1] == "futex":
                futex = int(parts[3])
    shutil.rmtree(os.path.dirname(out), ignore_errors=True)
    return res, futex, None, "strace -f -c"


def scaling_bench(rounds, seconds, body, header):
    """Two server threads against one: CPU per request (the same means linear scaling: twice
    the cores serve twice the requests) and futex calls per request (no lock shared between
    threads on the request path). On 2 cores wrk needs one of them, so req/s here cannot show
    the scaling itself; the CPU per request can. Servers on cores 0-1, wrk -t1 on core 1."""
    paid_header = "X-PAYMENT: " + valid_payment()
    one, two = Mock(threads=1, name="x402-dev, 1 thread"), Mock(threads=2, name="x402-dev, 2 threads")
    nginx1, nginx2 = Nginx(body, header), Nginx(body, header, workers=2)
    servers = (one, two, nginx1, nginx2)
    rows = {s.name: {"402": [], "paid": []} for s in servers}
    for s in servers:
        s.start()
        pin(s.pid, "0,1")
    try:
        for rnd in range(rounds):
            for s in servers:
                rows[s.name]["402"].append(cpu_per_request(s, "/api/data", seconds, 64))
                if isinstance(s, Mock):
                    rows[s.name]["paid"].append(cpu_per_request(s, "/api/data", seconds, 64, [paid_header]))
            print(f"  scaling round {rnd + 1} done", flush=True)
        futex = {}
        for path, headers in (("402", ()), ("paid", (paid_header,))):
            res, calls, syscalls, tool = count_syscalls(
                two.pid, seconds, lambda: wrk(two.port, "/api/data", 1, 64, seconds, headers, cpus=WRK_CORE))
            futex[path] = {"requests": res["requests"], "futex": calls, "syscalls": syscalls, "tool": tool}
            print(f"  futex, 2 threads, {path}: {calls} calls for {res['requests']} requests ({tool})", flush=True)
    finally:
        for s in servers:
            s.stop()
    return rows, futex


# --- lifecycle -----------------------------------------------------------------------------

def health_pid(port):
    import http.client
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        c.request("GET", "/__x402/health")
        return json.loads(c.getresponse().read())["pid"]
    except Exception:
        return None


class MockLifecycle:
    def __init__(self, backend, env, home):
        self.name = f"x402-dev ({backend})"
        self.backend, self.env, self.home, self.port = backend, env, home, free_port()

    def cli(self, *args, check=True):
        return run([BIN, "mock", *args], env=self.env, cwd=self.home, check=check)

    def start(self):
        self.cli("start", "--port", str(self.port), "--backend", self.backend)
        assert can_connect(self.port)

    def status(self):
        self.cli("status")

    def restart(self):
        old = health_pid(self.port)
        self.cli("restart", "--port", str(self.port), "--backend", self.backend)
        assert wait_until(lambda: health_pid(self.port) not in (None, old))

    def stop(self):
        pid = health_pid(self.port)
        self.cli("stop")
        assert wait_until(lambda: not alive(pid) and not can_connect(self.port))

    def cleanup(self):
        self.cli("stop", check=False)


class Floor:
    name = "plain floor (setsid + PID file, kill -0)"

    def __init__(self, binary, tmp):
        self.binary, self.pidfile, self.port = binary, os.path.join(tmp, "floor.pid"), free_port()

    def pid(self):
        # The floor writes its PID file after listen(): a connect can succeed before the file
        # has its number, so wait for the number as for the port.
        content = {}

        def written():
            try:
                with open(self.pidfile) as f:
                    content["text"] = f.read().strip()
            except OSError:
                return False
            return content["text"].isdigit()

        if not wait_until(written, 5):
            raise RuntimeError(f"the floor's PID file {self.pidfile} holds no PID")
        return int(content["text"])

    def start(self):
        if os.path.exists(self.pidfile):
            os.unlink(self.pidfile)
        subprocess.Popen(["setsid", self.binary, str(self.port), self.pidfile],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        assert wait_until(lambda: can_connect(self.port))
        self.pid()  # started means the PID file is there too: status and stop read it next

    def status(self):
        run(["kill", "-0", str(self.pid())])

    def restart(self):
        self.stop()
        self.start()

    def stop(self):
        pid = self.pid()
        os.kill(pid, signal.SIGTERM)
        assert wait_until(lambda: not alive(pid) and not can_connect(self.port))

    def cleanup(self):
        try:
            os.kill(self.pid(), signal.SIGKILL)
        except (OSError, ValueError):
            pass


class Pm2:
    name = "pm2 5.4.3"

    def __init__(self, tmp):
        self.port = free_port()
        self.env = dict(os.environ, PM2_HOME=os.path.join(tmp, "pm2"))
        self.pm2 = os.path.join(PERF, "node_modules", ".bin", "pm2")

    def cli(self, *args):
        return run([self.pm2, *args], env=self.env)

    def pid(self):
        out = self.cli("pid", "bench").stdout.strip().splitlines()
        return int(out[-1]) if out and out[-1].isdigit() else 0

    def start(self):
        self.cli("start", os.path.join(PERF, "pm2_server.cjs"), "--name", "bench", "--", str(self.port))
        assert wait_until(lambda: can_connect(self.port))

    def status(self):
        self.cli("describe", "bench")

    def restart(self):
        old = self.pid()
        self.cli("restart", "bench")
        assert wait_until(lambda: self.pid() not in (0, old) and can_connect(self.port))

    def stop(self):
        pid = self.pid()
        self.cli("delete", "bench")
        assert wait_until(lambda: not alive(pid) and not can_connect(self.port))

    def cleanup(self):
        run([self.pm2, "kill"], env=self.env, check=False)


class Systemctl:
    name = "systemctl --user (Type=notify unit)"

    def __init__(self, env, home, port):
        self.env, self.home, self.port = env, home, port

    def ctl(self, *args):
        return run(["systemctl", "--user", "--no-pager", *args], env=self.env)

    def start(self):
        self.ctl("start", "x402-mock")
        assert can_connect(self.port)

    def status(self):
        run(["systemctl", "--user", "--no-pager", "status", "x402-mock"], env=self.env, check=False)

    def restart(self):
        old = health_pid(self.port)
        self.ctl("restart", "x402-mock")
        assert wait_until(lambda: health_pid(self.port) not in (None, old))

    def stop(self):
        pid = health_pid(self.port)
        self.ctl("stop", "x402-mock")
        assert wait_until(lambda: not alive(pid) and not can_connect(self.port))

    def cleanup(self):
        run(["systemctl", "--user", "stop", "x402-mock"], env=self.env, check=False)


class UserManager:
    """systemd --user in a private mount namespace (as tests/integration/systemd_harness.cc)."""

    def __init__(self, tmp):
        self.home, self.runtime = os.path.join(tmp, "sd-home"), os.path.join(tmp, "sd-run")
        os.makedirs(self.home)
        os.makedirs(self.runtime, mode=0o700)
        env = {"PATH": os.environ["PATH"], "HOME": self.home, "XDG_RUNTIME_DIR": self.runtime}
        script = "mount -t tmpfs tmpfs /run/systemd && mkdir -p /run/systemd/system && exec /lib/systemd/systemd --user"
        self.proc = subprocess.Popen(["unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", script],
                                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.env = dict(os.environ, HOME=self.home, XDG_RUNTIME_DIR=self.runtime)
        self.env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        ok = wait_until(lambda: os.path.exists(os.path.join(self.runtime, "systemd", "private")), 20)
        time.sleep(0.3)
        if not ok:
            raise RuntimeError("systemd --user did not start")

    def close(self):
        run(["systemctl", "--user", "exit"], env=self.env, check=False)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def lifecycle_bench(rounds, tmp):
    floor_bin = os.path.join(tmp, "tiny_server")
    run(["cc", "-O2", "-o", floor_bin, os.path.join(PERF, "tiny_server.c")])
    direct_home = os.path.join(tmp, "direct-home")
    os.makedirs(direct_home)
    direct_env = dict(os.environ, HOME=direct_home)
    direct_env.pop("XDG_RUNTIME_DIR", None)
    systems = [Floor(floor_bin, tmp), MockLifecycle("direct", direct_env, direct_home), Pm2(tmp)]
    manager = None
    if os.geteuid() == 0 and shutil.which("unshare"):
        manager = UserManager(tmp)
        sd_mock = MockLifecycle("systemd", manager.env, manager.home)
        systems.append(sd_mock)
        systems.append(Systemctl(manager.env, manager.home, sd_mock.port))
    results = {s.name: {op: [] for op in ("start", "status", "restart", "stop")} for s in systems}
    try:
        for rnd in range(rounds):
            for s in systems:
                if isinstance(s, Systemctl):
                    # The same unit and launch spec x402-dev wrote, driven by systemctl alone.
                    pass
                for op in ("start", "status", "restart", "stop"):
                    results[s.name][op].append(timed(getattr(s, op)))
            print(f"  lifecycle round {rnd + 1}/{rounds} done", flush=True)
    finally:
        for s in systems:
            s.cleanup()
        if manager:
            manager.close()
    return results


# --- report --------------------------------------------------------------------------------

def med(values):
    return statistics.median(values) if values else float("nan")


def write_report(http_results, core, scaling, futex, life, args):
    m1, mn = "x402-dev mock, 1 thread", "x402-dev mock, default threads"
    ng, ex = "nginx, 1 worker", "express + x402-express 1.2.0"
    h = {name: {"rps": med([r["rps"] for r in v["402"]]),
                "paid": med([r["rps"] for r in v["paid"]]) if v["paid"] else None,
                "p50": med([r["p50"] for r in v["lat"]]), "p99": med([r["p99"] for r in v["lat"]]),
                "p99_load": med([r["p99"] for r in v["402"]]),
                "cpu": med([r["cpu"] for r in v["402"]]), "idle": v["idle_rss"], "peak": v["peak_rss"],
                "errors": sum(r["socket_errors"] for r in v["402"] + v["paid"])}
         for name, v in http_results.items()}
    L = {name: {op: med(v) for op, v in ops.items()} for name, ops in life.items()}
    floor, direct = "plain floor (setsid + PID file, kill -0)", "x402-dev (direct)"
    sd, ref, pm2 = "x402-dev (systemd)", "systemctl --user (Type=notify unit)", "pm2 5.4.3"

    targets = []
    def target(figure, value, goal, ok):
        targets.append((figure, value, goal, "met" if ok else "**missed**"))

    C = {name: {"cpu_us": med([r["cpu_us"] for r in v]), "rps": med([r["rps"] for r in v])} for name, v in core.items()}
    r = C["nginx 402"]["cpu_us"] / C["x402-dev 402"]["cpu_us"]
    target("402 path per core vs nginx 1 worker, both with their default access log (CPU µs per request, pinned)",
           f"{r:.2f}×", "≥ 1.0×", r >= 1.0)
    r = C["nginx 402, access log off"]["cpu_us"] / C["x402-dev 402, access log off"]["cpu_us"]
    target("402 path per core vs nginx 1 worker, both with logging off", f"{r:.2f}×", "≥ 1.0×", r >= 1.0)
    r = C["x402-dev 402"]["cpu_us"] / C["x402-dev paid"]["cpu_us"]
    target("paid path per core: efficiency vs own 402 path, defaults (access log and history on)",
           f"{r:.2f}× ({1 / r:.2f}× the CPU)", "≥ 0.6× (≤ 1.67× the CPU)", r >= 0.6)
    r = C["x402-dev 402, 5 options"]["cpu_us"] / C["x402-dev 402"]["cpu_us"]
    target("402 with 5 payment options vs with 1 (CPU per request, pinned)", f"{r:.2f}× the CPU", "≤ 1.3×", r <= 1.3)
    for path in ("402", "paid"):
        f = futex[path]["futex"] / max(futex[path]["requests"], 1)
        # A lock taken per request would show as ≥ 1 (or a fraction near it, counting only the
        # contended takes); the paid path's residue is the log writer's wake-up, once per ms at most.
        target(f"futex calls per request, 2 server threads, {path} path", f"{f:.4f}", "≈ 0 (≤ 0.05)", f <= 0.05)
    r = h[mn]["rps"] / h[ex]["rps"]; target("402 req/s vs express + x402-express", f"{r:.1f}×", "≥ 10×", r >= 10)
    r = h[m1]["p99_load"] / h[ng]["p99_load"]; target("p99 under load, 1 thread vs nginx", f"{r:.2f}×", "≤ 1.5×", r <= 1.5)
    target("idle RSS vs nginx (1 worker)", f"{h[m1]['idle']} KiB vs {h[ng]['idle']} KiB", "≤ nginx's", h[m1]["idle"] <= h[ng]["idle"])
    for op in ("start", "status", "stop"):
        r = L[direct][op] / L[floor][op]; target(f"`mock {op}`, direct, vs the plain floor", f"{r:.2f}×", "≤ 2×", r <= 2)
    if sd in L:
        for op in ("start", "status", "stop"):
            r = L[sd][op] / L[ref][op]; target(f"{op} through systemd vs systemctl --user", f"{r:.2f}×", "≤ 1.2×", r <= 1.2)
    for op in ("start", "status", "restart", "stop"):
        r = L[pm2][op] / L[direct][op]; target(f"{op}: pm2 / x402-dev (direct)", f"{r:.1f}×", "≥ 10×", r >= 10)

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cpu = run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], check=False).stdout.strip()
    out = [f"# Performance\n",
           f"Measured {now} on {os.cpu_count()} cores ({cpu}), a shared machine: every judged figure is a ratio",
           f"to a reference measured in the same run (interleaved rounds, medians). Reproduce with",
           f"`tests/perf/run.sh`{' --quick' if args.quick else ''} (release build; nginx, wrk from Debian; express, x402-express, pm2 from npm).\n",
           "## Targets\n", "| figure | measured | target | |", "|---|---|---|---|"]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in targets]
    out += ["\n## Per core\n",
            f"Each server pinned to core {SERVER_CORE} (every thread: `taskset -a -p -c {SERVER_CORE}`), `wrk -t1 -c64 -d{args.seconds}s`",
            f"pinned to core {WRK_CORE} (`taskset -c {WRK_CORE}`), so wrk never takes the server's core; one x402-dev thread against one",
            f"nginx worker returning the same 402, each with its default access log (the mock's line per request,",
            f"nginx's combined format to a file) and each with logging off; {args.core_rounds} interleaved rounds, medians. CPU is the server's utime+stime",
            "from /proc over the run divided by the requests wrk completed; efficiency is the reference's CPU",
            "per request over this row's (higher is better). One wrk thread is close to its own limit here,",
            "so req/s is shown but not judged.\n",
            "| row | server pinned to | wrk pinned to | CPU µs per request | efficiency | req/s |",
            "|---|---|---|---|---|---|"]
    reference = {"x402-dev 402": ("nginx 402", "vs nginx, both logging"),
                 "x402-dev 402, access log off": ("nginx 402, access log off", "vs nginx, neither logging"),
                 "x402-dev paid": ("x402-dev 402", "vs x402-dev 402"),
                 "x402-dev 402, 5 options": ("x402-dev 402", "vs x402-dev 402 with one option")}
    for name, v in C.items():
        ref_name, against = reference.get(name, (name, "(reference)"))
        base = C[ref_name]["cpu_us"]
        out.append(f"| {name} | core {SERVER_CORE} | core {WRK_CORE} | {v['cpu_us']:.2f} | "
                   f"{base / v['cpu_us']:.2f}× {against} | {v['rps']:.0f} |")
    S = {name: {p: (med([r["cpu_us"] for r in v[p]]), med([r["rps"] for r in v[p]])) if v[p] else None
                for p in ("402", "paid")} for name, v in scaling.items()}
    one, two = "x402-dev, 1 thread", "x402-dev, 2 threads"
    out += ["\n## Two threads\n",
            f"Scaling shown by what 2 cores can show: every server on cores 0-1 (`taskset -a -p -c 0,1`), `wrk -t1 -c64",
            f"-d{args.seconds}s` pinned to core {WRK_CORE}; {args.core_rounds} interleaved rounds, medians. wrk needs one of the two",
            "cores, so req/s cannot double here; what must hold for linear scaling is that a second thread does not",
            "make a request dearer (CPU µs per request about the same with 1 and 2 threads) and that the threads",
            "share no lock (futex calls per request about 0).\n",
            "| server | threads on | wrk on | 402: CPU µs/request | 402 req/s | paid: CPU µs/request | paid req/s |",
            "|---|---|---|---|---|---|---|"]
    for name, v in S.items():
        paid = f"{v['paid'][0]:.2f} | {v['paid'][1]:.0f}" if v["paid"] else "— | —"
        out.append(f"| {name} | cores 0-1 | core {WRK_CORE} | {v['402'][0]:.2f} | {v['402'][1]:.0f} | {paid} |")
    n1, n2 = "nginx, 1 worker", "nginx, 2 workers"
    out += [f"\n2 threads vs 1, CPU per request: x402-dev 402 path {S[two]['402'][0] / S[one]['402'][0]:.2f}×, "
            f"paid path {S[two]['paid'][0] / S[one]['paid'][0]:.2f}×; nginx 2 workers vs 1, same setup: "
            f"{S[n2]['402'][0] / S[n1]['402'][0]:.2f}× (a second thread shares core {WRK_CORE} with wrk).\n",
            "Futex calls (`syscalls:sys_enter_futex`, every thread of the 2-thread server, counted over one",
            f"`wrk -t1 -c64 -d{args.seconds}s` run, wrk on core {WRK_CORE}):\n",
            "| path | requests | futex calls | futex per request | system calls per request | counted with |", "|---|---|---|---|---|---|"]
    for path, v in futex.items():
        per_syscall = f"{v['syscalls'] / max(v['requests'], 1):.2f}" if v["syscalls"] else "—"
        out.append(f"| {path} | {v['requests']} | {v['futex']} | {v['futex'] / max(v['requests'], 1):.4f} | {per_syscall} | {v['tool']} |")
    out += ["\n## HTTP\n",
            f"`wrk -t2 -c64 -d{args.seconds}s` on `GET /api/data` (402) and with a valid hand-made `X-PAYMENT` (paid, success mode, `verification: shape`: one unsigned payment replayed);",
            f"latency with `wrk -t1 -c1 -d{args.latency_seconds}s`; {args.rounds} interleaved rounds, medians. CPU is cores used",
            "by the server during the throughput run; RSS covers the whole process tree.\n",
            "Nothing is pinned: server and wrk share cores 0-1, as an everyday user's machine would.\n",
            "| server | pinned | 402 req/s | paid req/s | p50 (1 conn) | p99 (1 conn) | p99 (64 conns) | CPU | idle RSS | peak RSS | socket errors |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, v in h.items():
        paid = f"{v['paid']:.0f}" if v["paid"] else "—"
        out.append(f"| {name} | none (server, wrk -t2: cores 0-1) | {v['rps']:.0f} | {paid} | {v['p50']:.3f} ms | {v['p99']:.3f} ms | {v['p99_load']:.2f} ms | "
                   f"{v['cpu']:.2f} | {v['idle']} KiB | {v['peak']} KiB | {v['errors']} |")
    out.append(f"\nUnpinned ratios (not judged): 402 req/s, 1 thread vs nginx {h[m1]['rps'] / h[ng]['rps']:.2f}×; "
               f"paid vs 402 req/s, default threads {h[mn]['paid'] / h[mn]['rps']:.2f}×.")
    out += ["\n## Lifecycle\n",
            f"Wall time of each operation until its effect is observable: `start` until a TCP connect succeeds, `restart`",
            f"until a new PID answers, `stop` until the PID is gone and connect is refused; {args.life_rounds} interleaved rounds, medians (ms).\n",
            "| system | pinned | start | status | restart | stop |", "|---|---|---|---|---|---|"]
    for name, ops in L.items():
        out.append(f"| {name} | none | {ops['start']:.1f} | {ops['status']:.1f} | {ops['restart']:.1f} | {ops['stop']:.1f} |")
    with open(os.path.join(PERF, "scaling.md")) as f:
        out += ["", f.read().rstrip()]
    # The strict paid path against @x402/evm's verifier: tests/perf/signature_bench.py.
    signatures = os.path.join(PERF, "signatures.md")
    if os.path.exists(signatures):
        with open(signatures) as f:
            out += ["", f.read().rstrip()]
    # The container figures are measured by tests/container/container_test.py, not here.
    container = os.path.join(ROOT, "tests", "container", "performance.md")
    if os.path.exists(container):
        with open(container) as f:
            out += ["", f.read().rstrip()]
    analysis = os.path.join(PERF, "analysis.md")
    if any(t[3] != "met" for t in targets) and os.path.exists(analysis):
        with open(analysis) as f:
            out += ["", f.read().rstrip()]
    with open(os.path.join(ROOT, "docs", "performance.md"), "w") as f:
        f.write("\n".join(out) + "\n")
    print("\n".join(out))


def main():
    global BIN
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true", help="shorter runs, for a smoke test")
    p.add_argument("--only", choices=("core", "http", "lifecycle", "access-log"),
                   help="core: the pinned per-core and two-thread parts; http: those and the unpinned HTTP part;"
                        " lifecycle, access-log: that part alone. Prints the figures; docs/performance.md is left alone")
    p.add_argument("--binary", help="the x402-dev to measure (default: the release build)")
    args = p.parse_args()
    if args.binary:
        BIN = os.path.abspath(args.binary)
    args.rounds, args.seconds, args.latency_seconds, args.life_rounds = (1, 3, 2, 3) if args.quick else (3, 10, 5, 10)
    # The judged pinned figures get 3 rounds even in --quick (3 s each): one round is at the
    # mercy of whatever else the machine did in those seconds.
    args.core_rounds = 3
    for tool in ("wrk", "nginx", "node", "cc", "taskset"):
        if not shutil.which(tool):
            sys.exit(f"missing {tool}: run tests/perf/run.sh, which installs it")
    tmp = tempfile.mkdtemp(prefix="x402-perf-")
    try:
        if args.only == "access-log":
            print("access log on vs off (servers on core 0, wrk on core 1)", flush=True)
            print(json.dumps(access_log_bench(args.core_rounds, args.seconds), indent=1))
            return
        if args.only == "lifecycle":
            life = lifecycle_bench(args.life_rounds, tmp)
            print(json.dumps({name: {op: round(med(v), 2) for op, v in ops.items()} for name, ops in life.items()}, indent=1))
            return
        body, header = probe_402()
        print("per-core benchmark (server on core 0, wrk on core 1)", flush=True)
        core = core_bench(args.core_rounds, args.seconds, body, header)
        print("two-thread benchmark (servers on cores 0-1, wrk on core 1)", flush=True)
        scaling, futex = scaling_bench(args.core_rounds, args.seconds, body, header)
        if args.only == "core":
            print(json.dumps({"core": core, "scaling": scaling, "futex": futex}, indent=1, default=str))
            return
        print("HTTP benchmark (unpinned)", flush=True)
        http_results = http_bench(args.rounds, args.seconds, args.latency_seconds, body, header)
        if args.only == "http":
            print(json.dumps({"core": core, "scaling": scaling, "futex": futex, "http": http_results},
                             indent=1, default=str))
            return
        print("lifecycle benchmark", flush=True)
        life = lifecycle_bench(args.life_rounds, tmp)
        write_report(http_results, core, scaling, futex, life, args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
