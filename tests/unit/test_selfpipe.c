/*
 * test_selfpipe.c: agent/snmp/selfpipe.c, the wake-up pipe between the
 * building and the serving threads: a poke wakes a waiter and stays until
 * drained, a full pipe is no error, a signal does not end a wait early,
 * and a closed pipe is refused.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "snmp/selfpipe.h"

static void
nap_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

static void
test_poke_stays_until_drained(void **state)
{
	int fd[2];

	(void)state;
	assert_int_equal(selfpipe_open(fd), 0);
	assert_int_equal(selfpipe_wait(fd[0], 0), 0);
	assert_int_equal(selfpipe_poke(fd[1]), 0);
	assert_int_equal(selfpipe_wait(fd[0], 0), 1);
	/* waiting does not take the byte: the serving side does */
	assert_int_equal(selfpipe_wait(fd[0], 0), 1);
	selfpipe_drain(fd[0]);
	assert_int_equal(selfpipe_wait(fd[0], 10), 0);
	selfpipe_close(fd);
	assert_int_equal(fd[0], -1);
	assert_int_equal(fd[1], -1);
}

static void
test_full_pipe_is_no_error(void **state)
{
	int fd[2];

	(void)state;
	assert_int_equal(selfpipe_open(fd), 0);
	/* a pipe holds 64 KiB on Linux: more pokes than that */
	for (int i = 0; i < 70000; i++)
		assert_int_equal(selfpipe_poke(fd[1]), 0);
	selfpipe_drain(fd[0]);
	assert_int_equal(selfpipe_wait(fd[0], 0), 0);
	selfpipe_close(fd);
	assert_int_equal(selfpipe_poke(-1), 0);
}

struct poker {
	int fd;
	long after_ms;
	pthread_t target; /* signalled first when signal is set */
	int signal;
};

static void *
poker_run(void *arg)
{
	struct poker *p = arg;

	nap_ms(p->after_ms);
	if (p->signal != 0)
		pthread_kill(p->target, p->signal);
	if (p->fd >= 0) {
		nap_ms(p->after_ms);
		selfpipe_poke(p->fd);
	}
	return NULL;
}

static void
test_wakes_on_a_later_poke(void **state)
{
	struct poker p = {.after_ms = 100};
	pthread_t t;
	int fd[2];

	(void)state;
	assert_int_equal(selfpipe_open(fd), 0);
	p.fd = fd[1];
	assert_int_equal(pthread_create(&t, NULL, poker_run, &p), 0);
	assert_int_equal(selfpipe_wait(fd[0], 60000), 1);
	pthread_join(t, NULL);
	selfpipe_close(fd);
}

static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
	(void)sig;
	got_signal = 1;
}

/* Without SA_RESTART, poll() returns EINTR at the signal: the wait goes on
 * to the byte poked after it. */
static void
test_signal_does_not_end_the_wait(void **state)
{
	struct sigaction sa, old;
	struct poker p = {.after_ms = 100, .signal = SIGUSR1};
	pthread_t t;
	int fd[2];

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGUSR1, &sa, &old), 0);
	assert_int_equal(selfpipe_open(fd), 0);
	p.fd = fd[1];
	p.target = pthread_self();
	got_signal = 0;
	assert_int_equal(pthread_create(&t, NULL, poker_run, &p), 0);
	assert_int_equal(selfpipe_wait(fd[0], 60000), 1);
	pthread_join(t, NULL);
	assert_int_equal(got_signal, 1);
	selfpipe_close(fd);
	sigaction(SIGUSR1, &old, NULL);
}

static void
test_closed_pipe_refused(void **state)
{
	(void)state;
	errno = 0;
	assert_int_equal(selfpipe_wait(-1, 0), -1);
	assert_int_equal(errno, EBADF);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_poke_stays_until_drained),
	    cmocka_unit_test(test_full_pipe_is_no_error),
	    cmocka_unit_test(test_wakes_on_a_later_poke),
	    cmocka_unit_test(test_signal_does_not_end_the_wait),
	    cmocka_unit_test(test_closed_pipe_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
