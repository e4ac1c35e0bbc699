// Where something is in a spec file, and a message about it. Validation
// collects every diagnostic instead of stopping at the first, so a user fixes
// a spec in one round; the caller decides how to print them.
#pragma once

#include <string>
#include <vector>

namespace lunatik::pipeline {

// 1-based line and column of a YAML node; 0 when the node has no place in
// the file (a default value).
struct Position {
	int line = 0;
	int column = 0;
};

struct Diagnostic {
	std::string file;
	Position pos;
	std::string message;

	// "file:line:column: message" (no position part when pos is unknown).
	std::string format() const;
};

using Diagnostics = std::vector<Diagnostic>;

// Diagnostics sorted by line, then column (stable for equal positions).
void sortByPosition(Diagnostics &diagnostics);

// The closest candidate to `word` by edit distance, or "" when none is
// close enough to be a plausible typo.
std::string closestMatch(const std::string &word, const std::vector<std::string> &candidates);

} // namespace lunatik::pipeline
