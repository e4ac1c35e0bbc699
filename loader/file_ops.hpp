// File operations the pipeline commands need, each atomic where a reader
// may look at the file meanwhile: content goes to a temporary file in the
// same directory, is flushed, then renamed over the target.
#pragma once

#include <filesystem>
#include <string>

#include "result.hpp"

namespace lunatik::loader {

Result<std::string> readFile(const std::filesystem::path &path);
// Creates missing parent directories.
Result<void> writeAtomically(const std::filesystem::path &path, const std::string &content);
Result<void> copyAtomically(const std::filesystem::path &from, const std::filesystem::path &to);
// Removing a file that is not there succeeds.
Result<void> removeFile(const std::filesystem::path &path);

// A content hash to tell whether a file changed ("fnv1a64:<16 hex>"); ""
// when the file cannot be read. Not a security measure: the files hashed
// are the operator's own.
std::string hashFile(const std::filesystem::path &path);
std::string hashText(const std::string &text);

} // namespace lunatik::loader
