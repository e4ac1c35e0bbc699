#include "backend/error_map.hpp"

#include <cerrno>

#include <gtest/gtest.h>

namespace lunatik::loader {
namespace {

NetlinkFailure kernel(int errnum, std::string extack = "")
{
	return NetlinkFailure{.errnum = errnum, .extack = std::move(extack)};
}

TEST(ErrorMap, PermissionDenied)
{
	for (int e : {EPERM, EACCES}) {
		Error err = classifyFailure(kernel(e), {"stop", "s", {}});
		EXPECT_EQ(err.code, ExitCode::kPermission);
		EXPECT_EQ(err.message, "permission denied (CAP_NET_ADMIN required)");
	}
}

TEST(ErrorMap, UnknownSetNamesTheSet)
{
	Error err = classifyFailure(kernel(ENOENT), {"stop", "examples/filter/sni", {}});
	EXPECT_EQ(err.code, ExitCode::kSetNotFound);
	EXPECT_EQ(err.message, "no runtime set named 'examples/filter/sni'");
}

TEST(ErrorMap, CreateEnoentIsAMissingScript)
{
	Error err = classifyFailure(kernel(ENOENT, "cannot open script"),
				    {"create", "s", "/tmp/s.lua"});
	EXPECT_EQ(err.code, ExitCode::kScriptNotFound);
	EXPECT_EQ(err.message, "script not found: /tmp/s.lua: cannot open script");
}

TEST(ErrorMap, Exists)
{
	Error err = classifyFailure(kernel(EEXIST), {"create", "s", "/s.lua"});
	EXPECT_EQ(err.code, ExitCode::kExists);
	EXPECT_EQ(err.message, "runtime set 's' already exists");
}

TEST(ErrorMap, OtherErrnoQuotesExtackVerbatim)
{
	Error err = classifyFailure(kernel(EINVAL, "attribute has an invalid value"),
				    {"create", "s", "/s.lua"});
	EXPECT_EQ(err.code, ExitCode::kKernelRejected);
	EXPECT_EQ(err.message, "create 's': Invalid argument: attribute has an invalid value");
}

TEST(ErrorMap, LocalFailureIsSystem)
{
	NetlinkFailure f{.errnum = ENOBUFS, .context = "netlink receive failed"};
	Error err = classifyFailure(f, {"list", {}, {}});
	EXPECT_EQ(err.code, ExitCode::kSystem);
	EXPECT_EQ(err.message, "list: netlink receive failed: No buffer space available");
}

TEST(ErrorMap, MissingFamilyMeansModuleNotLoaded)
{
	Error err = classifyConnectFailure(kernel(ENOENT));
	EXPECT_EQ(err.code, ExitCode::kModuleNotLoaded);
	EXPECT_EQ(err.message,
		  "kernel module lunatik is not loaded (run: lunatik-pipeline module load)");
}

TEST(ErrorMap, SocketFailureIsSystem)
{
	NetlinkFailure f{.errnum = EAFNOSUPPORT, .context = "cannot open generic netlink socket"};
	EXPECT_EQ(classifyConnectFailure(f).code, ExitCode::kSystem);
}

} // namespace
} // namespace lunatik::loader
