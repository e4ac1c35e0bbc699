// The corpus of broken specs (tests/pipeline/corpus/*.yaml): each is
// checked and must give exactly the lines of its .expected file, in order,
// so every message and position is pinned. CORPUS in an expected line
// stands for the corpus directory.
#include "lunatik/pipeline/validate.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_env.hpp"

namespace lunatik::pipeline {
namespace {

using test::kCorpus;
using test::slurp;
using test::TestEnv;

std::vector<std::string> lines(const std::string &text)
{
	std::vector<std::string> out;
	std::istringstream in(text);
	for (std::string l; std::getline(in, l);)
		out.push_back(l);
	return out;
}

std::vector<std::string> check(const std::string &name, const Environment &env)
{
	auto r = checkSpec(slurp(kCorpus / name), name, kCorpus, env);
	std::vector<std::string> out;
	for (const auto &d : r.diagnostics) {
		std::string line = d.format();
		for (std::size_t at; (at = line.find(kCorpus.string())) != std::string::npos;)
			line.replace(at, kCorpus.string().size(), "CORPUS");
		out.push_back(line);
	}
	return out;
}

class Corpus : public testing::TestWithParam<std::string> {};

TEST_P(Corpus, ExactMessagesAndPositions)
{
	TestEnv env;
	std::string name = GetParam();
	auto expected = lines(slurp(kCorpus / (name + ".expected")));
	ASSERT_FALSE(expected.empty());
	EXPECT_EQ(check(name + ".yaml", env), expected);
}

INSTANTIATE_TEST_SUITE_P(Broken, Corpus,
			 testing::Values("unknown_keys", "wrong_types", "references", "version",
					 "syntax", "empty", "missing", "nft", "nft_name"));

TEST(Validate, GoodSpecHasNoDiagnostics)
{
	TestEnv env;
	EXPECT_THAT(check("good.yaml", env), testing::IsEmpty());
}

TEST(Validate, InterfacesUncheckedWhenTheyCannotBeListed)
{
	TestEnv env;
	env.ifaces = std::nullopt;
	for (const auto &line : check("references.yaml", env))
		EXPECT_THAT(line, testing::Not(testing::HasSubstr("interface")));
}

TEST(Validate, UnknownInterfaceNamesTheNamespace)
{
	TestEnv env;
	env.ifaces = std::vector<std::string>{"lo"};
	auto out = check("good.yaml", env);
	ASSERT_EQ(out.size(), 1u);
	EXPECT_EQ(out[0], "good.yaml:25:16: unknown interface 'eth0' in namespace edge");
}

TEST(Validate, HooksOfEachFamily)
{
	EXPECT_THAT(hooksOf("inet"), testing::Contains("local_out"));
	EXPECT_THAT(hooksOf("bridge"), testing::Contains("brouting"));
	EXPECT_THAT(hooksOf("netdev"), testing::ElementsAre("ingress", "egress"));
	EXPECT_TRUE(hooksOf("ipx").empty());
}

// The shipped examples are valid once the scripts they name exist; here
// they are checked against an environment where every file exists, so a
// broken key or reference in them fails this test.
struct EveryFileExists : TestEnv {
	bool isFile(const std::filesystem::path &) const override { return true; }
};

class Example : public testing::TestWithParam<std::string> {};

TEST_P(Example, IsValid)
{
	EveryFileExists env;
	env.ifaces = std::nullopt;
	std::filesystem::path file = std::filesystem::path(LUNATIK_EXAMPLES_DIR) / GetParam();
	auto r = checkSpec(slurp(file), GetParam(), file.parent_path(), env);
	std::vector<std::string> out;
	for (const auto &d : r.diagnostics)
		out.push_back(d.format());
	EXPECT_THAT(out, testing::IsEmpty());
	EXPECT_FALSE(r.spec.sets.empty());
}

INSTANTIATE_TEST_SUITE_P(Shipped, Example,
			 testing::Values("filter/filter.yaml", "dnsblock/dnsblock.yaml",
					 "dnsdoctor/dnsdoctor.yaml"));

} // namespace
} // namespace lunatik::pipeline

namespace lunatik::pipeline {
namespace {

// Mutated corpus specs (flipped, inserted and dropped bytes, truncation):
// checking never throws or crashes, and a spec that passes has a name and
// the supported version. Deterministic (fixed seed), a few thousand runs.
TEST(Validate, MutatedSpecsNeverEscape)
{
	TestEnv env;
	std::uint32_t seed = 12345;
	auto next = [&seed] {
		seed = seed * 1103515245u + 12345u;
		return seed >> 8;
	};
	const std::string alphabet = ":-[]{}#&*!|>'\"\n\t ,?%@`0123456789abcxyz";
	for (const char *name : {"good.yaml", "references.yaml", "wrong_types.yaml"}) {
		std::string base = slurp(kCorpus / name);
		for (int i = 0; i < 1500; i++) {
			std::string text = base;
			int edits = 1 + next() % 4;
			for (int e = 0; e < edits && !text.empty(); e++) {
				std::size_t at = next() % text.size();
				switch (next() % 4) {
				case 0: text[at] = alphabet[next() % alphabet.size()]; break;
				case 1: text.insert(at, 1, alphabet[next() % alphabet.size()]); break;
				case 2: text.erase(at, 1 + next() % 8); break;
				default: text.resize(at); break;
				}
			}
			ReadResult r;
			ASSERT_NO_THROW(r = checkSpec(text, name, kCorpus, env)) << text;
			if (r.diagnostics.empty()) {
				EXPECT_FALSE(r.spec.name.empty()) << text;
				EXPECT_EQ(r.spec.version, kSpecVersion) << text;
			}
			for (const auto &d : r.diagnostics)
				EXPECT_FALSE(d.message.empty());
		}
	}
}

} // namespace
} // namespace lunatik::pipeline
