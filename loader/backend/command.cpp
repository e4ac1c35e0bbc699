#include "backend/command.hpp"

#include <array>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace lunatik::loader {

namespace {

// nft -j lists a whole chain on stdout; stderr is a message.
constexpr std::size_t kOutputMax = 16U << 20;
constexpr std::size_t kErrorsMax = 4096;

// Reads both pipes until both are closed (a child filling one pipe while
// we block on the other would never finish).
void drain(int outFd, int errFd, CommandResult &res)
{
	std::array<pollfd, 2> fds{{{outFd, POLLIN, 0}, {errFd, POLLIN, 0}}};
	std::array<std::string *, 2> into{&res.output, &res.errors};
	std::array<std::size_t, 2> cap{kOutputMax, kErrorsMax};
	char buf[4096];
	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		if (poll(fds.data(), fds.size(), -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (std::size_t i = 0; i < fds.size(); i++) {
			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			ssize_t n = read(fds[i].fd, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				fds[i].fd = -1;
				continue;
			}
			if (into[i]->size() < cap[i])
				into[i]->append(buf, static_cast<std::size_t>(n));
		}
	}
}

} // namespace

CommandResult runSystemCommand(const std::vector<std::string> &argv)
{
	std::vector<std::string> args = argv;
	std::vector<char *> cargv;
	for (auto &a : args)
		cargv.push_back(a.data());
	cargv.push_back(nullptr);

	int outPipe[2], errPipe[2];
	if (pipe2(outPipe, O_CLOEXEC) < 0)
		return {127, std::strerror(errno), {}};
	if (pipe2(errPipe, O_CLOEXEC) < 0) {
		int e = errno;
		close(outPipe[0]);
		close(outPipe[1]);
		return {127, std::strerror(e), {}};
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, outPipe[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, errPipe[1], STDERR_FILENO);
	pid_t pid;
	int rc = posix_spawnp(&pid, cargv[0], &fa, nullptr, cargv.data(), environ);
	posix_spawn_file_actions_destroy(&fa);
	close(outPipe[1]);
	close(errPipe[1]);
	if (rc != 0) {
		close(outPipe[0]);
		close(errPipe[0]);
		return {127, std::strerror(rc), {}};
	}
	CommandResult out;
	drain(outPipe[0], errPipe[0], out);
	close(outPipe[0]);
	close(errPipe[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return {127, std::strerror(errno), {}};
	out.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return out;
}

} // namespace lunatik::loader
