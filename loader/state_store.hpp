// The pipelines' files under /run/lunatik-pipeline (the directory is a
// parameter, for tests):
//   <name>.json         state of an applied pipeline (pipeline/state.hpp)
//   <name>.journal      steps of a run in progress; left behind by a crash
//   <name>.lock         flock()ed by every command changing the pipeline
//   <name>.backup/      previous content of files a run replaces
// All writes are atomic (temporary file + rename).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "lunatik/pipeline/state.hpp"
#include "lunatik/pipeline/step.hpp"
#include "lunatik/pipeline/transaction.hpp"
#include "result.hpp"

namespace lunatik::loader {

inline constexpr std::string_view kDefaultStateDir = "/run/lunatik-pipeline";

// An exclusive flock held until destruction.
class PipelineLock {
public:
	explicit PipelineLock(int fd) : fd_(fd) {}
	PipelineLock(PipelineLock &&other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
	PipelineLock(const PipelineLock &) = delete;
	PipelineLock &operator=(const PipelineLock &) = delete;
	PipelineLock &operator=(PipelineLock &&) = delete;
	~PipelineLock();

private:
	int fd_;
};

// What a run in progress keeps on disk. Until commit() the steps are undone
// by the next run; after it (all steps applied) the next run finishes the
// commit instead: writes the new state, or removes it after `down`.
struct JournalRecord {
	std::string scriptRoot;
	std::string netns;	// the netns the steps were applied in
	std::vector<pipeline::Step> steps;
	std::size_t started = 0;
	bool committed = false;
	std::optional<pipeline::PipelineState> state;	// committed: the new state, or none
};

class FileJournal final : public pipeline::Journal {
public:
	FileJournal(std::filesystem::path path, std::string scriptRoot, std::string netns);

	std::optional<pipeline::StepFailure> begin(const std::vector<pipeline::Step> &steps) override;
	std::optional<pipeline::StepFailure> started(std::size_t count) override;
	// The caller drops the journal (StateStore::dropJournal) once the
	// state is written, so a crash in between is finished by commit().
	void end() override {}
	// Every step applied; `state` is what to save (nullopt: remove).
	Result<void> commit(const std::optional<pipeline::PipelineState> &state);

private:
	Result<void> write();

	std::filesystem::path path_;
	std::string scriptRoot_;
	std::string netns_;
	std::vector<pipeline::Step> steps_;
	std::size_t started_ = 0;
	bool committed_ = false;
	std::optional<pipeline::PipelineState> state_;
};

class StateStore {
public:
	explicit StateStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

	const std::filesystem::path &dir() const { return dir_; }
	std::filesystem::path backupDir(const std::string &name) const;

	// Waits for the lock; says so on `progress` (once) when it has to.
	Result<PipelineLock> lock(const std::string &name, std::ostream &progress) const;

	Result<std::optional<pipeline::PipelineState>> load(const std::string &name) const;
	Result<void> save(const pipeline::PipelineState &state) const;
	// The state file and the backups.
	Result<void> remove(const std::string &name) const;
	// Every pipeline with a state file, by name.
	Result<std::vector<pipeline::PipelineState>> all() const;

	Result<std::optional<JournalRecord>> readJournal(const std::string &name) const;
	std::unique_ptr<FileJournal> journal(const std::string &name, const std::string &scriptRoot,
					     const std::string &netns = {}) const;
	Result<void> dropJournal(const std::string &name) const;

private:
	std::filesystem::path path(const std::string &name, const char *suffix) const;

	std::filesystem::path dir_;
};

} // namespace lunatik::loader
