#include "report_format.hpp"

#include <gtest/gtest.h>

namespace lunatik::loader {
namespace {

SetInfo softirqSet()
{
	return SetInfo{
		.name = "examples/filter/sni",
		.script = "/r/examples/filter/sni.lua",
		.context = Context::kSoftirq,
		.memLimit = 16 << 20,
		.budget = 1000,
		.generation = 2,
		.ninstances = 2,
		.instances = {{.cpu = 0, .calls = 5, .errors = 1, .budgetHits = 0, .memUsed = 100},
			      {.cpu = 1, .calls = 7, .errors = 0, .budgetHits = 2, .memUsed = 200}},
	};
}

SetInfo processSet()
{
	return SetInfo{.name = "p", .script = "/p.lua", .context = Context::kProcess,
		       .ninstances = 1, .instances = {{.cpu = kNoCpu, .calls = 1}}};
}

TEST(SetTable, HeaderAndAlignedRows)
{
	std::string t = formatSetTable({softirqSet(), processSet()});
	EXPECT_EQ(t,
		  "NAME                 CONTEXT  INSTANCES  GENERATION  CALLS  ERRORS  BUDGET_HITS  MEMORY\n"
		  "examples/filter/sni  softirq  2          2           12     1       2            300\n"
		  "p                    process  1          0           1      0       0            0\n");
}

TEST(SetTable, EmptyHasHeaderOnly)
{
	EXPECT_EQ(formatSetTable({}),
		  "NAME  CONTEXT  INSTANCES  GENERATION  CALLS  ERRORS  BUDGET_HITS  MEMORY\n");
}

TEST(SetJson, Shape)
{
	nlohmann::json j = setsToJson({softirqSet(), processSet()});
	ASSERT_TRUE(j.contains("sets"));
	ASSERT_EQ(j["sets"].size(), 2u);
	const auto &s = j["sets"][0];
	EXPECT_EQ(s["name"], "examples/filter/sni");
	EXPECT_EQ(s["script"], "/r/examples/filter/sni.lua");
	EXPECT_EQ(s["context"], "softirq");
	EXPECT_EQ(s["mem_limit"], 16 << 20);
	EXPECT_EQ(s["budget"], 1000);
	EXPECT_EQ(s["generation"], 2);
	EXPECT_EQ(s["ninstances"], 2);
	EXPECT_EQ(s["totals"], nlohmann::json::parse(
				       R"({"calls":12,"errors":1,"budget_hits":2,"mem_used":300})"));
	ASSERT_EQ(s["instances"].size(), 2u);
	EXPECT_EQ(s["instances"][1], nlohmann::json::parse(
		R"({"cpu":1,"calls":7,"errors":0,"budget_hits":2,"mem_used":200})"));
	EXPECT_TRUE(j["sets"][1]["instances"][0]["cpu"].is_null());
}

TEST(SetJson, EmptyIsEmptyArray)
{
	EXPECT_EQ(setsToJson({}).dump(), R"({"sets":[]})");
}

TEST(Stats, TextAndJson)
{
	ModuleStats s{.allocs = 3, .allocBytes = 4096, .nsets = 1, .nruntimes = 2};
	EXPECT_EQ(formatStats(s), "allocs 3\nalloc_bytes 4096\nsets 1\nruntimes 2\n");
	EXPECT_EQ(statsToJson(s), nlohmann::json::parse(
					  R"({"allocs":3,"alloc_bytes":4096,"sets":1,"runtimes":2})"));
}

} // namespace
} // namespace lunatik::loader
