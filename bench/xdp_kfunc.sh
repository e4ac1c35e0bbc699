#!/usr/bin/env bash
# Benchmark (prints ratios, asserts nothing): XDP -> bpf_luaxdp_run -> an
# empty Lua callback vs an empty XDP program, and the kfunc with a key
# naming no set (lookup only), in the guest kernel: BPF_PROG_TEST_RUN with
# repeat (bpftool prog run). Target: Lua/empty <= 10. Writes
# /run/lpvm/xdp_kfunc.json (the run dir on the host) and prints it with a
# markdown table.
#   tests/vm/run [--kernel 6.12|6.1] bench/xdp_kfunc.sh
. tests/lib/vmtest.sh

SET=bench/xdp_kfunc/empty
SRC=$LPVM_REPO/bench/xdp_kfunc/progs.bpf.c
REPEAT=${REPEAT:-200000}
ROUNDS=3
work=$(mktemp -d)
pins=()

cleanup() {
	local p
	for p in "${pins[@]}"; do rm -f "$p"; done
	"$LP" stop "$SET" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf || exit 1
"$LP" run "$SET.lua" --context softirq >/dev/null || exit 1
# a minimal Ethernet + IPv4 frame: the programs never look at it
printf '\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00\x45\0\0\x14\0\0\0\0\x40\x11\0\0\x0a\0\0\x01\x0a\0\0\x02' \
	>"$work/frame"

declare -A ns retval
for v in EMPTY MISS LUA; do
	n=${v,,}
	clang -O2 -g -target bpf -D__TARGET_ARCH_x86 -DVARIANT="$v" \
		-idirafter /usr/include/x86_64-linux-gnu -c "$SRC" -o "$work/$n.o" || exit 1
	pin=/sys/fs/bpf/lp_bench_$n
	rm -f "$pin"
	bpftool prog load "$work/$n.o" "$pin" type xdp || exit 1
	pins+=("$pin")
	best=
	for _ in $(seq $ROUNDS); do
		out=$(bpftool -j prog run pinned "$pin" data_in "$work/frame" repeat "$REPEAT") || exit 1
		d=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["duration"])' "$out")
		retval[$n]=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["retval"])' "$out")
		[ -z "$best" ] || [ "$d" -lt "$best" ] && best=$d
	done
	ns[$n]=$best
done

ratio() { python3 -c "print(f'{$1 / max($2, 1):.2f}')"; }
lua_ratio=$(ratio "${ns[lua]}" "${ns[empty]}")
miss_ratio=$(ratio "${ns[miss]}" "${ns[empty]}")
json=$(printf '{"kernel":"%s","repeat":%d,"ns":{"empty":%d,"kfunc_no_set":%d,"kfunc_lua":%d},"retval":{"empty":%d,"kfunc_no_set":%d,"kfunc_lua":%d},"ratio":{"kfunc_lua_vs_empty":%s,"kfunc_no_set_vs_empty":%s},"target":10}' \
	"$(uname -r)" "$REPEAT" "${ns[empty]}" "${ns[miss]}" "${ns[lua]}" \
	"${retval[empty]}" "${retval[miss]}" "${retval[lua]}" "$lua_ratio" "$miss_ratio")
[ -d /run/lpvm ] && printf '%s\n' "$json" >/run/lpvm/xdp_kfunc.json
echo "# xdp_kfunc: $json"
echo "# xdp_kfunc:"
echo "# | program ($(uname -r), TCG guest) | ns per run | vs empty | returns |"
echo "# |---|---|---|---|"
echo "# | empty XDP program | ${ns[empty]} | 1.00 | ${retval[empty]} |"
echo "# | kfunc, key naming no set | ${ns[miss]} | $miss_ratio | ${retval[miss]} |"
echo "# | kfunc -> empty Lua callback | ${ns[lua]} | $lua_ratio | ${retval[lua]} |"
