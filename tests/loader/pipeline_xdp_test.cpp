// XDP stages through the CLI (up/plan/status/down) with the fake XDP
// backend: attached after the sets with the prog id recorded, replaced
// attach-first, drift reported, only the pipeline's programs detached,
// every failure undone, a killed run's attach undone from its journal.
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fakes.hpp"
#include "state_store.hpp"
#include "temp_dir.hpp"
#include "xdp_objects.hpp"

namespace lunatik::loader {
namespace {

using test::CliHarness;
using test::TempDir;
using testing::_;
using testing::HasSubstr;
using testing::Return;

const char *kSpec = R"(version: 1
name: demo
scripts:
  base: ..
sets:
  - name: demo/dns
    script: dns.lua
    memory: 1M
    budget: 5000
xdp:
  - interface: eth0
    object: prog.bpf.o
    set: demo/dns
    ports: [443]
)";

const char *kSecondStage = R"(  - interface: eth1
    object: prog.bpf.o
    mode: native
    set: demo/dns
)";

class PipelineXdp : public testing::Test {
protected:
	void SetUp() override
	{
		spec = tmp.write("src/ex/demo.yaml", kSpec).string();
		tmp.write("src/ex/dns.lua", "return 1");
		tmp.write("src/ex/prog.bpf.o", "not really ELF: the fake backend never opens it");
		root = tmp.path() / "root";
		std::filesystem::create_directories(root);
		h.module->root = root.string();
		h.interfaces = std::vector<std::string>{"lo", "eth0", "eth1"};
	}

	SetInfo kernelSet() const
	{
		HookInfo xdp{.type = "xdp", .desc = "demo/dns", .packets = 5,
			     .verdicts = {{"DROP", 2}, {"PASS", 3}}};
		return SetInfo{.name = "demo/dns",
			       .script = (root / "ex/dns.lua").string(),
			       .context = Context::kSoftirq,
			       .memLimit = 1 << 20,
			       .budget = 5000,
			       .generation = 1,
			       .ninstances = 1,
			       .instances = {{.cpu = 0, .calls = 7}},
			       .hookBudget = 50000,
			       .hooks = {xdp}};
	}

	void upFresh()
	{
		EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
		EXPECT_CALL(*h.cp, createSet(_)).WillOnce(Return(kernelSet()));
		ASSERT_EQ(h.run({"up", spec}), 0) << h.err.str();
		h.out.str("");
		h.err.str("");
	}

	nlohmann::json state() const
	{
		return nlohmann::json::parse(TempDir::read(h.svc.stateDir / "demo.json"));
	}
	bool noState() const { return !std::filesystem::exists(h.svc.stateDir / "demo.json"); }

	TempDir tmp;
	std::string spec;
	std::filesystem::path root;
	CliHarness h;
};

TEST_F(PipelineXdp, UpAttachesAfterTheSetAndRecordsTheProgId)
{
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
	EXPECT_CALL(*h.cp, createSet(_)).WillOnce(Return(kernelSet()));
	ASSERT_EQ(h.run({"up", spec}), 0) << h.err.str();
	EXPECT_EQ(h.out.str(), "  install ex/dns.lua [new]\n"
			       "  create set demo/dns from ex/dns.lua (softirq, 1 MiB, 5000 "
			       "instructions per call) [new]\n"
			       "  attach xdp prog.bpf.o on eth0 (skb, set demo/dns, port 443) [new]\n"
			       "pipeline 'demo' is up (3 steps)\n");
	EXPECT_EQ(h.xdp->progs[2], std::vector<std::uint32_t>{100});
	auto st = state();
	ASSERT_EQ(st["xdp"].size(), 1u);
	EXPECT_EQ(st["xdp"][0]["prog_id"], 100);
	EXPECT_EQ(st["xdp"][0]["ifindex"], 2);
	EXPECT_EQ(st["xdp"][0]["object"], (tmp.path() / "src/ex/prog.bpf.o").string());
	EXPECT_FALSE(std::filesystem::exists(h.svc.stateDir / "demo.backup"));

	// up again: nothing, the same program stays
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{kernelSet()}));
	h.out.str("");
	EXPECT_EQ(h.run({"up", spec}), 0) << h.err.str();
	EXPECT_EQ(h.out.str(), "pipeline 'demo' is up to date\n");
	EXPECT_EQ(h.xdp->progs[2], std::vector<std::uint32_t>{100});
	EXPECT_EQ(h.xdp->log, (std::vector<std::string>{"attach eth0"}));
}

TEST_F(PipelineXdp, PlanListsTheAttach)
{
	h.module->isLoaded = false;
	EXPECT_EQ(h.run({"plan", spec}), 0) << h.err.str();
	EXPECT_THAT(h.out.str(),
		    HasSubstr("  4. attach xdp prog.bpf.o on eth0 (skb, set demo/dns, port 443) [new]\n"));
	EXPECT_TRUE(h.xdp->log.empty());
}

TEST_F(PipelineXdp, StatusShowsCountersAndDrift)
{
	upFresh();
	EXPECT_CALL(*h.cp, listSets()).WillRepeatedly(Return(std::vector<SetInfo>{kernelSet()}));
	EXPECT_EQ(h.run({"status", "demo"}), 0) << h.err.str();
	EXPECT_THAT(h.out.str(), HasSubstr("  xdp prog.bpf.o on eth0 (skb, set demo/dns, port 443) "
					   "prog id 100: attached\n"
					   "    classifier: seen 110 matched 3\n"
					   "    set demo/dns: packets 5 errors 0 budget 0 busy 0 DROP 2 PASS 3\n"));
	h.out.str("");
	EXPECT_EQ(h.run({"status", "demo", "--json"}), 0);
	auto doc = nlohmann::json::parse(h.out.str());
	auto x = doc["pipelines"][0]["xdp"][0];
	EXPECT_EQ(x["state"], "attached");
	EXPECT_EQ(x["counters"]["seen"], 110);
	EXPECT_EQ(x["set_counters"]["packets"], 5);
	EXPECT_EQ(x["set_counters"]["verdicts"]["DROP"], 2);

	// detached by hand: drift, not a crash; down still works
	h.xdp->progs[2].clear();
	h.out.str("");
	EXPECT_EQ(h.run({"status", "demo", "--json"}), 0);
	doc = nlohmann::json::parse(h.out.str());
	EXPECT_EQ(doc["pipelines"][0]["xdp"][0]["state"], "missing");
	EXPECT_THAT(doc["pipelines"][0]["drift"][0].get<std::string>(),
		    HasSubstr("xdp program prog.bpf.o on eth0 (skb, set demo/dns, port 443) (prog id "
			      "100) is not attached"));
	h.out.str("");
	EXPECT_EQ(h.run({"plan", spec}), 0);
	EXPECT_THAT(h.out.str(), HasSubstr("attach xdp prog.bpf.o on eth0 (skb, set demo/dns, port "
					   "443) [detached by hand]"));
	EXPECT_CALL(*h.cp, stopSet(std::string("demo/dns"))).WillOnce(Return(Result<void>()));
	h.out.str("");
	EXPECT_EQ(h.run({"down", "demo"}), 0) << h.err.str();
	EXPECT_EQ(h.out.str(), "  stop set demo/dns\n  remove ex/dns.lua\npipeline 'demo' is down\n");
	EXPECT_TRUE(noState());
}

TEST_F(PipelineXdp, ChangedStageIsReplacedAttachFirst)
{
	upFresh();
	std::string changed = kSpec;
	changed.replace(changed.find("[443]"), 5, "[443, 8443]");
	tmp.write("src/ex/demo.yaml", changed);
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{kernelSet()}));
	EXPECT_EQ(h.run({"up", spec}), 0) << h.err.str();
	EXPECT_EQ(h.out.str(), "  attach xdp prog.bpf.o on eth0 (skb, set demo/dns, ports 443,8443) "
			       "[changed]\n"
			       "  detach xdp prog.bpf.o on eth0 (skb, set demo/dns, port 443) (prog "
			       "id 100) [replaced]\n"
			       "pipeline 'demo' is up (2 steps)\n");
	EXPECT_EQ(h.xdp->log, (std::vector<std::string>{"attach eth0", "attach eth0", "detach 100"}));
	EXPECT_EQ(h.xdp->progs[2], std::vector<std::uint32_t>{101});
	EXPECT_EQ(state()["xdp"][0]["prog_id"], 101);
	EXPECT_EQ(state()["xdp"][0]["ports"], nlohmann::json::array({443, 8443}));
}

TEST_F(PipelineXdp, DownDetachesOnlyItsOwnProgram)
{
	h.xdp->progs[2] = {7};	// someone else's, attached before
	upFresh();
	h.xdp->progs[2].push_back(9);	// and one after
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{kernelSet()}));
	EXPECT_CALL(*h.cp, stopSet(std::string("demo/dns"))).WillOnce(Return(Result<void>()));
	EXPECT_EQ(h.run({"down", "demo"}), 0) << h.err.str();
	EXPECT_THAT(h.out.str(), HasSubstr("  detach xdp prog.bpf.o on eth0 (skb, set demo/dns, port "
					   "443) (prog id 100)\n  stop set demo/dns\n"));
	EXPECT_EQ(h.xdp->progs[2], (std::vector<std::uint32_t>{7, 9}));
	EXPECT_TRUE(noState());
}

// A failure at each step of a first up (module load, set creation, the
// attach) leaves no module, file, set, program or state behind.
TEST_F(PipelineXdp, FailureAtEachStepUndoesEverything)
{
	for (int failAt : {0, 1, 2}) {
		SCOPED_TRACE(failAt);
		CliHarness x;
		x.module->isLoaded = false;
		x.module->root = root.string();
		x.interfaces = h.interfaces;
		std::string text = kSpec;
		text.replace(text.find("  base: .."), 10, "  base: ..\n  root: " + root.string());
		tmp.write("src/ex/demo.yaml", text);
		int want = 0;
		if (failAt == 0) {
			x.module->next = Error{ExitCode::kSystem, "modprobe: FATAL: Module lunatik not found"};
			want = 9;
		} else if (failAt == 1) {
			EXPECT_CALL(*x.cp, createSet(_))
				.WillOnce(Return(Error{ExitCode::kLuaError, "ex/dns.lua:1: boom"}));
			EXPECT_CALL(*x.cp, stopSet(_)).WillOnce(Return(Result<void>()));
			want = 1;
		} else {
			EXPECT_CALL(*x.cp, createSet(_)).WillOnce(Return(kernelSet()));
			EXPECT_CALL(*x.cp, stopSet(std::string("demo/dns"))).WillOnce(Return(Result<void>()));
			x.xdp->refuse = {"eth0"};
			want = 8;
		}
		EXPECT_EQ(x.run({"up", spec}), want) << x.err.str();
		EXPECT_THAT(x.err.str(), HasSubstr("undid"));
		if (failAt == 2)
			EXPECT_THAT(x.err.str(),
				    HasSubstr("step 4 of 4 (attach xdp prog.bpf.o on eth0 (skb, set demo/dns, "
					      "port 443) [new]) failed: attaching to eth0 in native mode: "
					      "Operation not supported; undid 4 applied steps"));
		EXPECT_TRUE(x.xdp->progs[2].empty());
		EXPECT_FALSE(std::filesystem::exists(root / "ex/dns.lua"));
		EXPECT_FALSE(x.module->isLoaded);
		EXPECT_FALSE(std::filesystem::exists(x.svc.stateDir / "demo.json"));
		EXPECT_FALSE(std::filesystem::exists(x.svc.stateDir / "demo.journal"));
	}
}

// Two stages, the second refused: the first program is detached again.
TEST_F(PipelineXdp, SecondAttachFailingDetachesTheFirst)
{
	tmp.write("src/ex/demo.yaml", std::string(kSpec) + kSecondStage);
	h.xdp->refuse = {"eth1"};
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{}));
	EXPECT_CALL(*h.cp, createSet(_)).WillOnce(Return(kernelSet()));
	EXPECT_CALL(*h.cp, stopSet(std::string("demo/dns"))).WillOnce(Return(Result<void>()));
	EXPECT_EQ(h.run({"up", spec}), 8);
	EXPECT_THAT(h.err.str(), HasSubstr("step 4 of 4 (attach xdp prog.bpf.o on eth1 (native"));
	EXPECT_EQ(h.xdp->log, (std::vector<std::string>{"attach eth0", "attach eth1", "detach 100"}));
	EXPECT_TRUE(h.xdp->progs[2].empty());
	EXPECT_TRUE(noState());
}

// down: the program is detached, then stopping the set fails. The undo
// attaches the program again; the kept state names its new prog id.
TEST_F(PipelineXdp, FailedDownReattachesAndRecordsTheNewId)
{
	upFresh();
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{kernelSet()}));
	EXPECT_CALL(*h.cp, stopSet(std::string("demo/dns")))
		.WillOnce(Return(Error{ExitCode::kKernelRejected, "stop refused"}));
	EXPECT_CALL(*h.cp, createSet(_)).WillOnce(Return(Error{ExitCode::kExists, "exists"}));
	EXPECT_EQ(h.run({"down", "demo"}), 8);
	EXPECT_THAT(h.err.str(), HasSubstr("stop refused; undid 2 applied steps"));
	EXPECT_EQ(h.xdp->progs[2], std::vector<std::uint32_t>{101});
	EXPECT_EQ(state()["xdp"][0]["prog_id"], 101);
	// and the next up finds it attached: nothing to do
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{kernelSet()}));
	h.out.str("");
	EXPECT_EQ(h.run({"up", spec}), 0) << h.err.str();
	EXPECT_EQ(h.out.str(), "pipeline 'demo' is up to date\n");
}

// A run killed right after its attach: the journal has the step, the
// prog id is in the run's backup directory; the next command detaches it.
TEST_F(PipelineXdp, KilledRunsAttachIsUndoneFromTheJournal)
{
	StateStore store(h.svc.stateDir);
	auto j = store.journal("demo", root.string());
	pipeline::XdpRecord x{.interface = "eth0", .object = "/o", .mode = "skb", .set = "demo/dns"};
	ASSERT_FALSE(j->begin({pipeline::Step{.kind = pipeline::StepKind::kAttachXdp,
					      .target = "eth0", .xdp = x}}));
	ASSERT_FALSE(j->started(1));
	h.xdp->progs[2] = {7, 55};
	std::filesystem::create_directories(store.backupDir("demo") / ".xdp");
	std::ofstream(store.backupDir("demo") / ".xdp/eth0.json") << R"({"ifindex": 2, "prog_id": 55})";
	EXPECT_EQ(h.run({"down", "demo"}), 0) << h.err.str();
	EXPECT_EQ(h.err.str(), "lunatik-pipeline: undid 1 step of an interrupted run of pipeline 'demo'\n");
	EXPECT_EQ(h.xdp->progs[2], std::vector<std::uint32_t>{7});
	EXPECT_FALSE(std::filesystem::exists(h.svc.stateDir / "demo.journal"));
}

// The built-in objects: $LUNATIK_PIPELINE_BPF_DIR first; a classifier
// found nowhere still gets a path, so the attach error names it.
TEST(BuiltinXdpObject, EnvironmentDirectoryFirst)
{
	TempDir dir;
	auto obj = dir.write("bpf/tls_classifier.bpf.o", "x");
	setenv("LUNATIK_PIPELINE_BPF_DIR", (dir.path() / "bpf").c_str(), 1);
	EXPECT_EQ(builtinXdpObject("tls"), obj);
	auto missing = builtinXdpObject("nope");
	EXPECT_EQ(missing, dir.path() / "bpf/nope_classifier.bpf.o");
	unsetenv("LUNATIK_PIPELINE_BPF_DIR");
	EXPECT_EQ(builtinXdpObject("nope").filename(), "nope_classifier.bpf.o");
}

} // namespace
} // namespace lunatik::loader
