// XDP stages in the planner, the state and the steps: attached after the
// sets, replaced attach-first, re-attached when detached by hand, detached
// before the sets they call are stopped, round-tripped through JSON.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lunatik/pipeline/plan.hpp"

namespace lunatik::pipeline {
namespace {

using testing::ElementsAre;

XdpRecord stage(std::string iface = "eth0", std::vector<std::uint16_t> ports = {443})
{
	return XdpRecord{.interface = std::move(iface), .object = "/bpf/tls_classifier.bpf.o",
			 .mode = "skb", .set = "sni", .ports = std::move(ports), .hash = "o1"};
}

Desired desired(std::vector<XdpRecord> xdp = {stage()})
{
	return Desired{.name = "f",
		       .files = {{"ex/sni.lua", "/src/ex/sni.lua", "s1"}},
		       .sets = {SetRecord{.name = "sni", .script = "ex/sni.lua", .hash = "s1"}},
		       .xdp = std::move(xdp)};
}

// The system once `plan` is applied, the attaches giving prog ids 40, 41...
Observed applied(const Desired &d, Plan plan)
{
	Observed o{.moduleLoaded = true, .scriptRoot = "/root"};
	for (const auto &s : d.sets)
		o.sets.push_back(KernelSet{.name = s.name, .script = "/root/" + s.script,
					   .context = s.context, .memory = s.memory, .budget = s.budget,
					   .hookBudget = s.hookBudget, .defaultVerdict = s.defaultVerdict});
	for (const auto &f : d.files)
		o.rootHashes[f.path] = f.hash;
	std::uint32_t id = 40;
	for (auto &x : plan.after.xdp) {
		if (x.progId == 0) {
			x.ifindex = 2;
			x.progId = id++;
		}
		o.xdpAttached.push_back(x.progId);
	}
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

TEST(XdpPlan, AttachedLastOnAFreshSystem)
{
	Plan p = planUp(desired(), Observed{.scriptRoot = "/root"});
	ASSERT_EQ(p.steps.size(), 4u);
	EXPECT_EQ(p.steps[3].kind, StepKind::kAttachXdp);
	EXPECT_EQ(p.steps[3].describe(),
		  "attach xdp tls_classifier.bpf.o on eth0 (skb, set sni, port 443) [new]");
	ASSERT_EQ(p.after.xdp.size(), 1u);
	EXPECT_EQ(p.after.xdp[0].progId, 0u);	// known once attached
}

TEST(XdpPlan, UpTwiceIsNothing)
{
	Desired d = desired();
	Observed o = applied(d, planUp(d, Observed{.scriptRoot = "/root"}));
	Plan again = planUp(d, o);
	EXPECT_THAT(described(again), testing::IsEmpty());
	ASSERT_EQ(again.after.xdp.size(), 1u);
	EXPECT_EQ(again.after.xdp[0].progId, 40u);	// the recorded program stays
}

TEST(XdpPlan, ChangedStageIsAttachedBeforeTheOldLeaves)
{
	Desired d = desired();
	Observed o = applied(d, planUp(d, Observed{.scriptRoot = "/root"}));
	Plan p = planUp(desired({stage("eth0", {443, 8443})}), o);
	EXPECT_THAT(described(p),
		    ElementsAre("attach xdp tls_classifier.bpf.o on eth0 (skb, set sni, ports "
				"443,8443) [changed]",
				"detach xdp tls_classifier.bpf.o on eth0 (skb, set sni, port 443) "
				"(prog id 40) [replaced]"));
	EXPECT_EQ(p.steps[1].xdp->progId, 40u);
	EXPECT_EQ(p.after.xdp[0].progId, 0u);

	// a new object file (same path) is a change too
	Desired rebuilt = desired();
	rebuilt.xdp[0].hash = "o2";
	EXPECT_EQ(planUp(rebuilt, o).steps.size(), 2u);
}

TEST(XdpPlan, DetachedByHandIsAttachedAgain)
{
	Desired d = desired();
	Observed o = applied(d, planUp(d, Observed{.scriptRoot = "/root"}));
	o.xdpAttached.clear();
	Plan p = planUp(d, o);
	EXPECT_THAT(described(p), ElementsAre(testing::EndsWith("[detached by hand]")));
}

TEST(XdpPlan, RemovedStageIsDetachedBeforeItsSetStops)
{
	Desired d = desired();
	Observed o = applied(d, planUp(d, Observed{.scriptRoot = "/root"}));
	Plan p = planUp(Desired{.name = "f"}, o);
	ASSERT_GE(p.steps.size(), 2u);
	EXPECT_EQ(p.steps[0].kind, StepKind::kDetachXdp);
	EXPECT_EQ(p.steps[0].reason, "no longer in the spec");
	EXPECT_EQ(p.steps[1].kind, StepKind::kStopSet);
	EXPECT_TRUE(p.after.xdp.empty());
}

TEST(XdpPlan, DownDetachesOnlyItsAttachedPrograms)
{
	Desired d = desired({stage("eth0"), stage("eth1")});
	Observed o = applied(d, planUp(d, Observed{.scriptRoot = "/root"}));
	// eth1's program is gone already (detached by hand): nothing to do there
	o.xdpAttached = {40, 99};
	Plan p = planDown(o);
	EXPECT_THAT(described(p), ElementsAre(testing::StartsWith("detach xdp tls_classifier.bpf.o on "
								  "eth0 (skb, set sni, port 443) (prog id 40)"),
					      "stop set sni", "remove ex/sni.lua"));
}

TEST(XdpPlan, DesiredFromSpec)
{
	Spec spec;
	spec.name = "f";
	spec.dir = "/specs/ex";
	spec.sets.push_back(RuntimeSet{.name = "sni", .script = "sni.lua"});
	spec.xdp.push_back(XdpStage{.interface = "eth0", .classifier = "tls", .set = "sni",
				    .ports = {443}});
	spec.xdp.push_back(XdpStage{.interface = "eth1", .object = "my.bpf.o", .program = "main",
				    .mode = XdpMode::kNative, .set = "sni"});
	auto hash = [](const std::filesystem::path &p) { return "#" + p.string(); };
	Desired d = desiredFrom(spec, hash, [](const std::string &c) {
		return std::filesystem::path("/bpf") / (c + "_classifier.bpf.o");
	});
	ASSERT_EQ(d.xdp.size(), 2u);
	EXPECT_EQ(d.xdp[0].object, "/bpf/tls_classifier.bpf.o");
	EXPECT_EQ(d.xdp[0].hash, "#/bpf/tls_classifier.bpf.o");
	EXPECT_EQ(d.xdp[0].ports, std::vector<std::uint16_t>{443});
	EXPECT_EQ(d.xdp[1].object, "/specs/ex/my.bpf.o");
	EXPECT_EQ(d.xdp[1].program, "main");
	EXPECT_EQ(d.xdp[1].mode, "native");
	// without a resolver a built-in has no object (its attach fails)
	EXPECT_EQ(desiredFrom(spec, hash).xdp[0].object, "");
}

TEST(XdpState, RoundTrip)
{
	XdpRecord x = stage();
	x.program = "tls_classifier";
	x.ifindex = 7;
	x.progId = 1234;
	PipelineState st{.name = "f", .xdp = {x, stage("eth1", {})}};
	PipelineState back = stateFromJson(nlohmann::json::parse(toJson(st).dump()));
	EXPECT_EQ(back.xdp, st.xdp);
	// a state written before XDP stages existed has none
	auto old = toJson(PipelineState{.name = "f"});
	old.erase("xdp");
	EXPECT_TRUE(stateFromJson(old).xdp.empty());
}

TEST(XdpState, MalformedRecordsThrow)
{
	auto good = toJson(stage());
	for (const char *key : {"interface", "prog_id", "ports", "mode"}) {
		auto bad = good;
		bad.erase(key);
		EXPECT_THROW(xdpRecordFromJson(bad), std::runtime_error) << key;
	}
	auto badMode = good;
	badMode["mode"] = "hw";
	EXPECT_THROW(xdpRecordFromJson(badMode), std::runtime_error);
	auto badPort = good;
	badPort["ports"] = {70000};
	EXPECT_THROW(xdpRecordFromJson(badPort), std::runtime_error);
}

TEST(XdpStep, RoundTripAndJournalChecks)
{
	XdpRecord x = stage();
	x.ifindex = 2;
	x.progId = 40;
	Step attach{.kind = StepKind::kAttachXdp, .target = "eth0", .reason = "new", .xdp = stage()};
	Step detach{.kind = StepKind::kDetachXdp, .target = "eth0", .reason = "replaced", .xdp = x};
	EXPECT_EQ(stepFromJson(toJson(attach)), attach);
	EXPECT_EQ(stepFromJson(toJson(detach)), detach);
	EXPECT_EQ(toJson(attach)["kind"], "attach-xdp");
	EXPECT_EQ(toJson(detach)["kind"], "detach-xdp");
	auto j = toJson(detach);
	j.erase("xdp");
	EXPECT_THROW(stepFromJson(j), std::runtime_error);
}

} // namespace
} // namespace lunatik::pipeline
