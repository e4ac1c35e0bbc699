// SPDX-License-Identifier: GPL-2.0
/*
 * hook_xt.c - x_tables matches and targets whose code is a Lua script, as a
 * hook type of the shared core (hook.h, hook_xt.h).
 *
 * Lifetimes
 *   An x_tables rule (iptables-legacy, ip6tables, or nft_compat under
 *   iptables-nft) keeps a pointer to the xt_match/xt_target it was checked
 *   against for as long as it exists, whatever happens to the set that
 *   provided the extension; and ip_tables reads ->me of it after ->destroy.
 *   So an extension (struct lunatik_xt_ext) is not part of a hook: it stays
 *   in a module-wide list until module exit (every rule holds a module
 *   reference, so none is left then), is registered with x_tables while at
 *   least one set provides it, and is reused when the same extension is
 *   registered again. The list is capped (LUNATIK_XT_EXTS_MAX).
 *
 *   A set provides an extension through a binding (the hook's private
 *   part), in the set's network namespace: at most one set per extension
 *   and namespace, so a second namespace runs its own set for the same
 *   iptables extension. A rule remembers, in the kernel-owned slot of its
 *   luaxtable_info_t, the id of the binding its checkentry ran in: it calls
 *   into Lua only while that binding exists (reload keeps it: same hook),
 *   and gets the default (no match, XT_CONTINUE) once the set is stopped,
 *   until the rule is deleted or re-checked (an iptables-legacy table
 *   replace checks every rule again, binding it to the current set).
 *
 * Locking
 *   lunatik_xt_mutex serializes attach/detach (list, bindings, x_tables
 *   registration); packet, checkentry and destroy paths find bindings under
 *   RCU, and detach waits for them (synchronize_rcu) before returning.
 */
#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/x_tables.h>

#include "lunatik.h"
#include "hook.h"
#include "hook_xt.h"
#include "lib/luadata.h"
#include "luaxtable.h"

/* Extensions kept at once (registered or still used by rules). */
#define LUNATIK_XT_EXTS_MAX	64

struct lunatik_xt_ext {
	struct list_head node;		/* lunatik_xt_exts */
	struct lunatik_xt_spec spec;
	union {
		struct xt_match match;
		struct xt_target target;
	};
	struct list_head binds;		/* RCU list of struct lunatik_xt_bind */
	unsigned int nbinds;		/* registered with x_tables while > 0 */
	bool used;			/* was registered: rules may point here */
};

/* lunatik_hook_priv() of an xtables hook */
struct lunatik_xt_bind {
	struct list_head node;
	struct lunatik_xt_ext *ext;
	struct lunatik_hook *hook;
	struct net *net;
	u64 id;
};

enum lunatik_xt_op {
	LUNATIK_XT_OP_PACKET,
	LUNATIK_XT_OP_CHECK,
	LUNATIK_XT_OP_DESTROY,
};

/* One call into Lua: what lunatik_hook_run() hands to ->call and ->done. */
struct lunatik_xt_call {
	enum lunatik_xt_op op;
	const struct lunatik_xt_ext *ext;
	struct sk_buff *skb;
	const struct xt_action_param *par;
	const luaxtable_info_t *info;
	lunatik_object_t *data;
	struct lunatik_xt_scratch *scratch;	/* holds a non-linear match's copy */
	bool ok;
};

/* Verdict indices of the two hook types. */
enum {
	LUNATIK_XT_NOMATCH,
	LUNATIK_XT_MATCHED,
	LUNATIK_XT_HOTDROP,
};

enum {
	LUNATIK_XT_DROP,
	LUNATIK_XT_ACCEPT,
	LUNATIK_XT_QUEUE,
	LUNATIK_XT_CONTINUE,
};

static const unsigned int lunatik_xt_tgverdicts[] = {
	[LUNATIK_XT_DROP] = NF_DROP,
	[LUNATIK_XT_ACCEPT] = NF_ACCEPT,
	[LUNATIK_XT_QUEUE] = NF_QUEUE,
	[LUNATIK_XT_CONTINUE] = XT_CONTINUE,
};

static DEFINE_MUTEX(lunatik_xt_mutex);
static LIST_HEAD(lunatik_xt_exts);
static unsigned int lunatik_xt_nexts;
static atomic64_t lunatik_xt_next_id = ATOMIC64_INIT(0);

/* ------------------------------------------------------------ rule slot */

/* The 8 bytes after userargs: the binding id (0: never checked). */
static u64 *lunatik_xt_idp(const void *info)
{
	return (u64 *)((char *)info + offsetof(luaxtable_info_t, data));
}

static struct lunatik_xt_bind *lunatik_xt_bind_find(struct lunatik_xt_ext *ext,
						    const struct net *net, u64 id)
{
	struct lunatik_xt_bind *b;

	list_for_each_entry_rcu(b, &ext->binds, node)
		if (b->net == net && (!id || b->id == id))
			return b;
	return NULL;
}

/* ---------------------------------------------------------------- calls */

/*
 * The packet as a data object from the network header: the whole packet
 * for a target (made linear and writable before the call), the linear part
 * for a match (never past skb_headlen: reading further would leave the
 * buffer of a non-linear skb).
 */
/*
 * A match gets a const skb it may not linearize: ipt_do_table() keeps
 * pointers into the head across rules, and a pull may move it. A non-linear
 * packet is copied into this CPU's scratch buffer instead, so the script
 * reads the whole packet (Lunatik 3.6 read past the linear part). A packet
 * longer than the buffer (GSO) fails the call: the rule's default, counted
 * as an error, never a silently cut packet. The buffers are allocated when
 * the first match is registered and kept until module exit.
 */
#define LUNATIK_XT_SCRATCH	(64U << 10)

struct lunatik_xt_scratch {
	bool busy;	/* a nested call on this CPU must not reuse it */
	u8 *buf;
};

static DEFINE_PER_CPU(struct lunatik_xt_scratch, lunatik_xt_scratch);
static bool lunatik_xt_scratch_ready;	/* under lunatik_xt_mutex */

static int lunatik_xt_scratch_alloc(void)
{
	unsigned int cpu;

	if (lunatik_xt_scratch_ready)
		return 0;
	for_each_possible_cpu(cpu) {
		struct lunatik_xt_scratch *sc = per_cpu_ptr(&lunatik_xt_scratch, cpu);

		if (!sc->buf)
			sc->buf = kvmalloc(LUNATIK_XT_SCRATCH, GFP_KERNEL);
		if (!sc->buf)
			return -ENOMEM;
	}
	lunatik_xt_scratch_ready = true;
	return 0;
}

static void lunatik_xt_scratch_free(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct lunatik_xt_scratch *sc = per_cpu_ptr(&lunatik_xt_scratch, cpu);

		kvfree(sc->buf);
		sc->buf = NULL;
	}
	lunatik_xt_scratch_ready = false;
}

static int lunatik_xt_reset(lua_State *L, struct lunatik_xt_call *c,
			    bool match)
{
	struct sk_buff *skb = c->skb;
	int off = skb_network_offset(skb);
	unsigned int head = skb_headlen(skb);
	struct lunatik_xt_scratch *sc;
	unsigned int len;

	if (off < 0 || off > head) {
		luadata_reset(c->data, skb->data, 0, LUADATA_READONLY);
		return 0;
	}
	if (!match || !skb_is_nonlinear(skb)) {
		luadata_reset(c->data, skb->data + off, head - off,
			      match ? LUADATA_READONLY : LUADATA_RW);
		return 0;
	}
	len = skb->len - off;
	sc = this_cpu_ptr(&lunatik_xt_scratch);
	if (!sc->buf || sc->busy)
		return luaL_error(L, "xtable: no scratch buffer for a non-linear packet");
	if (len > LUNATIK_XT_SCRATCH)
		return luaL_error(L, "xtable: non-linear packet of %d bytes is longer than %d",
				  (int)len, (int)LUNATIK_XT_SCRATCH);
	if (skb_copy_bits(skb, off, sc->buf, len))
		return luaL_error(L, "xtable: packet copy failed");
	sc->busy = true;
	c->scratch = sc;
	luadata_reset(c->data, sc->buf, len, LUADATA_READONLY);
	return 0;
}

static int lunatik_xt_call_packet(lua_State *L, int slot,
				  struct lunatik_xt_call *c)
{
	const struct xt_action_param *par = c->par;
	bool match = c->ext->spec.kind == LUNATIK_XT_MATCH;
	lua_Integer v;
	int ptab, isint;

	lua_rawgeti(L, slot, LUNATIK_XT_SLOT_DATA);
	c->data = lunatik_toobject(L, -1);
	if (!c->data)
		return luaL_error(L, "xtable: packet data object missing");
	lunatik_xt_reset(L, c, match);

	lua_createtable(L, 0, 4);
	ptab = lua_gettop(L);
	lua_pushboolean(L, par->hotdrop);
	lua_setfield(L, ptab, "hotdrop");
	lua_pushinteger(L, par->thoff);
	lua_setfield(L, ptab, "thoff");
	lua_pushinteger(L, par->fragoff);
	lua_setfield(L, ptab, "fragoff");
	lua_pushinteger(L, xt_hooknum(par));
	lua_setfield(L, ptab, "hooknum");

	lua_rawgeti(L, slot, LUNATIK_XT_SLOT_FN);
	lua_pushvalue(L, ptab - 1);		/* data */
	lua_pushvalue(L, ptab);
	lua_pushlstring(L, c->info->userargs, LUAXTABLE_USERDATA_SIZE);
	lua_call(L, 3, 1);

	if (match) {
		bool matched = lua_toboolean(L, -1);

		lua_getfield(L, ptab, "hotdrop");
		if (lua_toboolean(L, -1))
			return LUNATIK_XT_HOTDROP;
		return matched ? LUNATIK_XT_MATCHED : LUNATIK_XT_NOMATCH;
	}
	/* 3.6: anything outside 0..NF_MAX_VERDICT continues */
	v = lua_tointegerx(L, -1, &isint);
	if (!isint || v < 0 || v > NF_MAX_VERDICT)
		return LUNATIK_XT_CONTINUE;
	switch (v) {
	case NF_DROP:
		return LUNATIK_XT_DROP;
	case NF_ACCEPT:
		return LUNATIK_XT_ACCEPT;
	case NF_QUEUE:
		return LUNATIK_XT_QUEUE;
	default:
		/*
		 * NF_STOLEN, NF_REPEAT, NF_STOP from a target leak the skb or
		 * loop in softirq: refused (counted as a bad verdict)
		 */
		return -1;
	}
}

static int lunatik_xt_call(lua_State *L, struct lunatik_hook *hook, void *arg)
{
	struct lunatik_xt_call *c = arg;
	int slot = lua_gettop(L);

	if (c->op == LUNATIK_XT_OP_PACKET)
		return lunatik_xt_call_packet(L, slot, c);

	lua_rawgeti(L, slot, c->op == LUNATIK_XT_OP_CHECK ?
		    LUNATIK_XT_SLOT_CHECK : LUNATIK_XT_SLOT_DESTROY);
	lua_pushlstring(L, c->info->userargs, LUAXTABLE_USERDATA_SIZE);
	lua_call(L, 1, 0);
	c->ok = true;
	return 0;
}

/* Under the instance lock, error or not: the packet is not Lua's anymore. */
static void lunatik_xt_done(struct lunatik_hook *hook, void *arg)
{
	struct lunatik_xt_call *c = arg;

	if (c->data)
		luadata_clear(c->data);
	if (c->scratch)
		c->scratch->busy = false;
}

/* -------------------------------------------------- x_tables callbacks */

static int lunatik_xt_packet(struct lunatik_xt_ext *ext, struct sk_buff *skb,
			     const struct xt_action_param *par,
			     const void *info, int orphan)
{
	struct lunatik_xt_call c = {
		.op = LUNATIK_XT_OP_PACKET, .ext = ext, .skb = skb,
		.par = par, .info = info,
	};
	struct lunatik_xt_bind *b;
	int v = orphan;

	rcu_read_lock();
	b = lunatik_xt_bind_find(ext, xt_net(par), READ_ONCE(*lunatik_xt_idp(info)));
	if (b && b->id)
		v = lunatik_hook_run(b->hook, &c);
	rcu_read_unlock();
	return v;
}

static bool lunatik_xt_match(const struct sk_buff *skb,
			     struct xt_action_param *par)
{
	struct lunatik_xt_ext *ext = container_of(par->match,
						  struct lunatik_xt_ext, match);
	int v;

	/* a rule never checked (id 0) finds no binding: see bind_find */
	if (!READ_ONCE(*lunatik_xt_idp(par->matchinfo)))
		return false;
	v = lunatik_xt_packet(ext, (struct sk_buff *)skb, par, par->matchinfo,
			      LUNATIK_XT_NOMATCH);
	if (v == LUNATIK_XT_HOTDROP) {
		par->hotdrop = true;
		return false;
	}
	return v == LUNATIK_XT_MATCHED;
}

static unsigned int lunatik_xt_target(struct sk_buff *skb,
				      const struct xt_action_param *par)
{
	struct lunatik_xt_ext *ext = container_of(par->target,
						  struct lunatik_xt_ext, target);
	int v;

	if (!READ_ONCE(*lunatik_xt_idp(par->targinfo)))
		return XT_CONTINUE;
	/* writes by the script must reach the packet: linear, unshared */
	if (skb_ensure_writable(skb, skb->len))
		return XT_CONTINUE;
	v = lunatik_xt_packet(ext, skb, par, par->targinfo, LUNATIK_XT_CONTINUE);
	if (v < 0 || v >= ARRAY_SIZE(lunatik_xt_tgverdicts))
		return XT_CONTINUE;
	return lunatik_xt_tgverdicts[v];
}

/* checkentry(userargs) in the set of the rule's namespace; an error rejects */
static int lunatik_xt_check(struct lunatik_xt_ext *ext, struct net *net,
			    void *info)
{
	struct lunatik_xt_call c = {
		.op = LUNATIK_XT_OP_CHECK, .ext = ext, .info = info,
	};
	struct lunatik_xt_bind *b;
	u64 id = 0;

	rcu_read_lock();
	b = lunatik_xt_bind_find(ext, net, 0);
	if (b) {
		id = b->id;
		lunatik_hook_control(b->hook, &c);
	}
	rcu_read_unlock();
	if (!b) {
		pr_info_ratelimited("xtable %s: no runtime set provides it in "
				    "this network namespace\n", ext->spec.name);
		return -ENOENT;
	}
	if (!c.ok)
		return -EINVAL;
	WRITE_ONCE(*lunatik_xt_idp(info), id);
	return 0;
}

/* destroy(userargs) in the set the rule was checked in, if still there */
static void lunatik_xt_destroy(struct lunatik_xt_ext *ext, struct net *net,
			       void *info)
{
	struct lunatik_xt_call c = {
		.op = LUNATIK_XT_OP_DESTROY, .ext = ext, .info = info,
	};
	u64 id = READ_ONCE(*lunatik_xt_idp(info));
	struct lunatik_xt_bind *b;

	if (!id)
		return;
	rcu_read_lock();
	b = lunatik_xt_bind_find(ext, net, id);
	if (b)
		lunatik_hook_control(b->hook, &c);
	rcu_read_unlock();
}

static int lunatik_xt_mtcheck(const struct xt_mtchk_param *par)
{
	return lunatik_xt_check(container_of(par->match, struct lunatik_xt_ext,
					     match), par->net, par->matchinfo);
}

static void lunatik_xt_mtdestroy(const struct xt_mtdtor_param *par)
{
	lunatik_xt_destroy(container_of(par->match, struct lunatik_xt_ext, match),
			   par->net, par->matchinfo);
}

static int lunatik_xt_tgcheck(const struct xt_tgchk_param *par)
{
	return lunatik_xt_check(container_of(par->target, struct lunatik_xt_ext,
					     target), par->net, par->targinfo);
}

static void lunatik_xt_tgdestroy(const struct xt_tgdtor_param *par)
{
	lunatik_xt_destroy(container_of(par->target, struct lunatik_xt_ext,
					target), par->net, par->targinfo);
}

/* ------------------------------------------------- extension registry */

static bool lunatik_xt_samekey(const struct lunatik_xt_spec *a,
			       const struct lunatik_xt_spec *b)
{
	return a->kind == b->kind && a->family == b->family &&
	       a->revision == b->revision && !strcmp(a->name, b->name);
}

/*
 * An extension of that name that is not ours (a kernel module's) in the
 * lists x_tables would search for this family: registering ours would
 * shadow it or be shadowed.
 */
static bool lunatik_xt_foreign(const struct lunatik_xt_spec *spec)
{
	static const u8 unspec_also[] = { NFPROTO_IPV4, NFPROTO_IPV6,
					  NFPROTO_ARP, NFPROTO_BRIDGE };
	const struct lunatik_xt_ext *ext;
	unsigned int i;
	u8 af = spec->family;

	list_for_each_entry(ext, &lunatik_xt_exts, node)
		if (ext->nbinds && ext->spec.kind == spec->kind &&
		    ext->spec.family == spec->family &&
		    !strcmp(ext->spec.name, spec->name))
			return false;	/* ours, another revision */

	for (i = 0; ; i++) {
		int err;

		/* 1: some revision of that name exists for af (or UNSPEC) */
		if (xt_find_revision(af, spec->name, spec->revision,
				     spec->kind == LUNATIK_XT_TARGET, &err) == 1)
			return true;
		if (spec->family != NFPROTO_UNSPEC || i >= ARRAY_SIZE(unspec_also))
			return false;
		af = unspec_also[i];
	}
}

static void lunatik_xt_fill(struct lunatik_xt_ext *ext)
{
	const struct lunatik_xt_spec *s = &ext->spec;

	if (s->kind == LUNATIK_XT_MATCH) {
		struct xt_match *m = &ext->match;

		memset(m, 0, sizeof(*m));
		/* const in struct xt_match; the spec name is NUL-padded */
		memcpy((char *)m->name, s->name, sizeof(m->name));
		m->revision = s->revision;
		m->family = s->family;
		m->proto = s->proto;
		m->hooks = s->hooks;
		m->match = lunatik_xt_match;
		m->checkentry = lunatik_xt_mtcheck;
		m->destroy = lunatik_xt_mtdestroy;
		/* 264 bytes as C extensions built for Lunatik 3.6 send */
		m->matchsize = sizeof(luaxtable_info_t);
		m->usersize = 0;
		m->me = THIS_MODULE;
	} else {
		struct xt_target *t = &ext->target;

		memset(t, 0, sizeof(*t));
		memcpy((char *)t->name, s->name, sizeof(t->name));
		t->revision = s->revision;
		t->family = s->family;
		t->proto = s->proto;
		t->hooks = s->hooks;
		t->target = lunatik_xt_target;
		t->checkentry = lunatik_xt_tgcheck;
		t->destroy = lunatik_xt_tgdestroy;
		t->targetsize = sizeof(luaxtable_info_t);
		t->usersize = 0;
		t->me = THIS_MODULE;
	}
}

/* The extension for @spec, found or made (unregistered); mutex held. */
static struct lunatik_xt_ext *lunatik_xt_ext_get(const struct lunatik_xt_spec *spec)
{
	struct lunatik_xt_ext *ext;

	list_for_each_entry(ext, &lunatik_xt_exts, node)
		if (!memcmp(&ext->spec, spec, sizeof(*spec)))
			return ext;
	if (lunatik_xt_nexts >= LUNATIK_XT_EXTS_MAX)
		return ERR_PTR(-ENOSPC);
	ext = lunatik_zalloc(sizeof(*ext), GFP_KERNEL);
	if (!ext)
		return ERR_PTR(-ENOMEM);
	ext->spec = *spec;
	INIT_LIST_HEAD(&ext->binds);
	lunatik_xt_fill(ext);
	list_add_tail(&ext->node, &lunatik_xt_exts);
	lunatik_xt_nexts++;
	return ext;
}

/* An extension no rule can have seen goes at once; mutex held. */
static void lunatik_xt_ext_trim(struct lunatik_xt_ext *ext)
{
	if (ext->used || ext->nbinds)
		return;
	list_del(&ext->node);
	lunatik_xt_nexts--;
	lunatik_free(ext);
}

static int lunatik_xt_attach(struct lunatik_hook *hook)
{
	const struct lunatik_xt_spec *spec = lunatik_hook_spec(hook);
	struct lunatik_xt_bind *b = lunatik_hook_priv(hook);
	struct net *net = lunatik_hook_net(hook);
	struct lunatik_xt_ext *ext, *other;
	int ret = 0;

	mutex_lock(&lunatik_xt_mutex);
	list_for_each_entry(other, &lunatik_xt_exts, node) {
		if (!other->nbinds || !lunatik_xt_samekey(&other->spec, spec))
			continue;
		/* same name and revision, other proto or hooks: one at a time */
		if (memcmp(&other->spec, spec, sizeof(*spec))) {
			pr_info("xtable %s: registered with another proto or "
				"hooks; stop its set first\n", spec->name);
			ret = -EEXIST;
			goto out_unlock;
		}
		if (lunatik_xt_bind_find(other, net, 0)) {
			pr_info("xtable %s: another set provides it in this "
				"network namespace\n", spec->name);
			ret = -EEXIST;
			goto out_unlock;
		}
	}
	ext = lunatik_xt_ext_get(spec);
	if (IS_ERR(ext)) {
		ret = PTR_ERR(ext);
		goto out_unlock;
	}
	if (spec->kind == LUNATIK_XT_MATCH) {
		ret = lunatik_xt_scratch_alloc();
		if (ret)
			goto out_trim;
	}
	if (!ext->nbinds) {
		if (lunatik_xt_foreign(spec)) {
			pr_info("xtable %s: the kernel already has an extension "
				"of that name\n", spec->name);
			ret = -EEXIST;
			goto out_trim;
		}
		ret = spec->kind == LUNATIK_XT_MATCH ?
		      xt_register_match(&ext->match) :
		      xt_register_target(&ext->target);
		if (ret)
			goto out_trim;
		ext->used = true;
	}
	b->ext = ext;
	b->hook = hook;
	b->net = net;
	b->id = atomic64_inc_return(&lunatik_xt_next_id);
	list_add_rcu(&b->node, &ext->binds);
	ext->nbinds++;
	mutex_unlock(&lunatik_xt_mutex);
	return 0;

out_trim:
	lunatik_xt_ext_trim(ext);
out_unlock:
	mutex_unlock(&lunatik_xt_mutex);
	return ret;
}

static void lunatik_xt_detach(struct lunatik_hook *hook)
{
	struct lunatik_xt_bind *b = lunatik_hook_priv(hook);
	struct lunatik_xt_ext *ext = b->ext;

	mutex_lock(&lunatik_xt_mutex);
	list_del_rcu(&b->node);
	if (--ext->nbinds == 0) {
		/* rules keep pointing here; new rules cannot find it */
		if (ext->spec.kind == LUNATIK_XT_MATCH)
			xt_unregister_match(&ext->match);
		else
			xt_unregister_target(&ext->target);
	}
	mutex_unlock(&lunatik_xt_mutex);
	/* packet, checkentry and destroy paths use @b under RCU */
	synchronize_rcu();
}

static void lunatik_xt_describe(const struct lunatik_hook *hook, char *buf,
				size_t len)
{
	const struct lunatik_xt_spec *s = lunatik_hook_spec(hook);

	snprintf(buf, len, "%s %s rev %u family %u", s->kind == LUNATIK_XT_MATCH ?
		 "match" : "target", s->name, s->revision, s->family);
}

static const char *const lunatik_xt_mtnames[] = {
	[LUNATIK_XT_NOMATCH] = "nomatch",
	[LUNATIK_XT_MATCHED] = "match",
	[LUNATIK_XT_HOTDROP] = "hotdrop",
};

static const char *const lunatik_xt_tgnames[] = {
	[LUNATIK_XT_DROP] = "drop",
	[LUNATIK_XT_ACCEPT] = "accept",
	[LUNATIK_XT_QUEUE] = "queue",
	[LUNATIK_XT_CONTINUE] = "continue",
};

const struct lunatik_hook_type lunatik_xt_match_type = {
	.name = "xtable match",
	.spec_size = sizeof(struct lunatik_xt_spec),
	.priv_size = sizeof(struct lunatik_xt_bind),
	.nverdicts = ARRAY_SIZE(lunatik_xt_mtnames),
	.verdicts = lunatik_xt_mtnames,
	.pass = LUNATIK_XT_NOMATCH,
	.drop = LUNATIK_XT_HOTDROP,
	.attach = lunatik_xt_attach,
	.detach = lunatik_xt_detach,
	.call = lunatik_xt_call,
	.done = lunatik_xt_done,
	.describe = lunatik_xt_describe,
};

const struct lunatik_hook_type lunatik_xt_target_type = {
	.name = "xtable target",
	.spec_size = sizeof(struct lunatik_xt_spec),
	.priv_size = sizeof(struct lunatik_xt_bind),
	.nverdicts = ARRAY_SIZE(lunatik_xt_tgnames),
	.verdicts = lunatik_xt_tgnames,
	.pass = LUNATIK_XT_CONTINUE,
	.drop = LUNATIK_XT_DROP,
	.attach = lunatik_xt_attach,
	.detach = lunatik_xt_detach,
	.call = lunatik_xt_call,
	.done = lunatik_xt_done,
	.describe = lunatik_xt_describe,
};

void lunatik_xt_exit(void)
{
	struct lunatik_xt_ext *ext, *tmp;

	mutex_lock(&lunatik_xt_mutex);
	list_for_each_entry_safe(ext, tmp, &lunatik_xt_exts, node) {
		WARN_ON(ext->nbinds);
		list_del(&ext->node);
		lunatik_free(ext);
	}
	lunatik_xt_nexts = 0;
	lunatik_xt_scratch_free();
	mutex_unlock(&lunatik_xt_mutex);
}
