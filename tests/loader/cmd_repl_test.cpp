#include "cmd_repl.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes.hpp"

namespace lunatik::loader {
namespace {

using test::CliHarness;
using testing::_;
using testing::Field;
using testing::InSequence;
using testing::Return;

Result<std::string> luaError(std::string msg)
{
	return Error{ExitCode::kLuaError, std::move(msg)};
}

class Repl : public testing::Test {
protected:
	void expectSet()
	{
		EXPECT_CALL(*h.cp, getSet(std::string("s")))
			.WillOnce(Return(SetInfo{.name = "s"}));
	}
	CliHarness h;
};

TEST_F(Repl, RunsEachLineAndPrintsResults)
{
	h.reader->lines = {"x = 40", "return x + 2", "", "=x"};
	InSequence seq;
	expectSet();
	EXPECT_CALL(*h.cp, exec(Field(&ExecRequest::chunk, "x = 40"))).WillOnce(Return(std::string()));
	EXPECT_CALL(*h.cp, exec(Field(&ExecRequest::chunk, "return x + 2")))
		.WillOnce(Return(std::string("42")));
	EXPECT_CALL(*h.cp, exec(Field(&ExecRequest::chunk, "return x")))
		.WillOnce(Return(std::string("40")));
	EXPECT_EQ(h.run({"repl", "s"}), 0);
	EXPECT_EQ(h.out.str(), "42\n40\n");
	EXPECT_EQ(h.reader->history, (std::vector<std::string>{"x = 40", "return x + 2", "return x"}));
	EXPECT_EQ(h.reader->prompts.front(), "s> ");
}

TEST_F(Repl, IncompleteStatementContinues)
{
	h.reader->lines = {"function f(a)", "return a * 2", "end", "return f(21)"};
	InSequence seq;
	expectSet();
	EXPECT_CALL(*h.cp, exec(Field(&ExecRequest::chunk, "function f(a)")))
		.WillOnce(Return(luaError("stdin:1: 'end' expected near <eof>")));
	EXPECT_CALL(*h.cp, exec(Field(&ExecRequest::chunk, "function f(a)\nreturn a * 2")))
		.WillOnce(Return(luaError("stdin:2: 'end' expected (to close 'function' at line 1) near <eof>")));
	EXPECT_CALL(*h.cp, exec(Field(&ExecRequest::chunk, "function f(a)\nreturn a * 2\nend")))
		.WillOnce(Return(std::string()));
	EXPECT_CALL(*h.cp, exec(Field(&ExecRequest::chunk, "return f(21)")))
		.WillOnce(Return(std::string("42")));
	EXPECT_EQ(h.run({"repl", "s"}), 0);
	EXPECT_EQ(h.out.str(), "42\n");
	EXPECT_EQ(h.reader->prompts,
		  (std::vector<std::string>{"s> ", "s>> ", "s>> ", "s> ", "s> "}));
	EXPECT_EQ(h.reader->history.front(), "function f(a)\nreturn a * 2\nend");
}

TEST_F(Repl, LuaErrorsAreReportedAndTheReplGoesOn)
{
	h.reader->lines = {"error('boom')", "return 1"};
	InSequence seq;
	expectSet();
	EXPECT_CALL(*h.cp, exec(_)).WillOnce(Return(luaError("stdin:1: boom")));
	EXPECT_CALL(*h.cp, exec(_)).WillOnce(Return(std::string("1")));
	EXPECT_EQ(h.run({"repl", "s"}), 0);
	EXPECT_EQ(h.err.str(), "stdin:1: boom\n");
	EXPECT_EQ(h.out.str(), "1\n");
}

TEST_F(Repl, LosingTheSetEndsTheRepl)
{
	h.reader->lines = {"return 1", "return 2"};
	InSequence seq;
	expectSet();
	EXPECT_CALL(*h.cp, exec(_))
		.WillOnce(Return(Error{ExitCode::kSetNotFound, "no runtime set named 's'"}));
	EXPECT_EQ(h.run({"repl", "s"}), 6);
	EXPECT_EQ(h.err.str(), "lunatik-pipeline: no runtime set named 's'\n");
}

TEST_F(Repl, UnknownSetFailsAtOnce)
{
	EXPECT_CALL(*h.cp, getSet(std::string("nope")))
		.WillOnce(Return(Error{ExitCode::kSetNotFound, "no runtime set named 'nope'"}));
	EXPECT_EQ(h.run({"repl", "nope"}), 6);
	EXPECT_TRUE(h.reader->prompts.empty());
}

TEST_F(Repl, EndOfInputInsideAStatementReportsIt)
{
	h.reader->lines = {"for i = 1, 3 do"};
	InSequence seq;
	expectSet();
	EXPECT_CALL(*h.cp, exec(_)).WillOnce(Return(luaError("stdin:1: 'end' expected near <eof>")));
	EXPECT_EQ(h.run({"repl", "s"}), 1);
	EXPECT_EQ(h.err.str(), "stdin:1: 'end' expected near <eof>\n");
}

TEST(ReplIncomplete, OnlyLuaErrorsWithEofMark)
{
	EXPECT_TRUE(isIncomplete(Error{ExitCode::kLuaError, "stdin:1: unexpected symbol near <eof>"}));
	EXPECT_FALSE(isIncomplete(Error{ExitCode::kLuaError, "stdin:1: boom"}));
	EXPECT_FALSE(isIncomplete(Error{ExitCode::kSystem, "<eof>"}));
}

} // namespace
} // namespace lunatik::loader
