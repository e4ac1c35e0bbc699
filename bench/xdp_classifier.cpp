// SPDX-License-Identifier: GPL-2.0
// xdp_classifier.cpp - benchmark (prints ratios, asserts nothing): each XDP
// pre-classifier (bpf/, mode OFF: everything up to the hand-off to Lua)
// against an empty XDP program, on matching and non-matching frames, with
// BPF_PROG_TEST_RUN and repeat in the host kernel (JIT). Rounds alternate
// the two programs and keep each one's best, as the host is noisy.
//   bench_xdp_classifier OBJDIR [JSON_OUT]
// Prints a markdown table; writes JSON to JSON_OUT when given. Needs root.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "classifier.hpp"
#include "packet.hpp"

using namespace bpftest;

namespace bpftest {
std::string &objectDir()
{
	static std::string dir;
	return dir;
}
}  // namespace bpftest

namespace {

constexpr uint32_t kRepeat = 1000000;
constexpr int kRounds = 3;

class EmptyXdp {
public:
	EmptyXdp()
	{
		const bpf_insn prog[] = {
			{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = XDP_PASS},
			{.code = BPF_JMP | BPF_EXIT},
		};
		fd_ = bpf_prog_load(BPF_PROG_TYPE_XDP, "empty", "GPL", prog, 2, nullptr);
		if (fd_ < 0)
			throw std::runtime_error("cannot load an empty XDP program");
	}
	~EmptyXdp() { close(fd_); }
	EmptyXdp(const EmptyXdp &) = delete;
	EmptyXdp &operator=(const EmptyXdp &) = delete;

	uint32_t timeNs(const Bytes &frame, uint32_t repeat)
	{
		Bytes in = frame;
		LIBBPF_OPTS(bpf_test_run_opts, topts,
			    .data_in = in.data(),
			    .data_size_in = uint32_t(in.size()),
			    .repeat = int(repeat));
		if (bpf_prog_test_run_opts(fd_, &topts))
			throw std::runtime_error("BPF_PROG_TEST_RUN failed");
		return topts.duration;
	}

private:
	int fd_;
};

struct Case {
	const char *program;
	const char *frame;
	bool matching;
	Bytes bytes;
};

struct Result {
	Case c;
	uint32_t emptyNs, classifierNs;
};

std::vector<Case> cases()
{
	std::vector<Case> v;
	Frame f;
	f.proto = 17;
	f.dport = 9999;
	f.payload = text("not interesting");
	v.push_back({"tls_classifier", "UDP/9999", false, build(f)});
	f = Frame{};
	f.payload = {};
	v.push_back({"tls_classifier", "TCP/443 ACK", false, build(f)});
	f.payload = text("\x17\x03\x03\x00\x20 application data, no hello..");
	v.push_back({"tls_classifier", "TCP/443 app data", false, build(f)});
	f.payload = clientHello(300);
	v.push_back({"tls_classifier", "ClientHello IPv4", true, build(f)});
	f.family = 6;
	f.vlanTpids = {0x8100};
	f.ipv6Ext = {{0, 8}};
	v.push_back({"tls_classifier", "ClientHello VLAN IPv6+ext", true, build(f)});
	f = Frame{};
	f.dport = 80;
	f.payload = text("GET / HTTP/1.1\r\n\r\n");
	v.push_back({"dns_classifier", "TCP/80", false, build(f)});
	f = Frame{};
	f.proto = 17;
	f.dport = 53;
	f.payload = dnsQuery();
	v.push_back({"dns_classifier", "UDP/53 query", true, build(f)});
	f.family = 6;
	v.push_back({"dns_classifier", "UDP/53 query IPv6", true, build(f)});
	return v;
}

}  // namespace

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s OBJDIR [JSON_OUT]\n", argv[0]);
		return 2;
	}
	if (geteuid() != 0) {
		printf("SKIP: not root\n");
		return 4;
	}
	objectDir() = argv[1];
	libbpf_set_print(nullptr);
	try {
		EmptyXdp empty;
		Classifier tls("tls_classifier", {.mode = PRECLASS_MODE_OFF});
		Classifier dns("dns_classifier", {.mode = PRECLASS_MODE_OFF});
		if (tls.loadError() || dns.loadError())
			throw std::runtime_error("cannot load the classifiers");
		std::vector<Result> results;
		for (Case &c : cases()) {
			Classifier &cls = std::string(c.program) == "tls_classifier" ? tls : dns;
			uint32_t e = UINT32_MAX, k = UINT32_MAX;
			for (int r = 0; r < kRounds; r++) {
				e = std::min(e, empty.timeNs(c.bytes, kRepeat));
				k = std::min(k, cls.timeNs(c.bytes, kRepeat));
			}
			results.push_back({c, e, k});
		}
		printf("| program | frame | matching | empty ns | classifier ns | ratio |\n");
		printf("|---|---|---|---|---|---|\n");
		std::string json = "{\"benchmark\":\"xdp_classifier\",\"repeat\":" +
				   std::to_string(kRepeat) + ",\"results\":[";
		for (size_t i = 0; i < results.size(); i++) {
			const Result &r = results[i];
			double ratio = double(r.classifierNs) / std::max(1u, r.emptyNs);
			printf("| %s | %s | %s | %u | %u | %.2f |\n", r.c.program, r.c.frame,
			       r.c.matching ? "yes" : "no", r.emptyNs, r.classifierNs, ratio);
			char buf[320];
			snprintf(buf, sizeof(buf),
				 "%s{\"program\":\"%s\",\"frame\":\"%s\",\"matching\":%s,"
				 "\"empty_ns\":%u,\"classifier_ns\":%u,\"ratio\":%.3f}",
				 i ? "," : "", r.c.program, r.c.frame,
				 r.c.matching ? "true" : "false", r.emptyNs, r.classifierNs, ratio);
			json += buf;
		}
		json += "]}\n";
		if (argc > 2)
			std::ofstream(argv[2]) << json;
		else
			fputs(json.c_str(), stdout);
	} catch (const std::exception &e) {
		fprintf(stderr, "bench_xdp_classifier: %s\n", e.what());
		return 1;
	}
	return 0;
}
