/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * lunatik-pipeline control plane: the generic-netlink family shared by the
 * kernel module (kmod/) and the userspace CLI (loader/).
 *
 * Every command requires CAP_NET_ADMIN in the caller's network namespace.
 * Runtime sets are kept per network namespace: a set created from one netns
 * is invisible from another.
 */
#ifndef _UAPI_LINUX_LUNATIK_PIPELINE_H
#define _UAPI_LINUX_LUNATIK_PIPELINE_H

#define LUNATIK_GENL_NAME	"lunatik"
#define LUNATIK_GENL_VERSION	1

/* Longest runtime-set name, including the terminating NUL. */
#define LUNATIK_NAME_MAX	128
/* Longest script path, including the terminating NUL. */
#define LUNATIK_PATH_MAX	4096
/*
 * Largest chunk accepted by LUNATIK_CMD_EXEC: what one netlink attribute
 * can carry (nla_len is a u16 that includes the 4-byte header).
 */
#define LUNATIK_CHUNK_MAX	(0xffff - 4)

/* Defaults applied when LUNATIK_A_MEM_LIMIT / LUNATIK_A_BUDGET are absent. */
#define LUNATIK_DEFAULT_MEM_LIMIT	(16ULL << 20)
#define LUNATIK_DEFAULT_BUDGET		1000000U
/*
 * Default of LUNATIK_A_HOOK_BUDGET: VM instructions per hook call (one
 * packet). Parsing a DNS message in Lua takes a few thousand.
 */
#define LUNATIK_DEFAULT_HOOK_BUDGET	50000U

/* What a hook returns when its call fails (error, budget, busy, ...). */
enum lunatik_policy {
	LUNATIK_POLICY_PASS,	/* netfilter ACCEPT, XDP PASS, no match */
	LUNATIK_POLICY_DROP,	/* netfilter DROP, XDP DROP */
	__LUNATIK_POLICY_CNT
};

enum lunatik_context {
	/* one instance, mutex, GFP_KERNEL: hooks may sleep */
	LUNATIK_CONTEXT_PROCESS,
	/* one instance per possible CPU, spinlock with BH off, GFP_ATOMIC */
	LUNATIK_CONTEXT_SOFTIRQ,
	__LUNATIK_CONTEXT_CNT
};

enum lunatik_cmd {
	LUNATIK_CMD_UNSPEC,
	/*
	 * NAME, SCRIPT, [CHUNKNAME], [CONTEXT], [MEM_LIMIT], [BUDGET],
	 * [HOOK_BUDGET], [POLICY], [SHARED]
	 * Loads SCRIPT into a new set. Reply: SET nest, or ERROR (+ ERRNO)
	 * when the script fails to load or run.
	 */
	LUNATIK_CMD_CREATE,
	/* NAME. Stops the set and releases it after an RCU grace period. */
	LUNATIK_CMD_STOP,
	/*
	 * NAME, [SCRIPT], [CHUNKNAME]. Builds a complete new generation,
	 * swaps it in under RCU, frees the old one after a grace period.
	 * On failure the old generation keeps running. Reply as CREATE.
	 */
	LUNATIK_CMD_RELOAD,
	/* dump (all sets of the netns) or do with NAME. Reply: SET nests. */
	LUNATIK_CMD_LIST,
	/*
	 * NAME, CHUNK, [CHUNKNAME]. Runs CHUNK in the instance of the CPU the
	 * request is handled on (pin the caller with taskset to choose).
	 * Reply: RESULT (the returned values, tostring()ed, tab separated)
	 * or ERROR (+ ERRNO).
	 */
	LUNATIK_CMD_EXEC,
	/* no attributes. Reply: module-wide STATS nest (leak accounting). */
	LUNATIK_CMD_STATS,
	__LUNATIK_CMD_CNT
};
#define LUNATIK_CMD_MAX (__LUNATIK_CMD_CNT - 1)

enum lunatik_attr {
	LUNATIK_A_UNSPEC,
	LUNATIK_A_PAD,
	LUNATIK_A_NAME,		/* string, < LUNATIK_NAME_MAX */
	LUNATIK_A_SCRIPT,	/* string, absolute path of the script file */
	LUNATIK_A_CHUNKNAME,	/* string, name used in Lua error messages */
	LUNATIK_A_CONTEXT,	/* u8, enum lunatik_context */
	LUNATIK_A_MEM_LIMIT,	/* u64, bytes of Lua memory per instance */
	LUNATIK_A_BUDGET,	/* u32, VM instructions per hook call */
	LUNATIK_A_CHUNK,	/* binary, Lua source for EXEC */
	LUNATIK_A_RESULT,	/* binary, EXEC results (bytes, may hold NULs) + NUL */
	LUNATIK_A_ERROR,	/* string, Lua error message */
	LUNATIK_A_ERRNO,	/* u32, positive errno that goes with ERROR */
	LUNATIK_A_SET,		/* nest, enum lunatik_set_attr */
	LUNATIK_A_STATS,	/* nest, enum lunatik_stats_attr */
	LUNATIK_A_HOOK_BUDGET,	/* u32, VM instructions per hook call */
	LUNATIK_A_POLICY,	/* u8, enum lunatik_policy */
	/*
	 * u8, 0 or 1, softirq sets only: one instance behind one lock that
	 * every CPU takes (spinning), instead of one instance per CPU - how
	 * Lunatik 3.6 runs hooks; kept for comparison (bench/netfilter.sh)
	 */
	LUNATIK_A_SHARED,
	__LUNATIK_A_CNT
};
#define LUNATIK_A_MAX (__LUNATIK_A_CNT - 1)

enum lunatik_set_attr {
	LUNATIK_SET_A_UNSPEC,
	LUNATIK_SET_A_PAD,
	LUNATIK_SET_A_NAME,		/* string */
	LUNATIK_SET_A_SCRIPT,		/* string */
	LUNATIK_SET_A_CONTEXT,		/* u8 */
	LUNATIK_SET_A_MEM_LIMIT,	/* u64 */
	LUNATIK_SET_A_BUDGET,		/* u32 */
	LUNATIK_SET_A_GENERATION,	/* u32, bumped by every reload */
	LUNATIK_SET_A_NINSTANCES,	/* u32 */
	LUNATIK_SET_A_INSTANCE,		/* nest, repeated, enum lunatik_inst_attr */
	LUNATIK_SET_A_HOOK_BUDGET,	/* u32 */
	LUNATIK_SET_A_POLICY,		/* u8, enum lunatik_policy */
	LUNATIK_SET_A_HOOK,		/* nest, repeated, enum lunatik_hook_attr */
	__LUNATIK_SET_A_CNT
};
#define LUNATIK_SET_A_MAX (__LUNATIK_SET_A_CNT - 1)

enum lunatik_inst_attr {
	LUNATIK_INST_A_UNSPEC,
	LUNATIK_INST_A_PAD,
	LUNATIK_INST_A_CPU,		/* u32, U32_MAX for a process set */
	LUNATIK_INST_A_CALLS,		/* u64, calls made from hooks and EXEC */
	LUNATIK_INST_A_ERRORS,		/* u64, calls that raised an error */
	LUNATIK_INST_A_BUDGET_HITS,	/* u64, calls cut by the instruction budget */
	LUNATIK_INST_A_MEM_USED,	/* u64, bytes of Lua memory in use now */
	__LUNATIK_INST_A_CNT
};
#define LUNATIK_INST_A_MAX (__LUNATIK_INST_A_CNT - 1)

/* One kernel hook of a set; counters summed over CPUs. */
enum lunatik_hook_attr {
	LUNATIK_HOOK_A_UNSPEC,
	LUNATIK_HOOK_A_PAD,
	LUNATIK_HOOK_A_TYPE,		/* string, "netfilter", ... */
	LUNATIK_HOOK_A_DESC,		/* string, e.g. "ipv4 LOCAL_OUT prio 0" */
	LUNATIK_HOOK_A_PACKETS,		/* u64, calls of the hook */
	LUNATIK_HOOK_A_ERRORS,		/* u64, Lua errors (budget, memory included) */
	LUNATIK_HOOK_A_BUDGET_HITS,	/* u64, calls cut by the budget */
	LUNATIK_HOOK_A_MEMORY,		/* u64, calls failed by the memory cap */
	LUNATIK_HOOK_A_BUSY,		/* u64, instance busy (re-entry) */
	LUNATIK_HOOK_A_BAD_VERDICT,	/* u64, returns outside the verdicts */
	LUNATIK_HOOK_A_STOPPED,		/* u64, no generation (stop, reload) */
	LUNATIK_HOOK_A_FALLBACK,	/* u64, default verdicts given */
	LUNATIK_HOOK_A_VERDICT,		/* nest, repeated, enum lunatik_verdict_attr */
	__LUNATIK_HOOK_A_CNT
};
#define LUNATIK_HOOK_A_MAX (__LUNATIK_HOOK_A_CNT - 1)

enum lunatik_verdict_attr {
	LUNATIK_VERDICT_A_UNSPEC,
	LUNATIK_VERDICT_A_PAD,
	LUNATIK_VERDICT_A_NAME,		/* string, "ACCEPT", ... */
	LUNATIK_VERDICT_A_COUNT,	/* u64, packets given this verdict */
	__LUNATIK_VERDICT_A_CNT
};
#define LUNATIK_VERDICT_A_MAX (__LUNATIK_VERDICT_A_CNT - 1)

enum lunatik_stats_attr {
	LUNATIK_STATS_A_UNSPEC,
	LUNATIK_STATS_A_PAD,
	LUNATIK_STATS_A_ALLOCS,		/* u64, live allocations made by the module */
	LUNATIK_STATS_A_ALLOC_BYTES,	/* u64, bytes in those allocations */
	LUNATIK_STATS_A_NSETS,		/* u32, sets in all namespaces */
	LUNATIK_STATS_A_NRUNTIMES,	/* u32, lua_States alive (sets + Lua-made) */
	__LUNATIK_STATS_A_CNT
};
#define LUNATIK_STATS_A_MAX (__LUNATIK_STATS_A_CNT - 1)

#endif /* _UAPI_LINUX_LUNATIK_PIPELINE_H */
