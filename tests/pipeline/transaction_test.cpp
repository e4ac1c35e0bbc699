// The transaction engine against a fake world: each step adds a token,
// undo removes it. Failing at each step in turn must leave the world as it
// was; a run that dies half way is undone from its journal alone.
#include "lunatik/pipeline/transaction.hpp"

#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lunatik::pipeline {
namespace {

struct FakeWorld : StepRunner {
	std::set<std::string> tokens;
	std::vector<std::string> log;
	std::optional<std::size_t> failApplyAt;	// 0-based index of apply calls
	std::set<std::string> failUndoOf;
	std::size_t applies = 0;

	std::optional<StepFailure> apply(const Step &s) override
	{
		log.push_back("apply " + s.target);
		if (failApplyAt && applies++ == *failApplyAt) {
			// Half done: the token exists, as when a kernel call
			// succeeded and the process failed right after it.
			tokens.insert(s.target);
			return StepFailure{8, "kernel said no"};
		}
		tokens.insert(s.target);
		return std::nullopt;
	}
	std::optional<StepFailure> undo(const Step &s) override
	{
		log.push_back("undo " + s.target);
		if (failUndoOf.count(s.target))
			return StepFailure{9, "stuck"};
		tokens.erase(s.target);	// idempotent: fine if absent
		return std::nullopt;
	}
};

struct FakeJournal : Journal {
	std::optional<std::vector<Step>> steps;
	std::size_t count = 0;
	bool ended = false;
	std::optional<std::size_t> failStartedAt;

	std::optional<StepFailure> begin(const std::vector<Step> &s) override
	{
		steps = s;
		return std::nullopt;
	}
	std::optional<StepFailure> started(std::size_t n) override
	{
		if (failStartedAt && n == *failStartedAt)
			return StepFailure{9, "disk full"};
		count = n;
		return std::nullopt;
	}
	void end() override { ended = true; }
};

std::vector<Step> steps(int n)
{
	std::vector<Step> out;
	for (int i = 0; i < n; i++)
		out.push_back(Step{.kind = StepKind::kCreateSet, .target = "s" + std::to_string(i),
				   .set = SetRecord{.name = "s" + std::to_string(i), .script = "x.lua"}});
	return out;
}

TEST(Transaction, AllStepsApplied)
{
	FakeWorld w;
	FakeJournal j;
	Outcome o = runTransaction(steps(3), w, j);
	EXPECT_TRUE(o.ok);
	EXPECT_EQ(w.tokens, (std::set<std::string>{"s0", "s1", "s2"}));
	EXPECT_TRUE(j.ended);
	EXPECT_EQ(j.count, 3u);
}

TEST(Transaction, NothingToDoTouchesNothing)
{
	FakeWorld w;
	FakeJournal j;
	EXPECT_TRUE(runTransaction({}, w, j).ok);
	EXPECT_FALSE(j.steps.has_value());
}

TEST(Transaction, FailureAtEachStepUndoesEverythingBefore)
{
	const int n = 5;
	for (int fail = 0; fail < n; fail++) {
		FakeWorld w;
		w.tokens.insert("preexisting");
		w.failApplyAt = fail;
		FakeJournal j;
		auto all = steps(n);
		Outcome o = runTransaction(all, w, j);
		EXPECT_FALSE(o.ok);
		EXPECT_EQ(o.failedStep, static_cast<std::size_t>(fail));
		EXPECT_EQ(o.failure.code, 8);
		EXPECT_EQ(w.tokens, std::set<std::string>{"preexisting"}) << "failing at " << fail;
		EXPECT_EQ(o.undone, static_cast<std::size_t>(fail + 1));
		EXPECT_TRUE(j.ended);
		// Undone newest first.
		std::vector<std::string> undos;
		for (const auto &l : w.log)
			if (l.rfind("undo ", 0) == 0)
				undos.push_back(l);
		ASSERT_EQ(undos.size(), static_cast<std::size_t>(fail + 1));
		EXPECT_EQ(undos.front(), "undo s" + std::to_string(fail));
		EXPECT_EQ(undos.back(), "undo s0");
		EXPECT_EQ(o.describe(all),
			  "step " + std::to_string(fail + 1) + " of 5 (" + all[fail].describe() +
				  ") failed: kernel said no; undid " + std::to_string(fail + 1) +
				  " applied step" + (fail == 0 ? "" : "s"));
	}
}

TEST(Transaction, JournalFailureStopsBeforeTheStep)
{
	FakeWorld w;
	FakeJournal j;
	j.failStartedAt = 3;
	Outcome o = runTransaction(steps(4), w, j);
	EXPECT_FALSE(o.ok);
	EXPECT_EQ(o.failedStep, 2u);
	EXPECT_EQ(o.failure.message, "disk full");
	EXPECT_TRUE(w.tokens.empty());
	EXPECT_THAT(w.log, testing::ElementsAre("apply s0", "apply s1", "undo s1", "undo s0"));
}

TEST(Transaction, IncompleteUndoKeepsTheJournal)
{
	FakeWorld w;
	w.failApplyAt = 2;
	w.failUndoOf = {"s1"};
	FakeJournal j;
	auto all = steps(3);
	Outcome o = runTransaction(all, w, j);
	EXPECT_FALSE(o.ok);
	EXPECT_FALSE(j.ended);
	ASSERT_EQ(o.undoFailures.size(), 1u);
	EXPECT_THAT(o.describe(all), testing::HasSubstr("undo incomplete: undoing step 2"));
	// the others were still undone
	EXPECT_EQ(w.tokens, std::set<std::string>{"s1"});
}

// A run killed after starting step k (the journal says k started): the
// next run undoes from the journal alone, including the half-done step.
TEST(Transaction, RecoveryFromAKilledRun)
{
	for (std::size_t killedAt = 1; killedAt <= 4; killedAt++) {
		FakeWorld w;
		auto all = steps(4);
		FakeJournal j;
		ASSERT_FALSE(j.begin(all));
		for (std::size_t i = 0; i < killedAt; i++) {
			ASSERT_FALSE(j.started(i + 1));
			ASSERT_FALSE(w.apply(all[i]));
		}
		// ... SIGKILL. The next run reads the journal:
		auto failures = rollBack(*j.steps, j.count, w);
		EXPECT_TRUE(failures.empty());
		EXPECT_TRUE(w.tokens.empty()) << killedAt;
	}
}

} // namespace
} // namespace lunatik::pipeline
