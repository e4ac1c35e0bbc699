#!/usr/bin/env bash
# The iptables side of the example extensions, on the host (no kernel):
# libxt_dnsblock.so and libxt_dnsdoctor.so made by luaxt-build from
# examples/*/libxt_*.lua, driven through libxtables by luaxt-harness
# (tests/xtables): options to userargs, final_check, save and print, and
# save output parsed back into the same bytes.
#   luaxt_test.sh BUILD_DIR HARNESS
set -o nounset -o pipefail

dir=$1 harness=$2
export XTABLES_LIBDIR=$dir:$(pkg-config --variable xtlibdir xtables)
. "$(dirname "$0")/../lib/expect.sh"

# dnsblock: no option (the default list), --blocklist NAME
expect 0 "$harness" match dnsblock info && has "name=dnsblock revision=1 family=0 size=264"
expect 0 "$harness" match dnsblock parse && { has "save="; has "print= dnsblock"; }
expect 0 "$harness" match dnsblock parse --blocklist kids &&
	{ has "userargs=$(hex 'list=kids')"; has "save= --blocklist kids"
	  has "print= dnsblock blocklist kids"; has "roundtrip=ok"; }
expect 2 "$harness" match dnsblock parse --blocklist 'two words'
expect 2 "$harness" match dnsblock parse --blocklist a --blocklist b && has "given twice"
expect 2 "$harness" match dnsblock parse ! --blocklist kids
expect 0 "$harness" match dnsblock help && has "--blocklist NAME"

# dnsdoctor: --name and an address required, --client repeatable
args="name=lunatik.com a=10.1.2.3 client=10.1.1.0/24 client=fd00:1:1::/64"
expect 0 "$harness" target dnsdoctor info && has "name=dnsdoctor revision=0 family=0 size=264"
expect 0 "$harness" target dnsdoctor parse --name lunatik.com --a 10.1.2.3 \
	--client 10.1.1.0/24 --client fd00:1:1::/64 &&
	{ has "userargs=$(hex "$args")"
	  has "save= --name lunatik.com --a 10.1.2.3 --client 10.1.1.0/24 --client fd00:1:1::/64"
	  has "print= name lunatik.com a 10.1.2.3 client 10.1.1.0/24 client fd00:1:1::/64"
	  has "roundtrip=ok"; }
expect 0 "$harness" -6 target dnsdoctor parse --name lunatik.com --aaaa fd00:1:2::3 &&
	has "roundtrip=ok"
expect 2 "$harness" target dnsdoctor parse --a 10.1.2.3 && has "--name is required"
expect 2 "$harness" target dnsdoctor parse --name x && has "--a or --aaaa is required"
expect 2 "$harness" target dnsdoctor parse --name x --a 'not an address' && has "bad value"
expect 2 "$harness" target dnsdoctor parse --name x --a 1.2.3.4 --a 1.2.3.5 && has "given twice"
long=$(printf -- '--client 10.%d.0.0/16 ' $(seq 1 20))
# shellcheck disable=SC2086
expect 2 "$harness" target dnsdoctor parse --name x --a 1.2.3.4 $long && has "255 bytes"

expect_summary "luaxt examples"
