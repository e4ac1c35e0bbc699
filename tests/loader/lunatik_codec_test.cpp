#include "backend/lunatik_codec.hpp"

#include <gtest/gtest.h>

extern "C" {
#include <linux/lunatik_pipeline.h>
}

#include "backend/nl_attrs.hpp"
#include "netlink_builder.hpp"

namespace lunatik::loader {
namespace {

using test::NetlinkBuilder;

constexpr std::uint16_t kFamily = 0x2a;

std::uint8_t cmdOf(const GenlMessage &msg)
{
	return static_cast<const genlmsghdr *>(mnl_nlmsg_get_payload(msg.header()))->cmd;
}

NlAttrs attrsOf(const GenlMessage &msg)
{
	return NlAttrs::ofMessage(msg.header(), sizeof(genlmsghdr));
}

TEST(Encode, CreateWithEverything)
{
	GenlMessage msg = encodeCreate(kFamily, CreateRequest{
		.name = "examples/filter/sni",
		.script = "/work/main/examples/filter/sni.lua",
		.chunkName = "examples/filter/sni.lua",
		.context = Context::kSoftirq,
		.memLimit = 32ull << 20,
		.budget = 5000,
	});
	EXPECT_EQ(msg.header()->nlmsg_type, kFamily);
	EXPECT_EQ(cmdOf(msg), LUNATIK_CMD_CREATE);
	auto *g = static_cast<const genlmsghdr *>(mnl_nlmsg_get_payload(msg.header()));
	EXPECT_EQ(g->version, LUNATIK_GENL_VERSION);
	NlAttrs a = attrsOf(msg);
	EXPECT_EQ(a.string(LUNATIK_A_NAME), "examples/filter/sni");
	EXPECT_EQ(a.string(LUNATIK_A_SCRIPT), "/work/main/examples/filter/sni.lua");
	EXPECT_EQ(a.string(LUNATIK_A_CHUNKNAME), "examples/filter/sni.lua");
	EXPECT_EQ(a.u8(LUNATIK_A_CONTEXT), LUNATIK_CONTEXT_SOFTIRQ);
	EXPECT_EQ(a.u64(LUNATIK_A_MEM_LIMIT), 32ull << 20);
	EXPECT_EQ(a.u32(LUNATIK_A_BUDGET), 5000u);
}

TEST(Encode, CreateLeavesDefaultsToTheKernel)
{
	GenlMessage msg = encodeCreate(kFamily, CreateRequest{.name = "s", .script = "/s.lua"});
	NlAttrs a = attrsOf(msg);
	EXPECT_EQ(a.size(), 2u);
	EXPECT_FALSE(a.has(LUNATIK_A_CONTEXT));
	EXPECT_FALSE(a.has(LUNATIK_A_MEM_LIMIT));
	EXPECT_FALSE(a.has(LUNATIK_A_BUDGET));
	EXPECT_FALSE(a.has(LUNATIK_A_CHUNKNAME));
}

TEST(Encode, ProcessContext)
{
	GenlMessage msg = encodeCreate(kFamily, CreateRequest{
		.name = "s", .script = "/s.lua", .context = Context::kProcess});
	EXPECT_EQ(attrsOf(msg).u8(LUNATIK_A_CONTEXT), LUNATIK_CONTEXT_PROCESS);
}

TEST(Encode, StopReloadListStats)
{
	GenlMessage stop = encodeStop(kFamily, "s");
	EXPECT_EQ(cmdOf(stop), LUNATIK_CMD_STOP);
	EXPECT_EQ(attrsOf(stop).string(LUNATIK_A_NAME), "s");

	GenlMessage reload = encodeReload(kFamily, ReloadRequest{.name = "s"});
	EXPECT_EQ(cmdOf(reload), LUNATIK_CMD_RELOAD);
	EXPECT_EQ(attrsOf(reload).size(), 1u);
	GenlMessage reload2 = encodeReload(
		kFamily, ReloadRequest{.name = "s", .script = "/n.lua", .chunkName = "n.lua"});
	EXPECT_EQ(attrsOf(reload2).string(LUNATIK_A_SCRIPT), "/n.lua");
	EXPECT_EQ(attrsOf(reload2).string(LUNATIK_A_CHUNKNAME), "n.lua");

	GenlMessage dump = encodeList(kFamily, std::nullopt);
	EXPECT_EQ(cmdOf(dump), LUNATIK_CMD_LIST);
	EXPECT_EQ(attrsOf(dump).size(), 0u);
	EXPECT_EQ(attrsOf(encodeList(kFamily, "s")).string(LUNATIK_A_NAME), "s");

	GenlMessage stats = encodeStats(kFamily);
	EXPECT_EQ(cmdOf(stats), LUNATIK_CMD_STATS);
	EXPECT_EQ(attrsOf(stats).size(), 0u);
}

TEST(Encode, ExecChunkIsBinary)
{
	std::string chunk = "return 1 + 1";
	GenlMessage msg = encodeExec(kFamily, ExecRequest{.name = "s", .chunk = chunk,
							  .chunkName = "stdin"});
	EXPECT_EQ(cmdOf(msg), LUNATIK_CMD_EXEC);
	NlAttrs a = attrsOf(msg);
	// No terminator added: the kernel takes the length from the attribute.
	EXPECT_EQ(a.binary(LUNATIK_A_CHUNK), chunk);
	EXPECT_EQ(a.string(LUNATIK_A_CHUNKNAME), "stdin");

	// The largest chunk a netlink attribute can hold.
	std::string most(GenlMessage::kMaxAttrPayload, 'x');
	GenlMessage big = encodeExec(kFamily, ExecRequest{.name = "s", .chunk = most});
	EXPECT_EQ(attrsOf(big).binary(LUNATIK_A_CHUNK), most);
}

// A reply as the kernel builds it for LIST of a 2-CPU softirq set.
void putSet(NetlinkBuilder &b, const std::string &name, std::uint32_t ncpus)
{
	nlattr *set = b.nest(LUNATIK_A_SET);
	b.str(LUNATIK_SET_A_NAME, name);
	b.str(LUNATIK_SET_A_SCRIPT, "/r/" + name + ".lua");
	b.u8(LUNATIK_SET_A_CONTEXT, LUNATIK_CONTEXT_SOFTIRQ);
	b.u64(LUNATIK_SET_A_MEM_LIMIT, 16ull << 20);
	b.u32(LUNATIK_SET_A_BUDGET, 1000000);
	b.u32(LUNATIK_SET_A_GENERATION, 3);
	b.u32(LUNATIK_SET_A_NINSTANCES, ncpus);
	for (std::uint32_t cpu = 0; cpu < ncpus; cpu++) {
		nlattr *inst = b.nest(LUNATIK_SET_A_INSTANCE);
		b.u32(LUNATIK_INST_A_CPU, cpu);
		b.u64(LUNATIK_INST_A_CALLS, 10 + cpu);
		b.u64(LUNATIK_INST_A_ERRORS, 1);
		b.u64(LUNATIK_INST_A_BUDGET_HITS, cpu);
		b.u64(LUNATIK_INST_A_MEM_USED, 4096);
		b.end(inst);
	}
	b.end(set);
}

TEST(Decode, SetWithInstances)
{
	NetlinkBuilder b;
	b.genl(kFamily, LUNATIK_CMD_LIST);
	putSet(b, "examples/filter/sni", 2);
	LunatikReply reply;
	decodeReply(b.header(), reply);
	ASSERT_EQ(reply.sets.size(), 1u);
	const SetInfo &s = reply.sets[0];
	EXPECT_EQ(s.name, "examples/filter/sni");
	EXPECT_EQ(s.script, "/r/examples/filter/sni.lua");
	EXPECT_EQ(s.context, Context::kSoftirq);
	EXPECT_EQ(s.memLimit, 16ull << 20);
	EXPECT_EQ(s.budget, 1000000u);
	EXPECT_EQ(s.generation, 3u);
	EXPECT_EQ(s.ninstances, 2u);
	ASSERT_EQ(s.instances.size(), 2u);
	EXPECT_EQ(s.instances[1].cpu, 1u);
	EXPECT_EQ(s.instances[1].calls, 11u);
	EXPECT_EQ(s.totals().calls, 21u);
	EXPECT_EQ(s.totals().errors, 2u);
	EXPECT_EQ(s.totals().budgetHits, 1u);
	EXPECT_EQ(s.totals().memUsed, 8192u);
	EXPECT_FALSE(reply.error);
}

TEST(Encode, CreateWithHookBudgetAndPolicy)
{
	GenlMessage msg = encodeCreate(kFamily, CreateRequest{.name = "s",
							      .script = "/s.lua",
							      .hookBudget = 20000,
							      .policy = Policy::kDrop});
	NlAttrs a = attrsOf(msg);
	EXPECT_EQ(a.u32(LUNATIK_A_HOOK_BUDGET), 20000u);
	EXPECT_EQ(a.u8(LUNATIK_A_POLICY), LUNATIK_POLICY_DROP);
	EXPECT_FALSE(a.has(LUNATIK_A_SHARED));
}

TEST(Encode, CreateShared)
{
	GenlMessage msg = encodeCreate(kFamily, CreateRequest{.name = "s",
							      .script = "/s.lua",
							      .context = Context::kSoftirq,
							      .shared = true});
	EXPECT_EQ(attrsOf(msg).u8(LUNATIK_A_SHARED), 1u);
}

TEST(Decode, SetWithHooks)
{
	NetlinkBuilder b;
	b.genl(kFamily, LUNATIK_CMD_LIST);
	nlattr *set = b.nest(LUNATIK_A_SET);
	b.str(LUNATIK_SET_A_NAME, "nf");
	b.u32(LUNATIK_SET_A_HOOK_BUDGET, 50000);
	b.u8(LUNATIK_SET_A_POLICY, LUNATIK_POLICY_DROP);
	for (std::uint64_t n : {7, 5}) {
		nlattr *hook = b.nest(LUNATIK_SET_A_HOOK);
		b.str(LUNATIK_HOOK_A_TYPE, "netfilter");
		b.str(LUNATIK_HOOK_A_DESC, "ipv4 LOCAL_OUT prio 0");
		b.u64(LUNATIK_HOOK_A_PACKETS, n);
		b.u64(LUNATIK_HOOK_A_BUSY, 1);
		b.u64(LUNATIK_HOOK_A_FALLBACK, 2);
		nlattr *v = b.nest(LUNATIK_HOOK_A_VERDICT);
		b.str(LUNATIK_VERDICT_A_NAME, "DROP");
		b.u64(LUNATIK_VERDICT_A_COUNT, n - 2);
		b.end(v);
		b.end(hook);
	}
	b.end(set);
	LunatikReply reply;
	decodeReply(b.header(), reply);
	ASSERT_EQ(reply.sets.size(), 1u);
	const SetInfo &s = reply.sets[0];
	EXPECT_EQ(s.hookBudget, 50000u);
	EXPECT_EQ(s.policy, Policy::kDrop);
	ASSERT_EQ(s.hooks.size(), 2u);
	EXPECT_EQ(s.hooks[0].desc, "ipv4 LOCAL_OUT prio 0");
	ASSERT_EQ(s.hooks[1].verdicts.size(), 1u);
	EXPECT_EQ(s.hooks[1].verdicts[0].first, "DROP");
	EXPECT_EQ(s.hooks[1].verdicts[0].second, 3u);
	EXPECT_EQ(s.hookTotals().packets, 12u);
	EXPECT_EQ(s.hookTotals().busy, 2u);
	EXPECT_EQ(s.hookTotals().fallback, 4u);
}

TEST(Decode, DumpAccumulatesSets)
{
	LunatikReply reply;
	for (const char *name : {"a", "b", "c"}) {
		NetlinkBuilder b;
		b.genl(kFamily, LUNATIK_CMD_LIST, NLM_F_MULTI);
		putSet(b, name, 1);
		decodeReply(b.header(), reply);
	}
	ASSERT_EQ(reply.sets.size(), 3u);
	EXPECT_EQ(reply.sets[2].name, "c");
}

TEST(Decode, LuaErrorReply)
{
	NetlinkBuilder b;
	b.genl(kFamily, LUNATIK_CMD_EXEC);
	b.str(LUNATIK_A_ERROR, "stdin:1: attempt to call a nil value (global 'f')");
	b.u32(LUNATIK_A_ERRNO, 22);
	LunatikReply reply;
	decodeReply(b.header(), reply);
	EXPECT_EQ(reply.error, "stdin:1: attempt to call a nil value (global 'f')");
	EXPECT_EQ(reply.errnum, 22u);
}

TEST(Decode, ResultKeepsEmbeddedNuls)
{
	NetlinkBuilder b;
	b.genl(kFamily, LUNATIK_CMD_EXEC);
	std::string value("2\tA\0B", 5);
	std::string wire = value + '\0';
	b.raw(LUNATIK_A_RESULT, wire.data(), wire.size());
	LunatikReply reply;
	decodeReply(b.header(), reply);
	EXPECT_EQ(reply.result, value);
}

TEST(Decode, Stats)
{
	NetlinkBuilder b;
	b.genl(kFamily, LUNATIK_CMD_STATS);
	nlattr *st = b.nest(LUNATIK_A_STATS);
	b.u64(LUNATIK_STATS_A_ALLOCS, 12);
	b.u64(LUNATIK_STATS_A_ALLOC_BYTES, 3456);
	b.u32(LUNATIK_STATS_A_NSETS, 2);
	b.u32(LUNATIK_STATS_A_NRUNTIMES, 5);
	b.end(st);
	LunatikReply reply;
	decodeReply(b.header(), reply);
	ASSERT_TRUE(reply.stats);
	EXPECT_EQ(reply.stats->allocs, 12u);
	EXPECT_EQ(reply.stats->allocBytes, 3456u);
	EXPECT_EQ(reply.stats->nsets, 2u);
	EXPECT_EQ(reply.stats->nruntimes, 5u);
}

TEST(Decode, ProcessSetInstanceHasNoCpu)
{
	NetlinkBuilder b;
	b.genl(kFamily, LUNATIK_CMD_CREATE);
	nlattr *set = b.nest(LUNATIK_A_SET);
	b.str(LUNATIK_SET_A_NAME, "p");
	b.u8(LUNATIK_SET_A_CONTEXT, LUNATIK_CONTEXT_PROCESS);
	nlattr *inst = b.nest(LUNATIK_SET_A_INSTANCE);
	b.u32(LUNATIK_INST_A_CPU, UINT32_MAX);
	b.end(inst);
	b.end(set);
	LunatikReply reply;
	decodeReply(b.header(), reply);
	ASSERT_EQ(reply.sets.size(), 1u);
	EXPECT_EQ(reply.sets[0].context, Context::kProcess);
	EXPECT_EQ(reply.sets[0].instances.at(0).cpu, kNoCpu);
	// Without NINSTANCES the count of instance nests is used.
	EXPECT_EQ(reply.sets[0].ninstances, 1u);
}

TEST(Decode, MalformedSetsThrow)
{
	{
		NetlinkBuilder b;
		b.genl(kFamily, LUNATIK_CMD_LIST);
		nlattr *set = b.nest(LUNATIK_A_SET);
		b.u32(LUNATIK_SET_A_GENERATION, 1);	// no name
		b.end(set);
		LunatikReply reply;
		EXPECT_THROW(decodeReply(b.header(), reply), DecodeError);
	}
	{
		NetlinkBuilder b;
		b.genl(kFamily, LUNATIK_CMD_LIST);
		nlattr *set = b.nest(LUNATIK_A_SET);
		b.str(LUNATIK_SET_A_NAME, "s");
		b.u8(LUNATIK_SET_A_CONTEXT, 7);	// no such context
		b.end(set);
		LunatikReply reply;
		EXPECT_THROW(decodeReply(b.header(), reply), DecodeError);
	}
	{
		NetlinkBuilder b;
		b.genl(kFamily, LUNATIK_CMD_LIST);
		nlattr *set = b.nest(LUNATIK_A_SET);
		b.str(LUNATIK_SET_A_NAME, "s");
		b.u8(LUNATIK_SET_A_GENERATION, 1);	// u32 expected
		b.end(set);
		LunatikReply reply;
		EXPECT_THROW(decodeReply(b.header(), reply), DecodeError);
	}
}

} // namespace
} // namespace lunatik::loader
