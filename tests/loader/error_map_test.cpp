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

namespace lunatik::loader {
namespace {

TEST(ErrorMap, ReplyErrorsKeepTheKernelsErrno)
{
	Operation create{"create", "s", "/x/s.lua"};
	Error syntax = classifyReplyError("s.lua:3: unexpected symbol", ENOEXEC, create);
	EXPECT_EQ(syntax.code, ExitCode::kLuaError);
	EXPECT_EQ(syntax.message, "s.lua:3: unexpected symbol");
	EXPECT_EQ(classifyReplyError("s.lua:1: boom", EINVAL, create).code, ExitCode::kLuaError);
	EXPECT_EQ(classifyReplyError("s.lua:1: boom", std::nullopt, create).code, ExitCode::kLuaError);

	Error mem = classifyReplyError("not enough memory", ENOMEM, create);
	EXPECT_EQ(mem.code, ExitCode::kLimit);
	EXPECT_EQ(mem.message, "create 's': memory cap reached: not enough memory");
	Error budget = classifyReplyError("s.lua:2: instruction budget exceeded", ETIME,
					  {"reload", "s", "/x/s.lua"});
	EXPECT_EQ(budget.code, ExitCode::kLimit);
	EXPECT_EQ(budget.message,
		  "reload 's': instruction budget exhausted: s.lua:2: instruction budget exceeded");

	Error missing = classifyReplyError("cannot read /x/s.lua", ENOENT, create);
	EXPECT_EQ(missing.code, ExitCode::kScriptNotFound);
	EXPECT_EQ(missing.message, "script not found by the kernel: /x/s.lua (No such file or directory)");
	Error unreadable = classifyReplyError("cannot read /x/s.lua", EACCES, create);
	EXPECT_EQ(unreadable.code, ExitCode::kKernelRejected);
	EXPECT_EQ(unreadable.message, "create 's': cannot read /x/s.lua: Permission denied");
	EXPECT_EQ(classifyReplyError("x", EINTR, create).code, ExitCode::kSystem);
}

TEST(ErrorMap, ExecLimitsStayLuaErrors)
{
	Operation exec{"exec", "s", {}};
	Error budget = classifyReplyError("exec:1: instruction budget exceeded", ETIME, exec);
	EXPECT_EQ(budget.code, ExitCode::kLuaError);
	EXPECT_EQ(budget.message, "exec:1: instruction budget exceeded");
	EXPECT_EQ(classifyReplyError("not enough memory", ENOMEM, exec).code, ExitCode::kLuaError);
}

} // namespace
} // namespace lunatik::loader
