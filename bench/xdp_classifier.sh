#!/usr/bin/env bash
# Benchmark (prints ratios, asserts nothing): the XDP pre-classifiers
# (bpf/*.bpf.o, mode OFF) vs an empty XDP program, on matching and
# non-matching frames, BPF_PROG_TEST_RUN with repeat in the host kernel
# (JIT). Target: ratio <= 1.15. Runs on the host as root, after `make`.
# Writes build/bench/xdp_classifier.json and prints a markdown table.
#   bench/xdp_classifier.sh
set -o nounset -o pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/build/userspace/bench/bench_xdp_classifier
if [ ! -x "$bin" ] || [ ! -d "$top/build/bpf" ]; then
	echo "build first: make bpf userspace" >&2
	exit 1
fi
mkdir -p "$top/build/bench"
"$bin" "$top/build/bpf" "$top/build/bench/xdp_classifier.json" || exit $?
echo "# xdp_classifier: JSON in build/bench/xdp_classifier.json"
