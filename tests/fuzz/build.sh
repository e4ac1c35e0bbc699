#!/usr/bin/env bash
# Build the libFuzzer target for the kernel's integer-only Lua:
#
#   tests/fuzz/build.sh OUTDIR [LUA_DIR]   -> OUTDIR/lua_dialect_fuzz
#   tests/fuzz/build.sh --check OUTDIR     only: can clang build one here?
#
# LUA_DIR is the patched tree (kmod/lua/port.sh output, default build/lua).
# The Lua sources are hostlua's (LUNATIK_LUA_NAMES in hostlua/CMakeLists.txt,
# read from there so the two never differ), compiled with clang (libFuzzer
# is clang's) with AddressSanitizer, LeakSanitizer, UBSan (every report
# fatal) and Lua's internal assertions (LUAI_ASSERT, api_check), and, as in
# the kernel and hostlua, -mgeneral-regs-only: any floating-point
# instruction is a compile error. Lua's string-hash seed and sort pivots,
# random on the host, are constants here so that a reproducer behaves the
# same in every run (the kernel takes both from its RNG). LUNATIK_FUZZ_CC
# overrides the compiler (clang). Exit status 77: it cannot build a
# libFuzzer target here.
set -o errexit -o nounset -o pipefail

usage="usage: $0 [--check] OUTDIR [LUA_DIR]"
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
check=0
if [ "${1:-}" = --check ]; then
	check=1
	shift
fi
out=${1:?$usage}
lua=${2:-$top/build/lua}
cc=${LUNATIK_FUZZ_CC:-clang}

common=(-std=gnu99 -g -O1 -fno-omit-frame-pointer -I"$lua" -DLUAI_ASSERT
	'-Dluai_makeseed(L)=((void)(L), 0x2545F491u)'
	'-Dl_randomizePivot()=0x9E3779B9u'
	-fsanitize=address,undefined -fno-sanitize-recover=undefined)
case $(uname -m) in
x86_64 | aarch64) common+=(-mgeneral-regs-only) ;;
esac

# Is libFuzzer there at all (Debian: libclang-rt-14-dev)?
mkdir -p "$out/obj"
probe=$out/obj/probe
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
	'{ (void)d; (void)n; return 0; }' >"$probe.c"
if ! "$cc" "${common[@]}" -fsanitize=fuzzer "$probe.c" -o "$probe" \
	>"$probe.log" 2>&1; then
	echo "build.sh: $cc cannot link a libFuzzer target:" >&2
	cat "$probe.log" >&2
	exit 77
fi
[ $check = 1 ] && exit 0

if [ ! -f "$lua/PORT" ]; then
	echo "build.sh: no patched Lua tree at $lua (make lua-port)" >&2
	exit 1
fi
names=$(sed -n '/^set(LUNATIK_LUA_NAMES/,/)/p' "$top/hostlua/CMakeLists.txt" |
	sed 's/^set(LUNATIK_LUA_NAMES//; s/)$//')
if [ -z "${names// /}" ]; then
	echo "build.sh: no LUNATIK_LUA_NAMES in hostlua/CMakeLists.txt" >&2
	exit 1
fi

# The Lua objects, one compiler per CPU; the instrumentation for coverage
# without libFuzzer's main (that comes with the harness). Lua's warnings are
# the gcc build's business (hostlua: -Wall -Wextra).
printf '%s\n' $names | xargs -P "$(nproc)" -I{} \
	"$cc" "${common[@]}" -fsanitize=fuzzer-no-link -w \
	-c "$lua/{}.c" -o "$out/obj/{}.o"
"$cc" "${common[@]}" -fsanitize=fuzzer -Wall -Wextra -Werror \
	-c "$here/lua_dialect_fuzz.c" -o "$out/obj/lua_dialect_fuzz.o"

objs=()
for n in $names; do
	objs+=("$out/obj/$n.o")
done
"$cc" "${common[@]}" -fsanitize=fuzzer "$out/obj/lua_dialect_fuzz.o" \
	"${objs[@]}" -o "$out/lua_dialect_fuzz.tmp"
mv "$out/lua_dialect_fuzz.tmp" "$out/lua_dialect_fuzz"
echo "build.sh: $out/lua_dialect_fuzz"
