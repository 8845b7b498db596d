/*
 * selfpipe.c: see selfpipe.h.
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
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
