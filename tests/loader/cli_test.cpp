// Argument validation and the behaviour of every subcommand, with a gmock
// control plane and a fake module (tests/loader/fakes.hpp).
#include "cli.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fakes.hpp"
#include "temp_dir.hpp"

namespace lunatik::loader {
namespace {

using test::CliHarness;
using test::ScopedCwd;
using test::TempDir;
using testing::_;
using testing::AllOf;
using testing::Field;
using testing::HasSubstr;
using testing::Return;

class Cli : public testing::Test {
protected:
	void SetUp() override
	{
		root = tmp.path() / "root";
		tmp.write("root/examples/filter/sni.lua", "return 1");
		tmp.write("other/dns.lua");
		h.module->root = root.string();
	}

	static SetInfo named(std::string name, std::uint32_t generation = 1)
	{
		return SetInfo{.name = std::move(name), .generation = generation};
	}

	TempDir tmp;
	std::filesystem::path root;
	CliHarness h;
};

TEST_F(Cli, HelpListsExitCodes)
{
	EXPECT_EQ(h.run({"--help"}), 0);
	EXPECT_THAT(h.out.str(), HasSubstr("Exit codes:"));
	EXPECT_THAT(h.out.str(), HasSubstr("3  kernel module lunatik is not loaded"));
	EXPECT_THAT(h.out.str(), HasSubstr("repl"));
}

TEST_F(Cli, VersionSucceeds)
{
	EXPECT_EQ(h.run({"--version"}), 0);
	EXPECT_THAT(h.out.str(), HasSubstr("lunatik-pipeline"));
}

TEST_F(Cli, UsageErrorsExitTwoWithoutConnecting)
{
	const std::vector<std::vector<std::string>> bad{
		{},
		{"frobnicate"},
		{"run"},
		{"run", "x.lua", "--mem", "12X"},
		{"run", "x.lua", "--mem", "-1"},
		{"run", "x.lua", "--context", "hardirq"},
		{"run", "x.lua", "--budget", "-1"},
		{"run", "x.lua", "--budget", "4294967296"},
		{"run", "x.lua", "--budget", "ten"},
		{"run", "x.lua", "--bogus"},
		{"run", "x.lua", "--name", std::string(128, 'n')},
		{"stop"},
		{"stop", std::string(200, 'n')},
		{"exec", "s"},
		{"list", "extra"},
		{"module"},
		{"module", "reload"},
		{"lsit"},
		{"run", "x.lua", "--mem", "1"},
		{"run", "x.lua", "--mem", "2G"},
		{"run", "x.lua", "--budget", "999"},
		{"run", "x.lua", "--shared"},
		{"run", "x.lua", "--shared", "--context", "process"},
		{"--json", "stop", "s"},
		{"--json", "run", "x.lua"},
		{"validate"},
		{"down"},
	};
	for (const auto &args : bad) {
		std::string joined;
		for (const auto &a : args)
			joined += a + " ";
		EXPECT_EQ(h.run(args), 2) << joined;
	}
	EXPECT_EQ(h.connects, 0);
}

TEST_F(Cli, RunDerivesNameUnderRoot)
{
	ScopedCwd cwd(root);
	EXPECT_CALL(*h.cp, createSet(AllOf(
		Field(&CreateRequest::name, "examples/filter/sni"),
		Field(&CreateRequest::script,
		      std::filesystem::canonical(root / "examples/filter/sni.lua").string()),
		Field(&CreateRequest::chunkName, "examples/filter/sni.lua"),
		Field(&CreateRequest::context, std::nullopt),
		Field(&CreateRequest::memLimit, std::nullopt),
		Field(&CreateRequest::budget, std::nullopt))))
		.WillOnce(Return(named("examples/filter/sni")));
	EXPECT_EQ(h.run({"run", "examples/filter/sni.lua"}), 0);
	EXPECT_EQ(h.out.str(), "examples/filter/sni\n");
	EXPECT_EQ(h.err.str(), "");
}

TEST_F(Cli, RunSharedSoftirq)
{
	ScopedCwd cwd(root);
	EXPECT_CALL(*h.cp, createSet(AllOf(Field(&CreateRequest::context, Context::kSoftirq),
					   Field(&CreateRequest::shared, true))))
		.WillOnce(Return(named("examples/filter/sni")));
	EXPECT_EQ(h.run({"run", "examples/filter/sni.lua", "--context", "softirq", "--shared"}), 0);
}

TEST_F(Cli, RunByNameRelativeToRoot)
{
	ScopedCwd cwd(tmp.path() / "other");
	EXPECT_CALL(*h.cp, createSet(AllOf(
		Field(&CreateRequest::name, "examples/filter/sni"),
		Field(&CreateRequest::chunkName, "examples/filter/sni.lua"))))
		.WillOnce(Return(named("examples/filter/sni")));
	EXPECT_EQ(h.run({"run", "examples/filter/sni"}), 0);
}

TEST_F(Cli, RunElsewhereWithAllOptions)
{
	ScopedCwd cwd(tmp.path());
	EXPECT_CALL(*h.cp, createSet(AllOf(
		Field(&CreateRequest::name, "dns"),
		Field(&CreateRequest::chunkName, "other/dns.lua"),
		Field(&CreateRequest::context, Context::kSoftirq),
		Field(&CreateRequest::memLimit, 32ull << 20),
		Field(&CreateRequest::budget, 5000u))))
		.WillOnce(Return(named("dns")));
	EXPECT_EQ(h.run({"run", "other/dns.lua", "--context", "softirq", "--mem", "32M",
			 "--budget", "5000"}),
		  0);
	EXPECT_EQ(h.out.str(), "dns\n");
}

TEST_F(Cli, RunExplicitNameAndProcessContext)
{
	ScopedCwd cwd(tmp.path());
	EXPECT_CALL(*h.cp, createSet(AllOf(Field(&CreateRequest::name, "mine"),
					   Field(&CreateRequest::context, Context::kProcess),
					   Field(&CreateRequest::memLimit, 65536u))))
		.WillOnce(Return(named("mine")));
	EXPECT_EQ(h.run({"run", "other/dns.lua", "--name", "mine", "--context", "process",
			 "--mem", "64K"}),
		  0);
}

TEST_F(Cli, RunMissingScript)
{
	ScopedCwd cwd(tmp.path());
	EXPECT_EQ(h.run({"run", "nope.lua"}), 5);
	EXPECT_EQ(h.err.str(), "lunatik-pipeline: script not found: nope.lua (nor " +
				       (root / "nope.lua.lua").string() + ")\n");
}

TEST_F(Cli, UsageErrorsAreOneLineWithTheProgramName)
{
	EXPECT_EQ(h.run({"lsit"}), 2);
	EXPECT_EQ(h.err.str(), "lunatik-pipeline: unknown command 'lsit' (did you mean 'list'?)\n");
	CliHarness a;
	EXPECT_EQ(a.run({"--json", "frobnicate"}), 2);
	EXPECT_EQ(a.err.str(), "lunatik-pipeline: unknown command 'frobnicate' (see --help)\n");
	CliHarness b;
	EXPECT_EQ(b.run({"run", "x.lua", "--bogus"}), 2);
	EXPECT_THAT(b.err.str(), testing::StartsWith("lunatik-pipeline: "));
	std::string berr = b.err.str();
	EXPECT_EQ(std::count(berr.begin(), berr.end(), '\n'), 1);
	CliHarness c;
	EXPECT_EQ(c.run({"run", "x.lua", "--mem", "1"}), 2);
	EXPECT_EQ(c.err.str(),
		  "lunatik-pipeline: --mem: 1 is outside 65536..1073741824 bytes (the kernel's limits)\n");
	CliHarness d;
	EXPECT_EQ(d.run({}), 2);
	EXPECT_THAT(d.err.str(), testing::StartsWith("lunatik-pipeline: "));
	std::string derr = d.err.str();
	EXPECT_EQ(std::count(derr.begin(), derr.end(), '\n'), 1);
}

TEST_F(Cli, SubcommandHelpDoesNotRepeatExitCodes)
{
	EXPECT_EQ(h.run({"run", "--help"}), 0);
	EXPECT_THAT(h.out.str(), testing::Not(HasSubstr("Exit codes")));
	EXPECT_THAT(h.out.str(), HasSubstr("--mem BYTES"));
}

TEST_F(Cli, JsonBeforeOrAfterTheCommand)
{
	for (std::vector<std::string> args : {std::vector<std::string>{"--json", "list"},
					      {"list", "--json"}}) {
		CliHarness j;
		EXPECT_CALL(*j.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{named("a")}));
		EXPECT_EQ(j.run(args), 0);
		EXPECT_EQ(nlohmann::json::parse(j.out.str())["sets"][0]["name"], "a");
	}
	for (std::vector<std::string> args : {std::vector<std::string>{"--json", "module", "status"},
					      {"module", "status", "--json"}}) {
		CliHarness j;
		j.module->root = "/r";
		EXPECT_CALL(*j.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{named("a")}));
		EXPECT_EQ(j.run(args), 0);
		auto doc = nlohmann::json::parse(j.out.str());
		EXPECT_EQ(doc["loaded"], true);
		EXPECT_EQ(doc["script_root"], "/r");
		EXPECT_EQ(doc["sets"][0]["name"], "a");
	}
	CliHarness s;
	EXPECT_CALL(*s.cp, stats()).WillOnce(Return(ModuleStats{.nsets = 2}));
	EXPECT_EQ(s.run({"--json", "stats"}), 0);
	EXPECT_EQ(nlohmann::json::parse(s.out.str())["sets"], 2);
	CliHarness off;
	off.module->isLoaded = false;
	EXPECT_EQ(off.run({"module", "status", "--json"}), 3);
	EXPECT_EQ(nlohmann::json::parse(off.out.str())["loaded"], false);
}

// The script is looked for before the kernel is asked: a missing file is
// reported as such even without the module (it used to exit 3).
TEST_F(Cli, RunMissingScriptWithoutModule)
{
	ScopedCwd cwd(tmp.path());
	h.connectError = Error{ExitCode::kModuleNotLoaded, "not loaded"};
	EXPECT_EQ(h.run({"run", "nope.lua"}), 5);
	EXPECT_THAT(h.err.str(), HasSubstr("script not found: nope.lua"));
	EXPECT_EQ(h.connects, 0);
}

TEST_F(Cli, ModuleNotLoaded)
{
	ScopedCwd cwd(tmp.path());
	h.connectError = Error{ExitCode::kModuleNotLoaded,
			       "kernel module lunatik is not loaded (run: lunatik-pipeline module load)"};
	for (std::vector<std::string> args :
	     {std::vector<std::string>{"run", "other/dns.lua"}, {"stop", "s"}, {"list"},
	      {"exec", "s", "return 1"}, {"stats"}, {"reload", "s"}, {"repl", "s"}}) {
		h.err.str("");
		EXPECT_EQ(h.run(args), 3) << args[0];
		EXPECT_EQ(h.err.str(), "lunatik-pipeline: kernel module lunatik is not loaded "
				       "(run: lunatik-pipeline module load)\n");
	}
}

TEST_F(Cli, LuaErrorIsVerbatimAndExitsOne)
{
	ScopedCwd cwd(tmp.path());
	EXPECT_CALL(*h.cp, createSet(_))
		.WillOnce(Return(Error{ExitCode::kLuaError, "other/dns.lua:3: unexpected symbol near '+'"}));
	EXPECT_EQ(h.run({"run", "other/dns.lua"}), 1);
	EXPECT_EQ(h.err.str(), "other/dns.lua:3: unexpected symbol near '+'\n");
	EXPECT_EQ(h.out.str(), "");
}

TEST_F(Cli, ErrorClassesKeepTheirExitCodes)
{
	for (ExitCode code : {ExitCode::kPermission, ExitCode::kSetNotFound, ExitCode::kExists,
			      ExitCode::kKernelRejected, ExitCode::kSystem}) {
		CliHarness local;
		EXPECT_CALL(*local.cp, stopSet(std::string("s")))
			.WillOnce(Return(Error{code, "msg"}));
		EXPECT_EQ(local.run({"stop", "s"}), toInt(code));
		EXPECT_EQ(local.err.str(), "lunatik-pipeline: msg\n");
	}
}

TEST_F(Cli, Stop)
{
	EXPECT_CALL(*h.cp, stopSet(std::string("examples/filter/sni"))).WillOnce(Return(Result<void>()));
	EXPECT_EQ(h.run({"stop", "examples/filter/sni"}), 0);
	EXPECT_EQ(h.out.str(), "");
}

TEST_F(Cli, ReloadSameScript)
{
	EXPECT_CALL(*h.cp, reloadSet(AllOf(Field(&ReloadRequest::name, "s"),
					   Field(&ReloadRequest::script, std::nullopt),
					   Field(&ReloadRequest::chunkName, std::nullopt))))
		.WillOnce(Return(named("s", 4)));
	EXPECT_EQ(h.run({"reload", "s"}), 0);
	EXPECT_EQ(h.out.str(), "s generation 4\n");
}

TEST_F(Cli, ReloadNewScript)
{
	ScopedCwd cwd(tmp.path());
	EXPECT_CALL(*h.cp, reloadSet(AllOf(
		Field(&ReloadRequest::name, "s"),
		Field(&ReloadRequest::script,
		      std::filesystem::canonical(tmp.path() / "other/dns.lua").string()),
		Field(&ReloadRequest::chunkName, "other/dns.lua"))))
		.WillOnce(Return(named("s", 2)));
	EXPECT_EQ(h.run({"reload", "s", "--script", "other/dns.lua"}), 0);
}

TEST_F(Cli, ReloadMissingScript)
{
	ScopedCwd cwd(tmp.path());
	EXPECT_EQ(h.run({"reload", "s", "--script", "/missing.lua"}), 5);
	EXPECT_EQ(h.err.str(), "lunatik-pipeline: script not found: /missing.lua\n");
}

TEST_F(Cli, ListTableAndJson)
{
	std::vector<SetInfo> sets{SetInfo{.name = "a", .context = Context::kSoftirq,
					  .generation = 1, .ninstances = 2,
					  .instances = {{.cpu = 0, .calls = 1}, {.cpu = 1, .calls = 2}}}};
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(sets));
	EXPECT_EQ(h.run({"list"}), 0);
	EXPECT_EQ(h.out.str(), "NAME  CONTEXT  INSTANCES  GENERATION  CALLS  ERRORS  BUDGET_HITS  MEMORY\n"
			       "a     softirq  2          1           3      0       0            0\n");

	CliHarness j;
	EXPECT_CALL(*j.cp, listSets()).WillOnce(Return(sets));
	EXPECT_EQ(j.run({"list", "--json"}), 0);
	auto doc = nlohmann::json::parse(j.out.str());
	EXPECT_EQ(doc["sets"][0]["name"], "a");
	EXPECT_EQ(doc["sets"][0]["instances"].size(), 2u);
	EXPECT_EQ(doc["sets"][0]["totals"]["calls"], 3);
}

TEST_F(Cli, ExecPrintsResultLine)
{
	EXPECT_CALL(*h.cp, exec(AllOf(Field(&ExecRequest::name, "s"),
				      Field(&ExecRequest::chunk, "return 1 + 1, 'x'"),
				      Field(&ExecRequest::chunkName, "exec"))))
		.WillOnce(Return(std::string("2\tx")));
	EXPECT_EQ(h.run({"exec", "s", "return 1 + 1, 'x'"}), 0);
	EXPECT_EQ(h.out.str(), "2\tx\n");
}

TEST_F(Cli, ExecResultsAreBytes)
{
	const std::string bytes("a\0b\xff", 4);
	EXPECT_CALL(*h.cp, exec(_)).WillOnce(Return(bytes));
	EXPECT_EQ(h.run({"exec", "s", "return 'a\\0b\\255'"}), 0);
	EXPECT_EQ(h.out.str(), bytes + "\n");

	CliHarness j;
	EXPECT_CALL(*j.cp, exec(_)).WillOnce(Return(bytes));
	EXPECT_EQ(j.run({"exec", "s", "return 1", "--json"}), 0);
	auto doc = nlohmann::json::parse(j.out.str());
	EXPECT_EQ(doc["result"], std::string("a\0b\xef\xbf\xbd", 6));
	EXPECT_EQ(doc["result_hex"], "610062ff");
}

TEST_F(Cli, ExecFromStdin)
{
	h.in.str("local t = {}\nfor i = 1, 3 do t[i] = i end\nreturn #t\n");
	EXPECT_CALL(*h.cp, exec(AllOf(Field(&ExecRequest::chunk, h.in.str()),
				      Field(&ExecRequest::chunkName, "stdin"))))
		.WillOnce(Return(std::string("3")));
	EXPECT_EQ(h.run({"exec", "s", "-"}), 0);
	EXPECT_EQ(h.out.str(), "3\n");
}

TEST_F(Cli, ExecChunkTooLarge)
{
	h.in.str(std::string(65532, ' '));
	EXPECT_EQ(h.run({"exec", "s", "-"}), 2);
	EXPECT_THAT(h.err.str(), HasSubstr("chunk too large (65532 bytes, at most 65531)"));
	EXPECT_EQ(h.connects, 0);
}

TEST_F(Cli, ExecLuaError)
{
	EXPECT_CALL(*h.cp, exec(_))
		.WillOnce(Return(Error{ExitCode::kLuaError, "exec:1: boom"}));
	EXPECT_EQ(h.run({"exec", "s", "error('boom')"}), 1);
	EXPECT_EQ(h.err.str(), "exec:1: boom\n");
	EXPECT_EQ(h.out.str(), "");
}

TEST_F(Cli, Stats)
{
	ModuleStats s{.allocs = 1, .allocBytes = 2, .nsets = 3, .nruntimes = 4};
	EXPECT_CALL(*h.cp, stats()).WillOnce(Return(s));
	EXPECT_EQ(h.run({"stats"}), 0);
	EXPECT_EQ(h.out.str(), "allocs 1\nalloc_bytes 2\nsets 3\nruntimes 4\n");

	CliHarness j;
	EXPECT_CALL(*j.cp, stats()).WillOnce(Return(s));
	EXPECT_EQ(j.run({"stats", "--json"}), 0);
	EXPECT_EQ(nlohmann::json::parse(j.out.str())["runtimes"], 4);
}

TEST_F(Cli, ModuleLoad)
{
	h.module->isLoaded = false;
	EXPECT_EQ(h.run({"module", "load", "--script-root", "/work/main"}), 0);
	ASSERT_EQ(h.module->loads.size(), 1u);
	EXPECT_EQ(h.module->loads[0], "/work/main");

	CliHarness plain;
	plain.module->isLoaded = false;
	EXPECT_EQ(plain.run({"module", "load"}), 0);
	ASSERT_EQ(plain.module->loads.size(), 1u);
	EXPECT_EQ(plain.module->loads[0], std::nullopt);
}

TEST_F(Cli, ModuleLoadWhenLoaded)
{
	h.module->root = "/work/main";
	EXPECT_EQ(h.run({"module", "load", "--script-root", "/work/main"}), 0);
	EXPECT_EQ(h.run({"module", "load"}), 0);
	EXPECT_TRUE(h.module->loads.empty());
	EXPECT_EQ(h.run({"module", "load", "--script-root", "/elsewhere"}), 7);
	EXPECT_THAT(h.err.str(), HasSubstr("already loaded with script_root=/work/main"));
}

TEST_F(Cli, ModuleLoadFailure)
{
	h.module->isLoaded = false;
	h.module->next = Error{ExitCode::kSystem, "modprobe lunatik failed with exit status 1"};
	EXPECT_EQ(h.run({"module", "load"}), 9);
	EXPECT_EQ(h.err.str(), "lunatik-pipeline: modprobe lunatik failed with exit status 1\n");
}

TEST_F(Cli, ModuleUnload)
{
	EXPECT_EQ(h.run({"module", "unload"}), 0);
	EXPECT_EQ(h.module->unloads, 1);
	h.module->isLoaded = false;
	EXPECT_EQ(h.run({"module", "unload"}), 3);
	EXPECT_EQ(h.module->unloads, 1);
}

TEST_F(Cli, ModuleStatus)
{
	h.module->root = "/work/main";
	EXPECT_CALL(*h.cp, listSets()).WillOnce(Return(std::vector<SetInfo>{named("a")}));
	EXPECT_EQ(h.run({"module", "status"}), 0);
	EXPECT_THAT(h.out.str(), testing::StartsWith("loaded: yes\nscript_root: /work/main\nNAME "));
	EXPECT_THAT(h.out.str(), HasSubstr("\na  "));

	CliHarness off;
	off.module->isLoaded = false;
	EXPECT_EQ(off.run({"module", "status"}), 3);
	EXPECT_EQ(off.out.str(), "loaded: no\n");
	EXPECT_EQ(off.connects, 0);
}

} // namespace
} // namespace lunatik::loader
