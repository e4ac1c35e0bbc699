#include "cmd_status.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "command_support.hpp"
#include "file_ops.hpp"
#include "nft.hpp"
#include "pipeline_session.hpp"
#include "report_format.hpp"

namespace lunatik::loader {

namespace {

// An XDP stage as found: its program attached or not, the classifier's
// counters, and the set's own counters of the packets it was handed.
struct XdpReport {
	pipeline::XdpRecord record;
	bool attached = false;
	XdpCounters counters;
	std::optional<HookInfo> setHook;	// the set's "xdp" hook, when running
	std::string unreadable;			// why the counters are missing
};

struct PipelineReport {
	pipeline::PipelineState state;
	std::vector<XdpReport> xdp;
	std::vector<SetInfo> running;
	std::vector<std::string> missing;
	std::vector<std::string> drift;
	bool interrupted = false;
	std::string unobserved;	// why the kernel could not be asked
};

PipelineReport inspect(const pipeline::PipelineState &st, Services &svc, const StateStore &store)
{
	PipelineReport r{.state = st};
	auto journal = store.readJournal(st.name);
	r.interrupted = journal && *journal;
	if (r.interrupted)
		r.drift.push_back("a run was interrupted; the next up or down finishes or undoes it");
	std::vector<SetInfo> kernel;
	if (!svc.module->loaded()) {
		r.unobserved = "kernel module lunatik is not loaded";
	} else if (auto cp = svc.connect(); !cp) {
		r.unobserved = cp.error().message;
	} else if (auto sets = (*cp)->listSets(); !sets) {
		r.unobserved = sets.error().message;
	} else {
		kernel = std::move(*sets);
	}
	for (const auto &want : st.sets) {
		auto it = std::find_if(kernel.begin(), kernel.end(),
				       [&](const SetInfo &k) { return k.name == want.name; });
		if (it != kernel.end()) {
			r.running.push_back(*it);
		} else if (r.unobserved.empty()) {
			r.missing.push_back(want.name);
			r.drift.push_back(fmt::format("set {} is not running (up recreates it)", want.name));
		}
	}
	for (const auto &x : st.xdp) {
		XdpReport xr{.record = x};
		xr.attached = svc.xdp && svc.xdp->attached(x);
		if (!svc.xdp) {
			xr.unreadable = "no XDP backend";
		} else if (!xr.attached) {
			r.drift.push_back(fmt::format("xdp program {} (prog id {}) is not attached "
						      "(up attaches it again)",
						      x.describe(), x.progId));
		} else if (auto c = svc.xdp->counters(x); c) {
			xr.counters = std::move(*c);
		} else {
			xr.unreadable = c.error().message;
		}
		for (const auto &k : kernel)
			if (k.name == x.set)
				for (const auto &h : k.hooks)
					if (h.type == "xdp")
						xr.setHook = h;
		r.xdp.push_back(std::move(xr));
	}
	if (svc.runCommand)
		for (const auto &rule : st.rules)
			if (!rulePresent(svc.runCommand, rule))
				r.drift.push_back(fmt::format("rule {} is missing (up reinserts it)",
							      rule.describe()));
	if (svc.runCommand)
		for (const auto &c : st.chains)
			if (!nftChainExists(svc.runCommand, c.family, c.table, c.chain))
				r.drift.push_back(fmt::format("nft chain {} is missing (up recreates it)",
							      c.describe()));
	for (const auto &f : st.files) {
		std::string now = hashFile(std::filesystem::path(st.scriptRoot) / f.path);
		if (now.empty())
			r.drift.push_back(fmt::format("script {} is missing from {} (up reinstalls it)",
						      f.path, st.scriptRoot));
		else if (now != f.hash)
			r.drift.push_back(fmt::format("script {} changed since up (up or reload {} "
						      "applies it)",
						      f.path, st.name));
	}
	return r;
}

nlohmann::json toJson(const PipelineReport &r)
{
	nlohmann::json sets = nlohmann::json::array();
	for (const auto &s : r.running) {
		auto j = setToJson(s);
		j["state"] = "running";
		sets.push_back(std::move(j));
	}
	for (const auto &m : r.missing)
		sets.push_back({{"name", m}, {"state", "missing"}});
	nlohmann::json hooks = nlohmann::json::array();
	for (const auto &h : r.state.hooks) {
		nlohmann::json j{{"set", h.set}, {"family", h.family}, {"hook", h.hook},
				 {"state", "expected"}};
		if (h.priority)
			j["priority"] = *h.priority;
		hooks.push_back(std::move(j));
	}
	nlohmann::json rules = nlohmann::json::array();
	for (const auto &rule : r.state.rules)
		rules.push_back(pipeline::toJson(rule));
	nlohmann::json xdp = nlohmann::json::array();
	for (const auto &x : r.xdp) {
		auto j = pipeline::toJson(x.record);
		j["state"] = x.attached ? "attached" : "missing";
		nlohmann::json counters = nlohmann::json::object();
		for (const auto &[k, v] : x.counters.values)
			counters[k] = v;
		j["counters"] = counters;
		if (x.setHook) {
			const HookInfo &h = *x.setHook;
			nlohmann::json verdicts = nlohmann::json::object();
			for (const auto &[k, v] : h.verdicts)
				verdicts[k] = v;
			j["set_counters"] = {{"packets", h.packets},	  {"errors", h.errors},
					     {"budget_hits", h.budgetHits}, {"memory", h.memory},
					     {"busy", h.busy},		  {"fallback", h.fallback},
					     {"verdicts", verdicts}};
		}
		if (!x.unreadable.empty())
			j["counters_error"] = x.unreadable;
		xdp.push_back(std::move(j));
	}
	nlohmann::json chains = nlohmann::json::array();
	for (const auto &c : r.state.chains)
		chains.push_back(pipeline::toJson(c));
	nlohmann::json out{{"name", r.state.name},
			   {"xdp", xdp},
			   {"rules", rules},
			   {"nft_chains", chains},
			   {"spec", r.state.specFile},
			   {"namespace", r.state.netns},
			   {"script_root", r.state.scriptRoot},
			   {"sets", sets},
			   {"hooks", hooks},
			   {"drift", r.drift}};
	if (!r.unobserved.empty())
		out["unobserved"] = r.unobserved;
	return out;
}

std::string toText(const PipelineReport &r)
{
	std::string out = fmt::format("pipeline {} (spec {}, script root {}{})\n", r.state.name,
				      r.state.specFile, r.state.scriptRoot,
				      r.state.netns.empty() ? "" : ", namespace " + r.state.netns);
	if (!r.unobserved.empty())
		out += fmt::format("  sets: unknown ({})\n", r.unobserved);
	if (!r.running.empty()) {
		std::string table = formatSetTable(r.running);
		for (std::size_t at = 0, nl; at < table.size(); at = nl + 1) {
			nl = table.find('\n', at);
			out += "  " + table.substr(at, nl - at + 1);
		}
	}
	for (const auto &h : r.state.hooks)
		out += fmt::format("  hook {} {} {}{} (expected by the spec)\n", h.set, h.family, h.hook,
				   h.priority ? fmt::format(" priority {}", *h.priority) : "");
	for (const auto &c : r.state.chains)
		out += "  nft chain " + c.describe() + "\n";
	for (const auto &rule : r.state.rules)
		out += "  rule " + rule.describe() + "\n";
	for (const auto &x : r.xdp) {
		out += fmt::format("  xdp {} prog id {}: {}\n", x.record.describe(), x.record.progId,
				   x.attached ? "attached" : "missing");
		if (!x.counters.values.empty()) {
			std::string line;
			for (const auto &[k, v] : x.counters.values)
				line += fmt::format(" {} {}", k, v);
			out += "    classifier:" + line + "\n";
		}
		if (x.setHook) {
			std::string line = fmt::format(" packets {} errors {} budget {} busy {}",
						       x.setHook->packets, x.setHook->errors,
						       x.setHook->budgetHits, x.setHook->busy);
			for (const auto &[k, v] : x.setHook->verdicts)
				line += fmt::format(" {} {}", k, v);
			out += "    set " + x.record.set + ":" + line + "\n";
		}
		if (!x.unreadable.empty())
			out += "    counters: " + x.unreadable + "\n";
	}
	for (const auto &d : r.drift)
		out += "  drift: " + d + "\n";
	return out;
}

} // namespace

CLI::App *setupStatus(CLI::App &app, StatusOptions &opts)
{
	CLI::App *sub = app.add_subcommand("status", "applied pipelines: sets, counters, drift");
	sub->add_option("pipeline", opts.name, "only this pipeline")->type_name("NAME");
	sub->add_flag("--json", opts.json, "JSON with per-instance counters");
	return sub;
}

int runStatus(const StatusOptions &opts, Services &svc)
{
	StateStore store(svc.stateDir);
	std::vector<pipeline::PipelineState> states;
	if (!opts.name.empty()) {
		auto st = store.load(opts.name);
		if (!st)
			return fail(svc, st.error());
		if (!*st)
			return fail(svc, Error{ExitCode::kPipelineNotFound,
					       fmt::format("no pipeline named '{}'", opts.name)});
		if (!(*st)->netns.empty() && svc.enterNetns)
			if (auto entered = svc.enterNetns((*st)->netns); !entered)
				return fail(svc, entered.error());
		states.push_back(std::move(**st));
	} else {
		auto all = store.all();
		if (!all)
			return fail(svc, all.error());
		states = std::move(*all);
	}

	nlohmann::json list = nlohmann::json::array();
	std::string text;
	for (const auto &st : states) {
		PipelineReport r;
		// The sets of a pipeline in another netns are seen from there
		// only: `status NAME` enters it.
		if (!opts.name.empty() || st.netns.empty())
			r = inspect(st, svc, store);
		else
			r = PipelineReport{.state = st,
					   .unobserved = fmt::format("in namespace {}: run status {}",
								     st.netns, st.name)};
		list.push_back(toJson(r));
		text += toText(r);
	}
	if (opts.json)
		*svc.out << nlohmann::json{{"pipelines", list}}.dump(2) << '\n';
	else if (states.empty())
		*svc.out << "no pipeline is up\n";
	else
		*svc.out << text;
	return toInt(ExitCode::kOk);
}

} // namespace lunatik::loader
