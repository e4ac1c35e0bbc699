// validate / plan / up / down / status / reload of a pipeline, end to end
// through the CLI with the gmock control plane, a fake module, and real
// files in a temporary directory (sources, script root, state directory).
#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fakes.hpp"
#include "lunatik/pipeline/plan.hpp"
#include "state_store.hpp"
#include "temp_dir.hpp"

namespace lunatik::loader {
namespace {

using test::CliHarness;
using test::TempDir;
using testing::_;
using testing::AllOf;
using testing::Field;
using testing::HasSubstr;
using testing::Return;

const char *kSpec = R"(version: 1
name: demo
scripts:
  base: ..
  files: [common.lua]
sets:
  - name: demo/dns
    script: dns.lua
    memory: 1M
    budget: 5000
    hooks:
      - family: ipv4
        hook: local_in
)";

class PipelineCli : public testing::Test {
protected:
	void SetUp() override
	{
		spec = tmp.write("src/ex/demo.yaml", kSpec).string();
		tmp.write("src/ex/dns.lua", "return 1");
		tmp.write("src/ex/common.lua", "return {}");
		root = tmp.path() / "root";
		std::filesystem::create_directories(root);
		h.module->root = root.string();
	}

	std::filesystem::path installed(const std::string &rel) const { return root / rel; }
	std::filesystem::path stateFile() const { return h.svc.stateDir / "demo.json"; }

	SetInfo kernelSet(std::uint32_t generation = 1) const
	{
		return SetInfo{.name = "demo/dns",
			       .script = (root / "ex/dns.lua").string(),
			       .context = Context::kSoftirq,
			       .memLimit = 1 << 20,
			       .budget = 5000,
			       .generation = generation,
			       .ninstances = 1,
			       .instances = {{.cpu = 0, .calls = 7}},
			       .hookBudget = 50000};
	}

	// Brings the pipeline up on a fresh system and resets the streams.
	void upFresh()
	{
		EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
		EXPECT_CALL(*h.cp, createSet(_)).WillOnce(Return(kernelSet()));
		ASSERT_EQ(h.run({"up", spec}), 0) << h.err.str();
		h.out.str("");
		h.err.str("");
	}

	TempDir tmp;
	std::string spec;
	std::filesystem::path root;
	CliHarness h;
};

TEST_F(PipelineCli, ValidateGoodSpec)
{
	EXPECT_EQ(h.run({"validate", spec}), 0);
	EXPECT_EQ(h.out.str(), spec + ": pipeline 'demo' is valid\n");
	EXPECT_EQ(h.connects, 0);
}

TEST_F(PipelineCli, ValidateReportsEveryProblemAndExits11)
{
	auto bad = tmp.write("src/ex/bad.yaml", "version: 1\nname: x\nsets:\n  - name: a\n"
						"    script: nope.lua\n    budjet: 5\n"
						"xdp:\n  - interface: eth9\n    classifier: tls\n    set: b\n");
	EXPECT_EQ(h.run({"validate", bad.string()}), 11);
	std::string f = bad.string();
	EXPECT_EQ(h.err.str(), f + ":5:13: script not found: nope.lua\n" +
				       f + ":6:5: unknown key 'budjet' in a set (did you mean 'budget'?)\n" +
				       f + ":8:16: unknown interface 'eth9'\n" +
				       f + ":10:10: set 'b' is not defined in 'sets' (defined: a)\n" +
				       "lunatik-pipeline: " + f + ": 4 problems\n");
}

TEST_F(PipelineCli, ValidateEntersTheSpecsNamespace)
{
	auto ns = tmp.write("src/ex/ns.yaml", std::string(kSpec) + "namespace: edge\n");
	EXPECT_EQ(h.run({"validate", ns.string()}), 0) << h.err.str();
	EXPECT_EQ(h.enteredNetns, std::vector<std::string>{"edge"});
}

TEST_F(PipelineCli, MissingSpec)
{
	EXPECT_EQ(h.run({"validate", "/nonexistent.yaml"}), 11);
	EXPECT_EQ(h.err.str(), "lunatik-pipeline: cannot read spec /nonexistent.yaml\n");
}

TEST_F(PipelineCli, PlanOnAFreshSystem)
{
	h.module->isLoaded = false;
	EXPECT_EQ(h.run({"plan", spec}), 0) << h.err.str();
	EXPECT_EQ(h.out.str(),
		  "pipeline 'demo': 4 steps\n"
		  "  1. load module lunatik (script_root=/lib/modules/lua)\n"
		  "  2. install ex/dns.lua [new]\n"
		  "  3. install ex/common.lua [new]\n"
		  "  4. create set demo/dns from ex/dns.lua (softirq, 1 MiB, 5000 instructions per "
		  "call) [new]\n");
	EXPECT_EQ(h.connects, 0);
	EXPECT_FALSE(std::filesystem::exists(stateFile()));
}

TEST_F(PipelineCli, PlanJson)
{
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
	EXPECT_EQ(h.run({"--json", "plan", spec}), 0) << h.err.str();
	auto doc = nlohmann::json::parse(h.out.str());
	EXPECT_EQ(doc["pipeline"], "demo");
	ASSERT_EQ(doc["steps"].size(), 3u);
	EXPECT_EQ(doc["steps"][2]["kind"], "create-set");
	EXPECT_EQ(doc["steps"][2]["set"]["budget"], 5000);
}

TEST_F(PipelineCli, UpInstallsCreatesAndRecords)
{
	h.module->isLoaded = false;
	EXPECT_CALL(*h.cp, createSet(AllOf(
		Field(&CreateRequest::name, "demo/dns"),
		Field(&CreateRequest::script, (root / "ex/dns.lua").string()),
		Field(&CreateRequest::chunkName, "ex/dns.lua"),
		Field(&CreateRequest::context, Context::kSoftirq),
		Field(&CreateRequest::memLimit, 1u << 20),
		Field(&CreateRequest::budget, 5000u))))
		.WillOnce(Return(kernelSet()));
	// Not loaded: up loads it with the spec's scripts.root.
	std::string text = kSpec;
	text.replace(text.find("  base: .."), 10, "  base: ..\n  root: " + root.string());
	tmp.write("src/ex/demo.yaml", text);
	EXPECT_EQ(h.run({"up", spec}), 0) << h.err.str();
	ASSERT_EQ(h.module->loads.size(), 1u);
	EXPECT_EQ(h.module->loads[0], root.string());
	EXPECT_EQ(test::TempDir::read(installed("ex/dns.lua")), "return 1");
	EXPECT_EQ(test::TempDir::read(installed("ex/common.lua")), "return {}");
	EXPECT_THAT(h.out.str(), HasSubstr("  create set demo/dns"));
	EXPECT_THAT(h.out.str(), HasSubstr("pipeline 'demo' is up (4 steps)\n"));
	auto state = nlohmann::json::parse(test::TempDir::read(stateFile()));
	EXPECT_EQ(state["name"], "demo");
	EXPECT_EQ(state["sets"][0]["name"], "demo/dns");
	EXPECT_EQ(state["files"][0]["installed"], true);
	EXPECT_FALSE(std::filesystem::exists(h.svc.stateDir / "demo.journal"));
	EXPECT_FALSE(std::filesystem::exists(h.svc.stateDir / "demo.backup"));
}

TEST_F(PipelineCli, UpTwiceChangesNothing)
{
	upFresh();
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{kernelSet()}));
	EXPECT_EQ(h.run({"up", spec}), 0) << h.err.str();
	EXPECT_EQ(h.out.str(), "pipeline 'demo' is up to date\n");
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{kernelSet()}));
	h.out.str("");
	EXPECT_EQ(h.run({"plan", spec}), 0);
	EXPECT_EQ(h.out.str(), "pipeline 'demo': nothing to do\n");
}

TEST_F(PipelineCli, ChangedScriptIsHotSwapped)
{
	upFresh();
	tmp.write("src/ex/dns.lua", "return 2");
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{kernelSet()}));
	EXPECT_CALL(*h.cp, reloadSet(AllOf(Field(&ReloadRequest::name, "demo/dns"),
					   Field(&ReloadRequest::script, (root / "ex/dns.lua").string()),
					   Field(&ReloadRequest::chunkName, "ex/dns.lua"))))
		.WillOnce(Return(kernelSet(2)));
	EXPECT_EQ(h.run({"up", spec}), 0) << h.err.str();
	EXPECT_EQ(h.out.str(), "  install ex/dns.lua [changed]\n"
			       "  reload set demo/dns from ex/dns.lua [script changed]\n"
			       "pipeline 'demo' is up (2 steps)\n");
	EXPECT_EQ(test::TempDir::read(installed("ex/dns.lua")), "return 2");
}

// A failed hot swap restores the old file and leaves the set on it.
TEST_F(PipelineCli, FailedReloadRestoresTheOldScript)
{
	upFresh();
	tmp.write("src/ex/dns.lua", "return = 2");
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{kernelSet()}));
	EXPECT_CALL(*h.cp, reloadSet(_))
		.WillOnce(Return(Error{ExitCode::kLuaError, "ex/dns.lua:1: unexpected symbol near '='"}))
		.WillOnce(Return(kernelSet(2)));	// the undo, on the restored file
	EXPECT_EQ(h.run({"up", spec}), 1);
	EXPECT_EQ(h.err.str(),
		  "lunatik-pipeline: up demo: step 2 of 2 (reload set demo/dns from ex/dns.lua "
		  "[script changed]) failed: ex/dns.lua:1: unexpected symbol near '='; undid 2 "
		  "applied steps\n");
	EXPECT_EQ(test::TempDir::read(installed("ex/dns.lua")), "return 1");
	auto state = nlohmann::json::parse(test::TempDir::read(stateFile()));
	EXPECT_NE(state["sets"][0]["hash"], "");
}

TEST_F(PipelineCli, FailedUpLeavesNothingBehind)
{
	h.module->isLoaded = false;
	std::string text = kSpec;
	text.replace(text.find("  base: .."), 10, "  base: ..\n  root: " + root.string());
	tmp.write("src/ex/demo.yaml", text);
	EXPECT_CALL(*h.cp, createSet(_))
		.WillOnce(Return(Error{ExitCode::kLimit, "create 'demo/dns': memory cap reached: "
							  "not enough memory"}));
	EXPECT_CALL(*h.cp, stopSet(std::string("demo/dns")))
		.WillOnce(Return(Error{ExitCode::kSetNotFound, "no runtime set named 'demo/dns'"}));
	EXPECT_EQ(h.run({"up", spec}), 10);
	EXPECT_EQ(h.err.str(),
		  "lunatik-pipeline: up demo: step 4 of 4 (create set demo/dns from ex/dns.lua "
		  "(softirq, 1 MiB, 5000 instructions per call) [new]) failed: create 'demo/dns': "
		  "memory cap reached: not enough memory; undid 4 applied steps\n");
	EXPECT_FALSE(std::filesystem::exists(installed("ex/dns.lua")));
	EXPECT_FALSE(std::filesystem::exists(installed("ex/common.lua")));
	EXPECT_EQ(h.module->unloads, 1);
	EXPECT_FALSE(h.module->isLoaded);
	EXPECT_FALSE(std::filesystem::exists(stateFile()));
	EXPECT_FALSE(std::filesystem::exists(h.svc.stateDir / "demo.journal"));
}

// Two sets: the second fails, the first (already created) is stopped.
TEST_F(PipelineCli, FailureAtTheLastSetStopsTheFirst)
{
	tmp.write("src/ex/demo.yaml", std::string(kSpec) + "  - name: demo/other\n"
							    "    script: common.lua\n");
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
	EXPECT_CALL(*h.cp, createSet(Field(&CreateRequest::name, "demo/dns")))
		.WillOnce(Return(kernelSet()));
	EXPECT_CALL(*h.cp, createSet(Field(&CreateRequest::name, "demo/other")))
		.WillOnce(Return(Error{ExitCode::kLuaError, "ex/common.lua:1: boom"}));
	EXPECT_CALL(*h.cp, stopSet(std::string("demo/other")))
		.WillOnce(Return(Error{ExitCode::kSetNotFound, "none"}));
	EXPECT_CALL(*h.cp, stopSet(std::string("demo/dns"))).WillOnce(Return(Result<void>()));
	EXPECT_EQ(h.run({"up", spec}), 1);
	EXPECT_THAT(h.err.str(), HasSubstr("step 4 of 4 (create set demo/other"));
	EXPECT_FALSE(std::filesystem::exists(installed("ex/dns.lua")));
	EXPECT_FALSE(std::filesystem::exists(stateFile()));
}

TEST_F(PipelineCli, SomeoneElsesSetIsAConflict)
{
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{kernelSet()}));
	EXPECT_EQ(h.run({"up", spec}), 7);
	EXPECT_EQ(h.err.str(), "lunatik-pipeline: a runtime set named 'demo/dns' exists and "
			       "pipeline 'demo' did not create it (stop it, or rename the set in "
			       "the spec)\n");
	EXPECT_FALSE(std::filesystem::exists(installed("ex/dns.lua")));
}

const char *kRule = R"(xtables:
  - set: demo/dns
    table: filter
    chain: INPUT
    protocol: udp
    match: dnsblock
    args: ["--list", "bad names"]
    jump: DROP
)";

TEST_F(PipelineCli, XtablesRulesAreInsertedTaggedAndRemoved)
{
	tmp.write("src/ex/demo.yaml", std::string(kSpec) + kRule);
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
	EXPECT_CALL(*h.cp, createSet(_)).WillOnce(Return(kernelSet()));
	EXPECT_EQ(h.run({"up", spec}), 0) << h.err.str();
	std::vector<std::vector<std::string>> want{
		{"iptables-nft", "filter", "INPUT", "-p", "udp", "-m", "dnsblock", "--list", "bad names",
		 "-j", "DROP", "-m", "comment", "--comment", "lunatik-pipeline:demo"}};
	EXPECT_EQ(h.iptables, want);
	EXPECT_THAT(h.out.str(), HasSubstr("  insert rule iptables-nft ipv4 -t filter INPUT -p udp -m "
					   "dnsblock --list 'bad names' -j DROP -m comment --comment "
					   "lunatik-pipeline:demo [new]\n"));

	// applied: nothing to do; a rule deleted by hand is drift, then reinserted
	EXPECT_CALL(*h.cp, listSets()).WillRepeatedly(Return(std::vector<SetInfo>{kernelSet()}));
	h.out.str("");
	EXPECT_EQ(h.run({"plan", spec}), 0);
	EXPECT_EQ(h.out.str(), "pipeline 'demo': nothing to do\n");
	h.iptables.clear();
	h.out.str("");
	EXPECT_EQ(h.run({"status", "demo"}), 0);
	EXPECT_THAT(h.out.str(), HasSubstr("drift: rule iptables-nft ipv4 -t filter INPUT"));
	EXPECT_EQ(h.run({"up", "-q", spec}), 0);
	EXPECT_EQ(h.iptables, want);

	// someone else's rule in the same chain stays through down
	h.iptables.push_back({"iptables-nft", "filter", "INPUT", "-j", "ACCEPT"});
	EXPECT_CALL(*h.cp, stopSet(std::string("demo/dns"))).WillOnce(Return(Result<void>()));
	EXPECT_EQ(h.run({"down", "-q", "demo"}), 0) << h.err.str();
	EXPECT_EQ(h.iptables, (std::vector<std::vector<std::string>>{
				      {"iptables-nft", "filter", "INPUT", "-j", "ACCEPT"}}));
}

// iptables-nft makes the nft table and chain of its first rule and leaves
// them behind: down removes them when up's rule made them, so the ruleset
// is as before; a chain that was there stays.
TEST_F(PipelineCli, TheTableIptablesNftMadeForTheRuleGoesWithIt)
{
	tmp.write("src/ex/demo.yaml", std::string(kSpec) + kRule);
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
	EXPECT_CALL(*h.cp, createSet(_)).WillOnce(Return(kernelSet()));
	EXPECT_EQ(h.run({"up", spec}), 0) << h.err.str();
	EXPECT_THAT(h.out.str(), HasSubstr("  note nft chain ip filter INPUT (made by iptables-nft, "
					   "with its table) [new]\n"));
	EXPECT_EQ(h.nft.tables, std::set<std::string>{"ip filter"});
	EXPECT_CALL(*h.cp, listSets()).WillRepeatedly(Return(std::vector<SetInfo>{kernelSet()}));
	EXPECT_CALL(*h.cp, stopSet(std::string("demo/dns"))).WillRepeatedly(Return(Result<void>()));
	h.out.str("");
	EXPECT_EQ(h.run({"plan", spec}), 0);
	EXPECT_EQ(h.out.str(), "pipeline 'demo': nothing to do\n");
	EXPECT_EQ(h.run({"down", "-q", "demo"}), 0) << h.err.str();
	EXPECT_TRUE(h.nft.tables.empty());
	EXPECT_TRUE(h.nft.chains.empty());

	// made by someone else before up: stays
	h.nft.tables = {"ip filter"};
	h.nft.chains = {{"ip filter INPUT", ""}};
	EXPECT_CALL(*h.cp, createSet(_)).WillOnce(Return(kernelSet()));
	EXPECT_CALL(*h.cp, listSets())
		.WillOnce(Return(std::vector<SetInfo>{}))
		.WillRepeatedly(Return(std::vector<SetInfo>{kernelSet()}));
	EXPECT_EQ(h.run({"up", "-q", spec}), 0) << h.err.str();
	EXPECT_EQ(h.run({"down", "-q", "demo"}), 0) << h.err.str();
	EXPECT_EQ(h.nft.tables, std::set<std::string>{"ip filter"});
	EXPECT_EQ(h.nft.chains.size(), 1u);
}

TEST_F(PipelineCli, RuleFailureUndoesTheSets)
{
	tmp.write("src/ex/demo.yaml", std::string(kSpec) + kRule);
	h.failAppend = true;
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
	EXPECT_CALL(*h.cp, createSet(_)).WillOnce(Return(kernelSet()));
	EXPECT_CALL(*h.cp, stopSet(std::string("demo/dns"))).WillOnce(Return(Result<void>()));
	EXPECT_EQ(h.run({"up", spec}), 8);
	EXPECT_THAT(h.err.str(), HasSubstr("step 5 of 5 (insert rule iptables-nft"));
	EXPECT_THAT(h.err.str(), HasSubstr("Couldn't load match `nope'; undid 5 applied steps"));
	EXPECT_TRUE(h.iptables.empty());
	EXPECT_FALSE(std::filesystem::exists(installed("ex/dns.lua")));
	EXPECT_FALSE(std::filesystem::exists(stateFile()));
}

TEST_F(PipelineCli, DownRemovesOnlyWhatItInstalled)
{
	upFresh();
	std::filesystem::create_directories(root / "other");
	std::ofstream(root / "other/keep.lua") << "return 0";
	EXPECT_CALL(*h.cp, listSets())
		.WillOnce(Return(std::vector<SetInfo>{kernelSet(), SetInfo{.name = "other"}}));
	EXPECT_CALL(*h.cp, stopSet(std::string("demo/dns"))).WillOnce(Return(Result<void>()));
	EXPECT_EQ(h.run({"down", "demo"}), 0) << h.err.str();
	EXPECT_EQ(h.out.str(), "  stop set demo/dns\n  remove ex/dns.lua\n  remove ex/common.lua\n"
			       "pipeline 'demo' is down\n");
	EXPECT_FALSE(std::filesystem::exists(installed("ex/dns.lua")));
	EXPECT_TRUE(std::filesystem::exists(root / "other/keep.lua"));
	EXPECT_FALSE(std::filesystem::exists(stateFile()));
	h.err.str("");
	EXPECT_EQ(h.run({"down", "demo"}), 12);
	EXPECT_EQ(h.err.str(), "lunatik-pipeline: no pipeline named 'demo'\n");
}

TEST_F(PipelineCli, DownBySpecFile)
{
	upFresh();
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{kernelSet()}));
	EXPECT_CALL(*h.cp, stopSet(std::string("demo/dns"))).WillOnce(Return(Result<void>()));
	EXPECT_EQ(h.run({"down", "-q", spec}), 0) << h.err.str();
	EXPECT_EQ(h.out.str(), "");
}

TEST_F(PipelineCli, StatusShowsSetsHooksAndDrift)
{
	upFresh();
	tmp.write("root/ex/common.lua", "changed by hand");
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{kernelSet()}));
	EXPECT_EQ(h.run({"status"}), 0) << h.err.str();
	std::string out = h.out.str();
	EXPECT_THAT(out, HasSubstr("pipeline demo (spec "));
	EXPECT_THAT(out, HasSubstr("  demo/dns  softirq  1          1           7"));
	EXPECT_THAT(out, HasSubstr("  hook demo/dns ipv4 local_in (expected by the spec)\n"));
	EXPECT_THAT(out, HasSubstr("  drift: script ex/common.lua changed since up"));

	// A set stopped by hand is drift, not a crash.
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
	h.out.str("");
	EXPECT_EQ(h.run({"status", "demo", "--json"}), 0);
	auto doc = nlohmann::json::parse(h.out.str());
	EXPECT_EQ(doc["pipelines"][0]["sets"][0]["state"], "missing");
	EXPECT_THAT(doc["pipelines"][0]["drift"][0].get<std::string>(),
		    HasSubstr("set demo/dns is not running"));

	h.err.str("");
	EXPECT_EQ(h.run({"status", "nope"}), 12);
}

TEST_F(PipelineCli, ReloadNameOfAPipelineReloadsEverySet)
{
	upFresh();
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{kernelSet()}));
	EXPECT_CALL(*h.cp, reloadSet(Field(&ReloadRequest::name, "demo/dns")))
		.WillOnce(Return(kernelSet(2)));
	EXPECT_EQ(h.run({"reload", "demo"}), 0) << h.err.str();
	EXPECT_THAT(h.out.str(), HasSubstr("reload set demo/dns from ex/dns.lua [reload requested]"));
}

// A run killed after creating the set (the journal says step 4 started):
// the next up undoes it first, then applies from scratch.
TEST_F(PipelineCli, KilledRunIsUndoneByTheNextOne)
{
	std::filesystem::create_directories(root / "ex");
	std::ofstream(root / "ex/dns.lua") << "return 1";
	nlohmann::json set{{"name", "demo/dns"}, {"script", "ex/dns.lua"}, {"hash", "x"},
			   {"context", "softirq"}, {"memory", 1 << 20}, {"budget", 5000}};
	nlohmann::json journal{
		{"script_root", root.string()},
		{"started", 2},
		{"steps",
		 {{{"kind", "install-file"}, {"target", "ex/dns.lua"}, {"source", "/x"}, {"hash", "x"}},
		  {{"kind", "create-set"}, {"target", "demo/dns"}, {"set", set}}}}};
	std::filesystem::create_directories(h.svc.stateDir);
	std::ofstream(h.svc.stateDir / "demo.journal") << journal.dump();

	EXPECT_CALL(*h.cp, stopSet(std::string("demo/dns"))).WillOnce(Return(Result<void>()));
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
	EXPECT_CALL(*h.cp, createSet(_)).WillOnce(Return(kernelSet()));
	EXPECT_EQ(h.run({"up", spec}), 0) << h.err.str();
	EXPECT_EQ(h.err.str(), "lunatik-pipeline: undid 2 steps of an interrupted run of pipeline 'demo'\n");
	EXPECT_FALSE(std::filesystem::exists(h.svc.stateDir / "demo.journal"));
	EXPECT_TRUE(std::filesystem::exists(stateFile()));
}

// Killed after every step and the commit mark: the next run finishes the
// commit (writes the state) instead of undoing.
// A killed first `up` of a pipeline in a netns: `down NAME` has no state
// to find the netns in; the journal has it.
TEST_F(PipelineCli, DownRecoversAKilledFirstUpInItsNamespace)
{
	StateStore store(h.svc.stateDir);
	auto j = store.journal("demo", root.string(), "edge");
	pipeline::SetRecord set{.name = "demo/dns", .script = "ex/dns.lua"};
	ASSERT_FALSE(j->begin({pipeline::Step{.kind = pipeline::StepKind::kCreateSet,
					      .target = "demo/dns", .set = set}}));
	ASSERT_FALSE(j->started(1));
	EXPECT_CALL(*h.cp, stopSet(std::string("demo/dns"))).WillOnce(Return(Result<void>()));
	EXPECT_EQ(h.run({"down", "demo"}), 0) << h.err.str();
	EXPECT_EQ(h.enteredNetns, std::vector<std::string>{"edge"});
	EXPECT_FALSE(std::filesystem::exists(h.svc.stateDir / "demo.journal"));
}

TEST_F(PipelineCli, CommittedRunIsFinishedByTheNextOne)
{
	StateStore store(h.svc.stateDir);
	auto j = store.journal("demo", root.string());
	ASSERT_FALSE(j->begin({}));
	pipeline::PipelineState st{.name = "demo", .scriptRoot = root.string()};
	ASSERT_TRUE(j->commit(st));
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
	EXPECT_EQ(h.run({"down", "demo"}), 0) << h.err.str();
	EXPECT_EQ(h.err.str(), "lunatik-pipeline: finishing an interrupted run of pipeline 'demo'\n");
	EXPECT_FALSE(std::filesystem::exists(stateFile()));
}

// A second up waits for the first one's lock and says so.
TEST_F(PipelineCli, ConcurrentUpWaitsForTheLock)
{
	StateStore store(h.svc.stateDir);
	std::ostringstream progress;
	auto held = std::make_optional(store.lock("demo", progress));
	ASSERT_TRUE(*held);
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
	EXPECT_CALL(*h.cp, createSet(_)).WillOnce(Return(kernelSet()));
	std::thread second([&] { EXPECT_EQ(h.run({"up", "-q", spec}), 0); });
	std::this_thread::sleep_for(std::chrono::milliseconds(200));
	EXPECT_FALSE(std::filesystem::exists(stateFile()));	// still waiting
	held.reset();	// the first run ends
	second.join();
	EXPECT_EQ(h.err.str(), "lunatik-pipeline: waiting for another lunatik-pipeline working on "
			       "pipeline 'demo'\n");
	EXPECT_TRUE(std::filesystem::exists(stateFile()));
}

} // namespace
} // namespace lunatik::loader

namespace lunatik::loader {
namespace {

const char *kNftBase = R"(nft:
  - table: lp
    chain: input
    hook: input
    priority: -10
    rule: "udp dport 53 counter drop"
)";

TEST_F(PipelineCli, NftRuleGetsItsBaseChainAndTableAndDownRemovesThem)
{
	tmp.write("src/ex/demo.yaml", std::string(kSpec) + kNftBase);
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
	EXPECT_CALL(*h.cp, createSet(_)).WillOnce(Return(kernelSet()));
	EXPECT_EQ(h.run({"up", spec}), 0) << h.err.str();
	EXPECT_EQ(h.nft.tables, std::set<std::string>{"inet lp"});
	ASSERT_EQ(h.nft.chains.count("inet lp input"), 1u);
	EXPECT_EQ(h.nft.chains["inet lp input"], "{ type filter hook input priority -10 ; }");
	ASSERT_EQ(h.nft.rules.size(), 1u);
	EXPECT_EQ(h.nft.rules[0].text, "udp dport 53 counter drop");
	EXPECT_THAT(h.nft.rules[0].comment, testing::MatchesRegex("lunatik-pipeline:demo:[0-9a-f]{8}"));
	EXPECT_THAT(h.out.str(), HasSubstr("  create nft chain inet lp input (filter hook input "
					   "priority -10, with its table) [new]\n"));
	EXPECT_THAT(h.out.str(), HasSubstr("  insert rule nft inet lp input: udp dport 53 counter drop"));
	auto state = nlohmann::json::parse(test::TempDir::read(stateFile()));
	EXPECT_EQ(state["nft_chains"][0]["own_table"], true);

	// applied: nothing to do; a rule deleted by hand is drift, then back
	EXPECT_CALL(*h.cp, listSets()).WillRepeatedly(Return(std::vector<SetInfo>{kernelSet()}));
	h.out.str("");
	EXPECT_EQ(h.run({"up", spec}), 0);
	EXPECT_EQ(h.out.str(), "pipeline 'demo' is up to date\n");
	h.nft.rules.clear();
	h.out.str("");
	EXPECT_EQ(h.run({"status", "demo"}), 0);
	EXPECT_THAT(h.out.str(), HasSubstr("drift: rule nft inet lp input: udp dport 53"));
	h.out.str("");
	EXPECT_EQ(h.run({"up", spec}), 0);
	EXPECT_EQ(h.out.str(), "  insert rule nft inet lp input: udp dport 53 counter drop ("
			       + h.nft.rules.at(0).comment + ") [missing]\npipeline 'demo' is up (1 step)\n");

	// down: rule, chain and table, since up made them all
	EXPECT_CALL(*h.cp, stopSet(std::string("demo/dns"))).WillOnce(Return(Result<void>()));
	EXPECT_EQ(h.run({"down", "-q", "demo"}), 0) << h.err.str();
	EXPECT_TRUE(h.nft.tables.empty());
	EXPECT_TRUE(h.nft.chains.empty());
	EXPECT_TRUE(h.nft.rules.empty());
}

TEST_F(PipelineCli, NftDownLeavesTheUsersTableChainAndRules)
{
	h.nft.tables = {"inet fw"};
	h.nft.chains = {{"inet fw in", "{ type filter hook input priority 0 ; }"}};
	h.nft.rules = {{"inet fw in", "tcp dport 22 accept", "", 1}};
	tmp.write("src/ex/demo.yaml", std::string(kSpec) + "nft:\n  - table: fw\n    chain: in\n"
							    "    rule: udp dport 53 drop\n");
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
	EXPECT_CALL(*h.cp, createSet(_)).WillOnce(Return(kernelSet()));
	EXPECT_EQ(h.run({"up", "-q", spec}), 0) << h.err.str();
	ASSERT_EQ(h.nft.rules.size(), 2u);
	// A user's rule with the same text, without the tag, is not ours.
	h.nft.rules.push_back({"inet fw in", "udp dport 53 drop", "mine", 99});
	EXPECT_CALL(*h.cp, listSets()).WillRepeatedly(Return(std::vector<SetInfo>{kernelSet()}));
	EXPECT_CALL(*h.cp, stopSet(std::string("demo/dns"))).WillOnce(Return(Result<void>()));
	EXPECT_EQ(h.run({"down", "-q", "demo"}), 0) << h.err.str();
	EXPECT_EQ(h.nft.tables, std::set<std::string>{"inet fw"});
	EXPECT_EQ(h.nft.chains.size(), 1u);
	ASSERT_EQ(h.nft.rules.size(), 2u);
	EXPECT_EQ(h.nft.rules[0].handle, 1);
	EXPECT_EQ(h.nft.rules[1].comment, "mine");
}

TEST_F(PipelineCli, NftChainThatDoesNotExistUndoesEverything)
{
	tmp.write("src/ex/demo.yaml", std::string(kSpec) + "nft:\n  - table: fw\n    chain: in\n"
							    "    rule: udp dport 53 drop\n");
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
	EXPECT_CALL(*h.cp, createSet(_)).WillOnce(Return(kernelSet()));
	EXPECT_CALL(*h.cp, stopSet(std::string("demo/dns"))).WillOnce(Return(Result<void>()));
	EXPECT_EQ(h.run({"up", spec}), 8);
	EXPECT_THAT(h.err.str(), HasSubstr("step 4 of 4 (insert rule nft inet fw in: udp dport 53 drop"));
	EXPECT_THAT(h.err.str(), HasSubstr("Error: No such file or directory; undid 4 applied steps"));
	EXPECT_FALSE(std::filesystem::exists(installed("ex/dns.lua")));
	EXPECT_FALSE(std::filesystem::exists(stateFile()));
}

TEST_F(PipelineCli, NftRuleTheKernelRefusesRemovesTheChainAndTableItMade)
{
	std::string text = std::string(kSpec) + kNftBase + "  - table: lp\n    chain: input\n"
								"    rule: udp dport nope\n";
	tmp.write("src/ex/demo.yaml", text);
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
	EXPECT_CALL(*h.cp, createSet(_)).WillOnce(Return(kernelSet()));
	EXPECT_CALL(*h.cp, stopSet(std::string("demo/dns"))).WillOnce(Return(Result<void>()));
	EXPECT_EQ(h.run({"up", spec}), 8);
	EXPECT_THAT(h.err.str(), HasSubstr("step 6 of 6 (insert rule nft inet lp input: udp dport "
					   "nope"));
	EXPECT_THAT(h.err.str(), HasSubstr("Error: syntax error, unexpected string; undid 6"));
	EXPECT_TRUE(h.nft.tables.empty());
	EXPECT_TRUE(h.nft.chains.empty());
	EXPECT_TRUE(h.nft.rules.empty());
	EXPECT_FALSE(std::filesystem::exists(stateFile()));
}

// Killed after creating the chain and inserting the rule: the next up
// undoes both (the rule by its tag, the chain and table it made) first.
TEST_F(PipelineCli, KilledRunWithNftStepsIsUndoneByTheNextOne)
{
	std::string tag = pipeline::nftRuleTag("demo", "inet", "lp", "input", "counter");
	h.nft.tables = {"inet lp"};
	h.nft.chains = {{"inet lp input", "{}"}};
	h.nft.rules = {{"inet lp input", "counter", tag, 7}};
	nlohmann::json chain{{"family", "inet"}, {"table", "lp"}, {"chain", "input"},
			     {"type", "filter"}, {"hook", "input"}, {"priority", 0},
			     {"own_table", true}};
	nlohmann::json rule{{"backend", "nft"}, {"family", "inet"}, {"table", "lp"},
			    {"chain", "input"}, {"args", {"counter", "comment", tag}}};
	nlohmann::json journal{
		{"script_root", root.string()},
		{"started", 2},
		{"steps",
		 {{{"kind", "create-nft-chain"}, {"target", "input"}, {"nft_chain", chain}},
		  {{"kind", "insert-rule"}, {"target", "input"}, {"rule", rule}}}}};
	std::filesystem::create_directories(h.svc.stateDir);
	std::ofstream(h.svc.stateDir / "demo.journal") << journal.dump();

	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
	EXPECT_CALL(*h.cp, createSet(_)).WillOnce(Return(kernelSet()));
	EXPECT_EQ(h.run({"up", spec}), 0) << h.err.str();
	EXPECT_EQ(h.err.str(), "lunatik-pipeline: undid 2 steps of an interrupted run of pipeline 'demo'\n");
	EXPECT_TRUE(h.nft.tables.empty());
	EXPECT_TRUE(h.nft.rules.empty());
}

TEST_F(PipelineCli, DefaultVerdictAndHookBudgetReachTheKernelAndAChangeReplacesTheSet)
{
	std::string text = kSpec;
	text.replace(text.find("    budget: 5000\n"), 17,
		     "    budget: 5000\n    hook_budget: 20000\n    default_verdict: drop\n");
	tmp.write("src/ex/demo.yaml", text);
	SetInfo dropping = kernelSet();
	dropping.hookBudget = 20000;
	dropping.policy = Policy::kDrop;
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
	EXPECT_CALL(*h.cp, createSet(AllOf(Field(&CreateRequest::hookBudget, 20000u),
					   Field(&CreateRequest::policy, Policy::kDrop))))
		.WillOnce(Return(dropping));
	EXPECT_EQ(h.run({"up", spec}), 0) << h.err.str();
	EXPECT_THAT(h.out.str(), HasSubstr("5000 instructions per call, 20000 per packet, default "
					   "verdict drop) [new]"));

	// the same: nothing; back to accept: the set is replaced
	EXPECT_CALL(*h.cp, listSets()).WillRepeatedly(Return(std::vector<SetInfo>{dropping}));
	h.out.str("");
	EXPECT_EQ(h.run({"up", spec}), 0);
	EXPECT_EQ(h.out.str(), "pipeline 'demo' is up to date\n");
	text.replace(text.find("drop"), 4, "accept");
	tmp.write("src/ex/demo.yaml", text);
	EXPECT_CALL(*h.cp, stopSet(std::string("demo/dns"))).WillOnce(Return(Result<void>()));
	EXPECT_CALL(*h.cp, createSet(AllOf(Field(&CreateRequest::hookBudget, 20000u),
					   Field(&CreateRequest::policy, Policy::kPass))))
		.WillOnce(Return(kernelSet()));
	h.out.str("");
	EXPECT_EQ(h.run({"up", spec}), 0) << h.err.str();
	EXPECT_THAT(h.out.str(), HasSubstr("replace set demo/dns (softirq, 1 MiB, 5000 instructions "
					   "per call, 20000 per packet, default verdict drop -> "
					   "softirq, 1 MiB, 5000 instructions per call, 20000 per "
					   "packet)"));
}

} // namespace
} // namespace lunatik::loader
