/*
 * datefile.h: the day to evaluate on, from a file (leaselined -D FILE,
 * leaselineDateFile in snmpd.conf), read again whenever the file changes,
 * so that a demo or a test can move the day while the service runs.
 *
 * The building side's (service.c): one thread, no lock.
 */
#ifndef LL_DATEFILE_H
#define LL_DATEFILE_H

#include <sys/stat.h>

#include "core/day.h"

struct datefile {
	ll_day day;	/* LL_NO_DAY until the file held a date */
	struct stat st; /* the file as last read */
};

/* Forgets what was read: the next poll reads the file again. */
void datefile_reset(struct datefile *d);
/* Reads path (NULL: none) again if it changed.  A file that does not
 * hold a date is reported and ignored: the day stays as it was. */
void datefile_poll(struct datefile *d, const char *path);

#endif
