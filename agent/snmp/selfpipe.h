/*
 * selfpipe.h: a pipe one thread writes a byte to, to wake another that
 * waits in select() or poll() (snmpd's loop through register_readfd,
 * leaselined's, the building thread's).
 *
 * Both ends are non-blocking and close-on-exec: a writer never waits on a
 * full pipe (a byte is pending then, which is all a reader needs), and a
 * reader empties it without blocking.  Each pipe has one writing and one
 * reading thread; opening and closing are the owner's, while neither
 * side runs.
 */
#ifndef LL_SELFPIPE_H
#define LL_SELFPIPE_H

/* fd[0] to read, fd[1] to write; 0, or -1 with errno set and both -1. */
int selfpipe_open(int fd[2]);
/* Closes what is open, leaving both -1. */
void selfpipe_close(int fd[2]);
/* One byte to fd (the write end; nothing when -1): 0, or -1 with errno
 * set (a full pipe is 0: a wake-up is pending already). */
int selfpipe_poke(int fd);
/* Reads fd (the read end) until it is empty. */
void selfpipe_drain(int fd);
/* Waits at most ms milliseconds for a byte on fd (the read end), leaving
 * it there: 1 when one came, 0 when none did, -1 with errno set (fd -1
 * is EBADF).  A signal does not end the wait early. */
int selfpipe_wait(int fd, int ms);

#endif
