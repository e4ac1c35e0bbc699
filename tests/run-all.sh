#!/usr/bin/env bash
# The whole test suite (make test): the host tier (ctest: C++ unit tests, the
# host build of the Lua port, BPF test runs) and the VM tier (harness
# self-test + every tests/vm/cases/**/*.sh) on each kernel series in $SERIES,
# and tests/vm/wide/*.sh in a guest with 128 possible CPUs (6.1).
# Ends with one line "N passed, N failed[, N skipped]"; exits 1 on any failure.
#   tests/run-all.sh [--host-only | --vm-only]
set -o nounset -o pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
series=${SERIES:-6.12 6.1}
host=1
vm=1
case ${1:-} in
--host-only) vm=0 ;;
--vm-only) host=0 ;;
"") ;;
*) echo "usage: $0 [--host-only|--vm-only]" >&2; exit 2 ;;
esac

passed=0
failed=0
skipped=0
failures=()

add() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + ${3:-0})); }

if [ $host = 1 ]; then
	echo "== host tier (ctest)"
	log=$(mktemp)
	ctest --test-dir build/userspace --output-on-failure -j2 2>&1 | tee "$log"
	total=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\1 \2/p' "$log" | tail -1)
	if [ -n "$total" ]; then
		read -r nf nt <<<"$total"
		# ctest counts a skipped test (exit code SKIP_RETURN_CODE) as
		# passed; it lists each under "did not run" as "N - name (Skipped)"
		ns=$(grep -cE '^[[:space:]]*[0-9]+ - .*\(Skipped\)[[:space:]]*$' "$log")
		add $((nt - nf - ns)) "$nf" "$ns"
		[ "$nf" -eq 0 ] || failures+=("host: $nf ctest test(s)")
	else
		add 0 1
		failures+=("host: ctest did not run (was 'make' run?)")
	fi
	rm -f "$log"
fi

# vm_cases LABEL RUN_ARGS... -- SCRIPT...: one guest boot, its counts added
vm_cases() {
	local label=$1 counts args=() p f k
	shift
	while [ "$1" != -- ]; do
		args+=("$1")
		shift
	done
	shift
	counts=$(mktemp)
	tests/vm/run "${args[@]}" --counts "$counts" "$@" ||
		failures+=("$label: see the run above")
	if [ -s "$counts" ]; then
		read -r p f k <"$counts"
		add "$p" "$f" "$k"
	else
		add 0 1
	fi
	rm -f "$counts"
}

if [ $vm = 1 ]; then
	mapfile -t cases < <(find tests/vm/cases -name '*.sh' -type f 2>/dev/null | sort)
	mapfile -t wide < <(find tests/vm/wide -name '*.sh' -type f 2>/dev/null | sort)
	for s in $series; do
		echo "== VM tier: kernel $s (harness self-test)"
		out=$(tests/vm/selftest.sh "$s")
		echo "$out"
		add "$(grep -c '^ok ' <<<"$out")" "$(grep -c '^not ok ' <<<"$out")"
		grep -q '^not ok ' <<<"$out" && failures+=("vm $s: harness self-test")
		if [ ${#cases[@]} -gt 0 ]; then
			echo "== VM tier: kernel $s (${#cases[@]} case(s))"
			# one boot for all cases: its time limit grows with
			# them (a hung case is cut by the guest's per-script
			# limit, LPVM_SCRIPT_TIMEOUT)
			vm_cases "vm $s" --kernel "$s" --timeout $((600 + 120 * ${#cases[@]})) \
				-- "${cases[@]}"
		fi
		# A large machine: a guest with many possible CPUs (a softirq
		# set gets one instance each). 6.1 only: 6.12 counts no
		# hotpluggable CPUs in this QEMU's ACPI tables, and booting as
		# many online vCPUs under TCG takes minutes.
		if [ "$s" = 6.1 ] && [ ${#wide[@]} -gt 0 ]; then
			echo "== VM tier: kernel $s, 128 possible CPUs (${#wide[@]} case(s))"
			vm_cases "vm $s (128 CPUs)" --kernel "$s" --maxcpus 128 -- "${wide[@]}"
		fi
	done
fi

echo
for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ] && [ ${#failures[@]} -eq 0 ]
