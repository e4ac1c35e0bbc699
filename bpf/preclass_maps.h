/* SPDX-License-Identifier: GPL-2.0 */
/*
 * preclass_maps.h - maps and load-time settings of one pre-classifier.
 * Include once per .bpf.c, after defining PRECLASS_DEFAULT_KEY and
 * PRECLASS_DEFAULT_PORT.
 */
#ifndef PRECLASS_MAPS_H
#define PRECLASS_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "preclass_abi.h"

/*
 * The runtime set to run (its name, NUL padded). In .data, not .rodata:
 * the kfunc's (key, key__sz) pair is checked as writable memory. A loader
 * changes it before load.
 */
char preclass_key[PRECLASS_KEY_MAX] = PRECLASS_DEFAULT_KEY;

/*
 * Load-time settings. Frozen after load, so the verifier prunes the
 * branches they rule out: with mode OFF the kfunc call is dead code and
 * the object loads without the module. Ports are big endian; 0 is unused.
 * Defaults fit `xdp-loader load` with the module loaded.
 */
const volatile __u32 preclass_mode = PRECLASS_MODE_LUA;
const volatile __be16 preclass_ports[PRECLASS_MAX_PORTS] = {
	bpf_htons(PRECLASS_DEFAULT_PORT),
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct preclass_counters);
} preclass_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct preclass_record);
} preclass_record SEC(".maps");

#endif /* PRECLASS_MAPS_H */
