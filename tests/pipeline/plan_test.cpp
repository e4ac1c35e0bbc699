#include "lunatik/pipeline/plan.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lunatik::pipeline {
namespace {

// One set whose script require()s one more file.
Desired desired(std::string scriptHash = "s1", std::string commonHash = "c1")
{
	return Desired{
		.name = "p",
		.files = {{"ex/dns.lua", "/src/ex/dns.lua", scriptHash},
			  {"ex/common.lua", "/src/ex/common.lua", commonHash}},
		.sets = {SetRecord{.name = "dns", .script = "ex/dns.lua", .hash = scriptHash}},
		.hooks = {{"dns", "ipv4", "local_in", {}}},
	};
}

KernelSet running(const SetRecord &s)
{
	return KernelSet{.name = s.name, .script = "/root/" + s.script, .context = s.context,
			 .memory = s.memory, .budget = s.budget, .hookBudget = s.hookBudget,
			 .defaultVerdict = s.defaultVerdict};
}

// The observation right after `up` of d applied.
Observed applied(const Desired &d, const Plan &plan)
{
	Observed o{.moduleLoaded = true, .scriptRoot = "/root"};
	for (const auto &s : d.sets)
		o.sets.push_back(running(s));
	for (const auto &f : d.files)
		o.rootHashes[f.path] = f.hash;
	o.state = plan.after;
	return o;
}

std::vector<std::string> described(const Plan &p)
{
	std::vector<std::string> out;
	for (const auto &s : p.steps)
		out.push_back(s.describe());
	return out;
}

TEST(Plan, FreshSystem)
{
	Plan p = planUp(desired(), Observed{.scriptRoot = "/root"});
	EXPECT_THAT(described(p),
		    testing::ElementsAre("load module lunatik (script_root=/root)",
					 "install ex/dns.lua [new]", "install ex/common.lua [new]",
					 "create set dns from ex/dns.lua (softirq, 16 MiB, 1000000 "
					 "instructions per call) [new]"));
	EXPECT_TRUE(p.conflicts.empty());
	ASSERT_EQ(p.after.files.size(), 2u);
	EXPECT_TRUE(p.after.files[0].installed);
	EXPECT_EQ(p.after.hooks.size(), 1u);
}

TEST(Plan, AppliedTwiceIsNothing)
{
	Desired d = desired();
	Plan first = planUp(d, Observed{.scriptRoot = "/root"});
	Plan again = planUp(d, applied(d, first));
	EXPECT_THAT(described(again), testing::IsEmpty());
	EXPECT_EQ(again.after.files, first.after.files);
}

TEST(Plan, ChangedScriptIsInstalledAndHotSwapped)
{
	Desired d = desired();
	Observed o = applied(d, planUp(d, Observed{.scriptRoot = "/root"}));
	Plan p = planUp(desired("s2"), o);
	EXPECT_THAT(described(p), testing::ElementsAre("install ex/dns.lua [changed]",
						       "reload set dns from ex/dns.lua [script changed]"));
	EXPECT_EQ(p.steps[1].files, std::vector<std::string>{"ex/dns.lua"});
	EXPECT_EQ(p.steps[1].previous->hash, "s1");
	EXPECT_EQ(p.steps[1].set->hash, "s2");
}

TEST(Plan, ChangedRequiredFileReloadsTheSets)
{
	Desired d = desired();
	Observed o = applied(d, planUp(d, Observed{.scriptRoot = "/root"}));
	Plan p = planUp(desired("s1", "c2"), o);
	EXPECT_THAT(described(p),
		    testing::ElementsAre("install ex/common.lua [changed]",
					 "reload set dns from ex/dns.lua [a required file changed]"));
	EXPECT_EQ(p.steps[1].files, std::vector<std::string>{"ex/common.lua"});
}

TEST(Plan, ScriptsAlreadyUnderTheRootAreNotInstalled)
{
	// scripts.base is the script root: the files are in place, only the
	// recorded hash tells the script changed.
	Desired d = desired();
	Observed o = applied(d, planUp(d, Observed{.moduleLoaded = true, .scriptRoot = "/root",
						   .rootHashes = {{"ex/dns.lua", "s1"},
								  {"ex/common.lua", "c1"}}}));
	EXPECT_FALSE(o.state->files[0].installed);
	o.rootHashes["ex/dns.lua"] = "s2";
	Plan p = planUp(desired("s2"), o);
	EXPECT_THAT(described(p), testing::ElementsAre("reload set dns from ex/dns.lua [script changed]"));
	EXPECT_TRUE(p.steps[0].files.empty());
}

TEST(Plan, ChangedConfigReplacesTheSet)
{
	Desired d = desired();
	Observed o = applied(d, planUp(d, Observed{.scriptRoot = "/root"}));
	Desired bigger = desired();
	bigger.sets[0].memory = 32 << 20;
	Plan p = planUp(bigger, o);
	ASSERT_EQ(p.steps.size(), 1u);
	EXPECT_EQ(p.steps[0].kind, StepKind::kReplaceSet);
	EXPECT_EQ(p.steps[0].previous->memory, 16u << 20);
	EXPECT_EQ(p.steps[0].set->memory, 32u << 20);
}

TEST(Plan, RemovedSetIsStoppedAndItsFilesRemoved)
{
	Desired d = desired();
	Observed o = applied(d, planUp(d, Observed{.scriptRoot = "/root"}));
	Desired none{.name = "p"};
	Plan p = planUp(none, o);
	EXPECT_THAT(described(p), testing::ElementsAre("stop set dns [no longer in the spec]",
						       "remove ex/dns.lua [no longer in the spec]",
						       "remove ex/common.lua [no longer in the spec]"));
	EXPECT_EQ(p.steps[0].previous->hash, "s1");
}

TEST(Plan, SetStoppedByHandIsRecreated)
{
	Desired d = desired();
	Observed o = applied(d, planUp(d, Observed{.scriptRoot = "/root"}));
	o.sets.clear();
	Plan p = planUp(d, o);
	EXPECT_THAT(described(p), testing::ElementsAre(testing::EndsWith("[missing from the kernel]")));
}

TEST(Plan, SetsOfOthersAreConflicts)
{
	Desired d = desired();
	Observed o{.moduleLoaded = true, .scriptRoot = "/root"};
	o.sets.push_back(running(d.sets[0]));
	Plan p = planUp(d, o);
	EXPECT_THAT(p.conflicts, testing::ElementsAre(testing::HasSubstr(
					 "a runtime set named 'dns' exists and pipeline 'p' did not create it")));
	o.owners["dns"] = "other";
	EXPECT_THAT(planUp(d, o).conflicts,
		    testing::ElementsAre("set 'dns' belongs to pipeline 'other'"));
}

TEST(Plan, DownRemovesOnlyWhatThePipelineOwns)
{
	Desired d = desired();
	Observed o = applied(d, planUp(d, Observed{.scriptRoot = "/root"}));
	o.sets.push_back(KernelSet{.name = "someone_elses", .script = "/root/x.lua"});
	Plan p = planDown(o);
	EXPECT_THAT(described(p), testing::ElementsAre("stop set dns", "remove ex/dns.lua",
						       "remove ex/common.lua"));
	EXPECT_THAT(described(planDown(Observed{})), testing::IsEmpty());
}

TEST(Plan, DesiredFromSpec)
{
	Spec spec;
	spec.name = "p";
	spec.dir = "/specs/ex";
	spec.scripts.base = "..";
	spec.scripts.files = {"common.lua"};
	spec.sets.push_back(RuntimeSet{.name = "a", .script = "dns.lua",
				       .hooks = {HookExpectation{.family = "ipv4", .hook = "local_in"}}});
	spec.sets.push_back(RuntimeSet{.name = "b", .script = "dns.lua"});
	Desired d = desiredFrom(spec, [](const std::filesystem::path &p) { return "#" + p.string(); });
	ASSERT_EQ(d.files.size(), 2u);
	EXPECT_EQ(d.files[0].path, "ex/dns.lua");
	EXPECT_EQ(d.files[0].source, "/specs/ex/dns.lua");
	EXPECT_EQ(d.files[0].hash, "#/specs/ex/dns.lua");
	EXPECT_EQ(d.files[1].path, "ex/common.lua");
	ASSERT_EQ(d.sets.size(), 2u);
	EXPECT_EQ(d.sets[1].script, "ex/dns.lua");
	EXPECT_EQ(d.hooks.size(), 1u);
}

} // namespace
} // namespace lunatik::pipeline

namespace lunatik::pipeline {
namespace {

Spec nftSpec()
{
	Spec spec;
	spec.name = "p";
	spec.dir = "/specs";
	spec.sets.push_back(RuntimeSet{.name = "dns", .script = "dns.lua"});
	spec.xtables.push_back(XtRule{.set = "dns", .chain = "INPUT", .match = "m", .jump = "DROP"});
	spec.nft.push_back(NftRule{.table = "lp", .chain = "input", .rule = "counter",
				   .hook = "input", .priority = -5});
	spec.nft.push_back(NftRule{.family = "ip", .table = "fw", .chain = "in", .rule = "drop"});
	return spec;
}

// The tag must not change between versions: rules already in the kernel
// are found by it.
TEST(Plan, NftRuleTagIsStable)
{
	EXPECT_EQ(nftRuleTag("p", "inet", "lp", "input", "counter"), "lunatik-pipeline:p:f32383c7");
	EXPECT_NE(nftRuleTag("p", "inet", "lp", "input", "counter"),
		  nftRuleTag("p", "inet", "lpi", "nput", "counter"));
}

TEST(Plan, NftChainsAreMadeWhenMissingKeptWhenOwnedAndRemovedLast)
{
	Desired d = desiredFrom(nftSpec(), [](const std::filesystem::path &) { return "h"; });
	ASSERT_EQ(d.chains.size(), 2u);
	EXPECT_EQ(d.chains[0].describe(), "ip filter INPUT (made by iptables-nft)");
	ASSERT_EQ(d.rules.size(), 3u);
	EXPECT_EQ(d.rules[1].describe(),
		  "nft inet lp input: counter (" + nftRuleTag("p", "inet", "lp", "input", "counter") + ")");

	// fresh: the user's table fw exists, lp does not
	Observed o{.moduleLoaded = true, .scriptRoot = "/root"};
	o.nftTables = {"ip fw"};
	o.nftChains = {"ip fw in"};
	Plan p = planUp(d, o);
	EXPECT_THAT(described(p),
		    testing::ElementsAre(
			    "install dns.lua [new]",
			    "create set dns from dns.lua (softirq, 16 MiB, 1000000 instructions per call) [new]",
			    "note nft chain ip filter INPUT (made by iptables-nft, with its table) [new]",
			    "create nft chain inet lp input (filter hook input priority -5, with its table) [new]",
			    testing::StartsWith("insert rule iptables-nft ipv4 -t filter INPUT -m m -j DROP"),
			    testing::StartsWith("insert rule nft inet lp input: counter"),
			    testing::StartsWith("insert rule nft ip fw in: drop")));
	EXPECT_EQ(p.after.chains.size(), 2u);

	// applied: nothing; without nft, the iptables-nft table is not noted
	Observed after = applied(d, p);
	after.nftTables = {"ip fw", "inet lp", "ip filter"};
	after.nftChains = {"ip fw in", "inet lp input", "ip filter INPUT"};
	after.rulesPresent = d.rules;
	EXPECT_THAT(described(planUp(d, after)), testing::IsEmpty());
	Observed noNft{.moduleLoaded = true, .scriptRoot = "/root", .nftUsable = false};
	EXPECT_THAT(described(planUp(d, noNft)), testing::Not(testing::Contains(
							  testing::StartsWith("note nft chain"))));

	// down: rules, then the chains it made, then the set
	EXPECT_THAT(described(planDown(after)),
		    testing::ElementsAre(testing::StartsWith("delete rule iptables-nft"),
					 testing::StartsWith("delete rule nft inet lp"),
					 testing::StartsWith("delete rule nft ip fw"),
					 "delete nft chain ip filter INPUT (made by iptables-nft, with its table)",
					 "delete nft chain inet lp input (filter hook input priority -5, with its table)",
					 "stop set dns", "remove dns.lua"));

	// the spec drops its nft entries: the chain it made goes, the user's stays
	Spec fewer = nftSpec();
	fewer.nft.clear();
	Desired d2 = desiredFrom(fewer, [](const std::filesystem::path &) { return "h"; });
	EXPECT_THAT(described(planUp(d2, after)),
		    testing::ElementsAre(testing::StartsWith("delete rule nft inet lp"),
					 testing::StartsWith("delete rule nft ip fw"),
					 "delete nft chain inet lp input (filter hook input priority -5, "
					 "with its table) [no longer in the spec]"));
}

} // namespace
} // namespace lunatik::pipeline
