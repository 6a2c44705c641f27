#!/usr/bin/env python3
"""Strict paid path vs the reference verifier, in one run (issue 17, item 7). Not a test.

Payments: COUNT distinct v2 payments, really signed by viem (tests/perf/signature_bench.mjs),
           twice over (one set for throughput, one for latency). Cached in
           ~/.cache/x402-dev/perf/ for 12 h (they are valid for 24 h). A payment is never sent
           twice to one server, since a strict facilitator refuses a replay; every measurement
           starts a fresh server, which remembers no settled authorization.
The mock:  release build, --threads 1, pinned to core 0; wrk -t1 pinned to core 1 sends each
           payment once (signed_payments.lua). Throughput: COUNT over the span between the
           first and the last "payment accepted" log line, at -c CONNS. CPU per request: the
           server's utime+stime (/proc) over that run / COUNT. p99: wrk's, at -c1.
The reference: @x402/evm 2.27's exact facilitator verify (viem's pure-JS recovery) in Node,
           pinned to core 0, on the throughput set, one payment after the other; p99 per verify
           call (no HTTP: the reference's figures are flattered, not the mock's).
Rounds:    the cores are a VM's and their speed drifts by tens of percent over minutes, so the
           throughput runs alternate, ROUNDS times: the mock, then the reference, on the same
           set; the figures are the medians, every round is reported.
Recovery's share: perf record on the server in a run of its own (sampling at 5 kHz costs the
           server CPU, so it never overlaps the runs that are timed); the samples in
           libsecp256k1 and Crypto++'s Keccak.

Kinds:     each of --kinds (default all four) on its own offer: `exact` by EIP-3009 (USDC),
           `exact` through Permit2 (USDC with asset_transfer_method: permit2) and `upto` (issue
           27); the reference is the matching @x402/evm facilitator scheme (ExactEvmScheme,
           which picks Permit2 by the payload's shape, or UptoEvmScheme). `solana` (issue 28):
           Solana exact on devnet USDC, transactions built and signed by @x402/svm's client; the
           reference is @x402/svm's ExactSvmScheme facilitator, its simulation stubbed. Every
           server of the run co-signs with one fee-payer key (kept in the cache beside the
           payments) and issues blockhashes for a day (solana_blockhash_seconds), so the cached
           transactions stay payable.

Usage: tests/perf/signature_bench.py [--binary PATH] [--count N] [--conns N] [--rounds N] [--kinds K,…]
       (prints the figures as JSON and writes tests/perf/signatures.md, which bench.py puts into
       docs/performance.md; --render FILE.json rewrites it from an earlier run's JSON)
"""
import argparse, datetime, json, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PERF = os.path.join(ROOT, "tests", "perf")
CLK_TCK = os.sysconf("SC_CLK_TCK")
# The network the payments are made on: not the default one (issue 26), so the figures show an
# option of the full table paid at full speed. --network changes it.
NETWORK = "eip155:42161"
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


KINDS = ("eip3009", "permit2", "upto", "solana")


def solana_fee_payer_file():
    """The fee payer every Solana run's server co-signs with: a keypair file in the cache, so
    the cached transactions (which name it, and its blockhashes) stay payable."""
    os.makedirs(CACHE, exist_ok=True)
    path = os.path.join(CACHE, "solana-fee-payer.json")
    if not os.path.exists(path):
        script = ("const {ed25519}=require('@noble/curves/ed25519');const s=ed25519.utils.randomPrivateKey();"
                  "process.stdout.write(JSON.stringify([...s,...ed25519.getPublicKey(s)]))")
        key = subprocess.run(["node", "-e", script], cwd=os.path.join(ROOT, "tests", "e2e"), check=True,
                             capture_output=True, text=True).stdout
        with open(path, "w") as f:
            f.write(key)
    return path


def offer_yaml(kind):
    """The mock's offer for |kind|: one option on NETWORK. Payments are signed valid for a day
    (they are reused for 12 h), so the offer allows a day (max_timeout_seconds), else the mock
    refuses them as valid for longer than it would remember them."""
    if kind == "solana":
        return "mock_server:\n  solana_blockhash_seconds: 86400\n  accepts:\n    - network: solana-devnet\n"
    option = {"eip3009": f'network: "{NETWORK}"',
              "permit2": f'network: "{NETWORK}"\n      asset_transfer_method: permit2',
              "upto": f'scheme: upto\n      network: "{NETWORK}"'}[kind]
    return f"mock_server:\n  max_timeout_seconds: 86400\n  accepts:\n    - {option}\n"


def payments(count, url, name, kind):
    os.makedirs(CACHE, exist_ok=True)
    network = "solana-devnet" if kind == "solana" else NETWORK.replace(':', '_')
    path = os.path.join(CACHE, f"{name}-{kind}-{network}-{count}.txt")
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
            # One line per settled payment: the access line (with the transaction), or, with the
            # access log off, the payment line.
            if "payment accepted" in line or (" access " in line and " paid " in line):
                stamps.append(datetime.datetime.fromisoformat(line.split()[0].replace("Z", "+00:00")))
    return len(stamps), (stamps[-1] - stamps[0]).total_seconds() if len(stamps) > 1 else 0.0


# The signature check's symbols: EVM recovery (libsecp256k1, Keccak), or Solana's ed25519
# (Crypto++'s donna, its big integers for the curve test of the associated token account) and
# SHA-256 (the PDA derivation, the message hash).
CRYPTO_SYMBOLS = {"evm": r"secp256k1|Keccak|KeccakF1600|CryptoPP",
                  "solana": r"ed25519|curve25519|Donna|donna|CryptoPP|SHA256|sha256"}


def recovery_share(perf_data, family="evm"):
    if not os.path.exists(perf_data):
        return None
    report = subprocess.run(["perf", "report", "--stdio", "--no-children", "--sort", "sym", "-i", perf_data],
                            capture_output=True, text=True).stdout
    share = 0.0
    for line in report.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+\S+\s+(.*)", line)
        if m and re.search(CRYPTO_SYMBOLS[family], m.group(2)):
            share += float(m.group(1))
    return share


class Mock:
    """A fresh mock server on its own HOME and port, pinned to core 0; stopped by PID on exit."""

    def __init__(self, binary, kind):
        self.home = tempfile.mkdtemp(prefix="x402-sigbench-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(self.home, "mock.log")
        self.log = open(self.log_path, "w")
        config = os.path.join(self.home, "offer.yaml")
        with open(config, "w") as f:
            f.write(offer_yaml(kind))
        env = {**os.environ, "HOME": self.home, "NO_COLOR": "1", "X402_DEV_CONFIG": config}
        if kind == "solana":
            env["X402_DEV_SOLANA_FEE_PAYER"] = solana_fee_payer_file()
        self.server = subprocess.Popen(
            ["taskset", "-c", "0", binary, "mock", "--port", str(self.port), "--threads", "1"],
            cwd=self.home, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def __enter__(self):
        try:
            wait_health(self.url)
        except BaseException:
            self.__exit__()
            raise
        return self

    def stop(self):
        """Stops the server; its log is complete once it has exited (lines are written by a
        log thread, about a millisecond after the request)."""
        if self.server.poll() is None:
            self.server.terminate()
            self.server.wait()

    def __exit__(self, *exc):
        self.stop()
        self.log.close()
        shutil.rmtree(self.home, ignore_errors=True)


def run_seconds(count):
    """wrk's run length: it stops by itself once every payment is answered."""
    return max(5, count // 1000)


def throughput_round(binary, kind, payments_file, count, conns):
    """One fresh server, every payment once: requests/s, CPU µs per request, refusals."""
    with Mock(binary, kind) as mock:
        cpu_before = cpu_seconds(mock.server.pid)
        _, refused, _ = wrk(mock.url, payments_file, conns, run_seconds(count))
        cpu = cpu_seconds(mock.server.pid) - cpu_before
        mock.stop()
        accepted, span = accepted_span(mock.log_path)
    return {"per_second": (accepted - 1) / span if span > 0 else float("nan"),
            "cpu_us_per_request": cpu / count * 1e6, "accepted": accepted,
            "refused": max(refused, count - accepted)}  # not accepted = refused or never answered


def latency_run(binary, kind, payments_file, count):
    with Mock(binary, kind) as mock:
        p99, refused, _ = wrk(mock.url, payments_file, 1, run_seconds(count))
    return p99, refused


def recovery_share_run(binary, kind, payments_file, count, conns):
    """perf record on a server of its own while it takes the throughput set."""
    if not shutil.which("perf"):
        return None
    seconds = run_seconds(count)
    with Mock(binary, kind) as mock:
        perf_data = os.path.join(mock.home, "perf.data")
        perf = subprocess.Popen(["perf", "record", "-F", "4999", "-p", str(mock.server.pid), "-o", perf_data,
                                 "--", "sleep", str(seconds)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.3)
        wrk(mock.url, payments_file, conns, seconds)
        perf.wait()
        return recovery_share(perf_data, "solana" if kind == "solana" else "evm")


def reference_round(payments_file):
    out = subprocess.run(["taskset", "-c", "0", "node", os.path.join(PERF, "signature_bench.mjs"), "verify",
                          payments_file], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


KIND_NAMES = {"eip3009": "exact, EIP-3009", "permit2": "exact, Permit2", "upto": "upto (Permit2)",
              "solana": "Solana exact (devnet USDC)"}


def render(results):
    first = next(iter(results.values()))
    met = lambda ok: "met" if ok else "**missed**"
    lines = [
        "## Strict paid path: signature verification vs the reference verifier",
        "",
        f"Measured {first['when']} by `tests/perf/signature_bench.py` (not part of the tests). For each kind of",
        f"payment, {first['count']} distinct v2 payments (EVM: on {first.get('network', 'eip155:84532')}, USDC, not the default",
        f"network, really signed by viem; Solana: devnet USDC, built and signed by @x402/svm's client), and another {first['count']}",
        "for the latency run. The mock: release build, `--threads 1`, pinned to core 0, every payment checked",
        "strictly (EVM: EIP-712-hashed and its signer recovered; Solana: the transaction parsed, the payer's",
        f"ed25519 signature verified, the static rows, co-signed); wrk -t1 pinned to core 1 (-c{first['conns']} for throughput,",
        "-c1 for p99), each payment sent once to a fresh server (a strict facilitator refuses a replay). The",
        "reference: the same scheme's facilitator `verify` in Node — @x402/evm 2.27 (viem's pure-JS recovery;",
        "an offline signer answers getCode/readContract) or @x402/svm 2.27 (WebCrypto Ed25519; its simulation",
        "stubbed to succeed, as the mock's is in-process) — pinned to core 0, one payment after the other on",
        "the same payments; its p99 is per `verify` call, without HTTP. Throughput and CPU are medians of",
        f"{first['rounds']} rounds that alternate the mock and the reference, since this VM's cores drift in speed between",
        "minutes; every round is listed below.",
        "",
        "| payment | the mock (HTTP, paid path) | the reference's verify (Node, no HTTP) | throughput ratio | target | | p99: mock / reference | target | | mock CPU µs/request | signature check's share | refused |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, r in results.items():
        m, ref, ratio = r["mock"], r["reference"], r["ratios"]
        share = "n/a" if m["recovery_share_of_cpu_percent"] is None else f"{m['recovery_share_of_cpu_percent']:.0f} %"
        lines.append(
            f"| {KIND_NAMES[kind]} | {m['per_second']:.0f} /s | {ref['per_second']:.0f} /s | {ratio['throughput']:.1f}× | ≥ 20× | "
            f"{met(ratio['throughput'] >= 20)} | {m['p99_ms']:.3f} / {ref['p99_ms']:.3f} ms = {ratio['p99']:.3f}× | ≤ 0.1× | "
            f"{met(ratio['p99'] <= 0.1)} | {m['cpu_us_per_request']:.1f} | {share} | {m['refused']} (Node: {ref['valid']}/{ref['count']} valid) |")
    lines += ["", "| payment | round | the mock /s | its CPU µs/request | the reference /s | ratio |", "|---|---|---|---|---|---|"]
    for kind, r in results.items():
        for i, (mr, rr) in enumerate(zip(r["rounds_mock"], r["rounds_reference"]), 1):
            lines.append(f"| {KIND_NAMES[kind]} | {i} | {mr['per_second']:.0f} | {mr['cpu_us_per_request']:.1f} | "
                         f"{rr['per_second']:.0f} | {mr['per_second'] / rr['per_second']:.1f}× |")
    lines += [
        "",
        "What the figures say. Recovery (libsecp256k1's `secp256k1_ecdsa_recover` and the Keccak-256",
        "hashes of the digest, the address and its EIP-55 form) is the share above of what a paid request",
        "costs on this core; the rest is the HTTP paid path (about a quarter of it in the kernel's loopback",
        "send and receive). A Permit2 message is three EIP-712 structs (PermitWitnessTransferFrom, TokenPermissions,",
        "Witness) instead of one, hashed by the same generic encoder (src/x402/evm/eip712.cc) with every",
        "type hash computed once. The reference spends most of each `verify` in viem's pure-JS recovery.",
        "History of the EIP-3009 figure: the first version of this benchmark reported 14.8×: it timed the",
        "mock while perf sampled it at 5 kHz, which costs the server CPU, and ran one round. What took it",
        "past 20×: libsecp256k1 built from Debian's source with its C field arithmetic instead of Debian's",
        "archive with 0.2's x86_64 assembly (upstream dropped that assembly in 0.4.1 as slower;",
        "`secp256k1_ecdsa_recover` 43.7 → 34.8 µs here), the foreground server's terminal copy of each",
        "log line written by the log thread instead of by the request (two write(2) calls fewer per",
        "paid request), and the offer compared as a JSON object instead of rendered and parsed per",
        "payment.",
        "",
        "Solana (issue 28) misses 20×, and why. The mock's paid path costs about 95 µs of CPU: the",
        "payer's ed25519 signature checked as Solana's runtime checks it (Crypto++'s ed25519-donna, about",
        "43 µs here; OpenSSL 3.0's Ed25519 verify, measured on this machine with `openssl speed ed25519`,",
        "takes 101 µs), the fee payer's co-signature that is the settlement's transaction id (about",
        "17 µs), the HTTP paid path (about 15 µs), then parsing, the static rows and base58. The",
        "signature check's share above is donna's and SHA-512's samples. So even with every other",
        "cost at zero the mock could not go below about 75 µs, a ratio of about 11× against the",
        "reference's 0.8 ms per `verify`: 20× needs an ed25519 verification about twice as fast as any",
        "library on this machine. What was cut to get here, from 150 µs: the curve test of the",
        "associated token account in 51-bit-limb field arithmetic (22.7 → 6.6 µs) and the accounts",
        "remembered per thread, verify_strict's S < L and small-order checks as byte comparisons, base58",
        "five digits at a time. The p99 target (≤ 0.1×) is met.",
    ]
    return "\n".join(lines) + "\n"


def main():
    global NETWORK
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, "out", "build", "release", "x402-dev"))
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--conns", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--network", default=NETWORK, help="the network of the payments (default: Arbitrum One)")
    ap.add_argument("--kinds", default=",".join(KINDS), help="which payments: eip3009,permit2,upto,solana")
    ap.add_argument("--render", help="rewrite tests/perf/signatures.md from this JSON and stop")
    args = ap.parse_args()
    NETWORK = args.network
    report = os.path.join(PERF, "signatures.md")
    if args.render:
        with open(args.render) as f:
            result = json.load(f)
        with open(report, "w") as f:
            f.write(render(result))
        return 0
    args.binary = os.path.abspath(args.binary)
    results = {}
    for kind in args.kinds.split(","):
        results[kind] = measure(args, kind)
    print(json.dumps(results, indent=1))
    with open(report, "w") as f:
        f.write(render(results))


def measure(args, kind):
    with Mock(args.binary, kind) as mock:  # the payments are signed for this server's offer
        throughput_set = payments(args.count, mock.url, "throughput", kind)
        latency_set = payments(args.count, mock.url, "latency", kind)

    rounds_mock, rounds_reference = [], []
    for _ in range(args.rounds):
        rounds_mock.append(throughput_round(args.binary, kind, throughput_set, args.count, args.conns))
        rounds_reference.append(reference_round(throughput_set))
    p99_mock, refused_latency = latency_run(args.binary, kind, latency_set, args.count)
    share = recovery_share_run(args.binary, kind, throughput_set, args.count, args.conns)

    mock_rps = statistics.median([r["per_second"] for r in rounds_mock])
    ref_rps = statistics.median([r["per_second"] for r in rounds_reference])
    ref_p99 = statistics.median([r["p99_ms"] for r in rounds_reference])
    return {
        "when": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "count": args.count, "conns": args.conns, "rounds": args.rounds, "network": NETWORK, "kind": kind,
        "mock": {"refused": sum(r["refused"] for r in rounds_mock) + refused_latency,
                 "per_second": mock_rps, "p99_ms": p99_mock,
                 "cpu_us_per_request": statistics.median([r["cpu_us_per_request"] for r in rounds_mock]),
                 "recovery_share_of_cpu_percent": share},
        "reference": {"per_second": ref_rps, "p99_ms": ref_p99,
                      "valid": min(r["valid"] for r in rounds_reference), "count": rounds_reference[0]["count"]},
        "rounds_mock": rounds_mock, "rounds_reference": rounds_reference,
        "ratios": {"throughput": mock_rps / ref_rps, "p99": p99_mock / ref_p99},
    }


if __name__ == "__main__":
    sys.exit(main())
