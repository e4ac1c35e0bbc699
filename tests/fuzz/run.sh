#!/usr/bin/env bash
# Run lua_dialect_fuzz (tests/fuzz/build.sh) over the repository's Lua files.
#
#   tests/fuzz/run.sh [--fresh] FUZZER WORKDIR [LIBFUZZER_ARGS...]
#
# WORKDIR/seeds  the seed corpus: tests/lua, tests/vm/cases/*/lua,
#                examples and tests/fuzz/regressions (inputs that once
#                crashed or hung: each run replays them) Lua files, copied
#                afresh on every run (the source tree is never written)
# WORKDIR/corpus what the fuzzer found; kept between runs (--fresh: emptied)
# WORKDIR/artifacts  crash-*, leak-*, timeout-*, oom-* reproducers
#
# A long run by hand, e.g. one hour on every CPU (one process per CPU, each
# logging to fuzz-N.log in the current directory; the corpus is shared):
#   tests/fuzz/build.sh build/fuzz && cd build/fuzz &&
#   ../../tests/fuzz/run.sh ./lua_dialect_fuzz work \
#       -max_total_time=3600 -jobs="$(nproc)" -workers="$(nproc)"
# Reproduce: build/fuzz/lua_dialect_fuzz FILE... (prints the script's output),
# e.g. the fixed findings: ... -timeout=10 tests/fuzz/regressions/*
# Later LIBFUZZER_ARGS override the defaults below (-timeout=N...).
#
# The exit status is libFuzzer's (0: nothing found; 1: a crash, sanitizer
# report, leak or timeout, saved in WORKDIR/artifacts), or 77 when FUZZER
# does not exist (build.sh found no libFuzzer: ctest reports a skip).
set -o errexit -o nounset -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
fresh=0
if [ "${1:-}" = --fresh ]; then
	fresh=1
	shift
fi
fuzzer=${1:?usage: $0 [--fresh] FUZZER WORKDIR [LIBFUZZER_ARGS...]}
work=${2:?usage: $0 [--fresh] FUZZER WORKDIR [LIBFUZZER_ARGS...]}
shift 2

if [ ! -x "$fuzzer" ]; then
	echo "run.sh: no fuzzer at $fuzzer (no clang with libFuzzer?)" >&2
	exit 77
fi

mkdir -p "$work"
rm -rf "$work/seeds"
[ $fresh = 1 ] && rm -rf "$work/corpus"
mkdir -p "$work/seeds" "$work/corpus" "$work/artifacts"
# one flat directory; the path in the name keeps equal basenames apart
(cd "$top" && find tests/lua tests/vm/cases examples tests/fuzz/regressions \
	-name '*.lua' \
	-type f 2>/dev/null) | while read -r f; do
	cp "$top/$f" "$work/seeds/$(printf '%s' "$f" | tr / _)"
done

# -close_fd_mask=1: scripts print; libFuzzer and the sanitizers use stderr.
# -timeout: an input the instruction budget cannot stop (time spent in C)
# is a finding. Budgeted inputs take milliseconds; the margin is for a
# slow, busy machine.
# Exit codes: libFuzzer's default for a crash is 77, ctest's "skipped".
exec "$fuzzer" -dict="$here/lua.dict" -close_fd_mask=1 -rss_limit_mb=2048 \
	-timeout=30 -error_exitcode=1 -timeout_exitcode=1 \
	-artifact_prefix="$work/artifacts/" -print_final_stats=1 \
	"$@" "$work/corpus" "$work/seeds"
