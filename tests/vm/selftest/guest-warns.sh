#!/bin/bash
# Harness self-test, run in the guest: exits 0 after provoking a kernel WARN;
# the run must still fail because of the splat in the kernel log.
modprobe lunatik_selftest_warn || exit 1
modprobe -r lunatik_selftest_warn
echo "selftest: WARN provoked, script exits 0"
exit 0
