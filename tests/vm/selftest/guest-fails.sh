#!/bin/bash
# Harness self-test, run in the guest: a script that fails must fail the run.
echo "selftest: this script exits 3 on purpose"
exit 3
