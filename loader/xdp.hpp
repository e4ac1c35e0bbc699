// XDP stages of a pipeline: a pre-classifier object opened, its settings
// (the set its kfunc call names, ports, mode) written into its .data and
// .rodata before load, attached to an interface of the current netns
// through libxdp's multiprog dispatcher, detached by prog id. The real
// backend is backend/libxdp_backend.hpp; tests give a fake.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lunatik/pipeline/state.hpp"
#include "result.hpp"

namespace lunatik::loader {

// Where an attach put the program.
struct XdpAttachment {
	std::uint32_t ifindex = 0;
	std::uint32_t progId = 0;
	// Attached through the dispatcher; false: alone on the interface
	// (libxdp fell back to a plain XDP attach).
	bool dispatcher = true;
};

// The classifier's counters (preclass_stats summed over CPUs), in the
// order of enum preclass_counter (bpf/preclass_abi.h).
struct XdpCounters {
	std::vector<std::pair<std::string, std::uint64_t>> values;
};

class XdpBackend {
public:
	virtual ~XdpBackend() = default;
	// Opens xdp.object, sets preclass_key = xdp.set and the ports, loads
	// and attaches on xdp.interface in xdp.mode (ifindex/progId ignored).
	virtual Result<XdpAttachment> attach(const pipeline::XdpRecord &xdp) = 0;
	// Detaches the program xdp.progId from xdp.ifindex; a program that
	// is not attached there any more is fine.
	virtual Result<void> detach(const pipeline::XdpRecord &xdp) = 0;
	// xdp.progId runs on xdp.ifindex (in the current netns).
	virtual bool attached(const pipeline::XdpRecord &xdp) = 0;
	virtual Result<XdpCounters> counters(const pipeline::XdpRecord &xdp) = 0;
};

} // namespace lunatik::loader
