#!/usr/bin/env bash
# Integer table keys are hashed with a secret key in the kernel (the ltable.c
# patch): tables keep their meaning for keys that all collided under Lua's
# own hash, sparse keys (addresses) and the extremes. (How much faster the
# aimed keys are is a benchmark: bench/hash_flood.sh.)
. tests/lib/vmtest.sh

S=rt_hashkeys
L=tests/vm/cases/runtime/lua

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
}

test_integer_keys() {
	local ctx
	for ctx in process softirq; do
		check_run "$LP" run "$L/hashset.lua" --name "$S" --context $ctx --budget 50000000 || return
		assert_eq "$("$LP" exec "$S" 'return H.aimed(12)')" \
			true "4096 keys aimed at one chain under Lua's hash ($ctx)"
		assert_eq "$("$LP" exec "$S" 'return H.sparse()')" \
			true "sparse and extreme keys ($ctx)"
		check_run "$LP" stop "$S"
	done
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_integer_keys)
run_tests
