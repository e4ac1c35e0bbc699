// SPDX-License-Identifier: GPL-2.0
// test_main.cpp - shared main of the BPF host tests:
//   bpf_classifier_tests OBJDIR [gtest options]
// Exits 4 with "SKIP: reason" (ctest SKIP_RETURN_CODE) when not root or the
// kernel refuses BPF programs; a skip is not a pass.
#include <unistd.h>

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

extern "C" {
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
}

namespace bpftest {
std::string &objectDir()
{
	static std::string dir;
	return dir;
}
}  // namespace bpftest

static bool bpfAvailable(std::string &why)
{
	// r0 = XDP_PASS; exit
	const bpf_insn prog[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = XDP_PASS},
		{.code = BPF_JMP | BPF_EXIT},
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "probe", "GPL", prog, 2, nullptr);
	if (fd < 0) {
		why = "kernel refuses XDP programs (" + std::to_string(-fd) + ")";
		return false;
	}
	close(fd);
	return true;
}

int main(int argc, char **argv)
{
	testing::InitGoogleTest(&argc, argv);
	if (argc < 2) {
		fprintf(stderr, "usage: %s OBJDIR [gtest options]\n", argv[0]);
		return 2;
	}
	bpftest::objectDir() = argv[1];
	std::string why;
	if (geteuid() != 0) {
		printf("SKIP: not root\n");
		return 4;
	}
	if (!bpfAvailable(why)) {
		printf("SKIP: %s\n", why.c_str());
		return 4;
	}
	libbpf_set_print(nullptr);
	return RUN_ALL_TESTS();
}
