// Owning handles for libbpf and libxdp objects: each closes what it holds
// on every path out of a function.
#pragma once

#include <memory>

#include <unistd.h>

extern "C" {
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
}

namespace lunatik::loader {

struct BpfObjectClose {
	void operator()(bpf_object *o) const { bpf_object__close(o); }
};
struct XdpProgramClose {
	void operator()(xdp_program *p) const { xdp_program__close(p); }
};
struct XdpMultiprogClose {
	void operator()(xdp_multiprog *m) const { xdp_multiprog__close(m); }
};

using BpfObject = std::unique_ptr<bpf_object, BpfObjectClose>;
// An xdp_program made from a BpfObject does not own it: keep the object
// alive longer (declare it first).
using XdpProgram = std::unique_ptr<xdp_program, XdpProgramClose>;
using XdpMultiprog = std::unique_ptr<xdp_multiprog, XdpMultiprogClose>;

class Fd {
public:
	explicit Fd(int fd = -1) : fd_(fd) {}
	~Fd()
	{
		if (fd_ >= 0)
			close(fd_);
	}
	Fd(const Fd &) = delete;
	Fd &operator=(const Fd &) = delete;
	int get() const { return fd_; }
	bool valid() const { return fd_ >= 0; }

private:
	int fd_;
};

} // namespace lunatik::loader
