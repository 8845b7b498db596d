/*
 * freeport: prints a TCP/UDP port on 127.0.0.1 that is free right now, for
 * tests that start servers on loopback.  The kernel picks it (bind to port
 * 0); the port is checked free for both UDP and TCP.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int
bound_port(int type, int port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, type, 0), got = -1;

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		got = ntohs(sa.sin_port);
	close(fd);
	return got;
}

int
main(void)
{
	for (int tries = 0; tries < 50; tries++) {
		int port = bound_port(SOCK_DGRAM, 0);

		if (port > 0 && bound_port(SOCK_STREAM, port) == port) {
			printf("%d\n", port);
			return 0;
		}
	}
	fprintf(stderr, "freeport: no free port on 127.0.0.1\n");
	return 1;
}
