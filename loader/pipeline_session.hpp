// What the pipeline commands (validate, plan, up, down, status, reload of a
// pipeline) share: reading and checking a spec, observing the system,
// finishing or undoing an interrupted run, applying a plan as one
// transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lunatik/pipeline/plan.hpp"
#include "lunatik/pipeline/spec.hpp"
#include "result.hpp"
#include "services.hpp"
#include "state_store.hpp"

namespace lunatik::loader {

enum class SpecUse {
	kCheck,	// validate: the spec's netns is entered if possible
	kApply,	// plan/up: the netns must be entered; unsupported stages are errors
};

// Reads and checks the spec named on the command line. Every diagnostic
// is printed on svc.err as file:line:column: message; the error returned
// then only counts them.
Result<pipeline::Spec> loadSpec(const std::string &arg, Services &svc, SpecUse use);

// The script root the pipeline's sets load from: the loaded module's, or
// the one `up` loads the module with. A spec asking for another root than
// the loaded module's is an error.
Result<std::string> scriptRootFor(const pipeline::Spec *spec, Services &svc);

// The kernel's sets (when the module is loaded), the pipeline's state, the
// hashes of `paths` under the root, the sets other pipelines own, which of
// `rules` and the state's rules are in place, which of the tables and
// chains of `chains` and the state's nft chains exist.
Result<pipeline::Observed> observe(Services &svc, const StateStore &store, const std::string &name,
				   const std::string &scriptRoot, std::vector<std::string> paths,
				   std::vector<pipeline::RuleRecord> rules = {},
				   std::vector<pipeline::NftChainRecord> chains = {});

// Under the pipeline's lock, before anything else: a journal left by a
// killed run is undone (or, if that run had committed, finished).
Result<void> recoverInterrupted(Services &svc, const StateStore &store, const std::string &name,
				bool quiet);

// Runs the plan's steps as one transaction; on success writes `after` as
// the pipeline's state (nullopt: removes it). Prints each step applied
// unless quiet. verb names the command in messages ("up", "down"); netns
// is recorded in the journal, for a recovery started from `down NAME`.
Result<void> applyPlan(Services &svc, const StateStore &store, const std::string &name,
		       const std::string &scriptRoot, const std::string &netns,
		       const std::vector<pipeline::Step> &steps,
		       const std::optional<pipeline::PipelineState> &after, const std::string &verb,
		       bool quiet);

} // namespace lunatik::loader
