// SPDX-License-Identifier: GPL-2.0
// classifier.hpp - one pre-classifier object (build/bpf/<name>.bpf.o) opened
// with libbpf, its load-time settings written, loaded into the host kernel
// and run with BPF_PROG_TEST_RUN. Non-copyable; closes the object.
#pragma once

#include <arpa/inet.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

extern "C" {
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
}

#include "preclass_abi.h"

static_assert(sizeof(preclass_arg) == PRECLASS_ARG_SIZE);
static_assert(sizeof(preclass_record) == 8 + PRECLASS_ARG_SIZE);
static_assert(sizeof(preclass_counters) == 8 * PRECLASS_COUNTERS);

namespace bpftest {

// Directory of the BPF objects, set by main() from argv.
std::string &objectDir();

struct RunResult {
	uint32_t action;
	bool reached;		// would have reached Lua (record mode)
	preclass_arg arg;	// the argument it would have had
};

class Classifier {
public:
	struct Options {
		uint32_t mode = PRECLASS_MODE_RECORD;
		std::vector<uint16_t> ports;	// host order; empty: the default
		std::string key;		// empty: the default
	};

	Classifier(const std::string &name, const Options &opt)
	{
		std::string path = objectDir() + "/" + name + ".bpf.o";
		obj_ = bpf_object__open_file(path.c_str(), nullptr);
		if (!obj_ || libbpf_get_error(obj_)) {
			obj_ = nullptr;
			throw std::runtime_error("cannot open " + path);
		}
		setVar(".rodata", "preclass_mode", &opt.mode, sizeof(opt.mode));
		if (!opt.ports.empty()) {
			uint16_t ports[PRECLASS_MAX_PORTS] = {};
			for (size_t i = 0; i < opt.ports.size() && i < PRECLASS_MAX_PORTS; i++)
				ports[i] = htons(opt.ports[i]);
			setVar(".rodata", "preclass_ports", ports, sizeof(ports));
		}
		if (!opt.key.empty()) {
			char key[PRECLASS_KEY_MAX] = {};
			opt.key.copy(key, sizeof(key) - 1);
			setVar(".data", "preclass_key", key, sizeof(key));
		}
		loadError_ = bpf_object__load(obj_);
		if (loadError_)
			return;
		bpf_program *prog = bpf_object__find_program_by_name(obj_, name.c_str());
		if (!prog)
			throw std::runtime_error("no program " + name);
		progFd_ = bpf_program__fd(prog);
		statsFd_ = mapFd("preclass_stats");
		recordFd_ = mapFd("preclass_record");
	}

	~Classifier() { bpf_object__close(obj_); }
	Classifier(const Classifier &) = delete;
	Classifier &operator=(const Classifier &) = delete;

	int loadError() const { return loadError_; }
	bpf_object *object() const { return obj_; }

	RunResult run(const std::vector<uint8_t> &frame, uint32_t repeat = 1)
	{
		preclass_record before = record();
		std::vector<uint8_t> in = frame, out(frame.size() + 256);
		LIBBPF_OPTS(bpf_test_run_opts, topts,
			    .data_in = in.data(),
			    .data_out = out.data(),
			    .data_size_in = uint32_t(in.size()),
			    .data_size_out = uint32_t(out.size()),
			    .repeat = int(repeat));
		if (bpf_prog_test_run_opts(progFd_, &topts))
			throw std::runtime_error("BPF_PROG_TEST_RUN failed");
		preclass_record after = record();
		return {topts.retval, after.hits != before.hits, after.last};
	}

	// Sum over CPUs of one counter.
	uint64_t counter(preclass_counter which) const
	{
		int ncpu = libbpf_num_possible_cpus();
		std::vector<preclass_counters> v(ncpu);
		uint32_t zero = 0;
		if (bpf_map_lookup_elem(statsFd_, &zero, v.data()))
			throw std::runtime_error("cannot read preclass_stats");
		uint64_t sum = 0;
		for (const auto &c : v)
			sum += c.c[which];
		return sum;
	}

	// The kernel's average ns per run over @repeat runs.
	uint32_t timeNs(const std::vector<uint8_t> &frame, uint32_t repeat)
	{
		std::vector<uint8_t> in = frame;
		LIBBPF_OPTS(bpf_test_run_opts, topts,
			    .data_in = in.data(),
			    .data_size_in = uint32_t(in.size()),
			    .repeat = int(repeat));
		if (bpf_prog_test_run_opts(progFd_, &topts))
			throw std::runtime_error("BPF_PROG_TEST_RUN failed");
		return topts.duration;
	}

private:
	int mapFd(const char *name)
	{
		bpf_map *m = bpf_object__find_map_by_name(obj_, name);
		if (!m)
			throw std::runtime_error(std::string("no map ") + name);
		return bpf_map__fd(m);
	}

	preclass_record record() const
	{
		preclass_record r{};
		uint32_t zero = 0;
		if (bpf_map_lookup_elem(recordFd_, &zero, &r))
			throw std::runtime_error("cannot read preclass_record");
		return r;
	}

	// Write a global variable of section @sec (".data"/".rodata") before load.
	void setVar(const char *sec, const char *var, const void *val, size_t size)
	{
		const btf *b = bpf_object__btf(obj_);
		int id = btf__find_by_name_kind(b, sec, BTF_KIND_DATASEC);
		if (id < 0)
			throw std::runtime_error(std::string("no BTF for ") + sec);
		const btf_type *t = btf__type_by_id(b, id);
		const btf_var_secinfo *vsi = btf_var_secinfos(t);
		for (unsigned i = 0; i < btf_vlen(t); i++, vsi++) {
			const btf_type *vt = btf__type_by_id(b, vsi->type);
			if (std::string(btf__name_by_offset(b, vt->name_off)) != var)
				continue;
			if (vsi->size != size)
				throw std::runtime_error(std::string("size of ") + var);
			bpf_map *m = nullptr;
			bpf_object__for_each_map(m, obj_) {
				std::string n = bpf_map__name(m);
				if (n.size() >= strlen(sec) &&
				    n.compare(n.size() - strlen(sec), std::string::npos, sec) == 0)
					break;
			}
			size_t total = 0;
			const void *init = m ? bpf_map__initial_value(m, &total) : nullptr;
			if (!init || vsi->offset + size > total)
				throw std::runtime_error(std::string("no map for ") + sec);
			std::vector<uint8_t> copy(static_cast<const uint8_t *>(init),
						  static_cast<const uint8_t *>(init) + total);
			memcpy(copy.data() + vsi->offset, val, size);
			if (bpf_map__set_initial_value(m, copy.data(), total))
				throw std::runtime_error(std::string("cannot set ") + var);
			return;
		}
		throw std::runtime_error(std::string("no variable ") + var);
	}

	bpf_object *obj_ = nullptr;
	int loadError_ = 0;
	int progFd_ = -1, statsFd_ = -1, recordFd_ = -1;
};

}  // namespace bpftest
