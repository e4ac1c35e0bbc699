#include "lunatik/pipeline/state.hpp"

#include <gtest/gtest.h>

#include "lunatik/pipeline/step.hpp"

namespace lunatik::pipeline {
namespace {

SetRecord aSet()
{
	return SetRecord{.name = "dns", .script = "x/dns.lua", .hash = "h1",
			 .context = Context::kProcess, .memory = 1 << 20, .budget = 5000};
}

TEST(State, RoundTrip)
{
	PipelineState st{.name = "p", .specFile = "/s.yaml", .specHash = "abc", .netns = "edge",
			 .scriptRoot = "/root", .sets = {aSet()},
			 .files = {{"x/dns.lua", "h1", true}, {"x/c.lua", "h2", false}},
			 .hooks = {{"dns", "ipv4", "local_in", -5}, {"dns", "inet", "forward", {}}}};
	PipelineState back = stateFromJson(nlohmann::json::parse(toJson(st).dump()));
	EXPECT_EQ(back.name, "p");
	EXPECT_EQ(back.specHash, "abc");
	EXPECT_EQ(back.netns, "edge");
	EXPECT_EQ(back.sets, st.sets);
	EXPECT_EQ(back.files, st.files);
	EXPECT_EQ(back.hooks, st.hooks);
	EXPECT_NE(back.findSet("dns"), nullptr);
	EXPECT_EQ(back.findFile("nope"), nullptr);
}

TEST(State, MalformedDocumentsThrow)
{
	for (const char *text : {"{}", R"({"format": 2})", R"({"format": 1, "name": 3})",
				 "[]", R"({"format":1,"name":"p","spec":"","spec_hash":"","namespace":"",
				 "script_root":"","sets":[{"name":"a"}],"files":[],"hooks":[]})"})
		EXPECT_THROW(stateFromJson(nlohmann::json::parse(text)), std::runtime_error) << text;
}

TEST(Step, RoundTripAndDescribe)
{
	Step reload{.kind = StepKind::kReloadSet, .target = "dns", .reason = "script changed",
		    .set = aSet(), .previous = aSet(), .files = {"x/dns.lua"}};
	EXPECT_EQ(stepFromJson(toJson(reload)), reload);
	EXPECT_EQ(reload.describe(), "reload set dns from x/dns.lua [script changed]");

	Step create{.kind = StepKind::kCreateSet, .target = "dns", .reason = "new", .set = aSet()};
	EXPECT_EQ(stepFromJson(toJson(create)), create);
	EXPECT_EQ(create.describe(),
		  "create set dns from x/dns.lua (process, 1 MiB, 5000 instructions per call) [new]");

	Step install{.kind = StepKind::kInstallFile, .target = "x/dns.lua", .reason = "new",
		     .source = "/src/x/dns.lua", .hash = "h"};
	EXPECT_EQ(stepFromJson(toJson(install)), install);
	Step load{.kind = StepKind::kLoadModule, .target = "lunatik", .scriptRoot = "/r"};
	EXPECT_EQ(stepFromJson(toJson(load)), load);
	EXPECT_EQ(load.describe(), "load module lunatik (script_root=/r)");
}

TEST(Step, MalformedEntriesThrow)
{
	EXPECT_THROW(stepFromJson(nlohmann::json::parse(R"({"kind":"explode","target":"x"})")),
		     std::runtime_error);
	EXPECT_THROW(stepFromJson(nlohmann::json::parse(R"({"kind":"create-set","target":"x"})")),
		     std::runtime_error);
	EXPECT_THROW(stepFromJson(nlohmann::json::parse(R"({"target":"x"})")), std::runtime_error);
}

} // namespace
} // namespace lunatik::pipeline

namespace lunatik::pipeline {
namespace {

TEST(State, NftChainsAndHookSettingsRoundTrip)
{
	SetRecord dropping = aSet();
	dropping.hookBudget = 20000;
	dropping.defaultVerdict = Verdict::kDrop;
	NftChainRecord chain{.family = "inet", .table = "lp", .chain = "input", .type = "filter",
			     .hook = "input", .priority = -10, .ownTable = true};
	PipelineState st{.name = "p", .sets = {dropping}, .chains = {chain}};
	PipelineState back = stateFromJson(nlohmann::json::parse(toJson(st).dump()));
	EXPECT_EQ(back.sets, st.sets);
	EXPECT_EQ(back.chains, st.chains);
	EXPECT_FALSE(aSet().sameConfig(dropping));
	EXPECT_EQ(chain.describe(), "inet lp input (filter hook input priority -10, with its table)");

	// A state written before sets carried hook settings: the kernel's defaults.
	auto old = toJson(st);
	old["sets"][0].erase("hook_budget");
	old["sets"][0].erase("default_verdict");
	old.erase("nft_chains");
	back = stateFromJson(old);
	EXPECT_EQ(back.sets[0].hookBudget, 50000u);
	EXPECT_EQ(back.sets[0].defaultVerdict, Verdict::kAccept);
	EXPECT_TRUE(back.chains.empty());
	old["sets"][0]["default_verdict"] = "reject";
	EXPECT_THROW(stateFromJson(old), std::runtime_error);
}

TEST(Step, NftChainStepsRoundTripAndNeedTheirChain)
{
	NftChainRecord chain{.family = "ip", .table = "t", .chain = "c", .type = "nat",
			     .hook = "prerouting", .priority = -100};
	Step create{.kind = StepKind::kCreateNftChain, .target = "c", .reason = "new", .chain = chain};
	EXPECT_EQ(stepFromJson(toJson(create)), create);
	EXPECT_EQ(create.describe(), "create nft chain ip t c (nat hook prerouting priority -100) [new]");
	auto j = toJson(create);
	j.erase("nft_chain");
	EXPECT_THROW(stepFromJson(j), std::runtime_error);
	j["kind"] = "delete-nft-chain";
	EXPECT_THROW(stepFromJson(j), std::runtime_error);
}

} // namespace
} // namespace lunatik::pipeline
