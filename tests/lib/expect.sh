# shellcheck shell=bash
# Output assertions for host test scripts that drive a command line tool:
#   expect RC CMD...   run CMD, keep its stdout+stderr in $out, check the exit
#                      status (a mismatch is a failure; returns 1 so the
#                      checks chained after it with && are skipped)
#   has TEXT / lacks TEXT   the last expect's output does / does not hold
#                      TEXT (fixed string)
#   hex STRING         STRING as lowercase hex bytes
#   expect_summary LABEL   prints "LABEL: N passed, N failed"; status 1 on
#                      any failure (make it the script's last command)
passed=0 failed=0 out=

expect() {
	local want=$1 rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		printf 'FAIL: %s (exit %d, want %d)\n%s\n' "$*" "$rc" "$want" "$out"
		failed=$((failed + 1))
		return 1
	fi
	return 0
}

has() {
	if grep -qF -- "$1" <<<"$out"; then
		passed=$((passed + 1))
	else
		printf 'FAIL: output lacks [%s]:\n%s\n' "$1" "$out"
		failed=$((failed + 1))
	fi
}

lacks() {
	if grep -qF -- "$1" <<<"$out"; then
		printf 'FAIL: output has [%s]:\n%s\n' "$1" "$out"
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
}

hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }

expect_summary() {
	printf '%s: %d passed, %d failed\n' "$1" "$passed" "$failed"
	[ "$failed" -eq 0 ]
}
