/*
 * selfpipe.c: see selfpipe.h.
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "snmp/selfpipe.h"

int
selfpipe_open(int fd[2])
{
	if (pipe2(fd, O_CLOEXEC | O_NONBLOCK) < 0) {
		fd[0] = fd[1] = -1;
		return -1;
	}
	return 0;
}

void
selfpipe_close(int fd[2])
{
	for (int i = 0; i < 2; i++) {
		if (fd[i] >= 0)
			close(fd[i]);
		fd[i] = -1;
	}
}

int
selfpipe_poke(int fd)
{
	ssize_t w;

	if (fd < 0)
		return 0;
	do
		w = write(fd, "", 1);
	while (w < 0 && errno == EINTR);
	return w < 0 && errno != EAGAIN ? -1 : 0;
}

void
selfpipe_drain(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

int
selfpipe_wait(int fd, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	struct timespec now, until;
	long left = ms;
	int rc;

	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	for (;;) {
		rc = poll(&p, 1, (int)left);
		if (rc >= 0 || errno != EINTR)
			return rc > 0 ? 1 : rc;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (until.tv_sec - now.tv_sec) * 1000L +
		       (until.tv_nsec - now.tv_nsec) / 1000000L;
		if (left < 0)
			left = 0;
	}
}
