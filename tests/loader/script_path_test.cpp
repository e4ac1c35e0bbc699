#include "script_path.hpp"

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace lunatik::loader {
namespace {

namespace fs = std::filesystem;
using test::ScopedCwd;
using test::TempDir;

class ScriptPath : public testing::Test {
protected:
	void SetUp() override
	{
		root = tmp.path() / "root";
		tmp.write("root/examples/filter/sni.lua", "return 1");
		tmp.write("root/top.lua");
		tmp.write("root/noext");
		tmp.write("elsewhere/dns.lua");
		tmp.write("elsewhere/nested/deep/x.lua");
	}

	TempDir tmp;
	fs::path root;
};

TEST_F(ScriptPath, UnderRootIsRelativePathWithoutLua)
{
	EXPECT_EQ(deriveSetName(root / "examples/filter/sni.lua", root), "examples/filter/sni");
	EXPECT_EQ(deriveSetName(root / "top.lua", root), "top");
}

TEST_F(ScriptPath, WithoutLuaExtensionKeepsName)
{
	EXPECT_EQ(deriveSetName(root / "noext", root), "noext");
	EXPECT_EQ(deriveSetName(tmp.path() / "elsewhere/x.txt", root), "x.txt");
}

TEST_F(ScriptPath, ElsewhereIsFileName)
{
	EXPECT_EQ(deriveSetName(tmp.path() / "elsewhere/dns.lua", root), "dns");
	EXPECT_EQ(deriveSetName(tmp.path() / "elsewhere/nested/deep/x.lua", root), "x");
}

TEST_F(ScriptPath, RootWithTrailingSlashAndDotDot)
{
	fs::path slashed = root.string() + "/";
	EXPECT_EQ(deriveSetName(root / "examples/filter/sni.lua", slashed), "examples/filter/sni");
	// "root/../elsewhere" is not under root even though it starts with it.
	EXPECT_EQ(deriveSetName(root / ".." / "elsewhere/dns.lua", root), "dns");
	EXPECT_EQ(deriveSetName(root / "examples/../top.lua", root), "top");
}

TEST_F(ScriptPath, SiblingWithCommonPrefixIsNotUnderRoot)
{
	tmp.write("root2/a.lua");
	EXPECT_EQ(deriveSetName(tmp.path() / "root2/a.lua", root), "a");
}

TEST_F(ScriptPath, RelativeToWorkingDirectory)
{
	ScopedCwd cwd(root);
	EXPECT_EQ(deriveSetName("examples/filter/sni.lua", root), "examples/filter/sni");
	EXPECT_EQ(deriveSetName("./top.lua", root), "top");
}

TEST_F(ScriptPath, RootIsASymlink)
{
	fs::path link = tmp.path() / "rootlink";
	fs::create_directory_symlink(root, link);
	// Script given through the real path, root through the link, and back.
	EXPECT_EQ(deriveSetName(root / "examples/filter/sni.lua", link), "examples/filter/sni");
	EXPECT_EQ(deriveSetName(link / "examples/filter/sni.lua", root), "examples/filter/sni");
}

TEST_F(ScriptPath, SymlinkInsideRootKeepsItsOwnName)
{
	fs::create_symlink(tmp.path() / "elsewhere/dns.lua", root / "block.lua");
	EXPECT_EQ(deriveSetName(root / "block.lua", root), "block");
}

TEST_F(ScriptPath, SymlinkElsewherePointingIntoRoot)
{
	fs::create_symlink(root / "examples/filter/sni.lua", tmp.path() / "elsewhere/s.lua");
	EXPECT_EQ(deriveSetName(tmp.path() / "elsewhere/s.lua", root), "examples/filter/sni");
}

TEST_F(ScriptPath, ResolveExistingPath)
{
	auto r = resolveScript((root / "examples/filter/sni.lua").string(), root);
	ASSERT_TRUE(r.ok()) << r.error().message;
	EXPECT_EQ(r->absolute, fs::canonical(root / "examples/filter/sni.lua"));
	EXPECT_EQ(r->chunkName, (root / "examples/filter/sni.lua").string());
	EXPECT_EQ(r->setName, "examples/filter/sni");
}

TEST_F(ScriptPath, ResolveRelativePathKeepsItAsTyped)
{
	ScopedCwd cwd(tmp.path());
	auto r = resolveScript("elsewhere/dns.lua", root);
	ASSERT_TRUE(r.ok()) << r.error().message;
	EXPECT_EQ(r->chunkName, "elsewhere/dns.lua");
	EXPECT_EQ(r->absolute, fs::canonical(tmp.path() / "elsewhere/dns.lua"));
	EXPECT_TRUE(r->absolute.is_absolute());
	EXPECT_EQ(r->setName, "dns");
}

TEST_F(ScriptPath, ResolveNameUnderRoot)
{
	ScopedCwd cwd(tmp.path());
	auto r = resolveScript("examples/filter/sni", root);
	ASSERT_TRUE(r.ok()) << r.error().message;
	EXPECT_EQ(r->absolute, fs::canonical(root / "examples/filter/sni.lua"));
	EXPECT_EQ(r->chunkName, "examples/filter/sni.lua");
	EXPECT_EQ(r->setName, "examples/filter/sni");
}

TEST_F(ScriptPath, ResolvePrefersThePathOverTheRoot)
{
	ScopedCwd cwd(tmp.path() / "elsewhere");
	tmp.write("root/dns.lua");
	auto r = resolveScript("dns.lua", root);
	ASSERT_TRUE(r.ok());
	EXPECT_EQ(r->absolute, fs::canonical(tmp.path() / "elsewhere/dns.lua"));
}

TEST_F(ScriptPath, MissingScriptNamesThePath)
{
	ScopedCwd cwd(tmp.path());
	auto r = resolveScript("nope/missing.lua", root);
	ASSERT_FALSE(r.ok());
	EXPECT_EQ(r.error().code, ExitCode::kScriptNotFound);
	EXPECT_EQ(r.error().message, "script not found: nope/missing.lua (nor " +
					     (root / "nope/missing.lua.lua").string() + ")");

	auto abs = resolveScript("/nonexistent/x.lua", root);
	ASSERT_FALSE(abs.ok());
	EXPECT_EQ(abs.error().message, "script not found: /nonexistent/x.lua");
}

TEST_F(ScriptPath, DirectoryIsNotAScript)
{
	auto r = resolveScript(root.string(), root);
	ASSERT_FALSE(r.ok());
	EXPECT_EQ(r.error().code, ExitCode::kScriptNotFound);
}

TEST_F(ScriptPath, DanglingSymlinkIsMissing)
{
	fs::create_symlink(tmp.path() / "gone.lua", root / "dangling.lua");
	auto r = resolveScript((root / "dangling.lua").string(), root);
	ASSERT_FALSE(r.ok());
	EXPECT_EQ(r.error().code, ExitCode::kScriptNotFound);
}

TEST_F(ScriptPath, LongChunkNameKeepsItsTail)
{
	std::string dir(150, 'd');
	tmp.write(dir + "/long.lua");
	auto r = resolveScript((tmp.path() / dir / "long.lua").string(), root);
	ASSERT_TRUE(r.ok()) << r.error().message;
	EXPECT_EQ(r->chunkName.size(), 127u);
	EXPECT_EQ(r->chunkName.substr(0, 4), "...d");
	EXPECT_EQ(r->chunkName.substr(r->chunkName.size() - 9), "/long.lua");
	EXPECT_EQ(r->setName, "long");
}

TEST_F(ScriptPath, ChunkNameStartingWithMarkerIsEscaped)
{
	ScopedCwd cwd(tmp.path());
	tmp.write("=odd.lua");
	auto r = resolveScript("=odd.lua", root);
	ASSERT_TRUE(r.ok()) << r.error().message;
	EXPECT_EQ(r->chunkName, "@=odd.lua");
}

TEST_F(ScriptPath, EmptyIsUsage)
{
	auto r = resolveScript("", root);
	ASSERT_FALSE(r.ok());
	EXPECT_EQ(r.error().code, ExitCode::kUsage);
}

} // namespace
} // namespace lunatik::loader
