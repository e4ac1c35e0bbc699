// SPDX-License-Identifier: GPL-2.0
/*
 * luathread.c - the "thread" Lua library: kernel threads running runtimes.
 *
 *   thrd = thread.run(runtime, name)  kthread "name" calls the function the
 *                                     runtime's script returned
 *   thread.shouldstop()               true once thrd:stop() was called
 *   thread.current()                  the calling task, as a thread object
 *   thrd:stop()                       stop and wait for the thread
 *   thrd:task()                       {cpu, command, pid, tgid}
 *
 * The kthread holds the runtime's lock (a mutex: only runtimes that may
 * sleep are accepted) for as long as its function runs, and one reference
 * on the runtime object, dropped when it exits.
 *
 * Stopping is kthread_stop(): it sets shouldstop and wakes the thread
 * (linux.schedule returns, and no longer sleeps afterwards; a completion
 * wait goes back to sleep until the SIGKILL below). A function that never
 * looks at shouldstop() would make stop() wait forever, so stop() arms a
 * SIGKILL after LUATHREAD_STOP_GRACE: the runtime's instruction hook then
 * ends the Lua call ("interrupted").
 *
 * kthread_stop() waits uninterruptibly, so thrd:stop() never calls it: it
 * hands the stop to a queue worker and waits killably for it to finish. Two
 * threads stopping each other (A runs B:stop() while B runs A:stop()) then
 * cannot deadlock: the worker stopping B wakes B, whose own wait ends as it
 * is being stopped (thrd:stop() raises "interrupted" there); B's Lua call
 * ends, and so does A's wait. Every wait of a stop is killable or ends
 * within the grace period.
 *
 * thread.current() returns a new object that refers to the task but does
 * not own it (stop() raises on it).
 *
 * The last reference to a thread object may go in any context (the garbage
 * collector of a softirq instance, an rcu entry freed after a grace period),
 * so the release, which waits for the thread, runs from the core's queue.
 * The state it needs therefore lives outside the object's payload, which is
 * freed as soon as the release callback returns.
 *
 * Threads made by thread.run() are also on a module-wide list until they are
 * stopped: a thread whose own runtime keeps its thread object (a reference
 * cycle), or whose object sits in a published table, would otherwise run on
 * after the set that started it. When a set instance is closed,
 * lunatik_thread_stop_tree() stops the threads its tree started or that run
 * one of its runtimes; lunatik_thread_exit() stops anything left at module
 * exit. The state is refcounted (the object and the list each hold one) so
 * that a stop from the list and the object's release may overlap.
 */
#include <linux/kref.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/workqueue.h>

#include "lunatik_internal.h"
#include "lualibs.h"

#define LUATHREAD_STOP_GRACE	(5 * HZ)

/**
 * struct luathread - a thread object's state (the payload points at it)
 * @task:    the task (one task_struct reference), NULL until it exists
 * @kill:    SIGKILL for a thread that ignores stop()
 * @release: the deferred release
 * @ref:     held by the object and, while on it, by luathread_owners
 * @node:    on luathread_owners until stopped
 * @owner:   created by thread.run(): this object stops it
 * @stopped: someone took it off luathread_owners to stop it (under
 *           luathread_owners_lock)
 * @quota:   charged @charged bytes: this struct, and for a thread we
 *           create, its kernel stack (bounds how many a script can start)
 * @run_quota: quota of the runtime the thread runs (a reference), NULL
 *           for thread.current() objects
 * @stop_work: a thrd:stop() from Lua stops the thread from here
 * @finished: the thread has been stopped (luathread_wq is woken)
 */
struct luathread {
	struct task_struct *task;
	struct delayed_work kill;
	struct work_struct release;
	struct kref ref;
	struct list_head node;
	bool owner;
	bool stopped;
	struct lunatik_quota *quota;
	size_t charged;
	struct lunatik_quota *run_quota;
	struct work_struct stop_work;
	bool finished;
};

static DEFINE_MUTEX(luathread_owners_lock);
static DECLARE_WAIT_QUEUE_HEAD(luathread_wq);
static LIST_HEAD(luathread_owners);

static const struct lunatik_class luathread_class;

/* A runtime object's payload points at its runtime (lualunatik.c). */
static struct lunatik_runtime *luathread_runtime(lunatik_object_t *obj)
{
	return *(struct lunatik_runtime **)obj->private;
}

/* ------------------------------------------------------------ the kthread */

static int luathread_entry(lua_State *L, void *arg)
{
	struct lunatik_runtime *rt = lunatik_toruntime(L);

	if (rt->entry == LUA_NOREF ||
	    lua_rawgeti(L, LUA_REGISTRYINDEX, rt->entry) != LUA_TFUNCTION)
		return luaL_error(L, "thread: the runtime's script returned no function");
	lua_call(L, 0, 0);
	return 0;
}

/*
 * @data is the runtime object, with a reference taken for this thread.
 * Always returns 0, so kthread_stop()'s -EINTR means "never started".
 */
static int luathread_func(void *data)
{
	lunatik_object_t *robj = data;
	struct lunatik_runtime *rt = luathread_runtime(robj);

	allow_signal(SIGKILL);
	if (lunatik_runtime_lock_killable(rt) == 0) {
		/* runtime:stop() closes the state after setting this */
		if (!rt->stopped)	/* errors are logged by the core */
			lunatik_runtime_call(rt, luathread_entry, NULL, NULL, NULL);
		lunatik_runtime_unlock(rt);
	}
	lunatik_object_put(robj);
	return 0;
}

static void luathread_kill(struct work_struct *work)
{
	struct luathread *t = container_of(to_delayed_work(work),
					   struct luathread, kill);

	send_sig(SIGKILL, t->task, 1);
}

static void luathread_free(struct kref *ref)
{
	struct luathread *t = container_of(ref, struct luathread, ref);

	if (t->task != NULL)
		put_task_struct(t->task);
	lunatik_uncharge(t->quota, t->charged);
	if (t->run_quota != NULL)
		lunatik_quota_put(t->run_quota);
	lunatik_free(t);
}

/* Stop a thread taken off luathread_owners; drops the list's reference. */
static void __luathread_stop(struct luathread *t)
{
	int ret;

	schedule_delayed_work(&t->kill, LUATHREAD_STOP_GRACE);
	ret = kthread_stop(t->task);
	cancel_delayed_work_sync(&t->kill);
	/* stopped before luathread_func ran: drop its runtime reference */
	if (ret == -EINTR)
		lunatik_object_put(kthread_data(t->task));
	WRITE_ONCE(t->finished, true);
	wake_up_all(&luathread_wq);
	kref_put(&t->ref, luathread_free);
}

static void luathread_stop_work(struct work_struct *work)
{
	__luathread_stop(container_of(work, struct luathread, stop_work));
}

/* Take @t off luathread_owners to stop it; false if someone else did. */
static bool luathread_claim(struct luathread *t)
{
	bool mine = false;

	if (t->task == NULL || !t->owner)
		return false;
	mutex_lock(&luathread_owners_lock);	/* held for list edits only */
	if (!t->stopped) {
		t->stopped = true;
		list_del_init(&t->node);
		mine = true;
	}
	mutex_unlock(&luathread_owners_lock);
	return mine;
}

/* The caller is a kernel thread being stopped itself. */
static bool luathread_self_stopping(void)
{
	return (current->flags & PF_KTHREAD) && kthread_should_stop();
}

/*
 * thrd:stop(): have a worker stop @t, wait for it killably. -EINTR when a
 * fatal signal, or a stop of the calling thread itself, ends the wait (the
 * worker still stops @t).
 */
static int luathread_stop(struct luathread *t)
{
	if (t->task == NULL || !t->owner)
		return 0;
	if (luathread_claim(t)) {
		INIT_WORK(&t->stop_work, luathread_stop_work);
		lunatik_defer(&t->stop_work);
	}
	if (wait_event_killable(luathread_wq, READ_ONCE(t->finished) ||
				luathread_self_stopping()))
		return -EINTR;
	return READ_ONCE(t->finished) ? 0 : -EINTR;
}

static void luathread_release_work(struct work_struct *work)
{
	struct luathread *t = container_of(work, struct luathread, release);

	/*
	 * A queue worker is never the thread itself: stop it here (bounded
	 * by the grace kill). If a stop is already under way, it finishes on
	 * its own and holds its own reference.
	 */
	if (luathread_claim(t))
		__luathread_stop(t);
	kref_put(&t->ref, luathread_free);
}

static void luathread_release(void *private)
{
	struct luathread *t = *(struct luathread **)private;

	if (t == NULL)
		return;
	INIT_WORK(&t->release, luathread_release_work);
	lunatik_defer(&t->release);
}

/* ---------------------------------------------------------------- methods */

/* The state of the thread object at @idx (never NULL: raises instead). */
static struct luathread *luathread_check(lua_State *L, int idx,
					 lunatik_object_t **pobj)
{
	lunatik_object_t *obj = lunatik_checkobject(L, idx, &luathread_class);
	struct luathread *t = *(struct luathread **)obj->private;

	if (t == NULL || t->task == NULL)
		luaL_argerror(L, idx, "thread was never started");
	if (pobj != NULL)
		*pobj = obj;
	return t;
}

static int luathread_lstop(lua_State *L)
{
	struct luathread *t = luathread_check(L, 1, NULL);
	int ret;

	if (!t->owner)
		return luaL_error(L, "thread.stop: not a thread made by thread.run");
	if (t->task == current)
		return luaL_error(L, "thread.stop: a thread cannot stop itself");
	if (!lunatik_cansleep(L))
		return luaL_error(L, "thread.stop: cannot sleep in this context");
	/*
	 * No object lock held across the wait: another stop of the same
	 * thread must not queue behind an unkillable mutex. The userdata at
	 * index 1 keeps t alive meanwhile.
	 */
	ret = luathread_stop(t);
	if (ret)
		return luaL_error(L, "thread.stop: interrupted");
	return 0;
}

static int luathread_task(lua_State *L)
{
	struct luathread *t = luathread_check(L, 1, NULL);
	char comm[TASK_COMM_LEN];
	lua_Integer cpu, pid, tgid;

	/*
	 * Copy out first: the pushes allocate, and a finalizer they run may
	 * close this object, whose release frees t and its task reference.
	 */
	get_task_comm(comm, t->task);
	cpu = task_cpu(t->task);
	pid = task_pid_nr(t->task);
	tgid = task_tgid_nr(t->task);
	lua_createtable(L, 0, 4);
	lua_pushinteger(L, cpu);
	lua_setfield(L, -2, "cpu");
	lua_pushstring(L, comm);
	lua_setfield(L, -2, "command");
	lua_pushinteger(L, pid);
	lua_setfield(L, -2, "pid");
	lua_pushinteger(L, tgid);
	lua_setfield(L, -2, "tgid");
	return 1;
}

static const luaL_Reg luathread_methods[] = {
	{"stop", luathread_lstop},
	{"task", luathread_task},
	{NULL, NULL}
};

static const struct lunatik_class luathread_class = {
	.name = "thread",
	.methods = luathread_methods,
	.release = luathread_release,
	.sleep = true,		/* stop() and release wait for the thread */
};

/* ---------------------------------------------------------------- library */

/*
 * Push a thread object with its state, or raise (nothing leaks); @task_cost
 * is charged on top when the object will start a kernel thread.
 */
static struct luathread *luathread_new(lua_State *L, size_t task_cost)
{
	lunatik_object_t *obj = lunatik_newobject(L, &luathread_class,
						  sizeof(struct luathread *));
	size_t charged = sizeof(struct luathread) + task_cost;
	struct lunatik_quota *q = lunatik_charge(L, charged);
	struct luathread *t = lunatik_zalloc(sizeof(*t), lunatik_gfp(L));

	if (t == NULL) {
		lunatik_uncharge(q, charged);
		luaL_error(L, "not enough memory");
	}
	t->quota = q;
	t->charged = charged;
	INIT_DELAYED_WORK(&t->kill, luathread_kill);
	kref_init(&t->ref);
	INIT_LIST_HEAD(&t->node);
	*(struct luathread **)obj->private = t;
	return t;
}

static int luathread_run(lua_State *L)
{
	const char *name = luaL_checkstring(L, 2);
	lunatik_object_t *robj = lunatik_checkobject(L, 1, &lunatik_runtime_class);
	struct lunatik_runtime *rt = luathread_runtime(robj);
	struct task_struct *task;
	struct luathread *t;

	if (!lunatik_cansleep(L))
		return luaL_error(L, "thread.run: cannot sleep in this context");
	luaL_argcheck(L, rt != NULL && !READ_ONCE(rt->stopped), 1,
		      "runtime is stopped");
	luaL_argcheck(L, rt->sleep, 1, "runtime cannot sleep");
	t = luathread_new(L, THREAD_SIZE);	/* closed until the task exists */
	/*
	 * Again: luathread_new allocates, and a finalizer it ran may have
	 * closed the runtime's userdata, dropping what may be its last
	 * reference. Raising leaves nothing behind (t has no task yet).
	 */
	robj = lunatik_checkobject(L, 1, &lunatik_runtime_class);
	t->run_quota = luathread_runtime(robj)->quota;
	lunatik_quota_get(t->run_quota);

	lunatik_object_get(robj);
	task = kthread_create(luathread_func, robj, "%s", name);
	if (IS_ERR(task)) {
		lunatik_object_put(robj);
		return luaL_error(L, "thread.run: cannot create thread (%d)",
				  (int)PTR_ERR(task));
	}
	get_task_struct(task);
	t->task = task;
	t->owner = true;
	kref_get(&t->ref);
	mutex_lock(&luathread_owners_lock);
	list_add(&t->node, &luathread_owners);
	mutex_unlock(&luathread_owners_lock);
	wake_up_process(task);
	return 1;
}

static int luathread_shouldstop(lua_State *L)
{
	lua_pushboolean(L, (current->flags & PF_KTHREAD) &&
			!in_interrupt() && kthread_should_stop());
	return 1;
}

static int luathread_current(lua_State *L)
{
	struct luathread *t = luathread_new(L, 0);

	get_task_struct(current);
	t->task = current;
	return 1;
}

static const luaL_Reg luathread_lib[] = {
	{"run", luathread_run},
	{"shouldstop", luathread_shouldstop},
	{"current", luathread_current},
	{NULL, NULL}
};

/**
 * lunatik_thread_stop_tree - see lualibs.h; @q NULL stops every thread
 */
void lunatik_thread_stop_tree(struct lunatik_quota *q)
{
	struct luathread *t;
	bool found;

	do {
		found = false;
		mutex_lock(&luathread_owners_lock);
		list_for_each_entry(t, &luathread_owners, node) {
			if (q == NULL || t->quota == q || t->run_quota == q) {
				t->stopped = true;
				list_del_init(&t->node);
				found = true;
				break;
			}
		}
		mutex_unlock(&luathread_owners_lock);
		if (found)
			__luathread_stop(t);
	} while (found);
}

/**
 * lunatik_thread_exit - stop the threads nothing else stopped
 *
 * Runs at module exit after every set is gone; the sets' teardown has
 * stopped their threads, so this is a last guard.
 */
void lunatik_thread_exit(void)
{
	lunatik_thread_stop_tree(NULL);
}

/**
 * luaopen_thread - open the "thread" library
 * @L: the Lua state requiring it
 *
 * Return: 1 (the library table).
 */
int luaopen_thread(lua_State *L)
{
	luaL_newlib(L, luathread_lib);
	return 1;
}
