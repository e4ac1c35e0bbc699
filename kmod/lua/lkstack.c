// SPDX-License-Identifier: GPL-2.0
/*
 * lkstack.c - how much C stack a Lua call entered here may use, measured on
 * the kernel stack this CPU is really running on (kmod/lua/STACK.md).
 *
 * The byte budget starts where C enters a lua_State. Runtimes call into
 * other runtimes (runtime:resume), so one kernel stack can hold several
 * entries, each with its own budget: a budget that only looked at the
 * context would start afresh in each and could add up past the end of the
 * stack. So the budget is also capped by what is left of the stack below
 * the entry, minus LUAI_CSTACKRESERVE: what the deepest check point, the
 * error raised there and a kernel leaf below it may still need.
 */
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/version.h>

#include "luaconf.h"

/*
 * Off the task stack (softirq run on the IRQ stack at irq_exit) and where
 * the kernel does not tell modules where that stack is (6.1 exports no
 * IRQ-stack pointer): the shallowest entry point seen on this CPU's stack,
 * assumed to have had LUNATIK_IRQ_ASSUMED bytes left, bounds the others.
 * Entries on one CPU off the task stack never interleave (softirq does not
 * nest and runs with preemption off), so deeper entries lie below it.
 */
#define LUNATIK_IRQ_ASSUMED	(LUAI_CSTACKSOFTIRQ + LUAI_CSTACKRESERVE)

static DEFINE_PER_CPU(unsigned long, lunatik_irq_entry);

/* Bytes below @sp on the current task's stack, or -1 when not on it. */
static long lunatik_task_left(unsigned long sp)
{
	unsigned long low = (unsigned long)task_stack_page(current);

	return sp - low < THREAD_SIZE ? (long)(sp - low) : -1;
}

/* Bytes below @sp on this CPU's IRQ stack, or -1 when unknown. */
static long lunatik_irq_left(unsigned long sp)
{
#if defined(CONFIG_X86_64) && LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	/* pcpu_hot (exported) holds the top of the IRQ stack, minus 8 */
	unsigned long top = (unsigned long)this_cpu_read(pcpu_hot.hardirq_stack_ptr) + 8;
	unsigned long low = top - IRQ_STACK_SIZE;

	if (sp - low < IRQ_STACK_SIZE)
		return sp - low;
#endif
	return -1;
}

/* The fallback: relative to the shallowest entry seen off the task stack. */
static long lunatik_entry_left(unsigned long sp)
{
	unsigned long *entry = this_cpu_ptr(&lunatik_irq_entry);

	/* above it, or too far below to be on the same stack: the new mark */
	if (*entry == 0 || sp > *entry || *entry - sp >= LUNATIK_IRQ_ASSUMED)
		*entry = sp;
	return LUNATIK_IRQ_ASSUMED - (long)(*entry - sp);
}

/**
 * lunatik_lua_cstacklimit - the C-stack budget of a Lua call entered at @base
 *
 * Called where C enters Lua (see the ldo.c patch): the context's budget
 * (less in softirq/irq, which may run on the IRQ stack under a driver and
 * the network stack), capped by what the stack has left below @base.
 */
size_t lunatik_lua_cstacklimit(size_t base)
{
	long budget = in_task() ? LUAI_CSTACKTASK : LUAI_CSTACKSOFTIRQ;
	long left = lunatik_task_left(base);

	if (left < 0)
		left = lunatik_irq_left(base);
	if (left < 0)
		left = lunatik_entry_left(base);
	left -= LUAI_CSTACKRESERVE;
	return clamp(left, 0L, budget);
}
