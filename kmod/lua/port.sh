#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# port.sh SRC OUT - build the integer-only, kernel-ready Lua tree.
#
# SRC is the src/ directory of Lua 5.4.4 (Debian's lua5.4 source package,
# fetched by `make deps`; Lua is never committed). OUT (build/lua) is
# rebuilt from scratch on every run: Lua's sources, our patches applied
# (patches/*.patch, patch -p1 --fuzz=0: a hunk lands exactly where it was
# made or the port fails, never silently elsewhere), our luaconf.h, our
# replacement libraries and the kernel support files (klibc/ shims,
# setjmp/longjmp, the Kbuild fragment). Both the kernel module and the
# host library (hostlua/) build from OUT.
set -eu

EXPECT_MAJOR=5
EXPECT_MINOR=4
EXPECT_RELEASE=4	# the patches are made against 5.4.4

die() {
	echo "port.sh: error: $*" >&2
	exit 1
}

[ $# -eq 2 ] || die "usage: $0 SRC OUT (e.g. $0 build/deps/lua/src build/lua)"
SRC=$1
OUT=$2
HERE=$(cd "$(dirname "$0")" && pwd)

[ -f "$SRC/lua.h" ] || die "$SRC/lua.h not found: is SRC Lua's src/ directory? (run make deps)"

# Lua 5.4.x, and the release the patches were made for
ver() {
	sed -n "s/^#define LUA_VERSION_$1[[:space:]]*\"\([0-9]*\)\".*/\1/p" "$SRC/lua.h"
}
major=$(ver MAJOR)
minor=$(ver MINOR)
release=$(ver RELEASE)
[ "$major.$minor" = "$EXPECT_MAJOR.$EXPECT_MINOR" ] ||
	die "$SRC is Lua '$major.$minor.$release'; expected Lua $EXPECT_MAJOR.$EXPECT_MINOR.x ($EXPECT_MAJOR.$EXPECT_MINOR.$EXPECT_RELEASE)"
[ "$release" = "$EXPECT_RELEASE" ] ||
	die "$SRC is Lua $major.$minor.$release; the patches in $HERE/patches are for $EXPECT_MAJOR.$EXPECT_MINOR.$EXPECT_RELEASE"

# Build next to OUT, then swap, so OUT is never half-made.
TMP="$OUT.tmp.$$"
trap 'rm -rf "$TMP"' EXIT
rm -rf "$TMP"
mkdir -p "$TMP"

# Lua's core and the libraries we keep. Not taken: lua.c and luac.c
# (programs), linit.c (lkinit.c), lmathlib.c (lkmathlib.c), liolib.c and
# loslib.c (no io/os), and luaconf.h (ours).
for f in "$SRC"/*.c "$SRC"/*.h; do
	case ${f##*/} in
	lua.c | luac.c | linit.c | lmathlib.c | liolib.c | loslib.c | luaconf.h) ;;
	*) cp "$f" "$TMP/" ;;
	esac
done

for p in "$HERE"/patches/*.patch; do
	patch -d "$TMP" -p1 --forward --batch --no-backup-if-mismatch --fuzz=0 \
		--reject-file=- --quiet <"$p" ||
		die "patch ${p##*/} does not apply to $SRC"
done

cp "$HERE/luaconf.h" "$HERE/lkinit.c" "$HERE/lkmathlib.c" "$HERE/lkonelua.c" \
	"$HERE/lkgc.c" "$HERE/lkwork.c" "$HERE/lklibc.c" "$HERE/lkstack.c" "$HERE/lkfmt.c" "$HERE/setjmp_x86_64.S" "$HERE/Kbuild.inc" \
	"$TMP/"
cp -r "$HERE/klibc" "$TMP/klibc"

cat >"$TMP/PORT" <<STAMP
Lua $major.$minor.$release from $SRC, ported by kmod/lua/port.sh.
Patches: $(cd "$HERE/patches" && ls *.patch | tr '\n' ' ')
STAMP

rm -rf "$OUT"
mv "$TMP" "$OUT"
trap - EXIT
echo "port.sh: Lua $major.$minor.$release -> $OUT"
