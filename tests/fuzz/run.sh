#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs each for SECONDS (default 30)
# from its committed seed corpus; a crash leaves its input in out/build/fuzz/crashes/ and
# fails the run. Found crashes, once fixed, belong in the corpus as regression inputs.
#
#   tests/fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-30}
build=out/build/fuzz
CXX=${CXX_FUZZ:-clang++} cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_COMPILER="${CXX_FUZZ:-clang++}" -DX402_ENABLE_SANITIZERS=ON -DX402_BUILD_FUZZERS=ON \
  -DX402_BUILD_TESTS=OFF -DX402_BUILD_E2E_TESTS=OFF >/dev/null
cmake --build "$build" --target payment_header_fuzzer config_file_fuzzer pid_file_fuzzer http_request_fuzzer \
  solana_transaction_fuzzer extensions_fuzzer
mkdir -p "$build/crashes"
failed=0 passed=0
for target in payment_header config_file pid_file http_request solana_transaction extensions; do
  work=$(mktemp -d)
  cp tests/fuzz/corpus/$target/* "$work/" 2>/dev/null || true
  echo "--- $target: $seconds s"
  if "$build/tests/fuzz/${target}_fuzzer" -max_total_time="$seconds" -max_len=16384 -timeout=5 \
       -artifact_prefix="$build/crashes/${target}-" -print_final_stats=1 "$work" 2>"$work.log"; then
    grep -E "stat::number_of_executed_units|Done" "$work.log" | tail -2
    passed=$((passed + 1))
  else
    tail -30 "$work.log"
    failed=$((failed + 1))
  fi
  rm -rf "$work" "$work.log"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
