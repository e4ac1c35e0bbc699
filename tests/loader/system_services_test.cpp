#include "backend/system_services.hpp"

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace lunatik::loader {
namespace {

using test::TempDir;

struct Counter {
	int calls = 0;
	std::function<Result<std::unique_ptr<ControlPlane>>()> fn()
	{
		return [this]() -> Result<std::unique_ptr<ControlPlane>> {
			calls++;
			return Error{ExitCode::kSystem, "reached netlink"};
		};
	}
};

TEST(ConnectIfLoaded, AbsentModuleIsNotLoadedWithoutNetlink)
{
	TempDir tmp;
	std::filesystem::create_directories(tmp.path() / "module");
	KernelModule m(tmp.path() / "module/lunatik");
	Counter c;
	auto r = connectIfLoaded(m, c.fn());
	ASSERT_FALSE(r.ok());
	EXPECT_EQ(r.error().code, ExitCode::kModuleNotLoaded);
	EXPECT_EQ(r.error().message, kModuleNotLoadedMessage);
	EXPECT_EQ(c.calls, 0);
}

TEST(ConnectIfLoaded, LoadedModuleConnects)
{
	TempDir tmp;
	std::filesystem::create_directories(tmp.path() / "module/lunatik");
	KernelModule m(tmp.path() / "module/lunatik");
	Counter c;
	EXPECT_EQ(connectIfLoaded(m, c.fn()).error().message, "reached netlink");
	EXPECT_EQ(c.calls, 1);
}

TEST(ConnectIfLoaded, WithoutSysfsNetlinkDecides)
{
	TempDir tmp;
	KernelModule m(tmp.path() / "no-sysfs/module/lunatik");
	Counter c;
	(void)connectIfLoaded(m, c.fn());
	EXPECT_EQ(c.calls, 1);
}

} // namespace
} // namespace lunatik::loader
