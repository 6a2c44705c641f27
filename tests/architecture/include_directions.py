#!/usr/bin/env python3
"""The include directions of docs/development.md, checked: every `#include "folder/…"` in src/
and platform/ must go to the same folder or to one the including folder may use. A wrong-way
include (x402/ reaching into server/, the server into the CLI's lifecycle control) fails the
build's tests with the file, the line and the rule it breaks.

    tests/architecture/include_directions.py [SOURCE_ROOT]
"""
import os
import re
import sys

# Each folder of src/ and what it may include besides itself, lowest first. The lines are the
# layers of docs/development.md ("Includes run downwards only").
MAY_INCLUDE = {
    "base": set(),                                        # Status, text, OS primitives
    "x402": {"base"},                                     # the protocol, a pure library
    "net": {"base"},                                      # the bind routine, the port probe
    "config": {"base", "x402", "net"},                    # settings → PaywallConfig
    "server": {"base", "x402", "net"},                    # the HTTP server (Beast)
    "state": {"base", "config"},                          # the contract files both sides read
    "service": {"base", "config", "net", "state"},        # the CLI's lifecycle control
    "host": {"base", "config", "net", "x402", "server", "state"},  # the server process's side
    "cli": {"base", "config", "net", "x402", "state", "service", "host"},
}
# platform/<os>/ implements the seams of service/ and host/ for one OS.
PLATFORM_MAY_INCLUDE = {"base", "config", "net", "state", "service", "host"}
# main.cc is the composition root: it may include anything of src/.

INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z0-9_]+)/[^"]+"')


def check(root):
    problems = []
    checked = 0
    for top in ("src", "platform"):
        for folder, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not name.endswith((".h", ".cc", ".in")):
                    continue
                path = os.path.join(folder, name)
                rel = os.path.relpath(path, root)
                parts = rel.split(os.sep)
                if top == "src":
                    if len(parts) == 2:  # src/main.cc
                        continue
                    owner, allowed = parts[1], MAY_INCLUDE.get(parts[1])
                    if allowed is None:
                        problems.append(f"{rel}: src/{owner}/ has no row in MAY_INCLUDE; add one (and to docs/development.md)")
                        continue
                else:
                    owner, allowed = "platform", PLATFORM_MAY_INCLUDE
                with open(path, encoding="utf-8", errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = m.group(1)
                        if target not in MAY_INCLUDE:
                            continue  # a library's own folder (boost/, gtest/, …) or a sibling file
                        checked += 1
                        if target != owner and target not in allowed:
                            problems.append(f"{rel}:{number}: {owner}/ includes {target}/ "
                                            f"(it may include {', '.join(sorted(allowed)) or 'nothing of src/'})")
    return checked, problems


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
    checked, problems = check(root)
    for p in problems:
        print(p)
    print(f"include directions: {checked} includes checked, {len(problems)} against the rules")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
