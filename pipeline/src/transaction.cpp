#include "lunatik/pipeline/transaction.hpp"

#include <fmt/core.h>

namespace lunatik::pipeline {

std::string Outcome::describe(const std::vector<Step> &steps) const
{
	if (ok)
		return "applied";
	std::string what = failedStep < steps.size() ? steps[failedStep].describe() : "journal";
	std::string out = fmt::format("step {} of {} ({}) failed: {}", failedStep + 1, steps.size(),
				      what, failure.message);
	if (undoFailures.empty())
		out += fmt::format("; undid {} applied step{}", undone, undone == 1 ? "" : "s");
	else
		out += fmt::format("; undo incomplete: {}", undoFailures.front());
	return out;
}

std::vector<std::string> rollBack(const std::vector<Step> &steps, std::size_t count,
				  StepRunner &runner)
{
	std::vector<std::string> failures;
	for (std::size_t i = count; i-- > 0;)
		if (auto failed = runner.undo(steps[i]))
			failures.push_back(fmt::format("undoing step {} ({}): {}", i + 1,
						       steps[i].describe(), failed->message));
	return failures;
}

Outcome runTransaction(const std::vector<Step> &steps, StepRunner &runner, Journal &journal)
{
	Outcome out;
	if (steps.empty())
		return out;
	if (auto failed = journal.begin(steps)) {
		out.ok = false;
		out.failedStep = 0;
		out.failure = *failed;
		return out;
	}
	for (std::size_t i = 0; i < steps.size(); i++) {
		std::optional<StepFailure> failed = journal.started(i + 1);
		// A step the journal does not know of is never attempted; the
		// ones before it are undone as for any failure.
		std::size_t toUndo = failed ? i : i + 1;
		if (!failed)
			failed = runner.apply(steps[i]);
		if (failed) {
			out.ok = false;
			out.failedStep = i;
			out.failure = *failed;
			out.undoFailures = rollBack(steps, toUndo, runner);
			out.undone = toUndo;
			// An incomplete undo keeps the journal: the next run retries.
			if (out.undoFailures.empty())
				journal.end();
			return out;
		}
	}
	journal.end();
	return out;
}

} // namespace lunatik::pipeline
