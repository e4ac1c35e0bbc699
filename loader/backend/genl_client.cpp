#include "backend/genl_client.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <exception>

#include <sys/socket.h>

extern "C" {
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
}

#include "backend/nl_attrs.hpp"

namespace lunatik::loader {

namespace {

NetlinkFailure localFailure(std::string context, int errnum = errno)
{
	return NetlinkFailure{.errnum = errnum, .context = std::move(context)};
}

// State shared with the C callbacks of one transaction. Exceptions must not
// unwind through libmnl (C code), so they are parked here.
struct Exchange {
	const GenlClient::ReplyHandler *onReply;
	std::optional<NetlinkFailure> failure;
	std::exception_ptr exception;
};

// After a handler threw, the rest of the exchange is still read (and
// ignored) up to its ACK or DONE, so the socket stays usable.
int onData(const nlmsghdr *nlh, void *data)
{
	auto *ex = static_cast<Exchange *>(data);
	if (ex->exception)
		return MNL_CB_OK;
	try {
		(*ex->onReply)(nlh);
	} catch (...) {
		ex->exception = std::current_exception();
	}
	return MNL_CB_OK;
}

int onError(const nlmsghdr *nlh, void *data)
{
	auto *ex = static_cast<Exchange *>(data);
	try {
		AckInfo ack = decodeAck(nlh);
		if (ack.error == 0)
			return MNL_CB_STOP;
		ex->failure = NetlinkFailure{
			.errnum = -ack.error,
			.extack = std::move(ack.extack),
			.badAttrOffset = ack.badAttrOffset,
		};
	} catch (...) {
		ex->exception = std::current_exception();
	}
	return MNL_CB_ERROR;
}

// NLMSG_DONE ends a dump; it carries the dump's status as an int and, with
// NLM_F_ACK_TLVS, extack attributes after it.
int onDone(const nlmsghdr *nlh, void *data)
{
	auto *ex = static_cast<Exchange *>(data);
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int))
		return MNL_CB_STOP;
	int status;
	std::memcpy(&status, mnl_nlmsg_get_payload(nlh), sizeof(status));
	if (status >= 0)
		return MNL_CB_STOP;
	NetlinkFailure failure{.errnum = -status};
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		NlAttrs tlvs = NlAttrs::ofMessage(nlh, sizeof(int));
		failure.extack = tlvs.string(NLMSGERR_ATTR_MSG).value_or("");
	}
	ex->failure = std::move(failure);
	return MNL_CB_ERROR;
}

} // namespace

AckInfo decodeAck(const nlmsghdr *nlh)
{
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(nlmsgerr))
		throw DecodeError("truncated netlink error message");
	const auto *err = static_cast<const nlmsgerr *>(mnl_nlmsg_get_payload(nlh));
	AckInfo ack{.error = err->error};
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return ack;

	// The TLVs follow the echoed request, which is only its header when
	// the kernel capped it (NETLINK_CAP_ACK, or always for an ACK).
	std::size_t offset = sizeof(nlmsgerr);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += err->msg.nlmsg_len - sizeof(nlmsghdr);
	if (offset > mnl_nlmsg_get_payload_len(nlh))
		throw DecodeError("netlink error message shorter than its echo");
	NlAttrs tlvs = NlAttrs::ofMessage(nlh, offset);
	ack.extack = tlvs.string(NLMSGERR_ATTR_MSG).value_or("");
	ack.badAttrOffset = tlvs.u32(NLMSGERR_ATTR_OFFS);
	return ack;
}

void GenlClient::SocketDeleter::operator()(mnl_socket *sock) const
{
	mnl_socket_close(sock);
}

GenlClient::GenlClient(std::unique_ptr<mnl_socket, SocketDeleter> sock)
	: sock_(std::move(sock)), portid_(mnl_socket_get_portid(sock_.get())),
	  seq_(static_cast<std::uint32_t>(time(nullptr))), rxbuf_(MNL_SOCKET_BUFFER_SIZE)
{
}

GenlClient::GenlClient(GenlClient &&) noexcept = default;
GenlClient &GenlClient::operator=(GenlClient &&) noexcept = default;
GenlClient::~GenlClient() = default;

Result<GenlClient, NetlinkFailure> GenlClient::open()
{
	std::unique_ptr<mnl_socket, SocketDeleter> sock(mnl_socket_open(NETLINK_GENERIC));
	if (!sock)
		return localFailure("cannot open generic netlink socket");
	int on = 1;
	// Extended acks carry the kernel's error string; capped acks keep
	// a rejected 64 KiB EXEC chunk from being echoed back to us.
	mnl_socket_setsockopt(sock.get(), NETLINK_EXT_ACK, &on, sizeof(on));
	mnl_socket_setsockopt(sock.get(), NETLINK_CAP_ACK, &on, sizeof(on));
	if (mnl_socket_bind(sock.get(), 0, MNL_SOCKET_AUTOPID) < 0)
		return localFailure("cannot bind generic netlink socket");
	return GenlClient(std::move(sock));
}

Result<std::size_t, NetlinkFailure> GenlClient::receive()
{
	int fd = mnl_socket_get_fd(sock_.get());
	for (;;) {
		// Netlink reports the full datagram length with MSG_TRUNC, so
		// large replies (many CPUs, long EXEC results) are never cut.
		ssize_t want = recv(fd, nullptr, 0, MSG_PEEK | MSG_TRUNC);
		if (want < 0) {
			if (errno == EINTR)
				continue;
			return localFailure("netlink receive failed");
		}
		if (static_cast<std::size_t>(want) > rxbuf_.size())
			rxbuf_.resize(want);
		ssize_t n = recv(fd, rxbuf_.data(), rxbuf_.size(), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return localFailure("netlink receive failed");
		}
		return static_cast<std::size_t>(n);
	}
}

Result<void, NetlinkFailure> GenlClient::transact(GenlMessage &msg, std::uint16_t flags,
						  const ReplyHandler &onReply)
{
	nlmsghdr *nlh = msg.header();
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++seq_;
	if (mnl_socket_sendto(sock_.get(), msg.data(), msg.size()) < 0)
		return localFailure("netlink send failed");

	Exchange ex{.onReply = &onReply};
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {};
	ctl[NLMSG_ERROR] = onError;
	ctl[NLMSG_DONE] = onDone;
	for (;;) {
		auto got = receive();
		if (!got)
			return got.error();
		errno = 0;
		int ret = mnl_cb_run2(rxbuf_.data(), *got, nlh->nlmsg_seq, portid_,
				      onData, &ex, ctl, NLMSG_MIN_TYPE);
		if (ret == MNL_CB_ERROR && !ex.failure && !ex.exception)
			return localFailure("malformed netlink reply", errno ? errno : EPROTO);
		if (ret == MNL_CB_ERROR || ret == MNL_CB_STOP) {
			if (ex.exception)
				std::rethrow_exception(ex.exception);
			if (ex.failure)
				return *ex.failure;
			return {};
		}
	}
}

Result<void, NetlinkFailure> GenlClient::request(GenlMessage &msg, const ReplyHandler &onReply)
{
	return transact(msg, NLM_F_ACK, onReply);
}

Result<void, NetlinkFailure> GenlClient::dump(GenlMessage &msg, const ReplyHandler &onReply)
{
	// Dumps end with NLMSG_DONE; the kernel sends no ACK after it.
	return transact(msg, NLM_F_DUMP, onReply);
}

Result<FamilyInfo, NetlinkFailure> GenlClient::resolveFamily(std::string_view name)
{
	GenlMessage msg(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	msg.putString(CTRL_ATTR_FAMILY_NAME, name);
	std::optional<FamilyInfo> info;
	auto done = request(msg, [&](const nlmsghdr *reply) {
		NlAttrs attrs = NlAttrs::ofMessage(reply, sizeof(genlmsghdr));
		auto id = attrs.u16(CTRL_ATTR_FAMILY_ID);
		if (!id)
			throw DecodeError("family reply without CTRL_ATTR_FAMILY_ID");
		info = FamilyInfo{.id = *id, .version = attrs.u32(CTRL_ATTR_VERSION).value_or(0)};
	});
	if (!done)
		return done.error();
	if (!info)
		return NetlinkFailure{.errnum = EPROTO, .context = "no reply to CTRL_CMD_GETFAMILY"};
	return *info;
}

} // namespace lunatik::loader
