#!/usr/bin/env bash
# make deps: install everything lunatik-pipeline needs on a Debian 12 machine.
#
#   1. Debian packages (apt-get), only when some are missing.
#   2. For each target kernel series, the newest ABI found in the apt cache:
#      image, headers, common headers and kbuild unpacked under
#      build/deps/kernel/<series>/root (the host's /boot and /usr/src are
#      never touched), with what module BTF needs (DESIGN.md §3).
#   3. Lua 5.4 from Debian's lua5.4 source package, fetched through a
#      private apt configuration whose deb-src lines are derived from the
#      system's own apt sources (no mirror name is written anywhere).
#
# Idempotent: a second run only checks stamps and finishes in seconds.
set -o errexit -o nounset -o pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
deps=${LUNATIK_DEPS_DIR:-$top/build/deps}
series_list=${SERIES:-6.12 6.1}

packages=(
	build-essential make cmake pkg-config gcc g++ clang llvm lld
	libclang-rt-14-dev
	libelf-dev zlib1g-dev libzstd-dev dwarves bison flex bc rsync
	xz-utils zstd dpkg-dev
	libbpf-dev libxdp-dev xdp-tools bpftool libxtables-dev iptables
	nftables iproute2 kmod
	qemu-system-x86 busybox-static cpio dnsmasq dnsutils openssl python3
	procps util-linux libcap2-bin
	libyaml-cpp-dev libcli11-dev libfmt-dev nlohmann-json3-dev libmnl-dev
	libgtest-dev libgmock-dev libbenchmark-dev libreadline-dev gcc-12
	liblua5.4-dev
)

log() { printf 'deps: %s\n' "$*"; }
die() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (apt-get, dpkg-deb ownership)"
mkdir -p "$deps"

apt_update_once() {
	local stamp=$deps/.apt-updated
	if [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
		log "apt-get update"
		apt-get update -q >/dev/null
		touch "$stamp"
	fi
}

install_packages() {
	local missing=()
	local p
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null |
			grep -qx installed || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	apt_update_once
	log "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" >/dev/null
}

# Newest "<kver>" (e.g. 6.12.117+deb12-amd64, 6.1.0-56-amd64) of a series.
newest_kver() {
	local series=$1 re
	case $series in
	6.12) re='^linux-image-6\.12\.[0-9]+\+deb12-amd64$' ;;
	6.1) re='^linux-image-6\.1\.0-[0-9]+-amd64$' ;;
	*) die "unknown kernel series $series (known: 6.12 6.1)" ;;
	esac
	apt-cache pkgnames linux-image- | grep -E "$re" | sed 's/^linux-image-//' |
		sort -V | tail -n 1
}

# Packages that make up a buildable, bootable tree for <kver>.
kernel_packages() {
	local kver=$1
	echo "linux-image-$kver" "linux-headers-$kver"
	apt-cache depends "linux-headers-$kver" |
		awk '/Depends: linux-(headers-.*-common|kbuild-)/ { print $2 }'
}

# xz or zstd payload of a bzImage -> uncompressed vmlinux ELF.
decompress_vmlinuz() {
	local vmlinuz=$1 out=$2
	python3 - "$vmlinuz" "$out" <<'EOF'
import lzma, subprocess, sys
data = open(sys.argv[1], "rb").read()
xz = data.find(b"\xfd7zXZ\x00")
zs = data.find(b"\x28\xb5\x2f\xfd")
if xz >= 0 and (zs < 0 or xz < zs):
    d = lzma.LZMADecompressor()
    raw = d.decompress(data[xz:])
else:
    raw = subprocess.run(["zstd", "-dcq"], input=data[zs:],
                         stdout=subprocess.PIPE).stdout
if raw[:4] != b"\x7fELF":
    sys.exit("no ELF inside " + sys.argv[1])
open(sys.argv[2], "wb").write(raw)
EOF
}

# 6.1 headers ship neither vmlinux nor resolve_btfids (DESIGN.md §3).
prepare_btf_61() {
	local dir=$1 kver=$2
	local kdir=$dir/root/usr/src/linux-headers-$kver
	local src=$deps/linux-source-6.1

	log "$kver: extracting base BTF vmlinux from the image"
	decompress_vmlinuz "$dir/root/boot/vmlinuz-$kver" "$dir/vmlinux.full"
	objcopy --only-section=.BTF "$dir/vmlinux.full" "$kdir/vmlinux" \
		2> >(grep -v "empty loadable segment" >&2)
	rm -f "$dir/vmlinux.full"

	if [ ! -x "$src/resolve_btfids" ]; then
		log "building resolve_btfids from linux-source-6.1"
		rm -rf "$src" && mkdir -p "$src/deb"
		(cd "$src/deb" && apt-get download -q linux-source-6.1 >/dev/null 2>&1)
		dpkg-deb -x "$src"/deb/linux-source-6.1_*.deb "$src/deb/x"
		tar -xJf "$src"/deb/x/usr/src/linux-source-6.1.tar.xz -C "$src" \
			--wildcards 'linux-source-6.1/tools' \
			'linux-source-6.1/scripts' 'linux-source-6.1/include' \
			'linux-source-6.1/arch/x86/include' \
			'linux-source-6.1/Makefile' 'linux-source-6.1/Kbuild'
		make -s -C "$src/linux-source-6.1/tools/bpf/resolve_btfids" \
			-j"$(nproc)" >/dev/null
		cp "$src/linux-source-6.1/tools/bpf/resolve_btfids/resolve_btfids" \
			"$src/resolve_btfids"
		rm -rf "$src/deb" "$src/linux-source-6.1"
	fi

	# tools/ is a symlink into the shared kbuild tree: make it private.
	local tools
	tools=$(readlink -f "$kdir/tools")
	rm "$kdir/tools"
	cp -a "$tools" "$kdir/tools"
	mkdir -p "$kdir/tools/bpf/resolve_btfids"
	cp "$src/resolve_btfids" "$kdir/tools/bpf/resolve_btfids/"
}

fetch_kernel() {
	local series=$1 kver dir pkgs p
	kver=$(newest_kver "$series")
	[ -n "$kver" ] || { apt_update_once; kver=$(newest_kver "$series"); }
	[ -n "$kver" ] || die "no linux-image for series $series in the apt cache"
	dir=$deps/kernel/$series
	if [ -f "$dir/.done" ] && [ "$(cat "$dir/KVER")" = "$kver" ]; then
		return 0
	fi
	log "kernel $series: $kver"
	rm -rf "$dir" && mkdir -p "$dir/debs" "$dir/root"
	mapfile -t pkgs < <(kernel_packages "$kver" | tr ' ' '\n')
	(cd "$dir/debs" && apt-get download -q "${pkgs[@]}" >/dev/null 2>&1) ||
		die "apt-get download ${pkgs[*]} failed"
	for p in "$dir"/debs/*.deb; do
		dpkg-deb -x "$p" "$dir/root"
	done
	rm -rf "$dir/debs"

	local kdir=$dir/root/usr/src/linux-headers-$kver
	# The arch headers Makefile includes the common one by absolute path.
	sed -i "s|/usr/src/|$dir/root/usr/src/|" "$kdir/Makefile"
	[ "$series" = 6.1 ] && prepare_btf_61 "$dir" "$kver"
	[ -f "$kdir/vmlinux" ] || die "$kver: no vmlinux (BTF) in $kdir"
	[ -x "$kdir/tools/bpf/resolve_btfids/resolve_btfids" ] ||
		die "$kver: no resolve_btfids in $kdir"

	depmod -b "$dir/root" "$kver"
	ln -sfn "root/usr/src/linux-headers-$kver" "$dir/kdir"
	ln -sfn "root/boot/vmlinuz-$kver" "$dir/vmlinuz"
	ln -sfn "root/lib/modules/$kver" "$dir/modules"
	echo "$kver" >"$dir/KVER"
	touch "$dir/.done"
}

# deb-src lines for the system's own Debian sources (deb822 and one-line).
debsrc_lines() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
		function flush() {
			if (types ~ /deb/ && uris != "" && comps != "") {
				n = split(suites, s, " ")
				for (i = 1; i <= n; i++)
					print "deb-src " uris " " s[i] " " comps
			}
			types = uris = suites = comps = ""
		}
		/^[ \t]*$/ { flush(); next }
		/^Types:/ { types = $0 }
		/^URIs:/ { uris = $2 }
		/^Suites:/ { $1 = ""; suites = $0 }
		/^Components:/ { $1 = ""; comps = $0 }
		END { flush() }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" { $1 = "deb-src"; print }' "$f"
	done
}

fetch_lua() {
	local dir=$deps/lua
	[ -f "$dir/src/lua.h" ] && return 0
	local a=$deps/apt-src
	rm -rf "$a" && mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$a/src"
	# Only Debian's archive is reachable; keep the other vendors' lines out.
	debsrc_lines | grep -E '/debian(-security)?/? ' | sort -u >"$a/sources.list"
	[ -s "$a/sources.list" ] || die "no Debian apt source found to derive deb-src from"
	local opts=(-o "Dir::Etc::SourceList=$a/sources.list"
		-o "Dir::Etc::SourceParts=$a/none"
		-o "Dir::State::Lists=$a/lists" -o "Dir::Cache=$a/cache")
	log "fetching lua5.4 source package"
	apt-get "${opts[@]}" update -q >/dev/null
	(cd "$a/src" && apt-get "${opts[@]}" source --download-only -q lua5.4 \
		>/dev/null 2>&1) || die "apt-get source lua5.4 failed"
	rm -rf "$dir"
	dpkg-source -q -x "$a"/src/lua5.4_*.dsc "$dir" >/dev/null
	rm -rf "$a"
	[ -f "$dir/src/lua.h" ] || die "lua5.4 source has no src/lua.h"
}

install_packages
fetch_lua
for s in $series_list; do
	fetch_kernel "$s"
done
log "ok ($(for s in $series_list; do printf '%s=%s ' "$s" "$(cat "$deps/kernel/$s/KVER")"; done))"
