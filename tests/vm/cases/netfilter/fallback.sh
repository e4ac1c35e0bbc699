#!/usr/bin/env bash
# Hostile hooks (errors, endless loops, huge allocations, garbage returns)
# give the set's default verdict and move their counters; the default is
# ACCEPT unless the set says --default-verdict drop. Registration errors:
# process-context sets, instances that disagree, bad arguments, calls.
. tests/lib/vmtest.sh
. tests/vm/cases/netfilter/common.sh

S=nf_fb

cleanup_tests() {
	nf_cleanup
}

# nf_hostile POLICY WANT: each hostile port gets WANT packets through
nf_hostile() {
	local policy=$1 want=$2 p name=rh$1
	nf_recv_start "$B" 10.9.0.2 9997,9996,9995,9994,9993 60 "$name" || return
	for p in 9997 9996 9995 9994 9993; do
		nf_send "$A" 10.9.0.2 $p 3 x 1
	done
	nf_recv_wait "$name"
	for p in 9997 9996 9995 9994 9993; do
		assert_eq "$(nf_recv_count "$name" $p)" "$want" "$policy: port $p gets the default verdict"
	done
}

test_default_pass() {
	nf_topo || return
	check_run nf_lp "$B" run "$NFLUA/ingress.lua" --name "$S" --context softirq \
		--hook-budget 100000 --mem 1M || return
	assert_eq "$(nf_hook "$B" "$S" 0 's["hook_budget"], s["default_verdict"]')" \
		"(100000, 'pass')" "hook budget and default verdict listed"
	nf_hostile pass 3
	assert_eq "$(nf_hook "$B" "$S" 0 'h["errors"], h["budget_hits"], h["memory"], h["bad_verdict"]')" \
		"(9, 3, 3, 6)" "errors (error+budget+memory), budget hits, memory, bad verdicts"
	assert_eq "$(nf_hook "$B" "$S" 0 'h["fallback"], h["verdicts"]["ACCEPT"] >= 15, h["busy"]')" \
		"(15, True, 0)" "15 fallbacks given as ACCEPT"
	# the set keeps working after all that
	nf_recv_start "$B" 10.9.0.2 9999,9998 60 rafter || return
	nf_send "$A" 10.9.0.2 9999 5 x
	nf_send "$A" 10.9.0.2 9998 5 x
	nf_recv_wait rafter
	assert_eq "$(nf_recv_count rafter 9999)/$(nf_recv_count rafter 9998)" 0/5 "still filtering"
	check_run nf_lp "$B" stop "$S"
}

test_default_drop() {
	check_run nf_lp "$B" run "$NFLUA/ingress.lua" --name "$S" --context softirq \
		--default-verdict drop --mem 1M || return
	assert_eq "$(nf_hook "$B" "$S" 0 's["hook_budget"], s["default_verdict"]')" \
		"(50000, 'drop')" "default hook budget 50000, default verdict drop"
	nf_hostile drop 0
	assert_eq "$(nf_hook "$B" "$S" 0 'h["fallback"], h["verdicts"]["DROP"]')" \
		"(15, 15)" "15 fallbacks given as DROP"
	check_run nf_lp "$B" stop "$S"
	check_fail --status 2 nf_lp "$B" run "$NFLUA/ingress.lua" --name "$S" --default-verdict maybe
}

test_refused() {
	local out
	out=$(nf_lp "$B" run "$NFLUA/ingress.lua" --name "$S" 2>&1)
	assert_match "$out" "use --context softirq|with --context softirq" \
		"process-context set refused, says --context softirq"
	check_fail --status 6 nf_lp "$B" stop "$S"
	out=$(nf_lp "$B" run "$NFLUA/percpu.lua" --name "$S" --context softirq 2>&1)
	assert_match "$out" "instances registered different hooks" "instances must agree"
	check_run nf_lp "$B" run "$NFLUA/bad_register.lua" --name "$S" --context softirq || return
	out=$(nf_lp "$B" exec "$S" 'return RESULT')
	assert_eq "$out" "refused,refused,refused,refused,refused,refused,refused,refused" \
		"bad pf, hooknum, NETDEV without dev, hook, priority, dev on IPV4, no hook: refused"
	check_run nf_lp "$B" stop "$S"
	check_run nf_lp "$B" run "$NFLUA/later.lua" --name "$S" --context softirq || return
	out=$(nf_lp "$B" exec "$S" 'return nf.register{pf = nf.family.IPV4, hooknum = 0, priority = 0, hook = print}' 2>&1)
	assert_match "$out" "registered by the script body" "register from a call refused"
	check_fail --status 2 nf_lp "$B" run "$NFLUA/ingress.lua" --name x --context softirq --hook-budget 10
	check_run nf_lp "$B" stop "$S"
}

[ -x "$LP" ] || skip "CLI not built: $LP"
ALL_TESTS=(test_default_pass test_default_drop test_refused)
run_tests
