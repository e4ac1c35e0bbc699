// SPDX-License-Identifier: GPL-2.0
/*
 * udp_flood ADDR PORT SECONDS [CPU] - the traffic generator of
 * bench/netfilter.sh: small IPv4 UDP datagrams to ADDR:PORT in batches of
 * 64 with sendmmsg(2) for SECONDS, pinned to CPU when given. Prints
 * "<datagrams sent> <seconds elapsed>". Over a veth the receiver's netfilter
 * hooks run in the softirq this sender's syscalls raise, on the same CPU, so
 * the send rate includes what the hooks cost.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static char payload[] = "lunatik-bench";
	struct mmsghdr msgs[BATCH];
	struct iovec iov = { payload, sizeof(payload) - 1 };
	struct sockaddr_in dst = { .sin_family = AF_INET };
	unsigned long long sent = 0;
	double seconds, start, end, t;
	int fd, i, n;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: %s ADDR PORT SECONDS [CPU]\n", argv[0]);
		return 2;
	}
	if (inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1) {
		fprintf(stderr, "udp_flood: bad IPv4 address %s\n", argv[1]);
		return 2;
	}
	dst.sin_port = htons(atoi(argv[2]));
	seconds = atof(argv[3]);
	if (argc == 5) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(atoi(argv[4]), &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			perror("udp_flood: sched_setaffinity");
			return 1;
		}
	}
	/* not connected: ICMP errors from the receiver never fail a send */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("udp_flood: socket");
		return 1;
	}
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_name = &dst;
		msgs[i].msg_hdr.msg_namelen = sizeof(dst);
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	start = now();
	end = start + seconds;
	for (t = start; t < end; t = now()) {
		n = sendmmsg(fd, msgs, BATCH, 0);
		if (n > 0)
			sent += n;
		else if (n < 0 && errno != ENOBUFS && errno != EINTR) {
			perror("udp_flood: sendmmsg");
			return 1;
		}
	}
	printf("%llu %.3f\n", sent, t - start);
	close(fd);
	return 0;
}
