#!/usr/bin/env python3
"""x402-dev reliability suite: load held, faults injected, nothing lost.

  soak           wrk at 256 connections on the 402 path and on the paid path: zero socket
                 errors, zero unexpected statuses, RSS growth under 10 % from second 10 to the end.
  slow-clients   500 connections send their header one byte per second (slowloris) while a
                 normal client keeps asking: its latency stays usual, the slow ones are dropped
                 at the 10 s header timeout.
  graceful-stop  `mock stop` while wrk and keep-alive clients run: the process exits within the
                 timeout, the PID file goes, no answer is cut short, and every answer the server
                 says it wrote reached a client.

Usage: tests/reliability/reliability.py [--binary PATH] [--short] [--json FILE] [SUITE...]
       (tests/reliability/run.sh runs the full length and writes docs/reliability.md; CI runs --short)
Each server runs under its own HOME on its own loopback port and is stopped by PID at the end.
"""
import argparse, http.client, json, os, re, selectors, shutil, signal, socket, statistics
import subprocess, sys, tempfile, threading, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_BINARY = os.path.join(ROOT, "out", "build", "release", "x402-dev")
STATUS_LUA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "count_statuses.lua")
HEADER_TIMEOUT_S = 10.0

# The benchmark's helpers: a free loopback port, a live (not zombie) PID, a valid X-PAYMENT.
sys.path.insert(0, os.path.join(ROOT, "tests", "perf"))
from bench import alive, free_port, valid_payment  # noqa: E402  # src/server/mock_server.h: ServerOptions::header_timeout


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


class Server:
    """`x402-dev mock start --backend direct` under a fresh HOME; stopped (and if need be
    killed) by its PID."""

    def __init__(self, binary, threads=None):
        self.binary = binary
        self.home = tempfile.mkdtemp(prefix="x402-reliability-")
        self.port = free_port()
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("X402_DEV_") and k not in ("XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS")}
        # valid_payment() is hand-made (unsigned, one nonce for every request): shape checks only.
        self.env["X402_DEV_VERIFICATION"] = "shape"
        self.env["HOME"] = self.home
        args = ["start", "--backend", "direct", "--port", str(self.port)]
        if threads:
            args += ["--threads", str(threads)]
        r = self.cli(*args)
        if r.returncode != 0:
            raise RuntimeError(f"mock start → {r.returncode}: {r.stderr}")
        with open(self.pid_file) as f:
            self.pid = int(f.read())

    @property
    def pid_file(self):
        return os.path.join(self.home, ".x402dev", "mock-server.pid")

    @property
    def log_file(self):
        return os.path.join(self.home, ".x402dev", "logs", "mock-server.log")

    def cli(self, *args):
        return subprocess.run([self.binary, "mock", *args], env=self.env, cwd=self.home,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def close(self):
        if alive(self.pid):
            self.cli("stop", "--timeout", "5")
        if alive(self.pid):  # never by name: the PID we started
            os.kill(self.pid, signal.SIGKILL)
        shutil.rmtree(self.home, ignore_errors=True)


def wrk(port, path, seconds, conns, expected_status, headers=()):
    cmd = ["wrk", "-t2", f"-c{conns}", f"-d{seconds}s", "--latency", "-s", STATUS_LUA]
    for h in headers:
        cmd += ["-H", h]
    cmd += [f"http://127.0.0.1:{port}{path}", "--", str(expected_status)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def parse_wrk(out):
    m = re.search(r"STATUS-CHECK seen=(\d+) unexpected=(\d+)", out)
    if not m or "Requests/sec" not in out:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return {"answers": int(m.group(1)), "unexpected_statuses": int(m.group(2)),
            "socket_errors": errors,
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p99": re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1)}


# --- soak --------------------------------------------------------------------------------------

def soak(binary, seconds, conns=256):
    results = []
    for name, path, status, headers in (("402 path", "/api/data", 402, ()),
                                       ("paid path", "/api/data", 200, ("X-PAYMENT: " + valid_payment(),))):
        server = Server(binary)
        try:
            samples = {}
            load = wrk(server.port, path, seconds, conns, status, headers)
            started = time.monotonic()
            while load.poll() is None:
                samples[int(time.monotonic() - started)] = rss_kib(server.pid)
                time.sleep(0.25)
            figures = parse_wrk(load.stdout.read())
            # Warm-up ends at second 10 (second 1 of a short run); growth is measured from there.
            first = 10 if seconds >= 20 else 1
            last = max(k for k in samples if k < seconds) if samples else 0
            growth = (samples[last] - samples[first]) / samples[first] if samples.get(first) else 1.0
            alive_after = alive(server.pid) and server.cli("status").returncode == 0
            figures.update(name=name, seconds=seconds, connections=conns,
                           rss_first_kib=samples.get(first, 0), rss_last_kib=samples.get(last, 0),
                           rss_window=f"{first}s→{last}s", rss_growth_pct=round(growth * 100, 2),
                           server_alive_after=alive_after)
            figures["ok"] = (figures["socket_errors"] == 0 and figures["unexpected_statuses"] == 0
                             and figures["answers"] > 0 and growth < 0.10 and alive_after)
            results.append(figures)
        finally:
            server.close()
    return results


# --- slow clients ------------------------------------------------------------------------------

def timed_get(port):
    t = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/api/data")
        response = conn.getresponse()
        response.read()
        return (time.perf_counter() - t) * 1000.0, response.status
    finally:
        conn.close()


def slow_clients(binary, count=500):
    server = Server(binary)
    try:
        baseline = [timed_get(server.port)[0] for _ in range(200)]

        selector = selectors.DefaultSelector()
        opened = {}
        header = b"GET /api/data HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 4000
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", server.port))
            s.setblocking(False)
            opened[s] = time.monotonic()
            selector.register(s, selectors.EVENT_READ)
        dropped_after = []
        stop = threading.Event()

        def trickle():  # one byte per connection per second; notice when the server hangs up
            sent = 0
            next_tick = time.monotonic()
            while opened and not stop.is_set():
                if time.monotonic() >= next_tick:
                    for s in list(opened):
                        try:
                            s.send(header[sent:sent + 1])
                        except OSError:
                            pass  # a reset shows up as readable below
                    sent += 1
                    next_tick += 1.0
                for key, _ in selector.select(timeout=0.05):
                    s = key.fileobj
                    try:
                        data = s.recv(4096)
                    except OSError:
                        data = b""
                    if not data:
                        dropped_after.append(time.monotonic() - opened.pop(s))
                        selector.unregister(s)
                        s.close()

        slow = threading.Thread(target=trickle)
        slow.start()
        during, failures = [], 0
        deadline = time.monotonic() + HEADER_TIMEOUT_S + 8
        while time.monotonic() < deadline and (opened or len(during) < 50):
            try:
                ms, status = timed_get(server.port)
                during.append(ms)
                failures += status != 402
            except OSError:
                failures += 1
            time.sleep(0.02)
        stop.set()
        slow.join()
        for s in list(opened):
            s.close()

        result = {"slow_connections": count, "dropped": len(dropped_after),
                  "drop_after_s_min": round(min(dropped_after), 2) if dropped_after else None,
                  "drop_after_s_max": round(max(dropped_after), 2) if dropped_after else None,
                  "normal_requests": len(during), "normal_failures": failures,
                  "baseline_p50_ms": round(statistics.median(baseline), 2),
                  "baseline_p99_ms": round(percentile(baseline, 99), 2),
                  "during_p50_ms": round(statistics.median(during), 2) if during else None,
                  "during_p99_ms": round(percentile(during, 99), 2) if during else None,
                  "server_alive_after": alive(server.pid)}
        result["ok"] = (result["dropped"] == count and failures == 0 and during
                        and HEADER_TIMEOUT_S - 0.5 <= min(dropped_after)
                        and max(dropped_after) <= HEADER_TIMEOUT_S + 3
                        and result["during_p50_ms"] <= 2 * result["baseline_p50_ms"] + 2
                        and result["during_p99_ms"] <= 3 * result["baseline_p99_ms"] + 10
                        and result["server_alive_after"])
        return [result]
    finally:
        server.close()


# --- graceful stop -----------------------------------------------------------------------------

class KeepAliveClient(threading.Thread):
    """Asks again and again on one keep-alive connection, reconnecting when an answer says
    "Connection: close", until a connect is refused. Classifies every request."""

    def __init__(self, port):
        super().__init__()
        self.port = port
        self.complete = self.cut_short = self.unanswered = 0

    def run(self):
        conn = None
        while True:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
                try:
                    conn.connect()
                except OSError:
                    return  # the listener is closed: the server has stopped accepting
            try:
                conn.request("GET", "/api/data")
                response = conn.getresponse()
                body = response.read()
                if response.status == 402 and len(body) == int(response.getheader("Content-Length")):
                    self.complete += 1
                else:
                    self.cut_short += 1
                if response.will_close:
                    conn.close()
                    conn = None
            except http.client.RemoteDisconnected:
                # Closed before one byte of an answer: the server had stopped reading this
                # connection (it was idle when the stop began); the request was never accepted.
                self.unanswered += 1
                conn.close()
                conn = None
            except (http.client.HTTPException, OSError):
                self.cut_short += 1
                conn.close()
                conn = None


def graceful_stop(binary, rounds):
    results = []
    for _ in range(rounds):
        server = Server(binary)
        try:
            load = wrk(server.port, "/api/data", 6, 64, 402)
            clients = [KeepAliveClient(server.port) for _ in range(16)]
            for c in clients:
                c.start()
            time.sleep(2.0)
            t = time.monotonic()
            stop = server.cli("stop")
            stop_s = time.monotonic() - t
            exited = not alive(server.pid)
            for c in clients:
                c.join(timeout=20)
            figures = parse_wrk(load.communicate()[0])
            with open(server.log_file) as f:
                summary = re.findall(r"stopped: (\d+) answers written; (\d+) connections cut off", f.read())
            written, cut_off = (int(summary[-1][0]), int(summary[-1][1])) if summary else (-1, -1)
            received = figures["answers"] + sum(c.complete for c in clients)
            result = {"stop_exit_code": stop.returncode, "stop_seconds": round(stop_s, 3),
                      "process_exited": exited, "pid_file_removed": not os.path.exists(server.pid_file),
                      "answers_written_by_server": written, "answers_received_by_clients": received,
                      "cut_off_by_drain_timeout": cut_off,
                      "answers_cut_short": sum(c.cut_short for c in clients),
                      "never_accepted_closed_idle": sum(c.unanswered for c in clients),
                      "wrk_answers": figures["answers"], "wrk_unexpected_statuses": figures["unexpected_statuses"]}
            result["ok"] = (stop.returncode == 0 and exited and result["pid_file_removed"]
                            and stop_s < 10 and cut_off == 0 and written == received
                            and result["answers_cut_short"] == 0 and figures["unexpected_statuses"] == 0
                            and not any(c.is_alive() for c in clients))
            results.append(result)
        finally:
            server.close()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=DEFAULT_BINARY)
    parser.add_argument("--short", action="store_true", help="the CI length: 10 s soak, one stop round")
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("suites", nargs="*", default=["soak", "slow-clients", "graceful-stop"])
    args = parser.parse_args()
    args.binary = os.path.abspath(args.binary)
    if not shutil.which("wrk"):
        print("skipped: wrk is not installed (apt-get install wrk)")
        return 77
    if not os.access(args.binary, os.X_OK):
        print(f"skipped: no {args.binary} (build the release preset)")
        return 77

    suites = {"soak": lambda: soak(args.binary, 10 if args.short else 60),
              "slow-clients": lambda: slow_clients(args.binary, 500),
              "graceful-stop": lambda: graceful_stop(args.binary, 1 if args.short else 3)}
    report, ok = {}, True
    for name in args.suites:
        if name not in suites:
            parser.error(f"unknown suite {name!r}; one of {', '.join(suites)}")
        t = time.monotonic()
        report[name] = suites[name]()
        for row in report[name]:
            ok &= bool(row["ok"])
            print(f"{'ok  ' if row['ok'] else 'FAIL'} {name}: " + json.dumps(row))
        print(f"     {name}: {time.monotonic() - t:.1f} s", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
