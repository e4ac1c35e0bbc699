#include "lunatik/pipeline/diagnostic.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/core.h>

namespace lunatik::pipeline {

namespace {

std::string lower(std::string s)
{
	std::transform(s.begin(), s.end(), s.begin(),
		       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
	return s;
}

// Edit distance where swapping two neighbours is one edit ("xpd" is one
// typo away from "xdp"), on lowercased words.
std::size_t editDistance(const std::string &a, const std::string &b)
{
	std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
	for (std::size_t i = 0; i <= a.size(); i++)
		d[i][0] = i;
	for (std::size_t j = 0; j <= b.size(); j++)
		d[0][j] = j;
	for (std::size_t i = 1; i <= a.size(); i++) {
		for (std::size_t j = 1; j <= b.size(); j++) {
			std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
				d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
		}
	}
	return d[a.size()][b.size()];
}

} // namespace

std::string Diagnostic::format() const
{
	if (pos.line <= 0)
		return fmt::format("{}: {}", file, message);
	return fmt::format("{}:{}:{}: {}", file, pos.line, pos.column, message);
}

void sortByPosition(Diagnostics &diagnostics)
{
	std::stable_sort(diagnostics.begin(), diagnostics.end(),
			 [](const Diagnostic &a, const Diagnostic &b) {
				 if (a.pos.line != b.pos.line)
					 return a.pos.line < b.pos.line;
				 return a.pos.column < b.pos.column;
			 });
}

std::string closestMatch(const std::string &word, const std::vector<std::string> &candidates)
{
	std::string best;
	// A third of the word, at least one edit and at most three: "scirpt"
	// finds "script", "x" does not find "xdp".
	std::size_t limit = std::clamp<std::size_t>(word.size() / 3, 1, 3);
	std::size_t bestDistance = limit + 1;
	std::string w = lower(word);
	for (const auto &c : candidates) {
		std::size_t d = editDistance(w, lower(c));
		// A word replaced whole ("b" for "a") is no typo of it.
		if (d < bestDistance && d < w.size()) {
			bestDistance = d;
			best = c;
		}
	}
	return best;
}

} // namespace lunatik::pipeline
