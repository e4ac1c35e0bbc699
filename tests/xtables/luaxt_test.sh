#!/usr/bin/env bash
# Host tests of luaxt-build and the luaxt runtime (ctest xtables.luaxt).
#   luaxt_test.sh BUILD_DIR HARNESS LUAXT_BUILD LIBLUAXT LUAXT_INCLUDE
# BUILD_DIR holds the libxt_*.so made from ext/*.lua and libxt_luaxtc.so.
set -o nounset -o pipefail

dir=$1 harness=$2 build=$3 lib=$4 inc=$5
sysdir=$(pkg-config --variable xtlibdir xtables)
export XTABLES_LIBDIR=$dir:$sysdir
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../lib/expect.sh"

# --- a description with options: parse, final_check, save, print ---------
expect 0 "$harness" match luaxtopts info &&
	has "name=luaxtopts revision=1 family=0 size=264 userspacesize=256"
expect 0 "$harness" match luaxtopts parse --list blocked --log &&
	{ has "userargs=$(hex 'list=blocked;log')"; has "save= --list blocked --log"
	  has "print= luaxtopts list blocked log"; has "roundtrip=ok"; }
expect 0 "$harness" match luaxtopts parse --log --list other &&
	{ has "save= --list other --log"; has "roundtrip=ok"; }
expect 2 "$harness" match luaxtopts parse --log &&
	has "error: luaxtopts match: final_check(): libxt_luaxtopts.lua:"
has "--list NAME is required"
expect 2 "$harness" match luaxtopts parse ! --list x &&
	has "error: luaxtopts match: invalid use of --list x"
expect 2 "$harness" match luaxtopts parse --nosuch && has "error: unknown option"
expect 0 "$harness" match luaxtopts help &&
	{ has "luaxtopts match options:"; has "  --list VALUE	NAME of the list to use"
	  has "  --log	count matches in the log"; }
expect 0 "$harness" -6 match luaxtopts info && has "name=luaxtopts"

# --- a 3.6-style description: binary userargs from init, io.write --------
expect 0 "$harness" target luaxt36 info &&
	has "name=luaxt36 revision=0 family=0 size=264 userspacesize=256"
expect 0 "$harness" target luaxt36 parse &&
	{ has "userargs=0000000c076c756e6174696b03636f6d0a0101020a010203"
	  has "print= luaxt36 24"; has "save="; has "roundtrip=ok"; }
expect 0 "$harness" target luaxt36 help && has "luaxt36 takes no options"
expect 2 "$harness" target luaxt36 parse --anything && has "error: unknown option"

# --- userargs: truncation, conversion, hostile values ------------------------
expect 0 "$harness" target luaxtlong parse --fill ab &&
	{ has "userargs=$(printf 'ab%.0s' $(seq 128) | od -An -v -tx1 | tr -d ' \n')"
	  lacks "userargs=$(printf 'ab%.0s' $(seq 129) | od -An -v -tx1 | tr -d ' \n')"; }
expect 0 "$harness" target luaxtlong parse --num && has "userargs=$(hex 42)"
expect 2 "$harness" target luaxtlong parse --bad &&
	has "parse(): par.userargs must be a string, got table"
expect 2 "$harness" target luaxtlong parse --boom && has "parse(): boom"
expect 2 "$harness" target luaxtlong parse --refuse && has "invalid use of --refuse"
expect 2 "$harness" target luaxtlong parse --flags &&
	has "par.flags must be an integer in 0..4294967295"
# family IPV4 only: ip6tables does not see it
expect 3 "$harness" -6 target luaxtlong info && has "missing"

# --- the description never comes from the working directory -----------------
mkdir -p "$tmp/cwd"
printf 'return true\n' >"$tmp/cwd/luaxt_cwd_probe.lua"
printf 'error("a description from the working directory ran")\n' \
	>"$tmp/cwd/libxt_luaxtcwd.lua"
expect 0 sh -c 'cd "$1" && "$2" match luaxtcwd help' sh "$tmp/cwd" "$harness" &&
	{ has "probe=false relative=false"; lacks "working directory ran"; }
expect 0 env LUA_PATH='./?.lua;;' LUA_PATH_5_4='./?.lua;;' \
	sh -c 'cd "$1" && "$2" match luaxtcwd help' sh "$tmp/cwd" "$harness" &&
	has "probe=false relative=false"

# --- descriptions that must not register anything -----------------------
expect 3 "$harness" match luaxtbroken info &&
	{ has "libxt_luaxtbroken: libxt_luaxtbroken.lua:4: description refuses to load"
	  has "missing"; }
expect 3 "$harness" match luaxtbadfam info && has "family 99 is not one of luaxt.family"
expect 3 "$harness" match luaxtbadrev info && has "revision must be an integer in 0..255"
expect 3 "$harness" match luaxtnone info &&
	has "declares neither luaxt.match nor luaxt.target"

# --- several Lua extensions in one process keep separate states --------------
expect 0 "$harness" both luaxtopts luaxt36 &&
	{ has "luaxtopts match options:"; has "luaxt36 takes no options"; }
expect 2 "$harness" both luaxtboth luaxtboth &&
	{ has "luaxtboth match"; has "luaxtboth target: help(): libxt_luaxtboth.lua:6: help failed on purpose"; }

# --- a C extension written for Lunatik 3.6 ------------------------------
expect 0 "$harness" match luaxtc info &&
	has "name=luaxtc revision=1 family=0 size=264 userspacesize=0"
expect 0 "$harness" match luaxtc parse &&
	{ has "userargs=$(hex c-extension)"; has "print= luaxtc c-extension"; }

# --- the real iptables binaries load the library (no kernel needed for -h) --
# Without the kernel module iptables only accepts revision 0 (it cannot ask
# the kernel); the VM tests cover the other revisions.
for ipt in iptables-legacy ip6tables-legacy iptables-nft ip6tables-nft; do
	command -v "$ipt" >/dev/null || continue
	expect 0 sh -c 'cd "$1" && "$2" -m luaxtcwd -h' sh "$tmp/cwd" "$ipt" &&
		{ has "probe=false relative=false"; lacks "working directory ran"; }
	expect 0 "$ipt" -j luaxt36 -h && has "luaxt36 takes no options"
	expect 2 "$ipt" -m luaxtbroken -h && has "description refuses to load"
done

# --- luaxt-build itself ------------------------------------------------------
expect 1 env LUAXT_LIB="$lib" LUAXT_INCLUDE="$inc" "$build" -n 'bad name' \
	-o "$tmp/x.so" "$dir/../../../tests/xtables/ext/luaxtopts.lua" &&
	has "invalid extension name 'bad name'"
expect 1 env LUAXT_LIB="$lib" LUAXT_INCLUDE="$inc" "$build" -n aaaaaaaaaaaaaaaaaaaaaaaaaaaaa \
	-o "$tmp/x.so" /dev/null && has "invalid extension name"
expect 1 env LUAXT_LIB="$lib" LUAXT_INCLUDE="$inc" "$build" -n ok -o "$tmp/x.so" \
	"$tmp/nonexistent.lua" && has "cannot read"
printf 'local luaxt = require("luaxt")\nluaxt.match{revision = 3, family = luaxt.family.IPV6}\n' \
	>"$tmp/inst.lua"
expect 0 env LUAXT_LIB="$lib" LUAXT_INCLUDE="$inc" "$build" -n luaxtinst \
	-o "$tmp/libxt_luaxtinst.so" --install --destdir "$tmp/root" "$tmp/inst.lua" &&
	has "installed $tmp/root$sysdir/libxt_luaxtinst.so"
expect 0 env XTABLES_LIBDIR="$tmp/root$sysdir:$sysdir" "$harness" -6 match luaxtinst info &&
	has "name=luaxtinst revision=3 family=10 size=264"
# the library carries its description: it works after the source is gone
rm -f "$tmp/inst.lua"
expect 0 env XTABLES_LIBDIR="$tmp/root$sysdir:$sysdir" "$harness" -6 match luaxtinst info &&
	has "revision=3"

expect_summary luaxt
