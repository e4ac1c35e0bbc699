// The real XdpBackend: libbpf opens the object and writes its settings,
// libxdp loads it and attaches it through the multiprog dispatcher (so it
// runs beside other programs and shows in `xdp-loader status`). libxdp
// keeps the dispatcher's state in bpffs: /sys/fs/bpf is mounted when
// absent. Everything happens in the netns the process is in.
#pragma once

#include "xdp.hpp"

namespace lunatik::loader {

class LibxdpBackend final : public XdpBackend {
public:
	LibxdpBackend();
	Result<XdpAttachment> attach(const pipeline::XdpRecord &xdp) override;
	Result<void> detach(const pipeline::XdpRecord &xdp) override;
	bool attached(const pipeline::XdpRecord &xdp) override;
	Result<XdpCounters> counters(const pipeline::XdpRecord &xdp) override;
};

} // namespace lunatik::loader
