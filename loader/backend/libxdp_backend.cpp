#include "backend/libxdp_backend.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <sys/mount.h>
#include <sys/vfs.h>

#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <filesystem>
#include <mutex>

#include <fmt/core.h>

#include "backend/bpf_handles.hpp"

extern "C" {
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <linux/magic.h>
}

#include "preclass_abi.h"

namespace lunatik::loader {

namespace {

constexpr const char *kBpffs = "/sys/fs/bpf";

constexpr std::array<const char *, PRECLASS_COUNTERS> kCounterNames{
	"seen",	      "matched",     "continued", "lua_aborted", "lua_drop", "lua_pass",
	"lua_tx",     "lua_redirect", "lua_invalid", "lua_error", "skipped",  "fragments"};

// libbpf and libxdp print warnings (the verifier log among them) through
// a callback: keep the last line, so an error can say why.
std::mutex logMutex;
std::string lastLog;

void keepLine(const char *format, va_list ap)
{
	char buf[512];
	vsnprintf(buf, sizeof(buf), format, ap);
	std::string line(buf);
	while (!line.empty() && (line.back() == '\n' || line.back() == ' '))
		line.pop_back();
	if (line.empty())
		return;
	std::lock_guard lock(logMutex);
	lastLog = line;
}

int libbpfPrint(enum libbpf_print_level level, const char *format, va_list ap)
{
	if (level != LIBBPF_DEBUG)
		keepLine(format, ap);
	return 0;
}

int libxdpPrint(enum libxdp_print_level level, const char *format, va_list ap)
{
	if (level != LIBXDP_DEBUG)
		keepLine(format, ap);
	return 0;
}

std::string takeLog()
{
	std::lock_guard lock(logMutex);
	std::string out = std::move(lastLog);
	lastLog.clear();
	return out;
}

std::string why(int err)
{
	char buf[256] = {};
	libxdp_strerror(err, buf, sizeof(buf));
	std::string out = buf[0] ? buf : std::strerror(-err);
	std::string log = takeLog();
	if (!log.empty())
		out += " (" + log + ")";
	return out;
}

ExitCode classOf(int err)
{
	return err == -EPERM || err == -EACCES ? ExitCode::kPermission : ExitCode::kKernelRejected;
}

// libxdp pins the dispatcher and its links under /sys/fs/bpf.
Result<void> ensureBpffs()
{
	struct statfs st {};
	if (statfs(kBpffs, &st) == 0 && st.f_type == BPF_FS_MAGIC)
		return {};
	// A bpffs mounted in a private mount namespace (`ip netns exec`
	// makes one and remounts /sys) dies with this process, and with it
	// the links that keep the programs attached.
	std::error_code e1, e2;
	auto mine = std::filesystem::read_symlink("/proc/self/ns/mnt", e1);
	auto init = std::filesystem::read_symlink("/proc/1/ns/mnt", e2);
	if (!e1 && !e2 && mine != init)
		return Error{ExitCode::kSystem,
			     fmt::format("no bpffs on {} in this mount namespace (`ip netns exec` "
					 "remounts /sys): enter only the network namespace, with the "
					 "spec's 'namespace:' or nsenter --net=/run/netns/NAME",
					 kBpffs)};
	if (mount("bpf", kBpffs, "bpf", 0, nullptr) != 0)
		return Error{errno == EPERM ? ExitCode::kPermission : ExitCode::kSystem,
			     fmt::format("cannot mount bpffs on {}: {} (libxdp keeps its dispatcher "
					 "there)",
					 kBpffs, std::strerror(errno))};
	return {};
}

bpf_map *internalMap(bpf_object *obj, const std::string &section)
{
	bpf_map *m = nullptr;
	bpf_object__for_each_map(m, obj)
	{
		std::string name = bpf_map__name(m);
		if (bpf_map__is_internal(m) && name.size() >= section.size() &&
		    name.compare(name.size() - section.size(), section.size(), section) == 0)
			return m;
	}
	return nullptr;
}

// Writes the initial value of global `var` in `section` before load.
// false: the object has no such variable.
Result<bool> setVariable(bpf_object *obj, const std::string &path, const std::string &section,
			 const std::string &var, const void *value, std::size_t size)
{
	const btf *b = bpf_object__btf(obj);
	int id = b ? btf__find_by_name_kind(b, section.c_str(), BTF_KIND_DATASEC) : -1;
	bpf_map *map = internalMap(obj, section);
	if (id < 0 || !map)
		return false;
	const btf_type *sec = btf__type_by_id(b, id);
	const btf_var_secinfo *vsi = btf_var_secinfos(sec);
	for (unsigned i = 0; i < btf_vlen(sec); i++, vsi++) {
		const btf_type *t = btf__type_by_id(b, vsi->type);
		if (var != btf__name_by_offset(b, t->name_off))
			continue;
		if (vsi->size != size)
			return Error{ExitCode::kInvalidSpec,
				     fmt::format("{}: {} is {} bytes, not the {} of the classifiers' "
						 "ABI (bpf/preclass_abi.h)",
						 path, var, vsi->size, size)};
		std::size_t total = 0;
		const void *init = bpf_map__initial_value(map, &total);
		if (!init || vsi->offset + size > total)
			return Error{ExitCode::kSystem, fmt::format("{}: no initial value for {}", path, section)};
		std::vector<unsigned char> copy(static_cast<const unsigned char *>(init),
						static_cast<const unsigned char *>(init) + total);
		std::memcpy(copy.data() + vsi->offset, value, size);
		if (int err = bpf_map__set_initial_value(map, copy.data(), total))
			return Error{ExitCode::kSystem, fmt::format("{}: cannot set {}: {}", path, var, why(err))};
		return true;
	}
	return false;
}

Result<void> configure(bpf_object *obj, const pipeline::XdpRecord &x)
{
	if (x.set.size() >= PRECLASS_KEY_MAX)
		return Error{ExitCode::kInvalidSpec,
			     fmt::format("set name '{}' is longer than {} bytes", x.set, PRECLASS_KEY_MAX - 1)};
	// An object of one's own may name its set itself: only the
	// classifiers' variables that exist are written.
	char key[PRECLASS_KEY_MAX] = {};
	x.set.copy(key, sizeof(key) - 1);
	if (auto r = setVariable(obj, x.object, ".data", "preclass_key", key, sizeof(key)); !r)
		return r.error();
	std::uint32_t mode = PRECLASS_MODE_LUA;
	if (auto r = setVariable(obj, x.object, ".rodata", "preclass_mode", &mode, sizeof(mode)); !r)
		return r.error();
	if (x.ports.empty())
		return {};
	if (x.ports.size() > PRECLASS_MAX_PORTS)
		return Error{ExitCode::kInvalidSpec,
			     fmt::format("{} ports given, a classifier takes at most {}", x.ports.size(),
					 PRECLASS_MAX_PORTS)};
	std::uint16_t ports[PRECLASS_MAX_PORTS] = {};
	for (std::size_t i = 0; i < x.ports.size(); i++)
		ports[i] = htons(x.ports[i]);
	auto r = setVariable(obj, x.object, ".rodata", "preclass_ports", ports, sizeof(ports));
	if (!r)
		return r.error();
	if (!*r)
		return Error{ExitCode::kInvalidSpec,
			     fmt::format("{} has no preclass_ports: 'ports' cannot be set", x.object)};
	return {};
}

XdpMultiprog multiprogOn(std::uint32_t ifindex)
{
	xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(static_cast<int>(ifindex));
	if (!mp || libxdp_get_error(mp))
		return nullptr;
	return XdpMultiprog(mp);
}

// The program with `id` among those on the interface (not owned: it
// lives as long as `mp`).
xdp_program *findProgram(xdp_multiprog *mp, std::uint32_t id)
{
	if (xdp_multiprog__is_legacy(mp)) {
		xdp_program *main = xdp_multiprog__main_prog(mp);
		return main && xdp_program__id(main) == id ? main : nullptr;
	}
	for (xdp_program *p = xdp_multiprog__next_prog(nullptr, mp); p;
	     p = xdp_multiprog__next_prog(p, mp))
		if (xdp_program__id(p) == id)
			return p;
	return nullptr;
}

} // namespace

LibxdpBackend::LibxdpBackend()
{
	libbpf_set_print(libbpfPrint);
	libxdp_set_print(libxdpPrint);
}

Result<XdpAttachment> LibxdpBackend::attach(const pipeline::XdpRecord &x)
{
	takeLog();
	unsigned ifindex = if_nametoindex(x.interface.c_str());
	if (ifindex == 0)
		return Error{ExitCode::kKernelRejected,
			     fmt::format("no interface '{}' in this network namespace", x.interface)};
	if (auto mounted = ensureBpffs(); !mounted)
		return mounted.error();

	BpfObject obj(bpf_object__open_file(x.object.c_str(), nullptr));
	if (!obj || libbpf_get_error(obj.get())) {
		int err = obj ? static_cast<int>(libbpf_get_error(obj.get())) : -errno;
		obj.release();	// an error pointer is not an object
		return Error{ExitCode::kSystem,
			     fmt::format("cannot open BPF object {}: {}", x.object, why(err))};
	}
	if (!x.program.empty() && !bpf_object__find_program_by_name(obj.get(), x.program.c_str()))
		return Error{ExitCode::kInvalidSpec,
			     fmt::format("{} has no program '{}'", x.object, x.program)};
	if (auto set = configure(obj.get(), x); !set)
		return set.error();

	DECLARE_LIBXDP_OPTS(xdp_program_opts, opts, .obj = obj.get(),
			    .prog_name = x.program.empty() ? nullptr : x.program.c_str());
	XdpProgram prog(xdp_program__create(&opts));
	if (!prog || libxdp_get_error(prog.get())) {
		int err = prog ? static_cast<int>(libxdp_get_error(prog.get())) : -EINVAL;
		prog.release();
		return Error{ExitCode::kInvalidSpec,
			     fmt::format("{}: no XDP program to attach: {}", x.object, why(err))};
	}
	auto mode = x.mode == "native" ? XDP_MODE_NATIVE : XDP_MODE_SKB;
	if (int err = xdp_program__attach(prog.get(), static_cast<int>(ifindex), mode, 0))
		return Error{classOf(err), fmt::format("attaching {} to {} in {} mode: {}", x.object,
						       x.interface, x.mode, why(err))};
	XdpAttachment out{.ifindex = ifindex, .progId = xdp_program__id(prog.get())};
	if (auto mp = multiprogOn(ifindex))
		out.dispatcher = !xdp_multiprog__is_legacy(mp.get());
	return out;
}

Result<void> LibxdpBackend::detach(const pipeline::XdpRecord &x)
{
	takeLog();
	if (auto mounted = ensureBpffs(); !mounted)
		return mounted.error();
	auto mp = multiprogOn(x.ifindex);
	if (!mp)
		return {};	// nothing attached there any more
	xdp_program *prog = findProgram(mp.get(), x.progId);
	if (!prog)
		return {};
	int err = xdp_multiprog__is_legacy(mp.get())
			  ? xdp_multiprog__detach(mp.get())
			  : xdp_program__detach(prog, static_cast<int>(x.ifindex),
						xdp_multiprog__attach_mode(mp.get()), 0);
	if (err)
		return Error{classOf(err), fmt::format("detaching prog id {} from {}: {}", x.progId,
						       x.interface, why(err))};
	return {};
}

bool LibxdpBackend::attached(const pipeline::XdpRecord &x)
{
	if (x.progId == 0 || !ensureBpffs())
		return false;
	auto mp = multiprogOn(x.ifindex);
	return mp && findProgram(mp.get(), x.progId);
}

Result<XdpCounters> LibxdpBackend::counters(const pipeline::XdpRecord &x)
{
	Fd prog(bpf_prog_get_fd_by_id(x.progId));
	if (!prog.valid())
		return Error{ExitCode::kSystem,
			     fmt::format("prog id {}: {}", x.progId, std::strerror(errno))};
	bpf_prog_info info{};
	std::uint32_t len = sizeof(info);
	if (bpf_obj_get_info_by_fd(prog.get(), &info, &len))
		return Error{ExitCode::kSystem, fmt::format("prog id {}: {}", x.progId, std::strerror(errno))};
	std::vector<std::uint32_t> ids(info.nr_map_ids);
	info = bpf_prog_info{};
	info.nr_map_ids = static_cast<std::uint32_t>(ids.size());
	info.map_ids = reinterpret_cast<std::uintptr_t>(ids.data());
	len = sizeof(info);
	if (bpf_obj_get_info_by_fd(prog.get(), &info, &len))
		return Error{ExitCode::kSystem, fmt::format("prog id {}: {}", x.progId, std::strerror(errno))};
	for (std::uint32_t id : ids) {
		Fd map(bpf_map_get_fd_by_id(id));
		bpf_map_info mi{};
		std::uint32_t mlen = sizeof(mi);
		if (!map.valid() || bpf_obj_get_info_by_fd(map.get(), &mi, &mlen))
			continue;
		if (std::string(mi.name) != "preclass_stats" || mi.value_size != sizeof(preclass_counters))
			continue;
		int ncpu = libbpf_num_possible_cpus();
		if (ncpu <= 0)
			return Error{ExitCode::kSystem, "cannot count the possible CPUs"};
		std::vector<preclass_counters> percpu(static_cast<std::size_t>(ncpu));
		std::uint32_t zero = 0;
		if (bpf_map_lookup_elem(map.get(), &zero, percpu.data()))
			return Error{ExitCode::kSystem,
				     fmt::format("reading preclass_stats: {}", std::strerror(errno))};
		XdpCounters out;
		for (std::size_t c = 0; c < kCounterNames.size(); c++) {
			std::uint64_t sum = 0;
			for (const auto &v : percpu)
				sum += v.c[c];
			out.values.emplace_back(kCounterNames[c], sum);
		}
		return out;
	}
	return XdpCounters{};	// an object without the classifiers' counters
}

} // namespace lunatik::loader
