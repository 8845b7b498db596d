/*
 * freeport: prints a TCP/UDP port on 127.0.0.1 that is free right now, for
 * tests and scripts that start servers on loopback.
 *
 *   freeport            a port outside the kernel's ephemeral range
 *   freeport LOW HIGH   a port in [LOW, HIGH]
 *
 * Why not the ephemeral range (what bind to port 0 hands out): every
 * snmpget, snmpwalk and trap a test sends binds a port from it.  A server
 * restarted on its port (faults-master.test restarts snmpd twenty times)
 * finds that port taken by some client for a moment, once in a few hundred
 * runs, and exits "Error opening specified endpoint".  Outside that range
 * only another freeport can choose the same port, and it checks first.
 *
 * The port is picked at random and checked free for both UDP and TCP.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#define FREEPORT_MIN   10000 /* below: where services are configured */
#define FREEPORT_TRIES 1000

static int
port_free(int type, int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, type, 0), ok;

	if (fd < 0)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

/* The kernel's ephemeral range; Linux's default when it cannot be read. */
static void
ephemeral_range(int *low, int *high)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");

	*low = 32768;
	*high = 60999;
	if (f != NULL) {
		if (fscanf(f, "%d %d", low, high) != 2) {
			*low = 32768;
			*high = 60999;
		}
		fclose(f);
	}
}

static unsigned
random_below(unsigned n)
{
	unsigned r;

	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		r = (unsigned)getpid() * 2654435761u;
	return r % n;
}

static int
parse_port(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s != '\0' && *end == '\0' && v >= 1 && v <= 65535 ? (int)v : -1;
}

int
main(int argc, char **argv)
{
	int low = FREEPORT_MIN, high = 65535, eph_low = 0, eph_high = -1;

	if (argc == 3) {
		low = parse_port(argv[1]);
		high = parse_port(argv[2]);
		if (low < 0 || high < low) {
			fprintf(stderr, "freeport: LOW and HIGH must be ports, "
					"LOW <= HIGH\n");
			return 2;
		}
	} else if (argc == 1) {
		ephemeral_range(&eph_low, &eph_high);
	} else {
		fprintf(stderr, "usage: freeport [LOW HIGH]\n");
		return 2;
	}
	/* Draws inside the ephemeral range are thrown back: about half of
	 * them by default, so FREEPORT_TRIES draws leave ample checks. */
	for (int tries = 0; tries < FREEPORT_TRIES; tries++) {
		int port = low + (int)random_below((unsigned)(high - low + 1));

		if (port >= eph_low && port <= eph_high)
			continue;
		if (port_free(SOCK_DGRAM, port) &&
		    port_free(SOCK_STREAM, port)) {
			printf("%d\n", port);
			return 0;
		}
	}
	fprintf(stderr, "freeport: no free port on 127.0.0.1 in %d-%d\n", low,
		high);
	return 1;
}
