#!/usr/bin/env bash
# Smoke-run every fuzz target for a fixed time, seeded from seeds/<target>/.
# Usage: fuzz/run.sh [SECONDS_PER_TARGET]   (nightly toolchain and cargo-fuzz needed)
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-20}"
for target in $(cargo +nightly fuzz list); do
  mkdir -p "corpus/$target"
  if [ -d "seeds/$target" ]; then cp -n seeds/"$target"/* "corpus/$target/" 2>/dev/null || true; fi
  echo "== fuzz $target for ${secs}s"
  log=$(mktemp)
  set +e
  cargo +nightly fuzz run "$target" "corpus/$target" -- -max_total_time="$secs" -rss_limit_mb=2048 >"$log" 2>&1
  rc=$?
  set -e
  grep -E '^(#[0-9]+.*DONE|Done|==|SUMMARY|.*panicked)' "$log" || true
  if [ "$rc" != 0 ] || [ -n "$(ls -A "artifacts/$target" 2>/dev/null)" ]; then
    tail -40 "$log"; rm -f "$log"
    echo "fuzz $target failed (exit $rc); artifacts, if any, in fuzz/artifacts/$target"
    exit 1
  fi
  rm -f "$log"
done
