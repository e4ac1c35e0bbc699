// Applies steps in order; when one fails, undoes every step this run
// applied, newest first. Before a step is attempted the journal records it,
// so a run killed at any point (SIGKILL) is undone by the next run from the
// journal alone (undo must therefore accept a step that only half
// happened). The runner and the journal are interfaces: the CLI gives the
// real ones, tests give fakes that fail at chosen steps.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "lunatik/pipeline/step.hpp"

namespace lunatik::pipeline {

struct StepFailure {
	int code = 1;	// the caller's error class (the CLI's exit code)
	std::string message;
};

class StepRunner {
public:
	virtual ~StepRunner() = default;
	virtual std::optional<StepFailure> apply(const Step &step) = 0;
	// Returns the system to before apply(step); must succeed on a step
	// that was started but not finished.
	virtual std::optional<StepFailure> undo(const Step &step) = 0;
};

class Journal {
public:
	virtual ~Journal() = default;
	// Records the whole list before anything is applied.
	virtual std::optional<StepFailure> begin(const std::vector<Step> &steps) = 0;
	// Records that steps [0, count) have been (or are being) applied.
	virtual std::optional<StepFailure> started(std::size_t count) = 0;
	// The run is over (committed or rolled back): forget it.
	virtual void end() = 0;
};

struct Outcome {
	bool ok = true;
	std::size_t failedStep = 0;	// index into the steps, when !ok
	StepFailure failure;
	// Undo steps that failed in turn: the system may not be as before.
	std::vector<std::string> undoFailures;
	std::size_t undone = 0;

	// "step 3 (create set dns ...) failed: <why>; undid 2 steps"
	std::string describe(const std::vector<Step> &steps) const;
};

Outcome runTransaction(const std::vector<Step> &steps, StepRunner &runner, Journal &journal);

// Undoes steps [0, count) newest first; the undo failures, described.
std::vector<std::string> rollBack(const std::vector<Step> &steps, std::size_t count,
				  StepRunner &runner);

} // namespace lunatik::pipeline
