/*
 * leaseline-traphandle: snmptrapd's traphandle for LEASELINE-MIB; this
 * file is its main (the parts: traphandle.h).
 *
 * snmptrapd runs it once per notification, with on stdin the sender's host
 * name, its transport address ("UDP: [127.0.0.1]:4711->[127.0.0.1]:162"),
 * then one varbind per line, "OID VALUE".  It writes one readable line per
 * LEASELINE-MIB notification, appended to the file named on the command
 * line (or to stdout):
 *
 *   2023-01-31T00:00:02+08:00 llContractSuspended JSCZE2208138CGN00
 *   常州市城市管理局 state=suspended reason=nonpayment since=2023-01-31 ...
 *   from=127.0.0.1                                      (one line)
 *
 * What snmptrapd prints depends on whether it has LEASELINE-MIB loaded:
 *   LEASELINE-MIB::llContractCustomer.1 常州市城市管理局
 *   LEASELINE-MIB::llContractServiceState.1 suspended
 *   LEASELINE-MIB::llContractSuspendedSince.1 2023-1-31,0:0:0.0,+8:0
 * or, without it,
 *   iso.3.6.1.4.1.8072.9999.9999.42.1.2.1.4.1 "E5 B8 B8 E5 B7 9E ... "
 *   iso.3.6.1.4.1.8072.9999.9999.42.1.2.1.26.1 2
 * (hex wrapped over several lines every 16 octets).  Both are read here
 * by resolving each OID to numbers against the few names this module and
 * the SNMP framework use, and by decoding each value by the type of the
 * object it belongs to, so that both give the same line.
 *
 * Robustness rules: any input is survived, nothing but a LEASELINE-MIB
 * notification writes anything, no floating point, and the line goes out
 * in one write(2) to a file opened O_APPEND, so that the lines of
 * handlers running at the same time never interleave.
 *
 * snmptrapd runs its traphandles as root on most systems, in a log
 * directory that may be writable by others: the log is opened with
 * O_NOFOLLOW and O_NONBLOCK and must be a regular file with one name, so
 * that no symbolic link, FIFO, device or hard link in its place leads the
 * line (or a created file) anywhere else, nor makes the handler wait.
 * The exit status is 0, or 1 when a notification's line could not be
 * written (said on stderr and to syslog, since snmptrapd shows neither
 * and does nothing with the status: it is for a person running the
 * handler by hand).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "traphandle/traphandle.h"

#ifndef LEASELINE_VERSION
#define LEASELINE_VERSION "unknown"
#endif

/* All of stdin, up to TRAPHANDLE_MAX_INPUT bytes (the rest is read and
 * dropped so that the writer never blocks), NUL-terminated, NULs inside
 * turned into spaces. */
static char *
traphandle_read(int fd, size_t *len)
{
	size_t cap = 8192, n = 0;
	char *in = malloc(cap + 1), sink[4096];

	if (in == NULL)
		return NULL;
	for (;;) {
		ssize_t r;

		if (n == cap && cap < TRAPHANDLE_MAX_INPUT) {
			char *p = realloc(in, cap * 2 + 1);

			if (p == NULL)
				break;
			in = p;
			cap *= 2;
		}
		if (n < cap)
			r = read(fd, in + n, cap - n);
		else
			r = read(fd, sink, sizeof(sink));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (n < cap)
			n += (size_t)r;
	}
	for (size_t i = 0; i < n; i++)
		if (in[i] == '\0')
			in[i] = ' ';
	in[n] = '\0';
	*len = n;
	return in;
}

static void traphandle_fail(const char *file, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Why a line is lost, on stderr and to syslog (snmptrapd shows its
 * handlers' stderr only when run in the foreground). */
static void
traphandle_fail(const char *file, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s: %s; this notification's line is not written\n",
		TRAPHANDLE_PROG, file, why);
	openlog(TRAPHANDLE_PROG, LOG_PID, LOG_DAEMON);
	syslog(LOG_ERR, "%s: %s; this notification's line is not written", file,
	       why);
	closelog();
}

/* "a FIFO", for "LOG: a FIFO, not a regular file". */
static const char *
traphandle_kind(mode_t mode)
{
	if (S_ISLNK(mode))
		return "a symbolic link";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	return "not a file";
}

static void
traphandle_refuse_kind(const char *file, mode_t mode)
{
	if (S_ISLNK(mode))
		traphandle_fail(file,
				"a symbolic link, not a regular file: refused "
				"(snmptrapd may run as root: name the file "
				"itself)");
	else
		traphandle_fail(file, "%s, not a regular file: refused",
				traphandle_kind(mode));
}

/*
 * Opens the log for appending, creating it 0640: never through a symbolic
 * link (O_NOFOLLOW), never waiting on a FIFO without a reader
 * (O_NONBLOCK), and only a regular file with one name.  -1 when refused,
 * said by traphandle_fail.
 */
static int
traphandle_open(const char *file)
{
	struct stat sb;
	int fd, e;

	fd = open(file,
		  O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
		      O_CLOEXEC,
		  0640);
	if (fd < 0) {
		e = errno;
		/* ELOOP (a link), EISDIR, ENXIO (a FIFO without a reader):
		 * name what is there rather than the errno. */
		if (lstat(file, &sb) == 0 && !S_ISREG(sb.st_mode))
			traphandle_refuse_kind(file, sb.st_mode);
		else
			traphandle_fail(file, "%s", strerror(e));
		return -1;
	}
	if (fstat(fd, &sb) < 0) {
		traphandle_fail(file, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		traphandle_refuse_kind(file, sb.st_mode);
		close(fd);
		return -1;
	}
	/* A second name of a file an attacker could not write otherwise
	 * (where fs.protected_hardlinks is off). */
	if (sb.st_nlink != 1) {
		traphandle_fail(file,
				"a file with %ju hard links: refused (another "
				"name of it may be any file)",
				(uintmax_t)sb.st_nlink);
		close(fd);
		return -1;
	}
	return fd;
}

/* One write(2) of the whole line: with O_APPEND the kernel puts it at
 * the end in one piece, whoever else is appending.  0 when written. */
static int
traphandle_write(const char *file, const char *line, size_t len)
{
	int fd = STDOUT_FILENO;
	ssize_t w;

	if (file != NULL && (fd = traphandle_open(file)) < 0)
		return -1;
	do
		w = write(fd, line, len);
	while (w < 0 && errno == EINTR);
	if (w < 0 || (size_t)w != len)
		traphandle_fail(file ? file : "stdout", "%s",
				w < 0 ? strerror(errno) : "short write");
	if (file != NULL)
		close(fd);
	return w >= 0 && (size_t)w == len ? 0 : -1;
}

static void
traphandle_usage(FILE *f)
{
	fprintf(f,
		"usage: %s [LOGFILE]\n"
		"snmptrapd's traphandle for LEASELINE-MIB: reads one "
		"notification on stdin\nand appends one line about it to "
		"LOGFILE (or writes it to stdout).\nIn snmptrapd.conf:\n"
		"  traphandle default /usr/local/sbin/%s "
		"/var/log/leaseline/notifications.log\n"
		"LOGFILE must be a regular file with one name, or not exist "
		"yet (it is then\ncreated, mode 0640).  Exit status 0, or 1 "
		"when the line could not be written.\n",
		TRAPHANDLE_PROG, TRAPHANDLE_PROG);
}

int
main(int argc, char **argv)
{
	struct traphandle_buf line = {0};
	struct traphandle_varbind *vb = NULL;
	const char *file = NULL;
	char *in, *host, *addr;
	size_t len = 0;
	int rc = 0;
	long n;

	if (argc > 1 &&
	    (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		traphandle_usage(stdout);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("%s %s\n", TRAPHANDLE_PROG, LEASELINE_VERSION);
		return 0;
	}
	if (argc > 2) {
		/* Still exit 0: snmptrapd cannot fix its own configuration,
		 * and a line written to the first file loses nothing. */
		fprintf(stderr, "%s: extra arguments ignored\n",
			TRAPHANDLE_PROG);
	}
	if (argc > 1 && argv[1][0] != '\0')
		file = argv[1];
	in = traphandle_read(STDIN_FILENO, &len);
	if (in == NULL)
		return 0;
	n = traphandle_split(in, len, &host, &addr, &vb);
	if (n >= 0 && traphandle_format(&line, host, addr, vb, (size_t)n) &&
	    traphandle_write(file, line.p, line.len) < 0)
		rc = 1;
	free(line.p);
	free(vb);
	free(in);
	return rc;
}
