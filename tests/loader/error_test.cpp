#include "error.hpp"

#include <sstream>

#include <gtest/gtest.h>

namespace lunatik::loader {
namespace {

TEST(Report, LuaErrorIsVerbatim)
{
	std::ostringstream err;
	int rc = report(err, Error{ExitCode::kLuaError, "script.lua:3: boom"});
	EXPECT_EQ(rc, 1);
	EXPECT_EQ(err.str(), "script.lua:3: boom\n");
}

TEST(Report, OtherErrorsArePrefixed)
{
	std::ostringstream err;
	int rc = report(err, Error{ExitCode::kSetNotFound, "no runtime set named 'x'"});
	EXPECT_EQ(rc, 6);
	EXPECT_EQ(err.str(), "lunatik-pipeline: no runtime set named 'x'\n");
}

TEST(ExitCodes, DistinctAndDocumented)
{
	for (std::size_t i = 0; i < kExitCodeDocs.size(); i++) {
		EXPECT_EQ(toInt(kExitCodeDocs[i].code), static_cast<int>(i));
		EXPECT_FALSE(kExitCodeDocs[i].meaning.empty());
	}
}

} // namespace
} // namespace lunatik::loader
