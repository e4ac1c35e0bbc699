#!/usr/bin/env bash
# Benchmark (prints ratios, asserts nothing): inserting and looking up 2^k
# integer keys aimed at one collision chain of Lua's own integer hash
# (i * (2^k - 1)) versus spread keys (i * 7919), in a kernel runtime. With
# the keyed hash (kmod/lua/patches/21-ltable-c.patch) the ratio stays near
# 1; with Lua's hash it grows with 2^k (quadratic).
#   tests/vm/run [--kernel 6.12|6.1] bench/hash_flood.sh
. tests/lib/vmtest.sh

S=bench_hash
"$LP" run tests/vm/cases/runtime/lua/hashset.lua --name "$S" --budget 2000000000 >/dev/null || exit 1
for k in 10 12 14; do
	aimed=$("$LP" exec "$S" "return H.time($k, true)")
	spread=$("$LP" exec "$S" "return H.time($k, false)")
	printf '# hash_flood: 2^%d keys: aimed %d us, spread %d us, ratio %d.%02d\n' \
		"$k" $((aimed / 1000)) $((spread / 1000)) $((aimed / spread)) $((aimed * 100 / spread % 100))
done
"$LP" stop "$S"
