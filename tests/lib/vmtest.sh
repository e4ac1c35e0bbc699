# shellcheck shell=bash
# Shared helpers for test scripts run in the VM by tests/vm/run (and usable on
# the host). Source it:  . tests/lib/vmtest.sh
#
#   LP                    the lunatik-pipeline CLI binary
#   check_run CMD...      echo the command and its status; fail the test if non-zero
#   check_fail [--status N] CMD...
#                         the command must fail: with exactly status N, or
#                         without --status with 1..125 (a crash, a signal or
#                         "not found" - 126..255 - is never the expected
#                         failure)
#   assert_eq GOT WANT MSG
#   assert_match GOT REGEX MSG
#   netns_new VAR         create a netns with a random suffix, name in $VAR
#   veth_pair NS1 NS2 ADDR1 ADDR2   veth between two netns, /24 addresses
#   skip REASON           print SKIP and exit 4 (a skip is not a pass)
#   test_done             print the KTAP-style summary, exit 1 if anything failed
# A test file defines test_* functions, lists them in ALL_TESTS and calls
# run_tests; cleanup_tests (if defined) runs on exit.
set -o nounset

LPVM_REPO=${LPVM_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
LP=${LP:-$LPVM_REPO/build/userspace/loader/lunatik-pipeline}
_vt_failed=0
_vt_passed=0
_vt_netns=()

_vt_cleanup() {
	local ns
	if declare -F cleanup_tests >/dev/null; then
		cleanup_tests
	fi
	for ns in "${_vt_netns[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
}
trap _vt_cleanup EXIT

_vt_ok() { _vt_passed=$((_vt_passed + 1)); echo "    ok - $*"; }
_vt_notok() { _vt_failed=$((_vt_failed + 1)); echo "    not ok - $*"; }

check_run() {
	local out rc
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		_vt_ok "$* [rc=0]"
	else
		_vt_notok "$* [rc=$rc]"
		printf '%s\n' "$out" | sed 's/^/    # /'
	fi
	return $rc
}

check_fail() {
	local out rc want=
	if [ "${1:-}" = --status ]; then
		want=$2
		shift 2
	fi
	out=$("$@" 2>&1)
	rc=$?
	if [ -n "$want" ] && [ $rc -eq "$want" ]; then
		_vt_ok "expected failure: $* [rc=$rc]"
		return 0
	fi
	if [ -z "$want" ] && [ $rc -ge 1 ] && [ $rc -le 125 ]; then
		_vt_ok "expected failure: $* [rc=$rc]"
		return 0
	fi
	if [ $rc -eq 0 ]; then
		_vt_notok "expected failure but succeeded: $*"
	else
		_vt_notok "expected failure${want:+ with status $want}: $* [rc=$rc]"
	fi
	printf '%s\n' "$out" | sed 's/^/    # /'
	return 1
}

assert_eq() {
	if [ "$1" = "$2" ]; then
		_vt_ok "$3"
	else
		_vt_notok "$3: got '$1', want '$2'"
		return 1
	fi
}

assert_match() {
	if [[ $1 =~ $2 ]]; then
		_vt_ok "$3"
	else
		_vt_notok "$3: '$1' does not match /$2/"
		return 1
	fi
}

netns_new() {
	local __var=$1 name
	name="lpt-$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
	ip netns add "$name" || return 1
	ip -n "$name" link set lo up
	_vt_netns+=("$name")
	printf -v "$__var" '%s' "$name"
}

veth_pair() {
	local ns1=$1 ns2=$2 a1=$3 a2=$4 i
	i="v$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')"
	ip link add "${i}a" netns "$ns1" type veth peer name "${i}b" netns "$ns2" || return 1
	ip -n "$ns1" addr add "$a1/24" dev "${i}a"
	ip -n "$ns2" addr add "$a2/24" dev "${i}b"
	ip -n "$ns1" link set "${i}a" up
	ip -n "$ns2" link set "${i}b" up
}

skip() {
	echo "SKIP: $*"
	exit 4
}

run_tests() {
	local t
	for t in "${ALL_TESTS[@]}"; do
		echo "  # $t"
		"$t"
	done
	test_done
}

test_done() {
	echo "  # $_vt_passed passed, $_vt_failed failed (${0##*/})"
	[ $_vt_failed -eq 0 ] || exit 1
	exit 0
}
