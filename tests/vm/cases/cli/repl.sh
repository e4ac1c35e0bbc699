#!/usr/bin/env bash
# `repl NAME` with input from a pipe: one EXEC per statement, multi-line
# statements continued, errors reported without ending the session.
. tests/lib/vmtest.sh

D=tests/vm/cases/cli/lua
S=cli_repl

cleanup_tests() {
	"$LP" stop "$S" >/dev/null 2>&1
}

test_session() {
	local out err
	check_run "$LP" run "$D/hello.lua" --name "$S" || return
	err=$(mktemp)
	out=$("$LP" repl "$S" 2>"$err" <<'IN'
x = 40
return x + 2
function twice(a)
  return a * 2
end
=twice(21)
error("oops")
=greeting
IN
)
	assert_eq "$?" 0 "repl exits 0 at end of input"
	assert_eq "$out" $'42\n42\nhello' "results, in order"
	assert_match "$(cat "$err")" '^stdin:1: oops' "error reported, session goes on"
	assert_eq "$("$LP" exec "$S" 'return x, twice(4)')" $'40\t8' "state kept in the set"
	rm -f "$err"
}

test_unfinished_input() {
	local out rc
	out=$(printf 'for i = 1, 3 do\n' | "$LP" repl "$S" 2>&1)
	rc=$?
	assert_eq "$rc" 1 "unfinished statement at end of input"
	assert_match "$out" "<eof>" "its error is shown"
}

# On a terminal the REPL uses readline: prompts, and a continuation prompt
# for an unfinished statement. script(1) gives it a pty.
test_terminal() {
	local out
	command -v script >/dev/null || { echo "    # script(1) missing: terminal test not run"; return; }
	out=$(printf 't = {\n1, 2, 3}\nreturn #t\n' |
		HOME=/tmp script -qec "$LP repl $S" /dev/null |
		tr -d '\r' | sed 's/\x1b\[[?0-9]*[a-zA-Z]//g')
	assert_match "$out" "$S> " "readline prompt"
	assert_match "$out" "$S>> " "continuation prompt"
	assert_match "$out" $'\n3\n' "result on a terminal"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_session test_unfinished_input test_terminal)
run_tests
