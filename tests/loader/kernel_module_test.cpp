#include "backend/kernel_module.hpp"

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace lunatik::loader {
namespace {

using test::TempDir;

TEST(KernelModule, NotLoadedWithoutSysfsDir)
{
	TempDir tmp;
	KernelModule m(tmp.path() / "lunatik");
	EXPECT_FALSE(m.loaded());
	EXPECT_EQ(m.scriptRoot(), "/lib/modules/lua");
}

TEST(KernelModule, ReadsScriptRootParameter)
{
	TempDir tmp;
	tmp.write("lunatik/parameters/script_root", "/work/main\n");
	KernelModule m(tmp.path() / "lunatik");
	EXPECT_TRUE(m.loaded());
	EXPECT_EQ(m.scriptRoot(), "/work/main");
}

TEST(KernelModule, EmptyParameterMeansDefault)
{
	TempDir tmp;
	tmp.write("lunatik/parameters/script_root", "\n");
	KernelModule m(tmp.path() / "lunatik");
	EXPECT_EQ(m.scriptRoot(), "/lib/modules/lua");
}

// modprobe is replaced by `true` and `false` to test the spawn path.
TEST(KernelModule, ModprobeSuccessAndFailure)
{
	TempDir tmp;
	KernelModule ok(tmp.path() / "lunatik", "true");
	EXPECT_TRUE(ok.load(std::nullopt).ok());
	EXPECT_TRUE(ok.load(std::string("/srv/lua")).ok());
	EXPECT_TRUE(ok.unload().ok());

	tmp.write("mods/modules.dep", "extra/lunatik.ko: kernel/net/core/x.ko\n");
	KernelModule bad(tmp.path() / "lunatik", "false", tmp.path() / "mods");
	auto r = bad.load(std::string("/srv/lua"));
	ASSERT_FALSE(r.ok());
	EXPECT_EQ(r.error().code, ExitCode::kSystem);
	EXPECT_EQ(r.error().message,
		  "false lunatik script_root=/srv/lua failed with exit status 1");
	auto u = bad.unload();
	ASSERT_FALSE(u.ok());
	EXPECT_EQ(u.error().message, "false -r lunatik failed with exit status 1");
}

// modprobe fails and the modules tree has no lunatik: the error names
// the headers package to install (this host kernel has no headers).
TEST(KernelModule, NoModuleForTheRunningKernelNamesTheHeadersPackage)
{
	TempDir tmp;
	tmp.write("6.18.3-amd64/modules.dep", "kernel/net/lunaticks.ko:\nkernel/fs/x.ko:\n");
	KernelModule m(tmp.path() / "lunatik", "false", tmp.path() / "6.18.3-amd64");
	auto r = m.load(std::string("/srv/lua"));
	ASSERT_FALSE(r.ok());
	EXPECT_EQ(r.error().code, ExitCode::kSystem);
	EXPECT_EQ(r.error().message,
		  "no lunatik.ko for kernel 6.18.3-amd64, and no headers to build one: install "
		  "linux-headers-6.18.3-amd64, then build kmod/ against " +
			  (tmp.path() / "6.18.3-amd64").string() + "/build and install it");

	tmp.write("6.18.3-amd64/build/Makefile", "");
	EXPECT_EQ(moduleMissingReason(tmp.path() / "6.18.3-amd64"),
		  "no lunatik.ko for kernel 6.18.3-amd64: build kmod/ against " +
			  (tmp.path() / "6.18.3-amd64").string() +
			  "/build (the headers are there), install it under " +
			  (tmp.path() / "6.18.3-amd64").string() + " and run depmod");
	tmp.write("6.18.3-amd64/modules.dep", "updates/lunatik.ko.xz: kernel/x.ko\n");
	EXPECT_EQ(moduleMissingReason(tmp.path() / "6.18.3-amd64"), "");
}

TEST(KernelModule, MissingModprobe)
{
	TempDir tmp;
	KernelModule m(tmp.path() / "lunatik", "/nonexistent/modprobe");
	auto r = m.load(std::nullopt);
	ASSERT_FALSE(r.ok());
	EXPECT_EQ(r.error().message, "cannot run /nonexistent/modprobe: No such file or directory");
}

} // namespace
} // namespace lunatik::loader
