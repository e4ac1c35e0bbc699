#include "state_store.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/file.h>
#include <unistd.h>

#include "error.hpp"
#include "file_ops.hpp"

namespace lunatik::loader {

namespace {

Error corrupt(const std::filesystem::path &p, const std::string &why)
{
	return Error{ExitCode::kSystem, fmt::format("{} is damaged ({}); remove it by hand after "
						    "checking the system",
						    p.string(), why)};
}

} // namespace

FileJournal::FileJournal(std::filesystem::path path, std::string scriptRoot, std::string netns)
	: path_(std::move(path)), scriptRoot_(std::move(scriptRoot)), netns_(std::move(netns))
{
}

std::optional<pipeline::StepFailure> FileJournal::begin(const std::vector<pipeline::Step> &steps)
{
	steps_ = steps;
	started_ = 0;
	if (auto done = write(); !done)
		return pipeline::StepFailure{toInt(done.error().code), done.error().message};
	return std::nullopt;
}

std::optional<pipeline::StepFailure> FileJournal::started(std::size_t count)
{
	started_ = count;
	if (auto done = write(); !done)
		return pipeline::StepFailure{toInt(done.error().code), done.error().message};
	return std::nullopt;
}

Result<void> FileJournal::commit(const std::optional<pipeline::PipelineState> &state)
{
	committed_ = true;
	state_ = state;
	return write();
}

Result<void> FileJournal::write()
{
	nlohmann::json steps = nlohmann::json::array();
	for (const auto &s : steps_)
		steps.push_back(pipeline::toJson(s));
	nlohmann::json doc{{"script_root", scriptRoot_}, {"namespace", netns_},
			   {"started", started_}, {"steps", steps}};
	if (committed_)
		doc["commit"] = state_ ? nlohmann::json{{"state", pipeline::toJson(*state_)}}
				       : nlohmann::json{{"remove", true}};
	auto done = writeAtomically(path_, doc.dump(1));
	if (!done)
		return Error{done.error().code, "journal: " + done.error().message};
	return {};
}

PipelineLock::~PipelineLock()
{
	if (fd_ >= 0)
		close(fd_);	// releases the flock
}

std::filesystem::path StateStore::path(const std::string &name, const char *suffix) const
{
	return dir_ / (name + suffix);
}

std::filesystem::path StateStore::backupDir(const std::string &name) const
{
	return path(name, ".backup");
}

Result<PipelineLock> StateStore::lock(const std::string &name, std::ostream &progress) const
{
	std::error_code ec;
	std::filesystem::create_directories(dir_, ec);
	if (ec)
		return Error{ExitCode::kSystem,
			     fmt::format("cannot create {}: {}", dir_.string(), ec.message())};
	auto p = path(name, ".lock");
	int fd = open(p.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return Error{ExitCode::kSystem, fmt::format("cannot open {}: {}", p.string(),
							    std::strerror(errno))};
	PipelineLock held(fd);
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return held;
	if (errno != EWOULDBLOCK)
		return Error{ExitCode::kSystem, fmt::format("cannot lock {}: {}", p.string(),
							    std::strerror(errno))};
	progress << kProgramName << ": waiting for another lunatik-pipeline working on pipeline '"
		 << name << "'" << std::endl;
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return Error{ExitCode::kSystem, fmt::format("cannot lock {}: {}", p.string(),
								    std::strerror(errno))};
	return held;
}

Result<std::optional<pipeline::PipelineState>> StateStore::load(const std::string &name) const
{
	auto p = path(name, ".json");
	std::error_code ec;
	if (!std::filesystem::exists(p, ec))
		return std::optional<pipeline::PipelineState>();
	auto text = readFile(p);
	if (!text)
		return text.error();
	try {
		return std::optional(pipeline::stateFromJson(nlohmann::json::parse(*text)));
	} catch (const std::exception &e) {
		return corrupt(p, e.what());
	}
}

Result<void> StateStore::save(const pipeline::PipelineState &state) const
{
	return writeAtomically(path(state.name, ".json"), pipeline::toJson(state).dump(1) + "\n");
}

Result<void> StateStore::remove(const std::string &name) const
{
	std::error_code ec;
	std::filesystem::remove_all(backupDir(name), ec);
	return removeFile(path(name, ".json"));
}

Result<std::vector<pipeline::PipelineState>> StateStore::all() const
{
	std::vector<pipeline::PipelineState> out;
	std::error_code ec;
	std::vector<std::string> names;
	for (const auto &entry : std::filesystem::directory_iterator(dir_, ec))
		if (entry.path().extension() == ".json")
			names.push_back(entry.path().stem().string());
	std::sort(names.begin(), names.end());
	for (const auto &name : names) {
		auto st = load(name);
		if (!st)
			return st.error();
		if (*st)
			out.push_back(std::move(**st));
	}
	return out;
}

Result<std::optional<JournalRecord>> StateStore::readJournal(const std::string &name) const
{
	auto p = path(name, ".journal");
	std::error_code ec;
	if (!std::filesystem::exists(p, ec))
		return std::optional<JournalRecord>();
	auto text = readFile(p);
	if (!text)
		return text.error();
	try {
		auto doc = nlohmann::json::parse(*text);
		JournalRecord r;
		r.scriptRoot = doc.at("script_root").get<std::string>();
		r.netns = doc.value("namespace", "");
		r.started = doc.at("started").get<std::size_t>();
		for (const auto &s : doc.at("steps"))
			r.steps.push_back(pipeline::stepFromJson(s));
		r.started = std::min(r.started, r.steps.size());
		if (doc.contains("commit")) {
			r.committed = true;
			if (doc["commit"].contains("state"))
				r.state = pipeline::stateFromJson(doc["commit"]["state"]);
		}
		return std::optional(std::move(r));
	} catch (const std::exception &e) {
		return corrupt(p, e.what());
	}
}

std::unique_ptr<FileJournal> StateStore::journal(const std::string &name,
						  const std::string &scriptRoot,
						  const std::string &netns) const
{
	return std::make_unique<FileJournal>(path(name, ".journal"), scriptRoot, netns);
}

Result<void> StateStore::dropJournal(const std::string &name) const
{
	return removeFile(path(name, ".journal"));
}

} // namespace lunatik::loader
