/*
 * cfg_file.c: from a path to libconfig's tree, and on to its contracts.
 *
 * A file is read whole (a regular file only, at most 16 MiB, no NUL),
 * prescanned for what libconfig 1.5 misreads, and parsed on a short thread
 * of its own.  The main file may name an include_dir, whose *.conf files
 * are loaded in name order, the next ones parsed while one is converted.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/cfg.h"
#include "config/config.h"

#define CFG_MAX_FILE_SIZE (16 * 1024 * 1024)
#define CFG_AHEAD_MAX	  2 /* files parsed ahead: cfg_parse_ahead() */

static const char *const cfg_main_keys[] = {"include_dir", "contracts", NULL};
static const char *const cfg_included_keys[] = {"contracts", NULL};

/* What the prescan tests a character for, without a strchr() a
 * character (a tenth of the parsing thread's time). */
static bool
cfg_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
cfg_is_letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* A character of a number as libconfig's scanner takes it in:
 * "0123456789abcdefABCDEFxXL.+-". */
static bool
cfg_is_number_char(char c)
{
	return cfg_is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') ||
	       c == 'x' || c == 'X' || c == 'L' || c == '.' || c == '+' ||
	       c == '-';
}

/*
 * The literal starting at p, which libconfig 1.5 reads with atoi() (or
 * atoll() with an L suffix): refuses one that would not fit.  *end is
 * set past it.
 */
static int
cfg_check_number(struct cfg_loader *ld, const char *p, int line,
		 const char **end)
{
	const char *d = p, *w;
	uint64_t v = 0, base = 10, max32, max64;
	bool neg = *p == '-', over = false, is_long;

	for (w = p; cfg_is_number_char(*w); w++)
		;
	*end = w;
	if (*d == '+' || *d == '-')
		d++;
	if (d[0] == '0' && (d[1] == 'x' || d[1] == 'X')) {
		base = 16;
		d += 2;
	}
	for (; d < w; d++) {
		uint64_t digit;

		if (*d >= '0' && *d <= '9')
			digit = (uint64_t)(*d - '0');
		else if (base == 16 && (*d | 0x20) >= 'a' && (*d | 0x20) <= 'f')
			digit = (uint64_t)((*d | 0x20) - 'a' + 10);
		else
			break;
		if (v > (UINT64_MAX - digit) / base)
			over = true;
		else
			v = v * base + digit;
	}
	/* d stops at the end of a 32-bit literal, at the L of a 64-bit one;
	 * anything else is a float, or an error libconfig reports. */
	is_long =
	    d < w && d[0] == 'L' && (d + 1 == w || (d[1] == 'L' && d + 2 == w));
	max32 = neg ? 2147483648u : 2147483647u;
	max64 = neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX;
	if (d == w && (over || v > max32))
		return cfg_fail_at(ld, ld->file, line,
				   "%.*s: integer too large for libconfig's 32 "
				   "bits; expected at most 2147483647, or an L "
				   "suffix (%.*sL)",
				   (int)(w - p), p, (int)(w - p), p);
	if (is_long && (over || v > max64))
		return cfg_fail_at(
		    ld, ld->file, line,
		    "%.*s: integer too large for 64 bits; expected "
		    "at most 9223372036854775807L",
		    (int)(w - p), p);
	return 0;
}

/*
 * libconfig 1.5 reads an integer literal with atoi(): 5000000000 becomes
 * 705032704 without a word.  Finds such literals in the text before
 * parsing (outside strings and comments) and refuses them.  Also refuses
 * @include: include_dir is the one way to split the configuration, so
 * every setting's file is known.
 */
static int
cfg_prescan(struct cfg_loader *ld, const char *text)
{
	const char *p = text;
	int line = 1;

	while (*p != '\0') {
		if (*p == '\n') {
			line++;
			p++;
		} else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
			while (*p != '\0' && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			for (p += 2;
			     *p != '\0' && !(p[0] == '*' && p[1] == '/'); p++)
				if (*p == '\n')
					line++;
			if (*p != '\0')
				p += 2;
		} else if (*p == '"') {
			for (p++; *p != '\0' && *p != '"'; p++) {
				if (*p == '\n')
					line++;
				if (*p == '\\' && p[1] != '\0') {
					p++; /* an escaped quote or newline */
					if (*p == '\n')
						line++;
				}
			}
			if (*p != '\0')
				p++;
		} else if (*p == '@') {
			if (strncmp(p, "@include", 8) == 0)
				return cfg_fail_at(
				    ld, ld->file, line,
				    "@include is not supported; "
				    "expected include_dir in the "
				    "main file (leaseline.conf(5))");
			p++;
		} else if (cfg_is_digit(*p) || *p == '+' || *p == '-' ||
			   *p == '.') {
			if (cfg_check_number(ld, p, line, &p) < 0)
				return -1;
		} else if (cfg_is_letter(*p) || *p == '*') {
			/* A name, whose digits are not numbers. */
			while (cfg_is_letter(*p) || cfg_is_digit(*p) ||
			       *p == '-' || *p == '_' || *p == '*')
				p++;
		} else {
			p++;
		}
	}
	return 0;
}

/*
 * Opens a configuration file for reading, refusing anything but a regular
 * file.  A FIFO would block open() until a writer comes, holding up the
 * evaluation thread, snmpd or leaselinectl for ever: the file is opened
 * without blocking, and the check is made on what was opened (fstat), so
 * that a file swapped for a FIFO after a stat() cannot slip through.
 */
static FILE *
cfg_open_text(struct cfg_loader *ld, const char *path)
{
	struct stat st;
	FILE *f;
	int fd, flags;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		cfg_fail_at(ld, path, 0,
			    "cannot open the file: %s; expected a readable "
			    "configuration file",
			    strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		cfg_fail_at(ld, path, 0,
			    "is not a regular file; expected a configuration "
			    "file");
		close(fd);
		return NULL;
	}
	/* A regular file never blocks; reads are plain from here on. */
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0 ||
	    (f = fdopen(fd, "rb")) == NULL) {
		cfg_fail_at(ld, path, 0,
			    "cannot open the file: %s; expected a readable "
			    "configuration file",
			    strerror(errno));
		close(fd);
		return NULL;
	}
	return f;
}

/* Reads a whole file into a NUL-terminated buffer. */
static int
cfg_read_text(struct cfg_loader *ld, const char *path, char **out)
{
	FILE *f;
	char *buf = NULL, *p;
	size_t len = 0, cap = 0, first = 65536, n;
	struct stat st;
	int rc = -1;

	*out = NULL;
	f = cfg_open_text(ld, path);
	if (f == NULL)
		return -1;
	/* Room for the whole file and its NUL at once, rather than a
	 * megabyte copied over and over as it grows (it still may, should
	 * the file grow while it is read). */
	if (fstat(fileno(f), &st) == 0 && st.st_size <= CFG_MAX_FILE_SIZE)
		first = (size_t)st.st_size + 2;
	do {
		if (cap - len < 2) {
			cap = cap ? cap * 2 : first;
			p = realloc(buf, cap);
			if (p == NULL) {
				cfg_fail_at(
				    ld, path, 0,
				    "out of memory; expected enough memory "
				    "to load the configuration");
				goto out;
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (len > CFG_MAX_FILE_SIZE) {
			cfg_fail_at(ld, path, 0,
				    "is larger than 16 MiB; expected "
				    "a configuration file");
			goto out;
		}
	} while (n > 0);
	if (ferror(f)) {
		cfg_fail_at(ld, path, 0,
			    "cannot read the file: %s; expected a readable "
			    "configuration file",
			    strerror(errno));
		goto out;
	}
	/* libconfig would stop at a NUL and hide the rest of the file. */
	if (memchr(buf, '\0', len) != NULL) {
		cfg_fail_at(ld, path, 0,
			    "contains a NUL byte; expected a text "
			    "file");
		goto out;
	}
	buf[len] = '\0';
	*out = buf;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	fclose(f);
	return rc;
}

static int
cfg_syntax_error(struct cfg_loader *ld, const config_t *cf)
{
	const char *text = config_error_text(cf);
	const char *expect = "valid libconfig syntax (leaseline.conf(5))";

	if (text == NULL)
		text = "unreadable";
	if (strcmp(text, "syntax error") == 0)
		expect = "settings written name = value; with groups in { }, "
			 "arrays in [ ], lists in ( ) and strings in double "
			 "quotes (look for a missing ';', quote or bracket "
			 "here or on the line before)";
	else if (strcmp(text, "duplicate setting name") == 0)
		expect = "each setting once in its group";
	else if (strcmp(text, "mismatched element type in array") == 0)
		expect = "array elements [ ] all of one type (use a list ( ) "
			 "for groups)";
	return cfg_fail_at(ld, ld->file, config_error_line(cf),
			   "%s; expected %s", text, expect);
}

/*
 * A file read, checked for what libconfig would misread (cfg_prescan) and
 * parsed into libconfig's tree, by a thread of its own; the tree is freed
 * by another.  Two reasons:
 *
 * - Memory.  glibc then takes the tree's nodes from another malloc arena
 *   than the model copied out of it.  Built and freed in the loading
 *   thread, the tree's nodes and the model's strings and arrays were
 *   interleaved in one heap, and the holes the tree left (smaller than a
 *   page, between live model data) stayed resident: 45 MB of 99 MB at
 *   100,000 circuits in one file.  Freed by another thread, the nodes go
 *   back to their arena without passing through the loading thread's
 *   cache, from which its next allocations would take them, and leave
 *   whole free pages that go back to the system.
 * - Time.  The files of an include_dir are parsed ahead, one a core up
 *   to two (cfg_parse_ahead): the next files' trees are built while this
 *   one's contracts are converted.
 *
 * Without a thread (or with MALLOC_ARENA_MAX=1) all is done here, as
 * before.  A file's own problems (unreadable, too large, @include, a
 * number out of range) are kept in the job and reported when its turn
 * comes, so that messages come in file order whatever ran ahead.
 *
 * A job lives on the stack of cfg_load_file() or cfg_load_dir(), on the
 * loading thread.  From cfg_tree_start() to cfg_tree_wait() its parse
 * thread alone writes it; after, the loading thread alone reads the tree,
 * until cfg_tree_done() hands it to the thread that frees it.
 */
struct cfg_tree_job {
	const char *path;
	char *text;
	config_t cf;
	bool read_ok; /* text read and prescanned; else err says why */
	int rc;	      /* config_read_string's */
	bool running; /* a thread is at it */
	pthread_t thread;
	char err[CONFIG_ERRLEN];
};

/* A main file's tree names its include_dir, whose trees are loaded the
 * same way: cfg_load_tree() and cfg_load_dir() call each other. */
static int cfg_load_tree(struct cfg_loader *ld, struct cfg_tree_job *job,
			 bool is_main);

static void *
cfg_tree_build(void *arg)
{
	struct cfg_tree_job *job = arg;
	struct cfg_loader ld;
	const char *body;

	memset(&ld, 0, sizeof(ld));
	ld.err = job->err;
	ld.errlen = sizeof(job->err);
	ld.file = job->path;
	job->rc = CONFIG_FALSE;
	config_init(&job->cf);
	if (cfg_read_text(&ld, job->path, &job->text) < 0)
		return NULL;
	/* Some Windows editors start UTF-8 files with a byte order mark. */
	body = job->text;
	if (strncmp(body, "\xef\xbb\xbf", 3) == 0)
		body += 3;
	if (cfg_prescan(&ld, body) < 0)
		return NULL;
	job->read_ok = true;
	job->rc = config_read_string(&job->cf, body);
	return NULL;
}

static void *
cfg_tree_free(void *arg)
{
	struct cfg_tree_job *job = arg;

	config_destroy(&job->cf);
	/* The text last: freeing a chunk that large consolidates the
	 * arena's small free chunks and gives its free top back to the
	 * system (heap_trim); freed first, the tree's pages stayed
	 * resident, 46 MB at a million circuits. */
	free(job->text);
	job->text = NULL;
	return NULL;
}

/* Starts building path's tree (in a thread when one can be had). */
static void
cfg_tree_start(struct cfg_tree_job *job, const char *path)
{
	memset(job, 0, sizeof(*job));
	job->path = path;
	job->running =
	    pthread_create(&job->thread, NULL, cfg_tree_build, job) == 0;
	if (!job->running)
		cfg_tree_build(job);
}

static void
cfg_tree_wait(struct cfg_tree_job *job)
{
	if (job->running)
		pthread_join(job->thread, NULL);
	job->running = false;
}

/* Waits for the job, then frees its tree and text by another thread. */
static void
cfg_tree_done(struct cfg_tree_job *job)
{
	pthread_t t;

	cfg_tree_wait(job);
	if (pthread_create(&t, NULL, cfg_tree_free, job) == 0)
		pthread_join(t, NULL);
	else
		cfg_tree_free(job);
}

/*
 * How many files of an include_dir are parsed ahead of the one whose
 * contracts are converted: one a processor, at most CFG_AHEAD_MAX.
 * libconfig's parse was half the work of a load (converting the tree a
 * third, freeing it a sixth), so that with one file ahead the parsing
 * thread set the pace alone; with two, both cores share all of it.  Each
 * tree in flight holds about seven times its file's size (8 MB for a
 * file of 10,000 circuits).
 */
static size_t
cfg_parse_ahead(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > CFG_AHEAD_MAX ? CFG_AHEAD_MAX : (size_t)n;
}

/* "dir/name" from the first dirlen octets of dir, or NULL. */
static char *
cfg_path_join(const char *dir, size_t dirlen, const char *name)
{
	size_t n = dirlen + 1 + strlen(name) + 1;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%.*s/%s", (int)dirlen, dir, name);
	return p;
}

static int
cfg_cmp_names(const void *a, const void *b)
{
	/* strcmp, not strcoll: the order must not depend on the locale. */
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
cfg_is_conf_name(const char *name)
{
	size_t len = strlen(name);

	/* Hidden files are editors' and packagers' leftovers. */
	return name[0] != '.' && len > 5 &&
	       strcmp(name + len - 5, ".conf") == 0;
}

/* Every *.conf in the directory include_dir names, in name order. */
static int
cfg_load_dir(struct cfg_loader *ld, const char *main_path,
	     const config_setting_t *inc)
{
	const char *dir = config_setting_get_string(inc);
	const char *slash = strrchr(main_path, '/');
	char *dirpath = NULL, **names = NULL, **paths = NULL;
	struct cfg_tree_job jobs[CFG_AHEAD_MAX + 1];
	size_t n = 0, cap = 0, i, ahead, started;
	struct stat main_st, st;
	struct dirent *de;
	DIR *d;
	int rc = -1;

	/* Relative to the directory of the main file, not the cwd. */
	if (dir[0] == '/' || slash == NULL)
		dirpath = strdup(dir);
	else
		dirpath =
		    cfg_path_join(main_path, (size_t)(slash - main_path), dir);
	if (dirpath == NULL)
		return cfg_fail(ld, inc,
				"out of memory; expected enough memory to "
				"load the configuration");
	d = opendir(dirpath);
	if (d == NULL) {
		cfg_fail(
		    ld, inc,
		    "include_dir: \"%s\" cannot be opened: %s; expected a "
		    "directory of *.conf files, relative to the directory of "
		    "this file",
		    dir, strerror(errno));
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		if (!cfg_is_conf_name(de->d_name))
			continue;
		if (n == cap) {
			char **p;

			cap = cap ? cap * 2 : 16;
			p = realloc(names, cap * sizeof(*p));
			if (p == NULL)
				break;
			names = p;
		}
		names[n] = strdup(de->d_name);
		if (names[n] == NULL)
			break;
		n++;
	}
	if (de != NULL) {
		closedir(d);
		cfg_fail(ld, inc,
			 "out of memory; expected enough memory to load "
			 "the configuration");
		goto out;
	}
	closedir(d);
	if (n > 1) /* qsort(NULL, 0, ...) is undefined */
		qsort(names, n, sizeof(*names), cfg_cmp_names);
	if (stat(main_path, &main_st) < 0)
		memset(&main_st, 0, sizeof(main_st));
	/* Full paths first: the main file itself is refused before any is
	 * read. */
	paths = calloc(n ? n : 1, sizeof(*paths));
	if (paths == NULL) {
		cfg_fail(ld, inc,
			 "out of memory; expected enough memory "
			 "to load the configuration");
		goto out;
	}
	for (i = 0; i < n; i++) {
		paths[i] = cfg_path_join(dirpath, strlen(dirpath), names[i]);
		if (paths[i] == NULL) {
			cfg_fail(ld, inc,
				 "out of memory; expected enough memory "
				 "to load the configuration");
			goto out;
		}
		if (stat(paths[i], &st) == 0 && st.st_dev == main_st.st_dev &&
		    st.st_ino == main_st.st_ino) {
			cfg_fail(ld, inc,
				 "include_dir: \"%s\" holds this file itself; "
				 "expected a separate directory, such as "
				 "\"contracts.d\"",
				 dir);
			goto out;
		}
	}
	/* The trees of the next files are built while this one's contracts
	 * are converted: job i in jobs[i % (ahead + 1)]. */
	ahead = cfg_parse_ahead();
	for (started = 0; started < n && started < ahead; started++)
		cfg_tree_start(&jobs[started % (ahead + 1)], paths[started]);
	for (i = 0; i < n; i++) {
		struct cfg_tree_job *job = &jobs[i % (ahead + 1)];
		int r;

		cfg_tree_wait(job);
		if (started < n) {
			cfg_tree_start(&jobs[started % (ahead + 1)],
				       paths[started]);
			started++;
		}
		r = cfg_load_tree(ld, job, false);
		cfg_tree_done(job);
		if (r < 0) {
			while (++i < started)
				cfg_tree_done(&jobs[i % (ahead + 1)]);
			goto out;
		}
	}
	rc = 0;
out:
	for (i = 0; paths != NULL && i < n; i++)
		free(paths[i]);
	free(paths);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(dirpath);
	return rc;
}

/* The rest of a file once its tree is built (or not: job says why). */
static int
cfg_load_tree(struct cfg_loader *ld, struct cfg_tree_job *job, bool is_main)
{
	const char *saved = ld->file;
	const config_setting_t *root, *inc = NULL;
	int rc = -1;

	ld->file = job->path;
	ld->who[0] = '\0';
	if (!job->read_ok) {
		snprintf(ld->err, ld->errlen, "%s", job->err);
		goto out;
	}
	if (job->rc != CONFIG_TRUE) {
		cfg_syntax_error(ld, &job->cf);
		goto out;
	}
	root = config_root_setting(&job->cf);
	if (!is_main && cfg_member(root, "include_dir") != NULL) {
		cfg_fail(ld, cfg_member(root, "include_dir"),
			 "include_dir: is not allowed in an included file; "
			 "expected include_dir only in the main file");
		goto out;
	}
	if (cfg_check_keys(ld, root, "",
			   is_main ? cfg_main_keys : cfg_included_keys) < 0)
		goto out;
	if (is_main &&
	    (cfg_lookup(ld, root, "", "include_dir", CFG_T(STRING), false,
			"a quoted directory name, such as \"contracts.d\"",
			&inc) < 0 ||
	     (inc != NULL && config_setting_get_string(inc)[0] == '\0' &&
	      cfg_fail(ld, inc,
		       "include_dir: is empty; expected a quoted "
		       "directory name, such as \"contracts.d\"") < 0)))
		goto out;
	if (cfg_load_contracts(ld, root) < 0)
		goto out;
	if (inc != NULL && cfg_load_dir(ld, job->path, inc) < 0)
		goto out;
	rc = 0;
out:
	ld->file = saved;
	return rc;
}

int
cfg_load_file(struct cfg_loader *ld, const char *path, bool is_main)
{
	struct cfg_tree_job job;
	int rc;

	cfg_tree_start(&job, path);
	cfg_tree_wait(&job);
	rc = cfg_load_tree(ld, &job, is_main);
	cfg_tree_done(&job);
	return rc;
}
