#include "backend/netlink_control_plane.hpp"

#include <fmt/core.h>

extern "C" {
#include <linux/lunatik_pipeline.h>
}

#include "backend/nl_attrs.hpp"

namespace lunatik::loader {

NetlinkControlPlane::NetlinkControlPlane(GenlClient client, std::uint16_t family)
	: client_(std::move(client)), family_(family)
{
}

Result<std::unique_ptr<ControlPlane>> NetlinkControlPlane::connect()
{
	auto client = GenlClient::open();
	if (!client)
		return classifyConnectFailure(client.error());
	auto family = client->resolveFamily(LUNATIK_GENL_NAME);
	if (!family)
		return classifyConnectFailure(family.error());
	return std::unique_ptr<ControlPlane>(
		std::make_unique<NetlinkControlPlane>(std::move(*client), family->id));
}

Result<LunatikReply> NetlinkControlPlane::call(GenlMessage msg, const Operation &what, bool dump)
{
	LunatikReply reply;
	auto onReply = [&](const nlmsghdr *nlh) { decodeReply(nlh, reply); };
	try {
		auto done = dump ? client_.dump(msg, onReply) : client_.request(msg, onReply);
		if (!done)
			return classifyFailure(done.error(), what);
	} catch (const DecodeError &e) {
		return Error{ExitCode::kSystem, fmt::format("malformed reply from the kernel: {}", e.what())};
	}
	if (reply.error)
		return classifyReplyError(*reply.error, reply.errnum, what);
	return reply;
}

Result<SetInfo> NetlinkControlPlane::oneSet(Result<LunatikReply> reply, const std::string &name)
{
	if (!reply)
		return reply.error();
	if (reply->sets.empty())
		return Error{ExitCode::kSystem,
			     fmt::format("kernel reply for '{}' carries no set", name)};
	return std::move(reply->sets.front());
}

Result<SetInfo> NetlinkControlPlane::createSet(const CreateRequest &r)
{
	return oneSet(call(encodeCreate(family_, r), {"create", r.name, r.script}), r.name);
}

Result<void> NetlinkControlPlane::stopSet(const std::string &name)
{
	auto reply = call(encodeStop(family_, name), {"stop", name, {}});
	if (!reply)
		return reply.error();
	return {};
}

Result<SetInfo> NetlinkControlPlane::reloadSet(const ReloadRequest &r)
{
	std::string_view script = r.script ? std::string_view(*r.script) : std::string_view();
	return oneSet(call(encodeReload(family_, r), {"reload", r.name, script}), r.name);
}

Result<SetInfo> NetlinkControlPlane::getSet(const std::string &name)
{
	return oneSet(call(encodeList(family_, name), {"list", name, {}}), name);
}

Result<std::vector<SetInfo>> NetlinkControlPlane::listSets()
{
	auto reply = call(encodeList(family_, std::nullopt), {"list", {}, {}}, true);
	if (!reply)
		return reply.error();
	return std::move(reply->sets);
}

Result<std::string> NetlinkControlPlane::exec(const ExecRequest &r)
{
	auto reply = call(encodeExec(family_, r), {"exec", r.name, {}});
	if (!reply)
		return reply.error();
	return reply->result.value_or("");
}

Result<ModuleStats> NetlinkControlPlane::stats()
{
	auto reply = call(encodeStats(family_), {"stats", {}, {}});
	if (!reply)
		return reply.error();
	if (!reply->stats)
		return Error{ExitCode::kSystem, "kernel stats reply carries no LUNATIK_A_STATS"};
	return *reply->stats;
}

} // namespace lunatik::loader
