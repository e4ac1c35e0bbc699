#include "backend/command.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace lunatik::loader {

CommandResult runSystemCommand(const std::vector<std::string> &argv)
{
	std::vector<std::string> args = argv;
	std::vector<char *> cargv;
	for (auto &a : args)
		cargv.push_back(a.data());
	cargv.push_back(nullptr);

	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return {127, std::strerror(errno)};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDERR_FILENO);
	pid_t pid;
	int rc = posix_spawnp(&pid, cargv[0], &fa, nullptr, cargv.data(), environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc != 0) {
		close(pipefd[0]);
		return {127, std::strerror(rc)};
	}
	CommandResult out;
	char buf[512];
	for (ssize_t n; (n = read(pipefd[0], buf, sizeof(buf))) != 0;) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (out.errors.size() < 4096)
			out.errors.append(buf, static_cast<std::size_t>(n));
	}
	close(pipefd[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return {127, std::strerror(errno)};
	out.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return out;
}

} // namespace lunatik::loader
