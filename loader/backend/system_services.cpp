#include "backend/system_services.hpp"

#include <cstdlib>
#include <iostream>

#include <unistd.h>

#include "backend/kernel_module.hpp"
#include "backend/command.hpp"
#include "backend/libxdp_backend.hpp"
#include "backend/netns.hpp"
#include "backend/netlink_control_plane.hpp"
#include "backend/readline_reader.hpp"
#include "backend/stream_line_reader.hpp"

namespace lunatik::loader {

Result<std::unique_ptr<ControlPlane>> connectIfLoaded(
	const KernelModule &module,
	const std::function<Result<std::unique_ptr<ControlPlane>>()> &connect)
{
	if (module.canTell() && !module.loaded())
		return Error{ExitCode::kModuleNotLoaded, std::string(kModuleNotLoadedMessage)};
	return connect();
}

Services makeSystemServices()
{
	Services svc;
	auto module = std::make_unique<KernelModule>();
	const KernelModule *observed = module.get();	// owned by svc below
	svc.connect = [observed] {
		return connectIfLoaded(*observed, [] { return NetlinkControlPlane::connect(); });
	};
	svc.module = std::move(module);
	svc.lineReader = []() -> std::unique_ptr<LineReader> {
		if (isatty(STDIN_FILENO))
			return std::make_unique<ReadlineReader>(ReadlineReader::defaultHistoryFile());
		return std::make_unique<StreamLineReader>(std::cin);
	};
	svc.listInterfaces = systemInterfaces;
	svc.enterNetns = enterNamedNetns;
	svc.runCommand = runSystemCommand;
	svc.xdp = std::make_unique<LibxdpBackend>();
	if (const char *dir = std::getenv("LUNATIK_PIPELINE_STATE_DIR"); dir && *dir)
		svc.stateDir = dir;
	svc.in = &std::cin;
	svc.out = &std::cout;
	svc.err = &std::cerr;
	return svc;
}

} // namespace lunatik::loader
