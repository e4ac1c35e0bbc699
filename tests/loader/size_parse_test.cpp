#include "size_parse.hpp"

#include <gtest/gtest.h>

namespace lunatik::loader {
namespace {

TEST(SizeParse, PlainBytes)
{
	EXPECT_EQ(parseSize("0"), 0u);
	EXPECT_EQ(parseSize("4096"), 4096u);
	EXPECT_EQ(parseSize("18446744073709551615"), UINT64_MAX);
}

TEST(SizeParse, Suffixes)
{
	EXPECT_EQ(parseSize("512K"), 512u << 10);
	EXPECT_EQ(parseSize("512k"), 512u << 10);
	EXPECT_EQ(parseSize("16M"), 16u << 20);
	EXPECT_EQ(parseSize("16MB"), 16u << 20);
	EXPECT_EQ(parseSize("16MiB"), 16u << 20);
	EXPECT_EQ(parseSize("2G"), 2ull << 30);
	EXPECT_EQ(parseSize("2g"), 2ull << 30);
}

TEST(SizeParse, Rejects)
{
	for (const char *bad : {"", "M", "-1", "+1", " 1", "1 ", "1X", "1T", "1KB2", "1Mi",
				"1.5M", "0x10", "18446744073709551616", "17179869184G"})
		EXPECT_FALSE(parseSize(bad).has_value()) << bad;
}

} // namespace
} // namespace lunatik::loader
