/*
 * datefile.c: the day from a file, read when it changes (datefile.h).
 */
#include <stdio.h>
#include <string.h>

#include "daemon/datefile.h"
#include "snmp/log.h"

void
datefile_reset(struct datefile *d)
{
	memset(d, 0, sizeof(*d));
	d->day = LL_NO_DAY;
}

void
datefile_poll(struct datefile *d, const char *path)
{
	struct stat st;
	char buf[32] = "";
	FILE *f;
	ll_day day;

	if (path == NULL || stat(path, &st) < 0)
		return;
	if (st.st_mtim.tv_sec == d->st.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == d->st.st_mtim.tv_nsec &&
	    st.st_size == d->st.st_size && st.st_ino == d->st.st_ino)
		return;
	d->st = st;
	f = fopen(path, "r");
	if (f == NULL)
		return;
	if (fgets(buf, sizeof(buf), f) != NULL)
		buf[strcspn(buf, "\r\n")] = '\0';
	fclose(f);
	if (!day_parse(buf, &day)) {
		log_warn("main",
			 "%s: \"%s\" is not a calendar date; expected "
			 "YYYY-MM-DD; the day stays as it was",
			 path, buf);
		return;
	}
	d->day = day;
}
