// gmock control plane, fake module and scripted line reader, wired into a
// Services whose streams are string streams.
#pragma once

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>

#include "cli.hpp"
#include "fake_nft.hpp"
#include "temp_dir.hpp"
#include "services.hpp"

namespace lunatik::loader::test {

class MockControlPlane : public ControlPlane {
public:
	MOCK_METHOD(Result<SetInfo>, createSet, (const CreateRequest &), (override));
	MOCK_METHOD(Result<void>, stopSet, (const std::string &), (override));
	MOCK_METHOD(Result<SetInfo>, reloadSet, (const ReloadRequest &), (override));
	MOCK_METHOD(Result<SetInfo>, getSet, (const std::string &), (override));
	MOCK_METHOD(Result<std::vector<SetInfo>>, listSets, (), (override));
	MOCK_METHOD(Result<std::string>, exec, (const ExecRequest &), (override));
	MOCK_METHOD(Result<ModuleStats>, stats, (), (override));
};

struct FakeModule : ModuleControl {
	bool isLoaded = true;
	std::string root = "/lib/modules/lua";
	std::vector<std::optional<std::string>> loads;
	int unloads = 0;
	Result<void> next = {};

	bool loaded() const override { return isLoaded; }
	std::string scriptRoot() const override { return root; }
	Result<void> load(const std::optional<std::string> &r) override
	{
		loads.push_back(r);
		if (next)
			isLoaded = true;
		return next;
	}
	Result<void> unload() override
	{
		unloads++;
		if (next)
			isLoaded = false;
		return next;
	}
};

// XDP programs per interface index of a pretend netns (lo 1, eth0 2,
// eth1 3); attaches give prog ids from 100 on.
struct FakeXdp : XdpBackend {
	std::map<std::uint32_t, std::vector<std::uint32_t>> progs;
	std::map<std::string, std::uint32_t> ifindex{{"lo", 1}, {"eth0", 2}, {"eth1", 3}};
	std::set<std::string> refuse;	// interfaces whose attach fails
	std::uint32_t nextId = 100;
	std::vector<std::string> log;

	Result<XdpAttachment> attach(const pipeline::XdpRecord &x) override
	{
		log.push_back("attach " + x.interface);
		auto it = ifindex.find(x.interface);
		if (it == ifindex.end())
			return Error{ExitCode::kKernelRejected, "no interface '" + x.interface + "'"};
		if (refuse.count(x.interface))
			return Error{ExitCode::kKernelRejected,
				     "attaching to " + x.interface + " in native mode: Operation not supported"};
		progs[it->second].push_back(nextId);
		return XdpAttachment{.ifindex = it->second, .progId = nextId++};
	}
	Result<void> detach(const pipeline::XdpRecord &x) override
	{
		log.push_back("detach " + std::to_string(x.progId));
		auto &v = progs[x.ifindex];
		v.erase(std::remove(v.begin(), v.end(), x.progId), v.end());
		return {};
	}
	bool attached(const pipeline::XdpRecord &x) override
	{
		auto it = progs.find(x.ifindex);
		return it != progs.end() &&
		       std::find(it->second.begin(), it->second.end(), x.progId) != it->second.end();
	}
	Result<XdpCounters> counters(const pipeline::XdpRecord &x) override
	{
		return XdpCounters{{{"seen", 10 + x.progId}, {"matched", 3}}};
	}
};

struct ScriptedReader : LineReader {
	std::deque<std::string> lines;
	std::vector<std::string> prompts;
	std::vector<std::string> history;

	std::optional<std::string> readLine(const std::string &prompt) override
	{
		prompts.push_back(prompt);
		if (lines.empty())
			return std::nullopt;
		std::string l = lines.front();
		lines.pop_front();
		return l;
	}
	void addHistory(const std::string &entry) override { history.push_back(entry); }
};

// Owns the fakes; `cp` and `module` stay valid while the fixture lives.
class CliHarness {
public:
	CliHarness()
	{
		auto mock = std::make_unique<testing::StrictMock<MockControlPlane>>();
		cp = mock.get();
		pending_ = std::move(mock);
		auto fx = std::make_unique<FakeXdp>();
		xdp = fx.get();
		svc.xdp = std::move(fx);
		auto fm = std::make_unique<FakeModule>();
		module = fm.get();
		svc.module = std::move(fm);
		svc.connect = [this]() -> Result<std::unique_ptr<ControlPlane>> {
			connects++;
			if (connectError)
				return *connectError;
			// Every connection reaches the one mock, which the
			// harness owns (pipeline commands connect more than once).
			return std::unique_ptr<ControlPlane>(std::make_unique<ForwardingPlane>(*cp));
		};
		svc.listInterfaces = [this] { return interfaces; };
		svc.enterNetns = [this](const std::string &name) -> Result<void> {
			enteredNetns.push_back(name);
			return {};
		};
		svc.stateDir = stateDir_.path() / "run";
		// A fake iptables: -A appends, -D removes, -C checks; the
		// rules are "binary table chain args...".
		svc.runCommand = [this](const std::vector<std::string> &argv) -> CommandResult {
			commands.push_back(argv);
			if (!argv.empty() && argv[0] == "nft")
				return nft.run(argv);
			if (argv.size() < 6)
				return {2, "bad usage"};
			std::vector<std::string> key{argv[0], argv[3], argv[5]};
			key.insert(key.end(), argv.begin() + 6, argv.end());
			auto it = std::find(iptables.begin(), iptables.end(), key);
			const std::string &op = argv[4];
			if (op == "-C")
				return {it == iptables.end() ? 1 : 0, ""};
			if (op == "-D") {
				if (it == iptables.end())
					return {1, "iptables: Bad rule (does a matching rule exist in that chain?).\n"};
				iptables.erase(it);
				return {0, ""};
			}
			if (failAppend)
				return {2, "iptables v1.8.9 (nf_tables): Couldn't load match `nope'\n"};
			iptables.push_back(key);
			// iptables-nft makes the nft table and chain it needs
			if (argv[0] == "iptables-nft") {
				nft.tables.insert("ip " + argv[3]);
				nft.chains.emplace("ip " + argv[3] + " " + argv[5], "");
			}
			return {0, ""};
		};
		reader = &scripted_;
		svc.lineReader = [this]() -> std::unique_ptr<LineReader> {
			return std::make_unique<ForwardingReader>(scripted_);
		};
		svc.in = &in;
		svc.out = &out;
		svc.err = &err;
	}

	int run(std::vector<std::string> args)
	{
		args.insert(args.begin(), "lunatik-pipeline");
		std::vector<const char *> argv;
		for (const auto &a : args)
			argv.push_back(a.c_str());
		return runCli(static_cast<int>(argv.size()), argv.data(), svc);
	}

	testing::StrictMock<MockControlPlane> *cp;
	FakeModule *module;
	FakeXdp *xdp;
	ScriptedReader *reader;
	std::optional<Error> connectError;
	int connects = 0;
	std::optional<std::vector<std::string>> interfaces = std::vector<std::string>{"lo", "eth0"};
	std::vector<std::string> enteredNetns;
	std::vector<std::vector<std::string>> iptables;
	std::vector<std::vector<std::string>> commands;
	FakeNft nft;
	bool failAppend = false;
	std::istringstream in;
	std::ostringstream out;
	std::ostringstream err;
	Services svc;

private:
	struct ForwardingPlane : ControlPlane {
		explicit ForwardingPlane(ControlPlane &t) : target(t) {}
		Result<SetInfo> createSet(const CreateRequest &r) override { return target.createSet(r); }
		Result<void> stopSet(const std::string &n) override { return target.stopSet(n); }
		Result<SetInfo> reloadSet(const ReloadRequest &r) override { return target.reloadSet(r); }
		Result<SetInfo> getSet(const std::string &n) override { return target.getSet(n); }
		Result<std::vector<SetInfo>> listSets() override { return target.listSets(); }
		Result<std::string> exec(const ExecRequest &r) override { return target.exec(r); }
		Result<ModuleStats> stats() override { return target.stats(); }
		ControlPlane &target;
	};

	TempDir stateDir_;

	// The command owns (and destroys) its reader; the script and what it
	// recorded stay here for the test to inspect.
	struct ForwardingReader : LineReader {
		explicit ForwardingReader(ScriptedReader &r) : target(r) {}
		std::optional<std::string> readLine(const std::string &p) override
		{
			return target.readLine(p);
		}
		void addHistory(const std::string &e) override { target.addHistory(e); }
		ScriptedReader &target;
	};

	std::unique_ptr<ControlPlane> pending_;
	ScriptedReader scripted_;
};

} // namespace lunatik::loader::test
