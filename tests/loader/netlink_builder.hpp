// Builds kernel-style netlink messages in memory with plain libmnl calls
// (independent of the code under test) for the decoding tests.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
}

namespace lunatik::loader::test {

class NetlinkBuilder {
public:
	explicit NetlinkBuilder(std::size_t size = 16384) : buf_(size, 0) {}

	nlmsghdr *genl(std::uint16_t type, std::uint8_t cmd, std::uint16_t flags = 0)
	{
		nlh_ = mnl_nlmsg_put_header(buf_.data());
		nlh_->nlmsg_type = type;
		nlh_->nlmsg_flags = flags;
		auto *g = static_cast<genlmsghdr *>(mnl_nlmsg_put_extra_header(nlh_, sizeof(genlmsghdr)));
		g->cmd = cmd;
		g->version = 1;
		return nlh_;
	}

	// An NLMSG_ERROR answering `request`; capped echoes only its header.
	nlmsghdr *error(int error, const nlmsghdr *request, bool capped, std::uint16_t flags = 0)
	{
		nlh_ = mnl_nlmsg_put_header(buf_.data());
		nlh_->nlmsg_type = NLMSG_ERROR;
		nlh_->nlmsg_flags = flags | (capped ? NLM_F_CAPPED : 0);
		auto *err = static_cast<nlmsgerr *>(mnl_nlmsg_put_extra_header(nlh_, sizeof(nlmsgerr)));
		err->error = error;
		std::memcpy(&err->msg, request, sizeof(nlmsghdr));
		if (!capped) {
			std::size_t extra = request->nlmsg_len - sizeof(nlmsghdr);
			void *dst = mnl_nlmsg_put_extra_header(nlh_, extra);
			std::memcpy(dst, mnl_nlmsg_get_payload(request), extra);
		}
		return nlh_;
	}

	nlmsghdr *header() { return nlh_; }
	void str(std::uint16_t type, const std::string &s) { mnl_attr_put_strz(nlh_, type, s.c_str()); }
	void u8(std::uint16_t type, std::uint8_t v) { mnl_attr_put_u8(nlh_, type, v); }
	void u16(std::uint16_t type, std::uint16_t v) { mnl_attr_put_u16(nlh_, type, v); }
	void u32(std::uint16_t type, std::uint32_t v) { mnl_attr_put_u32(nlh_, type, v); }
	void u64(std::uint16_t type, std::uint64_t v) { mnl_attr_put_u64(nlh_, type, v); }
	void raw(std::uint16_t type, const void *p, std::size_t len) { mnl_attr_put(nlh_, type, len, p); }
	nlattr *nest(std::uint16_t type) { return mnl_attr_nest_start(nlh_, type); }
	void end(nlattr *n) { mnl_attr_nest_end(nlh_, n); }

private:
	std::vector<std::uint8_t> buf_;
	nlmsghdr *nlh_ = nullptr;
};

} // namespace lunatik::loader::test
