// ControlPlane over the "lunatik" generic-netlink family.
#pragma once

#include <cstdint>
#include <memory>

#include "backend/genl_client.hpp"
#include "backend/lunatik_codec.hpp"
#include "backend/error_map.hpp"
#include "control_plane.hpp"

namespace lunatik::loader {

class NetlinkControlPlane final : public ControlPlane {
public:
	// Opens the socket and resolves the family; a missing family means
	// the module is not loaded.
	static Result<std::unique_ptr<ControlPlane>> connect();

	// Takes a client whose family id is already resolved (see connect()).
	NetlinkControlPlane(GenlClient client, std::uint16_t family);

	Result<SetInfo> createSet(const CreateRequest &request) override;
	Result<void> stopSet(const std::string &name) override;
	Result<SetInfo> reloadSet(const ReloadRequest &request) override;
	Result<SetInfo> getSet(const std::string &name) override;
	Result<std::vector<SetInfo>> listSets() override;
	Result<std::string> exec(const ExecRequest &request) override;
	Result<ModuleStats> stats() override;

private:
	// Runs one request (or dump) and collects the decoded replies; a Lua
	// error in the reply becomes an ExitCode::kLuaError error.
	Result<LunatikReply> call(GenlMessage msg, const Operation &what, bool dump = false);
	Result<SetInfo> oneSet(Result<LunatikReply> reply, const std::string &name);

	GenlClient client_;
	std::uint16_t family_;
};

} // namespace lunatik::loader
