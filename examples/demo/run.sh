#!/bin/bash
# The main job until the pipeline spec lands: runs in the VM (make demo).
# Loads a per-CPU Lua runtime set into the kernel, calls it on every CPU,
# hot-reloads it, shows its counters, stops it and checks nothing leaked.
set -o nounset -o errexit
. tests/lib/vmtest.sh

say() { printf '\n$ %s\n' "$*"; "$@"; }

say "$LP" module status
say "$LP" run examples/demo/counter.lua --context softirq
say "$LP" list
for cpu in $(seq 0 $(($(nproc --all) - 1))); do
	say taskset -c "$cpu" "$LP" exec examples/demo/counter 'return hit(10)'
done
say "$LP" exec examples/demo/counter 'return string.format("%d ms up, 7/2=%d", uptime_ms(), 7 / 2)'
say "$LP" list --json
say "$LP" reload examples/demo/counter
say "$LP" list
say "$LP" stop examples/demo/counter
say "$LP" stats
echo
echo "demo: done"
