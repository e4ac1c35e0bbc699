#include "pipeline_session.hpp"

#include <fmt/core.h>

#include "command_support.hpp"
#include "file_ops.hpp"
#include "lunatik/pipeline/validate.hpp"
#include "nft.hpp"
#include "script_path.hpp"
#include "step_runner.hpp"

namespace lunatik::loader {

namespace {

class ServicesEnvironment final : public pipeline::Environment {
public:
	explicit ServicesEnvironment(std::optional<std::vector<std::string>> ifaces)
		: ifaces_(std::move(ifaces))
	{
	}
	bool isFile(const std::filesystem::path &p) const override
	{
		std::error_code ec;
		return std::filesystem::is_regular_file(p, ec);
	}
	std::optional<std::vector<std::string>> interfaces() const override { return ifaces_; }

private:
	std::optional<std::vector<std::string>> ifaces_;
};

SystemStepRunner runnerFor(Services &svc, const StateStore &store, const std::string &name,
			   const std::string &scriptRoot)
{
	return SystemStepRunner(svc.connect, *svc.module, scriptRoot, store.backupDir(name),
				svc.runCommand, svc.xdp.get());
}

// The prog ids XDP attaches of the run got, into the state they leave.
void recordXdpIds(pipeline::PipelineState &st, const SystemStepRunner &runner)
{
	const auto &again = runner.xdpReattached();
	const auto &made = runner.xdpAttached();
	for (auto &x : st.xdp) {
		const XdpAttachment *now = nullptr;
		if (auto it = again.find(x.progId); x.progId && it != again.end())
			now = &it->second;
		else if (auto m = made.find(x.interface); !x.progId && m != made.end())
			now = &m->second;
		if (now) {
			x.ifindex = now->ifindex;
			x.progId = now->progId;
		}
	}
}

// A rollback that attached a detached program again gave it a new prog
// id: the state kept from before the run must name it.
Result<void> keepReattached(const StateStore &store, const std::string &name,
			    const SystemStepRunner &runner)
{
	if (runner.xdpReattached().empty())
		return {};
	auto st = store.load(name);
	if (!st)
		return st.error();
	if (!*st)
		return {};
	recordXdpIds(**st, runner);
	return store.save(**st);
}

void dropBackups(const StateStore &store, const std::string &name)
{
	std::error_code ec;
	std::filesystem::remove_all(store.backupDir(name), ec);
}

Result<void> finishCommit(const StateStore &store, const std::string &name,
			  const std::optional<pipeline::PipelineState> &after)
{
	auto saved = after ? store.save(*after) : store.remove(name);
	if (!saved)
		return saved;
	dropBackups(store, name);
	return store.dropJournal(name);
}

} // namespace

Result<pipeline::Spec> loadSpec(const std::string &arg, Services &svc, SpecUse use)
{
	auto text = readFile(arg);
	if (!text)
		return Error{ExitCode::kInvalidSpec, fmt::format("cannot read spec {}", arg)};
	std::filesystem::path dir = std::filesystem::absolute(arg).parent_path();
	auto read = pipeline::readSpec(*text, arg, dir);

	std::optional<std::vector<std::string>> ifaces;
	if (!read.spec.netns.empty() && svc.enterNetns) {
		auto entered = svc.enterNetns(read.spec.netns);
		if (entered && svc.listInterfaces)
			ifaces = svc.listInterfaces();
		else if (!entered && use == SpecUse::kApply && read.diagnostics.empty())
			return entered.error();
	} else if (svc.listInterfaces) {
		ifaces = svc.listInterfaces();
	}
	auto checked = pipeline::checkSpec(*text, arg, dir, ServicesEnvironment(ifaces));
	const auto &diagnostics = checked.diagnostics;
	for (const auto &d : diagnostics)
		*svc.err << d.format() << '\n';
	if (!diagnostics.empty())
		return Error{ExitCode::kInvalidSpec,
			     fmt::format("{}: {} problem{}", arg, diagnostics.size(),
					 diagnostics.size() == 1 ? "" : "s")};
	return std::move(checked.spec);
}

Result<std::string> scriptRootFor(const pipeline::Spec *spec, Services &svc)
{
	std::string wanted = spec ? spec->scripts.root : std::string();
	if (!svc.module->loaded())
		return wanted.empty() ? std::string(kDefaultScriptRoot) : wanted;
	std::string current = svc.module->scriptRoot();
	if (!wanted.empty() && wanted != current)
		return Error{ExitCode::kExists,
			     fmt::format("module lunatik is loaded with script_root={} but the spec "
					 "asks for {} (unload the module, or change scripts.root)",
					 current, wanted)};
	return current;
}

Result<pipeline::Observed> observe(Services &svc, const StateStore &store, const std::string &name,
				   const std::string &scriptRoot, std::vector<std::string> paths,
				   std::vector<pipeline::RuleRecord> rules,
				   std::vector<pipeline::NftChainRecord> chains)
{
	pipeline::Observed o;
	o.scriptRoot = scriptRoot;
	o.moduleLoaded = svc.module->loaded();
	if (o.moduleLoaded) {
		auto cp = svc.connect();
		if (!cp)
			return cp.error();
		auto sets = (*cp)->listSets();
		if (!sets)
			return sets.error();
		for (const auto &s : *sets)
			o.sets.push_back(pipeline::KernelSet{
				.name = s.name,
				.script = s.script,
				.context = s.context == Context::kSoftirq ? pipeline::Context::kSoftirq
									  : pipeline::Context::kProcess,
				.memory = s.memLimit,
				.budget = s.budget,
				.hookBudget = s.hookBudget,
				.defaultVerdict = s.policy == Policy::kDrop ? pipeline::Verdict::kDrop
									    : pipeline::Verdict::kAccept,
			});
	}
	auto state = store.load(name);
	if (!state)
		return state.error();
	o.state = std::move(*state);
	if (o.state) {
		for (const auto &f : o.state->files)
			paths.push_back(f.path);
		rules.insert(rules.end(), o.state->rules.begin(), o.state->rules.end());
		chains.insert(chains.end(), o.state->chains.begin(), o.state->chains.end());
	}
	// 127: nft could not be run at all (not installed).
	o.nftUsable = svc.runCommand && svc.runCommand({"nft", "--version"}).status != 127;
	for (const auto &c : chains) {
		if (!o.nftUsable)
			break;
		if (nftTableExists(svc.runCommand, c.family, c.table))
			o.nftTables.insert(pipeline::nftTableKey(c.family, c.table));
		if (nftChainExists(svc.runCommand, c.family, c.table, c.chain))
			o.nftChains.insert(pipeline::nftChainKey(c.family, c.table, c.chain));
	}
	if (o.state && svc.xdp)
		for (const auto &x : o.state->xdp)
			if (svc.xdp->attached(x))
				o.xdpAttached.push_back(x.progId);
	for (const auto &r : rules)
		if (svc.runCommand && rulePresent(svc.runCommand, r) &&
		    std::find(o.rulesPresent.begin(), o.rulesPresent.end(), r) == o.rulesPresent.end())
			o.rulesPresent.push_back(r);
	for (const auto &p : paths)
		o.rootHashes[p] = hashFile(std::filesystem::path(scriptRoot) / p);
	auto all = store.all();
	if (!all)
		return all.error();
	for (const auto &other : *all)
		if (other.name != name)
			for (const auto &s : other.sets)
				o.owners[s.name] = other.name;
	return o;
}

Result<void> recoverInterrupted(Services &svc, const StateStore &store, const std::string &name,
				bool quiet)
{
	auto journal = store.readJournal(name);
	if (!journal)
		return journal.error();
	if (!*journal)
		return {};
	const JournalRecord &j = **journal;
	if (j.committed) {
		if (!quiet)
			*svc.err << kProgramName << ": finishing an interrupted run of pipeline '" << name
				 << "'\n";
		return finishCommit(store, name, j.state);
	}
	auto runner = runnerFor(svc, store, name, j.scriptRoot);
	auto failures = pipeline::rollBack(j.steps, j.started, runner);
	if (auto kept = keepReattached(store, name, runner); !kept)
		return kept;
	if (!failures.empty())
		return Error{ExitCode::kSystem,
			     fmt::format("cannot undo the interrupted run of pipeline '{}': {} (journal "
					 "kept in {})",
					 name, failures.front(), store.dir().string())};
	if (!quiet)
		*svc.err << kProgramName << ": undid " << j.started << " step"
			 << (j.started == 1 ? "" : "s") << " of an interrupted run of pipeline '"
			 << name << "'\n";
	dropBackups(store, name);
	return store.dropJournal(name);
}

Result<void> applyPlan(Services &svc, const StateStore &store, const std::string &name,
		       const std::string &scriptRoot, const std::string &netns,
		       const std::vector<pipeline::Step> &steps,
		       const std::optional<pipeline::PipelineState> &after, const std::string &verb,
		       bool quiet)
{
	if (steps.empty())
		return finishCommit(store, name, after);
	auto runner = runnerFor(svc, store, name, scriptRoot);
	auto journal = store.journal(name, scriptRoot, netns);
	dropBackups(store, name);
	auto outcome = pipeline::runTransaction(steps, runner, *journal);
	if (auto kept = keepReattached(store, name, runner); !kept)
		return kept;
	if (!outcome.ok) {
		if (outcome.undoFailures.empty()) {
			dropBackups(store, name);
			(void)store.dropJournal(name);
			// A Lua error is printed verbatim by report(): this one
			// is ours, so it carries the program name itself.
			auto code = static_cast<ExitCode>(outcome.failure.code);
			std::string prefix = code == ExitCode::kLuaError
						     ? fmt::format("{}: ", kProgramName)
						     : std::string();
			return Error{code, fmt::format("{}{} {}: {}", prefix, verb, name,
						       outcome.describe(steps))};
		}
		return Error{ExitCode::kSystem,
			     fmt::format("{} {}: {} (journal kept: the next up or down retries the "
					 "undo)",
					 verb, name, outcome.describe(steps))};
	}
	if (!quiet)
		for (const auto &s : steps)
			*svc.out << "  " << s.describe() << '\n';
	std::optional<pipeline::PipelineState> done = after;
	if (done)
		recordXdpIds(*done, runner);
	if (auto committed = journal->commit(done); !committed)
		return committed;
	return finishCommit(store, name, done);
}

} // namespace lunatik::loader
