#!/usr/bin/env python3
"""Strict paid path vs the reference verifier, in one run (issue 17, item 7). Not a test.

Payments: COUNT distinct v2 payments, really signed by viem (tests/perf/signature_bench.mjs),
           twice over (one set for throughput, one for latency: a payment is never sent twice,
           since a replay is refused by a strict facilitator). Cached in
           ~/.cache/x402-dev/perf/ for 12 h (they are valid for 24 h).
The mock:  release build, --threads 1, pinned to core 0; wrk -t1 pinned to core 1 sends each
           payment once (signed_payments.lua). Throughput: COUNT over the span between the
           first and the last "payment accepted" log line, at -c CONNS; p99: wrk's, at -c1.
           CPU per request: the server's utime+stime (/proc) over the throughput run / COUNT.
           Recovery's share of it: perf record on the server during the throughput run, the
           samples in libsecp256k1 and Crypto++'s Keccak.
The reference: @x402/evm 2.27's exact facilitator verify (viem's pure-JS recovery) in Node,
           pinned to core 0, on the throughput set, one payment after the other; p99 per verify
           call (no HTTP: the reference's figures are flattered, not the mock's).

Usage: tests/perf/signature_bench.py [--binary PATH] [--count N] [--conns N]
       (prints the figures as JSON and writes tests/perf/signatures.md, which bench.py puts into
       docs/performance.md; --render FILE.json rewrites it from an earlier run's JSON)
"""
import argparse, datetime, json, os, re, shutil, socket, subprocess, sys, tempfile, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PERF = os.path.join(ROOT, "tests", "perf")
CLK_TCK = os.sysconf("SC_CLK_TCK")
CACHE = os.path.join(os.environ.get("X402_DEV_CACHE", os.path.expanduser("~/.cache/x402-dev")), "perf")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def wait_health(url, timeout=10):
    import urllib.request
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never a proxy
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with opener.open(f"{url}/__x402/health", timeout=0.5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the mock did not become healthy")


def payments(count, url, name):
    os.makedirs(CACHE, exist_ok=True)
    path = os.path.join(CACHE, f"{name}-{count}.txt")
    if not (os.path.exists(path) and time.time() - os.path.getmtime(path) < 12 * 3600):
        subprocess.run(["node", os.path.join(PERF, "signature_bench.mjs"), "generate", str(count), url, path],
                       check=True)
    return path


def wrk(url, file, conns, seconds):
    out = subprocess.run(["taskset", "-c", "1", "wrk", "-t1", f"-c{conns}", f"-d{seconds}s", "--latency",
                          "-s", os.path.join(PERF, "signed_payments.lua"), url, "--", file],
                         check=True, capture_output=True, text=True).stdout
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 1e-3, "ms": 1.0, "s": 1e3}[p99.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return float(p99.group(1)) * scale, int(bad.group(1)) if bad else 0, out


def accepted_span(log_path):
    stamps = []
    with open(log_path) as f:
        for line in f:
            if "payment accepted" in line:
                stamps.append(datetime.datetime.fromisoformat(line.split()[0].replace("Z", "+00:00")))
    return len(stamps), (stamps[-1] - stamps[0]).total_seconds() if len(stamps) > 1 else 0.0


def recovery_share(perf_data):
    if not os.path.exists(perf_data):
        return None
    report = subprocess.run(["perf", "report", "--stdio", "--no-children", "--sort", "sym", "-i", perf_data],
                            capture_output=True, text=True).stdout
    share = 0.0
    for line in report.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+\S+\s+(.*)", line)
        if m and re.search(r"secp256k1|Keccak|KeccakF1600|CryptoPP", m.group(2)):
            share += float(m.group(1))
    return share


def render(r):
    m, ref, ratio = r["mock"], r["reference"], r["ratios"]
    share = "n/a (no perf)" if m["recovery_share_of_cpu_percent"] is None else f"{m['recovery_share_of_cpu_percent']:.0f} %"
    met = lambda ok: "met" if ok else "**missed**"
    lines = [
        "## Strict paid path: signature verification vs the reference verifier",
        "",
        f"Measured {r['when']} by `tests/perf/signature_bench.py` (not part of the tests). {r['count']} distinct v2",
        "payments really signed by viem (another " + str(r["count"]) + " for the latency run: a payment is never sent",
        "twice). The mock: release build, `--threads 1`, pinned to core 0, every payment EIP-712-hashed",
        f"and its signer recovered; wrk -t1 pinned to core 1 (-c{r['conns']} for throughput, -c1 for p99), each payment",
        "sent once. The reference: @x402/evm 2.27's exact-scheme facilitator `verify` in Node (viem's",
        "pure-JS recovery; an offline signer answers getCode/readContract), pinned to core 0, one",
        "payment after the other on the same payments; its p99 is per `verify` call, without HTTP.",
        "",
        "| figure | the mock (HTTP, paid path) | @x402/evm verify (Node, no HTTP) | ratio | target | |",
        "|---|---|---|---|---|---|",
        f"| throughput | {m['per_second']:.0f} /s | {ref['per_second']:.0f} /s | {ratio['throughput']:.1f}× | ≥ 20× | {met(ratio['throughput'] >= 20)} |",
        f"| p99 latency | {m['p99_ms']:.3f} ms | {ref['p99_ms']:.3f} ms | {ratio['p99']:.3f}× | ≤ 0.1× | {met(ratio['p99'] <= 0.1)} |",
        "",
        f"The mock's CPU per paid request: {m['cpu_us_per_request']:.1f} µs (utime+stime from /proc over the throughput run).",
        f"Share of it in libsecp256k1 and Crypto++'s Keccak (perf record on the server, same run): {share}.",
        f"Payments refused: {m['refused']} (must be 0); Node verified {ref['valid']} of {ref['count']} as valid.",
    ]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, "out", "build", "release", "x402-dev"))
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--conns", type=int, default=8)
    ap.add_argument("--render", help="rewrite tests/perf/signatures.md from this JSON and stop")
    args = ap.parse_args()
    report = os.path.join(PERF, "signatures.md")
    if args.render:
        with open(args.render) as f:
            result = json.load(f)
        with open(report, "w") as f:
            f.write(render(result))
        return 0
    args.binary = os.path.abspath(args.binary)

    home = tempfile.mkdtemp(prefix="x402-sigbench-")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = os.path.join(home, "mock.log")
    log = open(log_path, "w")
    server = subprocess.Popen(["taskset", "-c", "0", args.binary, "mock", "--port", str(port), "--threads", "1"],
                              cwd=home, env={**os.environ, "HOME": home, "NO_COLOR": "1"},
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_health(url)
        throughput_set = payments(args.count, url, "throughput")
        latency_set = payments(args.count, url, "latency")

        perf_data = os.path.join(home, "perf.data")
        seconds = max(5, args.count // 1000)
        perf = None
        if shutil.which("perf"):
            perf = subprocess.Popen(["perf", "record", "-F", "4999", "-p", str(server.pid), "-o", perf_data,
                                     "--", "sleep", str(seconds)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.3)
        cpu_before = cpu_seconds(server.pid)
        _, bad_throughput, _ = wrk(url, throughput_set, args.conns, seconds)
        cpu = cpu_seconds(server.pid) - cpu_before
        if perf:
            perf.wait()
        accepted, span = accepted_span(log_path)
        p99_mock, bad_latency, _ = wrk(url, latency_set, 1, seconds)
        share = recovery_share(perf_data)
    finally:
        server.terminate()
        server.wait()
        log.close()

    node = subprocess.run(["taskset", "-c", "0", "node", os.path.join(PERF, "signature_bench.mjs"), "verify",
                           throughput_set], check=True, capture_output=True, text=True).stdout
    ref = json.loads(node.strip().splitlines()[-1])
    shutil.rmtree(home, ignore_errors=True)

    mock_rps = (accepted - 1) / span if span > 0 else float("nan")
    result = {
        "when": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "count": args.count, "conns": args.conns,
        "mock": {"accepted_in_throughput_run": accepted, "refused": bad_throughput + bad_latency,
                 "per_second": mock_rps, "p99_ms": p99_mock, "cpu_us_per_request": cpu / args.count * 1e6,
                 "recovery_share_of_cpu_percent": share},
        "reference": ref,
        "ratios": {"throughput": mock_rps / ref["per_second"], "p99": p99_mock / ref["p99_ms"]},
    }
    print(json.dumps(result, indent=1))
    with open(report, "w") as f:
        f.write(render(result))


if __name__ == "__main__":
    sys.exit(main())
