#include "lunatik/pipeline/spec_reader.hpp"

#include <algorithm>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_env.hpp"

namespace lunatik::pipeline {
namespace {

TEST(SpecReader, ReadsEverySection)
{
	auto r = readSpec(test::slurp(test::kCorpus / "good.yaml"), "good.yaml", "/specs");
	ASSERT_TRUE(r.diagnostics.empty()) << r.diagnostics[0].format();
	const Spec &s = r.spec;
	EXPECT_EQ(s.version, 1);
	EXPECT_EQ(s.name, "good");
	EXPECT_EQ(s.netns, "edge");
	EXPECT_EQ(s.scripts.root, "/lib/modules/lua");
	EXPECT_EQ(s.scripts.files, std::vector<std::string>{"lua/common.lua"});
	ASSERT_EQ(s.sets.size(), 2u);
	EXPECT_EQ(s.sets[0].name, "filter");
	EXPECT_EQ(s.sets[0].memory, 32u << 20);
	EXPECT_EQ(s.sets[0].budget, 500000u);
	EXPECT_EQ(s.sets[0].hookBudget, 20000u);
	EXPECT_EQ(s.sets[0].defaultVerdict, Verdict::kDrop);
	EXPECT_EQ(s.sets[0].context, Context::kSoftirq);
	ASSERT_EQ(s.sets[0].hooks.size(), 1u);
	EXPECT_EQ(s.sets[0].hooks[0].priority, -100);
	EXPECT_EQ(s.sets[0].scriptPos.line, 11);
	EXPECT_EQ(s.sets[0].scriptPos.column, 13);
	EXPECT_EQ(s.sets[1].context, Context::kProcess);
	EXPECT_EQ(s.sets[1].memory, RuntimeSet::kDefaultMemory);
	EXPECT_EQ(s.sets[1].budget, RuntimeSet::kDefaultBudget);
	EXPECT_EQ(s.sets[1].hookBudget, RuntimeSet::kDefaultHookBudget);
	EXPECT_EQ(s.sets[1].defaultVerdict, Verdict::kAccept);
	ASSERT_EQ(s.xdp.size(), 2u);
	EXPECT_EQ(s.xdp[0].classifier, "tls");
	EXPECT_EQ(s.xdp[0].mode, XdpMode::kNative);
	EXPECT_EQ(s.xdp[0].ports, (std::vector<std::uint16_t>{443, 8443}));
	EXPECT_EQ(s.xdp[1].object, "prog.bpf.o");
	EXPECT_EQ(s.xdp[1].mode, XdpMode::kSkb);
	ASSERT_EQ(s.xtables.size(), 2u);
	EXPECT_EQ(s.xtables[0].backend, XtBackend::kIptablesLegacy);
	EXPECT_EQ(s.xtables[0].family, IpFamily::kIpv6);
	EXPECT_EQ(s.xtables[0].args, (std::vector<std::string>{"--list", "blocked"}));
	EXPECT_EQ(s.xtables[1].backend, XtBackend::kIptablesNft);
	EXPECT_EQ(s.xtables[1].target, "DNSDOCTOR");
	ASSERT_EQ(s.nft.size(), 2u);
	EXPECT_EQ(s.nft[0].family, "inet");
	EXPECT_EQ(s.nft[0].hook, "");
	EXPECT_EQ(s.nft[1].family, "ip");
	EXPECT_EQ(s.nft[1].type, "nat");
	EXPECT_EQ(s.nft[1].hook, "prerouting");
	EXPECT_EQ(s.nft[1].priority, -100);
	EXPECT_EQ(s.resolve("lua/ok.lua"), "/specs/lua/ok.lua");
}

TEST(SpecReader, DuplicateKeysAreReported)
{
	auto r = readSpec("version: 1\nname: a\nname: b\nsets: []\n", "d.yaml", "/");
	ASSERT_EQ(r.diagnostics.size(), 1u);
	EXPECT_EQ(r.diagnostics[0].format(), "d.yaml:3:1: duplicate key 'name' in the spec (first at line 2)");
}

TEST(SpecReader, HostileInputsGiveDiagnosticsNotCrashes)
{
	for (const char *text :
	     {"[1, 2", "{", "- - - -", "version: 1\nname: x\nsets: {}\n", "? [a]\n: b\n",
	      "version: 99999999999999999999\n", "sets:\n  - name: a\n    script: \"\"\n",
	      "&a [*a]", "version: 1\nname: x\nsets:\n  - name: a\n    script: s\n    memory: 18446744073709551615G\n",
	      "\t", "version: !!binary aGVsbG8=\n"}) {
		auto r = readSpec(text, "h.yaml", "/");
		EXPECT_FALSE(r.diagnostics.empty()) << text;
	}
}

TEST(SpecReader, ParseSize)
{
	EXPECT_EQ(parseSize("4096"), 4096u);
	EXPECT_EQ(parseSize("64K"), 64u << 10);
	EXPECT_EQ(parseSize("16MiB"), 16u << 20);
	EXPECT_EQ(parseSize("1G"), 1u << 30);
	EXPECT_EQ(parseSize("1GB"), 1u << 30);
	for (const char *bad : {"", "-1", "12X", "1MM", " 1", "99999999999999999999G", "K"})
		EXPECT_EQ(parseSize(bad), std::nullopt) << bad;
}

} // namespace
} // namespace lunatik::pipeline

namespace lunatik::pipeline {
namespace {

// pipeline/spec.schema.json describes the same keys the reader accepts.
TEST(SpecSchema, MatchesTheReader)
{
	auto schema = nlohmann::json::parse(test::slurp(LUNATIK_SCHEMA_FILE));
	for (const auto &[section, keys] : specKeys()) {
		const auto &node = section == "spec" ? schema : schema["$defs"][section];
		ASSERT_TRUE(node.contains("properties")) << section;
		std::vector<std::string> props;
		for (const auto &[k, v] : node["properties"].items())
			props.push_back(k);
		std::vector<std::string> sorted = keys;
		std::sort(sorted.begin(), sorted.end());
		std::sort(props.begin(), props.end());
		EXPECT_EQ(props, sorted) << section;
		EXPECT_EQ(node["additionalProperties"], false) << section;
	}
}

} // namespace
} // namespace lunatik::pipeline
