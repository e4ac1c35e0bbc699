#!/bin/bash
# Harness self-test, run in the guest: the module is loaded, has BTF, and the
# repository is the working directory.
set -o nounset
[ -d /sys/module/lunatik ] || { echo "lunatik not loaded"; exit 1; }
[ -f /sys/kernel/btf/lunatik ] || { echo "no BTF for lunatik"; exit 1; }
[ -f tests/vm/run ] || { echo "not at the repository root: $PWD"; exit 1; }
echo "selftest: module loaded with BTF, cwd is the repository"
modprobe -r lunatik || { echo "lunatik did not unload"; exit 1; }
[ ! -d /sys/module/lunatik ] || { echo "lunatik still present after unload"; exit 1; }
echo "selftest: module unloaded cleanly"
