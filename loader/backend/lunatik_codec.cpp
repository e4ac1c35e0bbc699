#include "backend/lunatik_codec.hpp"

#include <fmt/core.h>

extern "C" {
#include <linux/genetlink.h>
#include <linux/lunatik_pipeline.h>
}

#include "backend/nl_attrs.hpp"

namespace lunatik::loader {

namespace {

std::uint8_t wireContext(Context context)
{
	return context == Context::kSoftirq ? LUNATIK_CONTEXT_SOFTIRQ : LUNATIK_CONTEXT_PROCESS;
}

Context contextFromWire(std::uint8_t value)
{
	switch (value) {
	case LUNATIK_CONTEXT_PROCESS: return Context::kProcess;
	case LUNATIK_CONTEXT_SOFTIRQ: return Context::kSoftirq;
	default: throw DecodeError(fmt::format("unknown context {}", value));
	}
}

Policy policyFromWire(std::uint8_t value)
{
	switch (value) {
	case LUNATIK_POLICY_PASS: return Policy::kPass;
	case LUNATIK_POLICY_DROP: return Policy::kDrop;
	default: throw DecodeError(fmt::format("unknown policy {}", value));
	}
}

HookInfo decodeHook(const nlattr *nest)
{
	NlAttrs a = NlAttrs::ofNest(nest);
	HookInfo h{
		.type = a.string(LUNATIK_HOOK_A_TYPE).value_or(""),
		.desc = a.string(LUNATIK_HOOK_A_DESC).value_or(""),
		.packets = a.u64(LUNATIK_HOOK_A_PACKETS).value_or(0),
		.errors = a.u64(LUNATIK_HOOK_A_ERRORS).value_or(0),
		.budgetHits = a.u64(LUNATIK_HOOK_A_BUDGET_HITS).value_or(0),
		.memory = a.u64(LUNATIK_HOOK_A_MEMORY).value_or(0),
		.busy = a.u64(LUNATIK_HOOK_A_BUSY).value_or(0),
		.badVerdict = a.u64(LUNATIK_HOOK_A_BAD_VERDICT).value_or(0),
		.stopped = a.u64(LUNATIK_HOOK_A_STOPPED).value_or(0),
		.fallback = a.u64(LUNATIK_HOOK_A_FALLBACK).value_or(0),
	};
	for (const nlattr *v : a.all(LUNATIK_HOOK_A_VERDICT)) {
		NlAttrs va = NlAttrs::ofNest(v);
		h.verdicts.emplace_back(va.string(LUNATIK_VERDICT_A_NAME).value_or(""),
					va.u64(LUNATIK_VERDICT_A_COUNT).value_or(0));
	}
	return h;
}

GenlMessage message(std::uint16_t family, std::uint8_t cmd)
{
	return GenlMessage(family, cmd, LUNATIK_GENL_VERSION);
}

InstanceInfo decodeInstance(const nlattr *nest)
{
	NlAttrs a = NlAttrs::ofNest(nest);
	return InstanceInfo{
		.cpu = a.u32(LUNATIK_INST_A_CPU).value_or(kNoCpu),
		.calls = a.u64(LUNATIK_INST_A_CALLS).value_or(0),
		.errors = a.u64(LUNATIK_INST_A_ERRORS).value_or(0),
		.budgetHits = a.u64(LUNATIK_INST_A_BUDGET_HITS).value_or(0),
		.memUsed = a.u64(LUNATIK_INST_A_MEM_USED).value_or(0),
	};
}

// Lua strings may hold NULs; keep them, drop only the terminator that
// nla_put_string adds.
std::optional<std::string> textWithNuls(const NlAttrs &a, std::uint16_t type)
{
	auto text = a.binary(type);
	if (text && !text->empty() && text->back() == '\0')
		text->pop_back();
	return text;
}

} // namespace

GenlMessage encodeCreate(std::uint16_t family, const CreateRequest &r)
{
	GenlMessage msg = message(family, LUNATIK_CMD_CREATE);
	msg.putString(LUNATIK_A_NAME, r.name);
	msg.putString(LUNATIK_A_SCRIPT, r.script);
	if (!r.chunkName.empty())
		msg.putString(LUNATIK_A_CHUNKNAME, r.chunkName);
	if (r.context)
		msg.putU8(LUNATIK_A_CONTEXT, wireContext(*r.context));
	if (r.memLimit)
		msg.putU64(LUNATIK_A_MEM_LIMIT, *r.memLimit);
	if (r.budget)
		msg.putU32(LUNATIK_A_BUDGET, *r.budget);
	if (r.hookBudget)
		msg.putU32(LUNATIK_A_HOOK_BUDGET, *r.hookBudget);
	if (r.policy)
		msg.putU8(LUNATIK_A_POLICY, *r.policy == Policy::kDrop ? LUNATIK_POLICY_DROP
								  : LUNATIK_POLICY_PASS);
	if (r.shared)
		msg.putU8(LUNATIK_A_SHARED, 1);
	return msg;
}

GenlMessage encodeStop(std::uint16_t family, const std::string &name)
{
	GenlMessage msg = message(family, LUNATIK_CMD_STOP);
	msg.putString(LUNATIK_A_NAME, name);
	return msg;
}

GenlMessage encodeReload(std::uint16_t family, const ReloadRequest &r)
{
	GenlMessage msg = message(family, LUNATIK_CMD_RELOAD);
	msg.putString(LUNATIK_A_NAME, r.name);
	if (r.script)
		msg.putString(LUNATIK_A_SCRIPT, *r.script);
	if (r.chunkName)
		msg.putString(LUNATIK_A_CHUNKNAME, *r.chunkName);
	return msg;
}

GenlMessage encodeList(std::uint16_t family, const std::optional<std::string> &name)
{
	GenlMessage msg = message(family, LUNATIK_CMD_LIST);
	if (name)
		msg.putString(LUNATIK_A_NAME, *name);
	return msg;
}

GenlMessage encodeExec(std::uint16_t family, const ExecRequest &r)
{
	GenlMessage msg = message(family, LUNATIK_CMD_EXEC);
	msg.putString(LUNATIK_A_NAME, r.name);
	msg.putBinary(LUNATIK_A_CHUNK, r.chunk);
	if (!r.chunkName.empty())
		msg.putString(LUNATIK_A_CHUNKNAME, r.chunkName);
	return msg;
}

GenlMessage encodeStats(std::uint16_t family)
{
	return message(family, LUNATIK_CMD_STATS);
}

SetInfo decodeSet(const nlattr *nest)
{
	NlAttrs a = NlAttrs::ofNest(nest);
	auto name = a.string(LUNATIK_SET_A_NAME);
	if (!name)
		throw DecodeError("set without LUNATIK_SET_A_NAME");
	SetInfo set{
		.name = *name,
		.script = a.string(LUNATIK_SET_A_SCRIPT).value_or(""),
		.memLimit = a.u64(LUNATIK_SET_A_MEM_LIMIT).value_or(0),
		.budget = a.u32(LUNATIK_SET_A_BUDGET).value_or(0),
		.generation = a.u32(LUNATIK_SET_A_GENERATION).value_or(0),
	};
	if (auto ctx = a.u8(LUNATIK_SET_A_CONTEXT))
		set.context = contextFromWire(*ctx);
	for (const nlattr *inst : a.all(LUNATIK_SET_A_INSTANCE))
		set.instances.push_back(decodeInstance(inst));
	set.hookBudget = a.u32(LUNATIK_SET_A_HOOK_BUDGET).value_or(0);
	if (auto policy = a.u8(LUNATIK_SET_A_POLICY))
		set.policy = policyFromWire(*policy);
	for (const nlattr *hook : a.all(LUNATIK_SET_A_HOOK))
		set.hooks.push_back(decodeHook(hook));
	set.ninstances = a.u32(LUNATIK_SET_A_NINSTANCES)
				 .value_or(static_cast<std::uint32_t>(set.instances.size()));
	return set;
}

ModuleStats decodeStats(const nlattr *nest)
{
	NlAttrs a = NlAttrs::ofNest(nest);
	return ModuleStats{
		.allocs = a.u64(LUNATIK_STATS_A_ALLOCS).value_or(0),
		.allocBytes = a.u64(LUNATIK_STATS_A_ALLOC_BYTES).value_or(0),
		.nsets = a.u32(LUNATIK_STATS_A_NSETS).value_or(0),
		.nruntimes = a.u32(LUNATIK_STATS_A_NRUNTIMES).value_or(0),
	};
}

void decodeReply(const nlmsghdr *nlh, LunatikReply &into)
{
	NlAttrs a = NlAttrs::ofMessage(nlh, sizeof(genlmsghdr));
	if (auto error = textWithNuls(a, LUNATIK_A_ERROR))
		into.error = std::move(error);
	if (auto errnum = a.u32(LUNATIK_A_ERRNO))
		into.errnum = errnum;
	if (auto result = textWithNuls(a, LUNATIK_A_RESULT))
		into.result = std::move(result);
	for (const nlattr *set : a.all(LUNATIK_A_SET))
		into.sets.push_back(decodeSet(set));
	if (const nlattr *stats = a.find(LUNATIK_A_STATS))
		into.stats = decodeStats(stats);
}

} // namespace lunatik::loader
