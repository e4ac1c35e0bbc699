#include "lunatik/pipeline/diagnostic.hpp"

#include <gtest/gtest.h>

namespace lunatik::pipeline {
namespace {

TEST(Diagnostic, FormatWithAndWithoutPosition)
{
	EXPECT_EQ((Diagnostic{"a.yaml", {3, 7}, "boom"}).format(), "a.yaml:3:7: boom");
	EXPECT_EQ((Diagnostic{"a.yaml", {}, "boom"}).format(), "a.yaml: boom");
}

TEST(Diagnostic, SortsByLineThenColumnStably)
{
	Diagnostics d{{"f", {2, 1}, "c"}, {"f", {1, 5}, "b"}, {"f", {1, 5}, "b2"}, {"f", {1, 1}, "a"}};
	sortByPosition(d);
	EXPECT_EQ(d[0].message, "a");
	EXPECT_EQ(d[1].message, "b");
	EXPECT_EQ(d[2].message, "b2");
	EXPECT_EQ(d[3].message, "c");
}

TEST(Diagnostic, ClosestMatch)
{
	std::vector<std::string> keys{"name", "script", "context", "memory", "budget"};
	EXPECT_EQ(closestMatch("scirpt", keys), "script");
	EXPECT_EQ(closestMatch("Budget", keys), "budget");
	EXPECT_EQ(closestMatch("contxt", keys), "context");
	EXPECT_EQ(closestMatch("colour", keys), "");
	EXPECT_EQ(closestMatch("x", {"xdp"}), "");
	EXPECT_EQ(closestMatch("b", {"a"}), "");
	EXPECT_EQ(closestMatch("xpd", {"xdp", "nft"}), "xdp");
	EXPECT_EQ(closestMatch("", keys), "");
}

} // namespace
} // namespace lunatik::pipeline
