#include "lunatik/pipeline/plan.hpp"

#include <algorithm>
#include <set>

#include <fmt/core.h>

#include "lunatik/pipeline/validate.hpp"

namespace lunatik::pipeline {

namespace {

std::string hashAt(const Observed &o, const std::string &path)
{
	auto it = o.rootHashes.find(path);
	return it == o.rootHashes.end() ? std::string() : it->second;
}

const KernelSet *kernelSet(const Observed &o, const std::string &name)
{
	for (const auto &k : o.sets)
		if (k.name == name)
			return &k;
	return nullptr;
}

std::string underRoot(const Observed &o, const std::string &path)
{
	return (std::filesystem::path(o.scriptRoot) / path).lexically_normal().string();
}

// The set as the kernel runs it, with what the state knows of its script.
SetRecord asRunning(const KernelSet &k, const SetRecord *recorded, const Observed &o)
{
	SetRecord r = recorded ? *recorded : SetRecord{.name = k.name};
	r.context = k.context;
	r.memory = k.memory;
	r.budget = k.budget;
	r.hookBudget = k.hookBudget;
	r.defaultVerdict = k.defaultVerdict;
	auto rel = std::filesystem::path(k.script).lexically_relative(o.scriptRoot);
	if (!rel.empty() && *rel.begin() != "..")
		r.script = rel.generic_string();
	return r;
}

bool present(const Observed &o, const RuleRecord &r)
{
	return std::find(o.rulesPresent.begin(), o.rulesPresent.end(), r) != o.rulesPresent.end();
}

bool contains(const std::vector<RuleRecord> &rules, const RuleRecord &r)
{
	return std::find(rules.begin(), rules.end(), r) != rules.end();
}

bool attached(const Observed &o, const XdpRecord &x)
{
	return x.progId != 0 &&
	       std::find(o.xdpAttached.begin(), o.xdpAttached.end(), x.progId) != o.xdpAttached.end();
}

const XdpRecord *recordedOn(const PipelineState *st, const std::string &interface)
{
	if (st)
		for (const auto &x : st->xdp)
			if (x.interface == interface)
				return &x;
	return nullptr;
}

// XDP stages: one per interface (validation), so the interface names the
// stage. A changed stage is attached anew before the old program leaves,
// so the interface is never without a classifier; a stage whose program
// was detached by hand is attached again.
void planXdp(const Desired &d, const Observed &o, const PipelineState *st, Plan &plan)
{
	std::vector<Step> detaches;
	plan.after.xdp.clear();
	for (const auto &want : d.xdp) {
		const XdpRecord *was = recordedOn(st, want.interface);
		bool live = was && attached(o, *was);
		if (live && was->sameStage(want)) {
			plan.after.xdp.push_back(*was);
			continue;
		}
		std::string reason = !was ? "new" : !live ? "detached by hand" : "changed";
		plan.steps.push_back(Step{.kind = StepKind::kAttachXdp, .target = want.interface,
					  .reason = reason, .xdp = want});
		plan.after.xdp.push_back(want);
		if (live)
			detaches.push_back(Step{.kind = StepKind::kDetachXdp, .target = was->interface,
						.reason = "replaced", .xdp = *was});
	}
	if (st)
		for (const auto &old : st->xdp) {
			bool wanted = std::any_of(d.xdp.begin(), d.xdp.end(), [&](const XdpRecord &x) {
				return x.interface == old.interface;
			});
			if (!wanted && attached(o, old))
				detaches.push_back(Step{.kind = StepKind::kDetachXdp, .target = old.interface,
							.reason = "no longer in the spec", .xdp = old});
		}
	plan.steps.insert(plan.steps.end(), detaches.begin(), detaches.end());
}

bool chainExists(const Observed &o, const NftChainRecord &c)
{
	return o.nftChains.count(nftChainKey(c.family, c.table, c.chain)) > 0;
}

bool tableExists(const Observed &o, const NftChainRecord &c)
{
	return o.nftTables.count(nftTableKey(c.family, c.table)) > 0;
}

const NftChainRecord *findChain(const std::vector<NftChainRecord> &chains,
				const NftChainRecord &c)
{
	for (const auto &x : chains)
		if (x.sameChain(c))
			return &x;
	return nullptr;
}

// Removing a chain the pipeline created: only when it (or, if ours, its
// table) is still there.
void deleteChainStep(const Observed &o, const NftChainRecord &c, const std::string &reason,
		     std::vector<Step> &steps)
{
	if (chainExists(o, c) || (c.ownTable && tableExists(o, c)))
		steps.push_back(Step{.kind = StepKind::kDeleteNftChain, .target = c.chain,
				     .reason = reason, .chain = c});
}

} // namespace

std::string nftTableKey(const std::string &family, const std::string &table)
{
	return family + " " + table;
}

std::string nftChainKey(const std::string &family, const std::string &table,
			const std::string &chain)
{
	return family + " " + table + " " + chain;
}

std::string nftRuleTag(const std::string &pipeline, const std::string &family,
		       const std::string &table, const std::string &chain, const std::string &rule)
{
	// FNV-1a, 32 bits: stable across builds and machines (std::hash is not).
	std::uint32_t h = 2166136261u;
	for (const std::string *part : {&family, &table, &chain, &rule}) {
		for (unsigned char c : *part)
			h = (h ^ c) * 16777619u;
		h = (h ^ 0u) * 16777619u;
	}
	return fmt::format("{}:{:08x}", ruleComment(pipeline), h);
}

std::string ruleComment(const std::string &pipeline)
{
	return "lunatik-pipeline:" + pipeline;
}

Desired desiredFrom(const Spec &spec,
		    const std::function<std::string(const std::filesystem::path &)> &hashOf,
		    const BuiltinObject &builtinObject)
{
	Desired d;
	d.name = spec.name;
	std::set<std::string> listed;
	auto addFile = [&](const std::string &relative) -> const DesiredFile * {
		auto path = pathUnderBase(spec, relative);
		if (!path)
			return nullptr;
		auto source = spec.resolve(relative);
		if (listed.insert(*path).second)
			d.files.push_back({*path, source.string(), hashOf(source)});
		for (const auto &f : d.files)
			if (f.path == *path)
				return &f;
		return nullptr;
	};
	for (const auto &s : spec.sets) {
		const DesiredFile *f = addFile(s.script);
		d.sets.push_back(SetRecord{
			.name = s.name,
			.script = f ? f->path : s.script,
			.hash = f ? f->hash : std::string(),
			.context = s.context,
			.memory = s.memory,
			.budget = s.budget,
			.hookBudget = s.hookBudget,
			.defaultVerdict = s.defaultVerdict,
		});
		for (const auto &h : s.hooks)
			d.hooks.push_back({s.name, h.family, h.hook, h.priority});
	}
	for (const auto &extra : spec.scripts.files)
		addFile(extra);
	for (const auto &x : spec.xtables) {
		// iptables-nft makes the table and built-in chain of its first
		// rule and leaves them behind: recorded like a chain of ours
		// (without a hook: iptables makes it), down removes them once
		// empty, so the ruleset is as before.
		if (x.backend == XtBackend::kIptablesNft) {
			NftChainRecord made{.family = x.family == IpFamily::kIpv6 ? "ip6" : "ip",
					    .table = x.table, .chain = x.chain, .type = "", .hook = ""};
			if (!findChain(d.chains, made))
				d.chains.push_back(std::move(made));
		}
		RuleRecord r{.backend = std::string(xtBackendName(x.backend)),
			     .family = std::string(ipFamilyName(x.family)),
			     .table = x.table,
			     .chain = x.chain};
		if (!x.protocol.empty())
			r.args.insert(r.args.end(), {"-p", x.protocol});
		if (!x.match.empty()) {
			r.args.insert(r.args.end(), {"-m", x.match});
			r.args.insert(r.args.end(), x.args.begin(), x.args.end());
			r.args.insert(r.args.end(), {"-j", x.jump});
		} else {
			r.args.insert(r.args.end(), {"-j", x.target});
			r.args.insert(r.args.end(), x.args.begin(), x.args.end());
		}
		r.args.insert(r.args.end(), {"-m", "comment", "--comment", ruleComment(spec.name)});
		d.rules.push_back(std::move(r));
	}
	for (const auto &x : spec.xdp) {
		std::filesystem::path object;
		if (!x.object.empty())
			object = spec.resolve(x.object);
		else if (builtinObject)
			object = builtinObject(x.classifier);
		d.xdp.push_back(XdpRecord{
			.interface = x.interface,
			.object = object.string(),
			.program = x.program,
			.mode = std::string(xdpModeName(x.mode)),
			.set = x.set,
			.ports = x.ports,
			.hash = object.empty() ? std::string() : hashOf(object),
		});
	}
	for (const auto &n : spec.nft) {
		d.rules.push_back(RuleRecord{
			.backend = "nft",
			.family = n.family,
			.table = n.table,
			.chain = n.chain,
			.args = {n.rule, "comment",
				 nftRuleTag(spec.name, n.family, n.table, n.chain, n.rule)},
		});
		NftChainRecord c{.family = n.family, .table = n.table, .chain = n.chain,
				 .type = n.type, .hook = n.hook, .priority = n.priority};
		if (!n.hook.empty() && !findChain(d.chains, c))
			d.chains.push_back(std::move(c));
	}
	return d;
}

Plan planUp(const Desired &d, const Observed &o)
{
	Plan plan;
	const PipelineState *st = o.state ? &*o.state : nullptr;
	plan.after.name = d.name;
	plan.after.scriptRoot = o.scriptRoot;
	plan.after.sets = d.sets;
	plan.after.hooks = d.hooks;
	plan.after.rules = d.rules;

	if (!o.moduleLoaded)
		plan.steps.push_back(Step{.kind = StepKind::kLoadModule, .target = "lunatik",
					  .reason = "not loaded", .scriptRoot = o.scriptRoot});

	// Files first: every set below loads its script from the root.
	std::set<std::string> setScripts, installing, extraChanged;
	for (const auto &s : d.sets)
		setScripts.insert(s.script);
	for (const auto &f : d.files) {
		std::string current = hashAt(o, f.path);
		const FileRecord *was = st ? st->findFile(f.path) : nullptr;
		bool installed = was && was->installed;
		if (current != f.hash) {
			plan.steps.push_back(Step{.kind = StepKind::kInstallFile, .target = f.path,
						  .reason = current.empty() ? "new" : "changed",
						  .source = f.source, .hash = f.hash});
			installing.insert(f.path);
			installed = true;
		}
		plan.after.files.push_back({f.path, f.hash, installed});
		bool isExtra = !setScripts.count(f.path);
		if (isExtra && (installing.count(f.path) || !was || was->hash != f.hash))
			extraChanged.insert(f.path);
	}

	std::vector<Step> creates, replaces, reloads;
	for (const auto &want : d.sets) {
		const KernelSet *k = kernelSet(o, want.name);
		const SetRecord *rec = st ? st->findSet(want.name) : nullptr;
		if (k && !rec) {
			auto owner = o.owners.find(want.name);
			if (owner != o.owners.end())
				plan.conflicts.push_back(fmt::format(
					"set '{}' belongs to pipeline '{}'", want.name, owner->second));
			else
				plan.conflicts.push_back(fmt::format(
					"a runtime set named '{}' exists and pipeline '{}' did not create "
					"it (stop it, or rename the set in the spec)",
					want.name, d.name));
			continue;
		}
		if (!k) {
			creates.push_back(Step{.kind = StepKind::kCreateSet, .target = want.name,
					       .reason = rec ? "missing from the kernel" : "new",
					       .set = want});
			continue;
		}
		SetRecord running = asRunning(*k, rec, o);
		if (!running.sameConfig(want)) {
			replaces.push_back(Step{.kind = StepKind::kReplaceSet, .target = want.name,
						.reason = "context, memory, budget or default verdict changed",
						.set = want, .previous = running});
			continue;
		}
		std::vector<std::string> follows;
		if (installing.count(want.script))
			follows.push_back(want.script);
		for (const auto &extra : extraChanged)
			if (installing.count(extra))
				follows.push_back(extra);
		std::string reason;
		if (k->script != underRoot(o, want.script))
			reason = "script path changed";
		else if (rec->hash != want.hash || installing.count(want.script))
			reason = "script changed";
		else if (!extraChanged.empty())
			reason = "a required file changed";
		if (!reason.empty())
			reloads.push_back(Step{.kind = StepKind::kReloadSet, .target = want.name,
					       .reason = reason, .set = want, .previous = running,
					       .files = follows});
	}
	for (auto *group : {&creates, &replaces, &reloads})
		plan.steps.insert(plan.steps.end(), group->begin(), group->end());

	// nft chains the rules go into, created when missing (with their
	// table); one that was there before is the user's and not recorded.
	for (const auto &want : d.chains) {
		if (want.hook.empty() && !o.nftUsable)
			continue;
		const NftChainRecord *rec = st ? findChain(st->chains, want) : nullptr;
		if (chainExists(o, want)) {
			if (rec)
				plan.after.chains.push_back(*rec);
			continue;
		}
		NftChainRecord c = want;
		c.ownTable = !tableExists(o, want) || (rec && rec->ownTable);
		plan.steps.push_back(Step{.kind = StepKind::kCreateNftChain, .target = c.chain,
					  .reason = rec ? "missing" : "new", .chain = c});
		plan.after.chains.push_back(std::move(c));
	}

	// Rules last: the sets registering their extensions run by now.
	for (const auto &r : d.rules)
		if (!present(o, r))
			plan.steps.push_back(Step{.kind = StepKind::kInsertRule, .target = r.chain,
						  .reason = st && contains(st->rules, r) ? "missing" : "new",
						  .rule = r});

	// XDP last: the sets their programs call run by now. Old programs
	// leave before the sets they call are stopped below.
	planXdp(d, o, st, plan);

	// What the previous apply owned and the spec no longer has; rules
	// go before the sets whose extensions they use.
	if (st) {
		for (const auto &r : st->rules)
			if (!contains(d.rules, r) && present(o, r))
				plan.steps.push_back(Step{.kind = StepKind::kDeleteRule, .target = r.chain,
							  .reason = "no longer in the spec", .rule = r});
		for (const auto &c : st->chains)
			if (!findChain(d.chains, c))
				deleteChainStep(o, c, "no longer in the spec", plan.steps);
		for (const auto &old : st->sets) {
			bool wanted = std::any_of(d.sets.begin(), d.sets.end(),
						  [&](const SetRecord &s) { return s.name == old.name; });
			if (wanted)
				continue;
			if (const KernelSet *k = kernelSet(o, old.name))
				plan.steps.push_back(Step{.kind = StepKind::kStopSet, .target = old.name,
							  .reason = "no longer in the spec",
							  .previous = asRunning(*k, &old, o)});
		}
		for (const auto &old : st->files) {
			bool wanted = std::any_of(d.files.begin(), d.files.end(),
						  [&](const DesiredFile &f) { return f.path == old.path; });
			if (!wanted && old.installed && !hashAt(o, old.path).empty())
				plan.steps.push_back(Step{.kind = StepKind::kRemoveFile, .target = old.path,
							  .reason = "no longer in the spec"});
		}
	}
	return plan;
}

Plan planDown(const Observed &o)
{
	Plan plan;
	if (!o.state)
		return plan;
	const PipelineState &st = *o.state;
	plan.after.name = st.name;
	// Programs first: they call the sets stopped below.
	for (const auto &x : st.xdp)
		if (attached(o, x))
			plan.steps.push_back(Step{.kind = StepKind::kDetachXdp, .target = x.interface, .xdp = x});
	for (const auto &r : st.rules)
		if (present(o, r))
			plan.steps.push_back(Step{.kind = StepKind::kDeleteRule, .target = r.chain, .rule = r});
	for (const auto &c : st.chains)
		deleteChainStep(o, c, "", plan.steps);
	for (const auto &s : st.sets)
		if (const KernelSet *k = kernelSet(o, s.name))
			plan.steps.push_back(Step{.kind = StepKind::kStopSet, .target = s.name,
						  .previous = asRunning(*k, &s, o)});
	for (const auto &f : st.files)
		if (f.installed && !hashAt(o, f.path).empty())
			plan.steps.push_back(Step{.kind = StepKind::kRemoveFile, .target = f.path});
	return plan;
}

} // namespace lunatik::pipeline
