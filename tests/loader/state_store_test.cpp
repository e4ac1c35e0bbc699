#include "state_store.hpp"

#include <fstream>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "file_ops.hpp"
#include "temp_dir.hpp"

namespace lunatik::loader {
namespace {

using test::TempDir;

TEST(FileOps, WriteAtomicallyReplacesWholeFiles)
{
	TempDir tmp;
	auto p = tmp.path() / "a/b/c.lua";
	ASSERT_TRUE(writeAtomically(p, "one"));
	ASSERT_TRUE(writeAtomically(p, "two"));
	EXPECT_EQ(TempDir::read(p), "two");
	// no temporary file left beside it
	int n = 0;
	for (const auto &e : std::filesystem::directory_iterator(p.parent_path()))
		n += e.is_regular_file();
	EXPECT_EQ(n, 1);
	EXPECT_EQ(std::filesystem::status(p).permissions() & std::filesystem::perms::others_read,
		  std::filesystem::perms::others_read);
}

TEST(FileOps, HashesTellContentApart)
{
	TempDir tmp;
	auto a = tmp.write("a", "x");
	auto b = tmp.write("b", "y");
	EXPECT_NE(hashFile(a), hashFile(b));
	EXPECT_EQ(hashFile(a), hashText("x"));
	EXPECT_EQ(hashFile(tmp.path() / "missing"), "");
	EXPECT_EQ(hashFile(tmp.path()), "");	// a directory is no script
	EXPECT_TRUE(removeFile(tmp.path() / "missing"));
}

TEST(StateStore, SaveLoadAllRemove)
{
	TempDir tmp;
	StateStore store(tmp.path() / "run");
	EXPECT_FALSE(*store.load("p"));
	pipeline::PipelineState st{.name = "p", .scriptRoot = "/r",
				   .sets = {pipeline::SetRecord{.name = "s", .script = "s.lua"}}};
	ASSERT_TRUE(store.save(st));
	ASSERT_TRUE(store.save(pipeline::PipelineState{.name = "q"}));
	auto back = store.load("p");
	ASSERT_TRUE(back && *back);
	EXPECT_EQ((*back)->sets, st.sets);
	auto all = store.all();
	ASSERT_TRUE(all);
	ASSERT_EQ(all->size(), 2u);
	EXPECT_EQ((*all)[0].name, "p");
	ASSERT_TRUE(store.remove("p"));
	EXPECT_FALSE(*store.load("p"));
}

TEST(StateStore, DamagedStateIsNamed)
{
	TempDir tmp;
	StateStore store(tmp.path());
	tmp.write("p.json", "{not json");
	auto st = store.load("p");
	ASSERT_FALSE(st);
	EXPECT_EQ(st.error().code, ExitCode::kSystem);
	EXPECT_NE(st.error().message.find("p.json is damaged"), std::string::npos);
}

TEST(StateStore, JournalRoundTrip)
{
	TempDir tmp;
	StateStore store(tmp.path());
	EXPECT_FALSE(*store.readJournal("p"));
	auto j = store.journal("p", "/root");
	std::vector<pipeline::Step> steps{
		pipeline::Step{.kind = pipeline::StepKind::kStopSet, .target = "s",
			       .previous = pipeline::SetRecord{.name = "s", .script = "s.lua"}}};
	ASSERT_FALSE(j->begin(steps));
	ASSERT_FALSE(j->started(1));
	auto r = store.readJournal("p");
	ASSERT_TRUE(r && *r);
	EXPECT_EQ((*r)->scriptRoot, "/root");
	EXPECT_EQ((*r)->started, 1u);
	EXPECT_EQ((*r)->steps, steps);
	EXPECT_FALSE((*r)->committed);
	ASSERT_TRUE(j->commit(std::nullopt));
	r = store.readJournal("p");
	EXPECT_TRUE((*r)->committed);
	EXPECT_FALSE((*r)->state);
	ASSERT_TRUE(store.dropJournal("p"));
	EXPECT_FALSE(*store.readJournal("p"));

	tmp.write("q.journal", R"({"script_root":"/r","started":9,"steps":[{"kind":"nope","target":"x"}]})");
	EXPECT_FALSE(store.readJournal("q"));
}

TEST(StateStore, LockIsExclusiveUntilReleased)
{
	TempDir tmp;
	StateStore store(tmp.path());
	std::ostringstream progress;
	{
		auto first = store.lock("p", progress);
		ASSERT_TRUE(first);
		// Another descriptor cannot take it meanwhile.
		int fd = open((tmp.path() / "p.lock").c_str(), O_RDWR);
		ASSERT_GE(fd, 0);
		EXPECT_NE(flock(fd, LOCK_EX | LOCK_NB), 0);
		close(fd);
	}
	auto again = store.lock("p", progress);
	EXPECT_TRUE(again);
	EXPECT_EQ(progress.str(), "");
}

} // namespace
} // namespace lunatik::loader
