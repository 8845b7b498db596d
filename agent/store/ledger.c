/*
 * ledger.c: the ledger of ledger.h on SQLite.
 *
 * - WAL mode: leaselinectl appends while leaselined reads, and neither
 *   waits for the other; synchronous = FULL syncs the WAL at each commit,
 *   so an append that returned 0 survives kill -9 and power loss.
 * - busy_timeout: two writers (two leaselinectl runs, or leaselinectl and
 *   the daemon recording a transition) wait for each other instead of
 *   failing with "database is locked".
 * - The schema is versioned by PRAGMA user_version and the file is marked
 *   as ours by PRAGMA application_id; read-write opens migrate it in one
 *   transaction, read-only opens only check it.
 * - Entries are append-only: triggers refuse UPDATE and DELETE, and CHECK
 *   constraints repeat the validation of ledger_append, so not even a raw
 *   sqlite3 session stores an entry this code would refuse.
 * - Every statement with user data uses bound parameters.
 *
 * The minimum SQLite is configure's (3.31): no STRICT tables, no
 * RETURNING, sqlite_master rather than sqlite_schema.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/billing.h"
#include "store/ledger.h"

/* "LLED" in PRAGMA application_id: tells a ledger from any other SQLite
 * file that a wrong path may name. */
#define LEDGER_APPLICATION_ID 0x4c4c4544

/* Long enough for a leaselinectl append to wait out another one. */
#define LEDGER_BUSY_TIMEOUT_MS 5000

struct ledger {
	sqlite3 *db;
	char *path;
	enum ledger_mode mode;
};

/*
 * The migrations: ledger_migrations[v - 1] brings a version v - 1 schema to
 * version v.  Never edit a step once released; append a new one and raise
 * LEDGER_SCHEMA_VERSION.
 */
/*
 * The entries table as a migration makes it (last_kind, last_reason: the
 * highest kind and reason codes its CHECK takes), and what guards it: entries
 * are never changed or deleted, and a reversal cancels a payment of the same
 * contract (the foreign key proves the target exists; the trigger, that
 * it is such a payment).  The SQL of a released migration stays the same
 * to the byte: these macros only spell it once.
 */
/* clang-format off */
#define LEDGER_ENTRIES_TABLE(last_kind, last_reason) \
	"CREATE TABLE entries (" \
	" id INTEGER PRIMARY KEY," \
	" kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND " #last_kind ")," \
	" contract TEXT NOT NULL CHECK (typeof(contract) = 'text'" \
	"  AND contract <> '')," \
	" day INTEGER NOT NULL CHECK (typeof(day) = 'integer'" \
	"  AND day BETWEEN -2147483647 AND 2147483647)," \
	" amount INTEGER NOT NULL DEFAULT 0 CHECK (typeof(amount) = 'integer'" \
	"  AND amount >= 0)," \
	" reverses INTEGER REFERENCES entries(id)," \
	" reason INTEGER NOT NULL DEFAULT 0," \
	" note TEXT NOT NULL DEFAULT '' CHECK (typeof(note) = 'text')," \
	" recorded_at INTEGER NOT NULL CHECK (typeof(recorded_at) = 'integer')," \
	" CHECK ((kind = 1) = (amount > 0))," \
	" CHECK ((kind = 2) = (reverses IS NOT NULL))," \
	" CHECK (CASE WHEN kind IN (3, 5) THEN reason BETWEEN 1 AND " #last_reason \
	"  ELSE reason = 0 END)" \
	");"

#define LEDGER_ENTRIES_GUARDS \
	"CREATE INDEX entries_by_contract ON entries(contract, day, id);" \
	"CREATE UNIQUE INDEX entries_reversed_once ON entries(reverses)" \
	" WHERE reverses IS NOT NULL;" \
	"CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries BEGIN" \
	" SELECT RAISE(ABORT, 'ledger entries are never changed: record a " \
	"reversal');" \
	" END;" \
	"CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries BEGIN" \
	" SELECT RAISE(ABORT, 'ledger entries are never changed: record a " \
	"reversal');" \
	" END;" \
	"CREATE TRIGGER entries_reversal_target BEFORE INSERT ON entries" \
	" WHEN NEW.kind = 2 AND NOT EXISTS (SELECT 1 FROM entries" \
	"  WHERE id = NEW.reverses AND kind = 1 AND contract = NEW.contract)" \
	" BEGIN" \
	" SELECT RAISE(ABORT, 'a reversal cancels a payment of the same " \
	"contract');" \
	" END;"
/* clang-format on */

static const char *const ledger_migrations[] = {
    /* 1: the initial schema. */
    LEDGER_ENTRIES_TABLE(6, 5) LEDGER_ENTRIES_GUARDS
    "CREATE TABLE transitions ("
    " id INTEGER PRIMARY KEY,"
    " contract TEXT NOT NULL CHECK (contract <> ''),"
    " day INTEGER NOT NULL,"
    " what TEXT NOT NULL CHECK (what <> ''),"
    " from_state INTEGER NOT NULL,"
    " to_state INTEGER NOT NULL,"
    " recorded_at INTEGER NOT NULL,"
    /* The event behind the transition: recorded once (issue 4). */
    " key TEXT UNIQUE"
    ");"
    "CREATE INDEX transitions_by_contract"
    " ON transitions(contract, day, id);"
    /* Issue 4: notifications waiting for the master agent. */
    "CREATE TABLE outbox ("
    " id INTEGER PRIMARY KEY,"
    " contract TEXT NOT NULL,"
    " notification TEXT NOT NULL,"
    " day INTEGER NOT NULL,"
    " payload TEXT NOT NULL DEFAULT '',"
    " created_at INTEGER NOT NULL,"
    " sent_at INTEGER,"
    /* One notification per event, however often it is computed. */
    " key TEXT NOT NULL UNIQUE"
    ");"
    /* Small facts of the daemon's own, such as the first day it ran. */
    "CREATE TABLE meta ("
    " name TEXT PRIMARY KEY,"
    " value INTEGER NOT NULL"
    ");"
    "CREATE INDEX outbox_unsent ON outbox(id) WHERE sent_at IS NULL;"
    "CREATE INDEX outbox_by_contract ON outbox(contract, day, id);"
    "PRAGMA application_id = 1280066884;", /* LEDGER_APPLICATION_ID */
    /* 2 (issue 13): the reasons transit (6, clause 3.1.11) and misuse (7,
     * clause 6.3).  SQLite cannot change a CHECK: the table is made
     * again (the renamed one takes its triggers and indexes along, and
     * its self-reference; rows are copied in id order, so that a
     * reversal's payment is always there first). */
    "ALTER TABLE entries RENAME TO entries_v1;" LEDGER_ENTRIES_TABLE(
	6, 7) "INSERT INTO entries (id, kind, contract, day, amount, reverses,"
	      " reason, note, recorded_at)"
	      " SELECT id, kind, contract, day, amount, reverses, reason, note,"
	      " recorded_at FROM entries_v1 ORDER BY id;"
	      "DROP TABLE entries_v1;" LEDGER_ENTRIES_GUARDS,
    /* 3 (issue 13, clause 7.1(4)): the kind reminder (7), a reminder to
     * pay (催告); the table is made again as in migration 2. */
    "ALTER TABLE entries RENAME TO entries_v2;" LEDGER_ENTRIES_TABLE(
	7, 7) "INSERT INTO entries (id, kind, contract, day, amount, reverses,"
	      " reason, note, recorded_at)"
	      " SELECT id, kind, contract, day, amount, reverses, reason, note,"
	      " recorded_at FROM entries_v2 ORDER BY id;"
	      "DROP TABLE entries_v2;" LEDGER_ENTRIES_GUARDS,
};

_Static_assert(sizeof(ledger_migrations) / sizeof(ledger_migrations[0]) ==
		   LEDGER_SCHEMA_VERSION,
	       "one migration per schema version");
_Static_assert(LEDGER_APPLICATION_ID == 1280066884,
	       "the application_id of migration 1");

#define ENTRY_COLUMNS                                                          \
	"id, kind, contract, day, amount, reverses, reason, note, recorded_at"
#define TRANSITION_COLUMNS                                                     \
	"id, contract, day, what, from_state, to_state, recorded_at"

static void ledger_seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
ledger_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* What failed, on which file, and SQLite's own words.  Call it before any
 * ROLLBACK, which would replace SQLite's message. */
static void
ledger_sqlerr(const struct ledger *l, char *err, size_t errlen,
	      const char *what)
{
	ledger_seterr(err, errlen, "ledger %s: %s: %s", l->path, what,
		      sqlite3_errmsg(l->db));
}

static const char *
ledger_kind_name(int kind)
{
	switch (kind) {
	case ENTRY_PAYMENT: return "payment";
	case ENTRY_REVERSAL: return "reversal";
	case ENTRY_SUSPEND: return "suspension";
	case ENTRY_RESUME: return "resumption";
	case ENTRY_TERMINATE: return "termination";
	case ENTRY_NOTICE: return "non-renewal notice";
	case ENTRY_REMINDER: return "reminder";
	}
	return "entry";
}

/* Runs SQL without parameters: pragmas, transactions, migrations. */
static int
ledger_exec(struct ledger *l, const char *sql, const char *what, char *err,
	    size_t errlen)
{
	if (sqlite3_exec(l->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		ledger_sqlerr(l, err, errlen, what);
		return -1;
	}
	return 0;
}

static void
ledger_rollback(struct ledger *l)
{
	/* A failed COMMIT may already have ended the transaction. */
	if (!sqlite3_get_autocommit(l->db))
		sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
}

static int
ledger_prepare(struct ledger *l, const char *sql, sqlite3_stmt **st,
	       const char *what, char *err, size_t errlen)
{
	if (sqlite3_prepare_v2(l->db, sql, -1, st, NULL) != SQLITE_OK) {
		ledger_sqlerr(l, err, errlen, what);
		*st = NULL;
		return -1;
	}
	return 0;
}

/* A one-row, one-integer query such as a pragma. */
static int
ledger_query_int(struct ledger *l, const char *sql, int64_t *value,
		 const char *what, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (ledger_prepare(l, sql, &st, what, err, errlen) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		ledger_sqlerr(l, err, errlen, what);
		sqlite3_finalize(st);
		return -1;
	}
	*value = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* A copy of a text column; NULL only when out of memory. */
static char *
ledger_column_strdup(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	if (!s && sqlite3_column_type(st, col) != SQLITE_NULL)
		return NULL;
	return strdup(s ? (const char *)s : "");
}

/*
 * Whether this file is a ledger this code can use, from its header alone.
 * Read-write opens accept older versions (they migrate); read-only opens
 * do not, since they cannot.
 */
static int
ledger_check_version(struct ledger *l, int64_t *version, char *err,
		     size_t errlen)
{
	int64_t app_id;

	if (ledger_query_int(l, "PRAGMA user_version", version,
			     "cannot read the schema version", err,
			     errlen) < 0 ||
	    ledger_query_int(l, "PRAGMA application_id", &app_id,
			     "cannot read the application id", err, errlen) < 0)
		return -1;
	if (app_id != LEDGER_APPLICATION_ID && (app_id != 0 || *version != 0)) {
		ledger_seterr(err, errlen,
			      "%s is an SQLite database but not a leaseline "
			      "ledger (application_id %lld): check the path",
			      l->path, (long long)app_id);
		return -1;
	}
	if (*version > LEDGER_SCHEMA_VERSION) {
		ledger_seterr(err, errlen,
			      "ledger %s has schema version %lld; this "
			      "leaseline knows up to %d: upgrade leaseline",
			      l->path, (long long)*version,
			      LEDGER_SCHEMA_VERSION);
		return -1;
	}
	if (*version < LEDGER_SCHEMA_VERSION && l->mode == LEDGER_READ_ONLY) {
		ledger_seterr(err, errlen,
			      "ledger %s has schema version %lld; this "
			      "leaseline needs %d: run a leaselinectl command "
			      "that writes to the ledger, which migrates it",
			      l->path, (long long)*version,
			      LEDGER_SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

/* Brings the schema to LEDGER_SCHEMA_VERSION in one transaction.  The
 * version is read again under the write lock: another leaselinectl may
 * have migrated since the first look. */
static int
ledger_migrate(struct ledger *l, char *err, size_t errlen)
{
	int64_t version, objects;
	char sql[64];

	if (ledger_exec(l, "BEGIN IMMEDIATE", "cannot start the migration", err,
			errlen) < 0)
		return -1;
	if (ledger_check_version(l, &version, err, errlen) < 0)
		goto rollback;
	if (version == 0) {
		/* Never lay a ledger over somebody else's tables. */
		if (ledger_query_int(l, "SELECT count(*) FROM sqlite_master",
				     &objects, "cannot read the schema", err,
				     errlen) < 0)
			goto rollback;
		if (objects > 0) {
			ledger_seterr(err, errlen,
				      "%s is an SQLite database but not a "
				      "leaseline ledger (it has tables of its "
				      "own): check the path",
				      l->path);
			goto rollback;
		}
	}
	for (int64_t v = version; v < LEDGER_SCHEMA_VERSION; v++) {
		char what[96];

		snprintf(what, sizeof(what),
			 "cannot migrate the schema from version %lld to %lld",
			 (long long)v, (long long)v + 1);
		if (ledger_exec(l, ledger_migrations[v], what, err, errlen) < 0)
			goto rollback;
	}
	if (version < LEDGER_SCHEMA_VERSION) {
		/* A pragma takes no parameters; this is our own constant. */
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
			 LEDGER_SCHEMA_VERSION);
		if (ledger_exec(l, sql, "cannot record the schema version", err,
				errlen) < 0)
			goto rollback;
	}
	if (ledger_exec(l, "COMMIT", "cannot commit the migration", err,
			errlen) < 0)
		goto rollback;
	return 0;

rollback:
	ledger_rollback(l);
	return -1;
}

/* Syncs the directory entry of a file just created, so that the ledger
 * itself, not only its content, survives power loss. */
static void
ledger_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return;
	fsync(fd);
	close(fd);
}

/*
 * Creates the file with mode 0640 unless it exists.  SQLite would create it
 * with 0644 less the umask; chmod after the create sets 0640 whatever the
 * umask, and the file is never more open than 0640 meanwhile.  SQLite
 * gives the -wal and -shm files the mode of the database.
 */
static int
ledger_create_file(const char *path, char *err, size_t errlen)
{
	char *copy, *dir;
	struct stat sb;
	int fd, rc = -1;

	copy = strdup(path);
	if (!copy) {
		ledger_seterr(err, errlen, "ledger %s: out of memory", path);
		return -1;
	}
	dir = dirname(copy);
	if (stat(dir, &sb) < 0) {
		ledger_seterr(err, errlen,
			      "cannot create ledger %s: directory %s: %s: "
			      "create the directory first",
			      path, dir, strerror(errno));
		goto free_copy;
	}
	if (!S_ISDIR(sb.st_mode)) {
		ledger_seterr(err, errlen,
			      "cannot create ledger %s: %s is not a directory",
			      path, dir);
		goto free_copy;
	}
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0) {
		if (errno == EEXIST) {
			rc = 0;
			goto free_copy;
		}
		ledger_seterr(err, errlen, "cannot create ledger %s: %s", path,
			      strerror(errno));
		goto free_copy;
	}
	if (fchmod(fd, 0640) < 0) {
		ledger_seterr(err, errlen,
			      "cannot set mode 0640 on ledger %s: %s", path,
			      strerror(errno));
		close(fd);
		unlink(path);
		goto free_copy;
	}
	close(fd);
	ledger_sync_dir(dir);
	rc = 0;

free_copy:
	free(copy);
	return rc;
}

/* Per-connection settings; journal_mode is the file's and needs a writer. */
static int
ledger_configure(struct ledger *l, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	const char *jm;
	int persist = 1;

	if (sqlite3_busy_timeout(l->db, LEDGER_BUSY_TIMEOUT_MS) != SQLITE_OK) {
		ledger_sqlerr(l, err, errlen, "cannot set the busy timeout");
		return -1;
	}
	if (ledger_exec(l, "PRAGMA synchronous = FULL",
			"cannot set synchronous = FULL", err, errlen) < 0 ||
	    ledger_exec(l, "PRAGMA foreign_keys = ON",
			"cannot enable foreign keys", err, errlen) < 0)
		return -1;
	if (l->mode != LEDGER_READ_WRITE)
		return 0;
	/*
	 * Keep the -wal and -shm files when the last writer closes (emptied:
	 * journal_size_limit truncates them).  A reader that may not write
	 * the directory (a group member reading a 0640 ledger) cannot create
	 * them, and SQLite needs them to read a WAL database.
	 */
	if (sqlite3_file_control(l->db, "main", SQLITE_FCNTL_PERSIST_WAL,
				 &persist) != SQLITE_OK) {
		ledger_sqlerr(l, err, errlen, "cannot keep the WAL file");
		return -1;
	}
	if (ledger_exec(l, "PRAGMA journal_size_limit = 1048576",
			"cannot limit the WAL file", err, errlen) < 0)
		return -1;
	if (ledger_prepare(l, "PRAGMA journal_mode = WAL", &st,
			   "cannot switch to WAL mode", err, errlen) < 0)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		ledger_sqlerr(l, err, errlen, "cannot switch to WAL mode");
		sqlite3_finalize(st);
		return -1;
	}
	/* Some file systems (no shared memory, e.g. network ones) refuse WAL
	 * and SQLite answers with the mode it kept. */
	jm = (const char *)sqlite3_column_text(st, 0);
	if (!jm || strcmp(jm, "wal") != 0) {
		ledger_seterr(err, errlen,
			      "ledger %s: cannot switch to WAL mode (journal "
			      "mode stays %s): put the ledger on a local file "
			      "system",
			      l->path, jm ? jm : "unknown");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

struct ledger *
ledger_open(const char *path, enum ledger_mode mode, char *err, size_t errlen)
{
	struct ledger *l;
	struct stat sb;
	int64_t version;
	int flags;

	if (!path || !*path) {
		ledger_seterr(err, errlen, "no ledger file given");
		return NULL;
	}
	if (mode != LEDGER_READ_ONLY && mode != LEDGER_READ_WRITE) {
		ledger_seterr(err, errlen, "ledger %s: unknown open mode %d",
			      path, (int)mode);
		return NULL;
	}
	if (mode == LEDGER_READ_ONLY) {
		/* SQLite's "unable to open database file" names nothing. */
		if (stat(path, &sb) < 0) {
			ledger_seterr(err, errlen, "cannot open ledger %s: %s",
				      path, strerror(errno));
			return NULL;
		}
		flags = SQLITE_OPEN_READONLY;
	} else {
		if (ledger_create_file(path, err, errlen) < 0)
			return NULL;
		flags = SQLITE_OPEN_READWRITE;
	}

	l = calloc(1, sizeof(*l));
	if (!l) {
		ledger_seterr(err, errlen, "ledger %s: out of memory", path);
		return NULL;
	}
	l->mode = mode;
	l->path = strdup(path);
	if (!l->path) {
		ledger_seterr(err, errlen, "ledger %s: out of memory", path);
		goto free_ledger;
	}
	if (sqlite3_open_v2(path, &l->db, flags, NULL) != SQLITE_OK) {
		if (l->db)
			ledger_sqlerr(l, err, errlen, "cannot open");
		else
			ledger_seterr(err, errlen, "ledger %s: out of memory",
				      path);
		goto close_db;
	}
	/* Before the first read: a reader may have to wait out a WAL
	 * recovery after another process died mid-write. */
	if (sqlite3_busy_timeout(l->db, LEDGER_BUSY_TIMEOUT_MS) != SQLITE_OK) {
		ledger_sqlerr(l, err, errlen, "cannot set the busy timeout");
		goto close_db;
	}
	/* SQLite silently falls back to read-only on a write-protected
	 * file; say so now rather than at the first write. */
	if (mode == LEDGER_READ_WRITE && sqlite3_db_readonly(l->db, "main")) {
		int e = access(path, W_OK) < 0 ? errno : EACCES;

		if (e == EACCES)
			ledger_seterr(err, errlen,
				      "ledger %s: cannot open for writing: "
				      "permission denied (check the owner and "
				      "mode of the file and of its directory)",
				      path);
		else
			ledger_seterr(err, errlen,
				      "ledger %s: cannot open for writing: %s",
				      path, strerror(e));
		goto close_db;
	}
	/* Check first, so that no pragma writes to a file that is not ours
	 * or is newer than us. */
	if (ledger_check_version(l, &version, err, errlen) < 0) {
		int xrc = sqlite3_extended_errcode(l->db);

		/* SQLite's "attempt to write a readonly database" would
		 * puzzle someone who asked to read. */
		if (mode == LEDGER_READ_ONLY &&
		    (xrc == SQLITE_READONLY_DIRECTORY ||
		     xrc == SQLITE_READONLY_CANTINIT))
			ledger_seterr(err, errlen,
				      "cannot read ledger %s: its -wal and "
				      "-shm files are missing and this user "
				      "may not create them: run a leaselinectl "
				      "command that writes, as the ledger's "
				      "owner, to create them",
				      path);
		goto close_db;
	}
	if (ledger_configure(l, err, errlen) < 0)
		goto close_db;
	if (mode == LEDGER_READ_WRITE && ledger_migrate(l, err, errlen) < 0)
		goto close_db;
	return l;

close_db:
	sqlite3_close_v2(l->db);
free_ledger:
	free(l->path);
	free(l);
	return NULL;
}

void
ledger_close(struct ledger *l)
{
	if (!l)
		return;
	sqlite3_close_v2(l->db);
	free(l->path);
	free(l);
}

/* SQLite's verdict on a file it cannot read through: damaged, not a
 * failure of the check. */
static bool
ledger_corrupt_code(int rc)
{
	return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

/* Notes one row of a checking pragma: counts it, keeps the first. */
static void
ledger_verify_row(sqlite3_stmt *st, char *first, size_t firstlen,
		  size_t *problems)
{
	const char *row = (const char *)sqlite3_column_text(st, 0);
	const char *nl;

	if (row == NULL || strcmp(row, "ok") == 0)
		return;
	/* integrity_check heads its first row with the name of the
	 * database: "*** in database main ***\n". */
	if (strncmp(row, "*** ", 4) == 0 && (nl = strchr(row, '\n')) != NULL)
		row = nl + 1;
	if (*problems == 0 && sqlite3_column_count(st) == 4)
		/* foreign_key_check: table, rowid, parent, fkid */
		snprintf(first, firstlen,
			 "row %lld of %s refers to a row of %s that is not "
			 "there",
			 (long long)sqlite3_column_int64(st, 1), row,
			 (const char *)sqlite3_column_text(st, 2));
	else if (*problems == 0)
		snprintf(first, firstlen, "%s", row);
	(*problems)++;
}

/*
 * Runs one checking pragma; each row it returns is a problem (but "ok").
 * 1 when SQLite found the file damaged while reading it, 0 when the
 * pragma ran, -1 when it could not run (err says why).
 */
static int
ledger_verify_pragma(struct ledger *l, const char *sql, char *first,
		     size_t firstlen, size_t *problems, char *err,
		     size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(l->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			ledger_verify_row(st, first, firstlen, problems);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return 0;
	}
	if (ledger_corrupt_code(rc) ||
	    ledger_corrupt_code(sqlite3_extended_errcode(l->db))) {
		/* Often after the rows that said why: then it is no news. */
		if (*problems == 0) {
			snprintf(first, firstlen, "%s", sqlite3_errmsg(l->db));
			*problems = 1;
		}
		sqlite3_finalize(st);
		return 1;
	}
	ledger_sqlerr(l, err, errlen, "cannot check the file");
	sqlite3_finalize(st);
	return -1;
}

int
ledger_verify(struct ledger *l, char *err, size_t errlen)
{
	/* Enough for SQLite's first finding; the rest is counted. */
	char first[LEDGER_ERRLEN / 2] = "";
	size_t problems = 0;
	int rc;

	/* Every page of every table and index, the outbox's and the
	 * transitions' too, and the CHECK and NOT NULL constraints; then
	 * the reversals' links, which a session with foreign_keys off may
	 * have broken. */
	rc = ledger_verify_pragma(l, "PRAGMA integrity_check(100)", first,
				  sizeof(first), &problems, err, errlen);
	if (rc == 0 && problems == 0)
		rc =
		    ledger_verify_pragma(l, "PRAGMA foreign_key_check", first,
					 sizeof(first), &problems, err, errlen);
	if (rc < 0)
		return -1;
	if (problems == 0)
		return 0;
	if (problems == 1)
		ledger_seterr(err, errlen, "ledger %s is damaged: %s", l->path,
			      first);
	else
		ledger_seterr(err, errlen,
			      "ledger %s is damaged: %s (and %zu more "
			      "problem%s)",
			      l->path, first, problems - 1,
			      problems == 2 ? "" : "s");
	return 1;
}

/* The checks that need no database. */
static int
ledger_check_entry(const struct ledger *l, const struct entry *e, char *err,
		   size_t errlen)
{
	const char *name = ledger_kind_name(e->kind);

	if (e->kind < ENTRY_PAYMENT || e->kind > ENTRY_REMINDER) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing an entry of unknown kind %d",
			      l->path, (int)e->kind);
		return -1;
	}
	if (!e->contract || !*e->contract) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a %s without a contract "
			      "number",
			      l->path, name);
		return -1;
	}
	if (e->day == LL_NO_DAY) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a %s of contract %s without "
			      "a day",
			      l->path, name, e->contract);
		return -1;
	}
	if (e->kind == ENTRY_PAYMENT && e->amount <= 0) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a payment of contract %s: "
			      "the amount must be positive, not %lld fen",
			      l->path, e->contract, (long long)e->amount);
		return -1;
	}
	if (e->kind != ENTRY_PAYMENT && e->amount != 0) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a %s of contract %s: only "
			      "a payment has an amount (got %lld fen)",
			      l->path, name, e->contract, (long long)e->amount);
		return -1;
	}
	if (e->kind == ENTRY_REVERSAL && e->reverses <= 0) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a reversal of contract %s: "
			      "it must name the payment it cancels",
			      l->path, e->contract);
		return -1;
	}
	if (e->kind != ENTRY_REVERSAL && e->reverses != 0) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a %s of contract %s: only a "
			      "reversal cancels another entry",
			      l->path, name, e->contract);
		return -1;
	}
	if ((e->kind == ENTRY_SUSPEND || e->kind == ENTRY_TERMINATE) &&
	    (e->reason < REASON_NONE || e->reason > REASON_MISUSE)) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a %s of contract %s: the "
			      "reason must be from %d to %d, not %d",
			      l->path, name, e->contract, REASON_NONE,
			      REASON_MISUSE, e->reason);
		return -1;
	}
	if (e->kind != ENTRY_SUSPEND && e->kind != ENTRY_TERMINATE &&
	    e->reason != 0) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a %s of contract %s: only a "
			      "suspension or termination has a reason (got %d)",
			      l->path, name, e->contract, e->reason);
		return -1;
	}
	return 0;
}

/* A reversal cancels one existing payment of its own contract, once.  Run
 * inside the append's transaction, so nobody reverses it in between. */
static int
ledger_check_reversal(struct ledger *l, const struct entry *e, char *err,
		      size_t errlen)
{
	sqlite3_stmt *st;
	const char *owner;
	int rc, kind;

	if (ledger_prepare(
		l, "SELECT kind, contract FROM entries WHERE id = ?1", &st,
		"cannot look up the reversed entry", err, errlen) < 0)
		return -1;
	if (sqlite3_bind_int64(st, 1, e->reverses) != SQLITE_OK) {
		ledger_sqlerr(l, err, errlen,
			      "cannot look up the reversed entry");
		goto finalize;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a reversal of contract %s: "
			      "entry %lld does not exist",
			      l->path, e->contract, (long long)e->reverses);
		goto finalize;
	}
	if (rc != SQLITE_ROW) {
		ledger_sqlerr(l, err, errlen,
			      "cannot look up the reversed entry");
		goto finalize;
	}
	kind = sqlite3_column_int(st, 0);
	if (kind != ENTRY_PAYMENT) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a reversal of contract %s: "
			      "entry %lld is a %s, and only a payment can be "
			      "reversed",
			      l->path, e->contract, (long long)e->reverses,
			      ledger_kind_name(kind));
		goto finalize;
	}
	owner = (const char *)sqlite3_column_text(st, 1);
	if (!owner || strcmp(owner, e->contract) != 0) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a reversal of contract %s: "
			      "payment %lld belongs to contract %s",
			      l->path, e->contract, (long long)e->reverses,
			      owner ? owner : "(none)");
		goto finalize;
	}
	sqlite3_finalize(st);

	if (ledger_prepare(l, "SELECT id FROM entries WHERE reverses = ?1", &st,
			   "cannot look up earlier reversals", err, errlen) < 0)
		return -1;
	if (sqlite3_bind_int64(st, 1, e->reverses) != SQLITE_OK) {
		ledger_sqlerr(l, err, errlen,
			      "cannot look up earlier reversals");
		goto finalize;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a reversal of contract %s: "
			      "payment %lld is already reversed by entry %lld",
			      l->path, e->contract, (long long)e->reverses,
			      (long long)sqlite3_column_int64(st, 0));
		goto finalize;
	}
	if (rc != SQLITE_DONE) {
		ledger_sqlerr(l, err, errlen,
			      "cannot look up earlier reversals");
		goto finalize;
	}
	sqlite3_finalize(st);
	return 0;

finalize:
	sqlite3_finalize(st);
	return -1;
}

int
ledger_append(struct ledger *l, struct entry *e, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int64_t now = (int64_t)time(NULL), id;

	if (!l || !e) {
		ledger_seterr(err, errlen, "ledger: nothing to append");
		return -1;
	}
	if (l->mode != LEDGER_READ_WRITE) {
		ledger_seterr(err, errlen,
			      "ledger %s is open read-only: cannot append",
			      l->path);
		return -1;
	}
	if (ledger_check_entry(l, e, err, errlen) < 0)
		return -1;
	/* IMMEDIATE: take the write lock before the checks read, so a
	 * concurrent append cannot slip in between (and a busy lock waits
	 * for busy_timeout rather than failing at COMMIT). */
	if (ledger_exec(l, "BEGIN IMMEDIATE", "cannot start the append", err,
			errlen) < 0)
		return -1;
	if (e->kind == ENTRY_REVERSAL &&
	    ledger_check_reversal(l, e, err, errlen) < 0)
		goto rollback;
	if (ledger_prepare(l,
			   "INSERT INTO entries (kind, contract, day, amount, "
			   "reverses, reason, note, recorded_at) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			   &st, "cannot append", err, errlen) < 0)
		goto rollback;
	if (sqlite3_bind_int(st, 1, e->kind) != SQLITE_OK ||
	    sqlite3_bind_text(st, 2, e->contract, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, e->day) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, e->amount) != SQLITE_OK ||
	    (e->kind == ENTRY_REVERSAL
		 ? sqlite3_bind_int64(st, 5, e->reverses)
		 : sqlite3_bind_null(st, 5)) != SQLITE_OK ||
	    sqlite3_bind_int(st, 6, e->reason) != SQLITE_OK ||
	    sqlite3_bind_text(st, 7, e->note ? e->note : "", -1,
			      SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 8, now) != SQLITE_OK) {
		ledger_sqlerr(l, err, errlen, "cannot append");
		goto rollback;
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		ledger_sqlerr(l, err, errlen, "cannot append");
		goto rollback;
	}
	id = sqlite3_last_insert_rowid(l->db);
	sqlite3_finalize(st);
	st = NULL;
	if (ledger_exec(l, "COMMIT", "cannot commit the append", err, errlen) <
	    0)
		goto rollback;
	e->id = id;
	e->recorded_at = now;
	return 0;

rollback:
	sqlite3_finalize(st);
	ledger_rollback(l);
	return -1;
}

/* Fills e from a row of ENTRY_COLUMNS; on failure e holds nothing. */
static int
ledger_read_entry(sqlite3_stmt *st, struct entry *e)
{
	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(st, 0);
	e->kind = (enum entry_kind)sqlite3_column_int(st, 1);
	e->day = (ll_day)sqlite3_column_int64(st, 3);
	e->amount = sqlite3_column_int64(st, 4);
	e->reverses = sqlite3_column_int64(st, 5); /* NULL reads as 0 */
	e->reason = sqlite3_column_int(st, 6);
	e->recorded_at = sqlite3_column_int64(st, 8);
	e->contract = ledger_column_strdup(st, 2);
	e->note = ledger_column_strdup(st, 7);
	if (!e->contract || !e->note) {
		entry_clear(e);
		return -1;
	}
	return 0;
}

int
ledger_entries(struct ledger *l, const char *contract, struct entry **out,
	       size_t *n, char *err, size_t errlen)
{
	struct entry *v = NULL, *grown;
	size_t len = 0, cap = 0;
	sqlite3_stmt *st;
	int rc;

	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	if (!l || !out || !n) {
		ledger_seterr(err, errlen, "ledger: nowhere to read entries");
		return -1;
	}
	if (ledger_prepare(l,
			   contract ? "SELECT " ENTRY_COLUMNS
				      " FROM entries WHERE contract = ?1"
				      " ORDER BY contract, day, id"
				    : "SELECT " ENTRY_COLUMNS " FROM entries"
				      " ORDER BY contract, day, id",
			   &st, "cannot read entries", err, errlen) < 0)
		return -1;
	if (contract && sqlite3_bind_text(st, 1, contract, -1, SQLITE_STATIC) !=
			    SQLITE_OK) {
		ledger_sqlerr(l, err, errlen, "cannot read entries");
		goto fail;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? 2 * cap : 16;
			grown = realloc(v, cap * sizeof(*v));
			if (!grown)
				goto nomem;
			v = grown;
		}
		if (ledger_read_entry(st, &v[len]) < 0)
			goto nomem;
		len++;
	}
	if (rc != SQLITE_DONE) {
		ledger_sqlerr(l, err, errlen, "cannot read entries");
		goto fail;
	}
	sqlite3_finalize(st);
	*out = v;
	*n = len;
	return 0;

nomem:
	ledger_seterr(err, errlen,
		      "ledger %s: cannot read entries: out of "
		      "memory",
		      l->path);
fail:
	sqlite3_finalize(st);
	entry_array_free(v, len);
	return -1;
}

int
ledger_entry(struct ledger *l, int64_t id, struct entry *out, char *err,
	     size_t errlen)
{
	sqlite3_stmt *st;
	int rc, ret = -1;

	if (!l || !out) {
		ledger_seterr(err, errlen, "ledger: nowhere to read an entry");
		return -1;
	}
	memset(out, 0, sizeof(*out));
	if (ledger_prepare(
		l, "SELECT " ENTRY_COLUMNS " FROM entries WHERE id = ?1", &st,
		"cannot read an entry", err, errlen) < 0)
		return -1;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) {
		ledger_sqlerr(l, err, errlen, "cannot read an entry");
		goto finalize;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		ret = 1;
	} else if (rc != SQLITE_ROW) {
		ledger_sqlerr(l, err, errlen, "cannot read an entry");
	} else if (ledger_read_entry(st, out) < 0) {
		ledger_seterr(err, errlen,
			      "ledger %s: cannot read entry %lld: out of "
			      "memory",
			      l->path, (long long)id);
	} else {
		ret = 0;
	}

finalize:
	sqlite3_finalize(st);
	return ret;
}

int
ledger_add_transition(struct ledger *l, struct ledger_transition *t, char *err,
		      size_t errlen)
{
	sqlite3_stmt *st;
	int64_t now = (int64_t)time(NULL);

	if (!l || !t) {
		ledger_seterr(err, errlen, "ledger: no transition to record");
		return -1;
	}
	if (l->mode != LEDGER_READ_WRITE) {
		ledger_seterr(err, errlen,
			      "ledger %s is open read-only: cannot record a "
			      "transition",
			      l->path);
		return -1;
	}
	if (!t->contract || !*t->contract || !t->what || !*t->what ||
	    t->day == LL_NO_DAY) {
		ledger_seterr(err, errlen,
			      "ledger %s: refusing a transition without a "
			      "contract, a day and what changed",
			      l->path);
		return -1;
	}
	/* One statement: autocommit makes it a durable transaction. */
	if (ledger_prepare(l,
			   "INSERT INTO transitions (contract, day, what, "
			   "from_state, to_state, recorded_at) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			   &st, "cannot record a transition", err, errlen) < 0)
		return -1;
	if (sqlite3_bind_text(st, 1, t->contract, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, t->day) != SQLITE_OK ||
	    sqlite3_bind_text(st, 3, t->what, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int(st, 4, t->from) != SQLITE_OK ||
	    sqlite3_bind_int(st, 5, t->to) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 6, now) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE) {
		ledger_sqlerr(l, err, errlen, "cannot record a transition");
		sqlite3_finalize(st);
		return -1;
	}
	t->id = sqlite3_last_insert_rowid(l->db);
	t->recorded_at = now;
	sqlite3_finalize(st);
	return 0;
}

static void
ledger_transition_clear(struct ledger_transition *t)
{
	free(t->contract);
	free(t->what);
	free(t->key);
	memset(t, 0, sizeof(*t));
}

void
ledger_transitions_free(struct ledger_transition *t, size_t n)
{
	if (!t)
		return;
	for (size_t i = 0; i < n; i++)
		ledger_transition_clear(&t[i]);
	free(t);
}

int
ledger_transitions(struct ledger *l, const char *contract,
		   struct ledger_transition **out, size_t *n, char *err,
		   size_t errlen)
{
	struct ledger_transition *v = NULL, *grown, *t;
	size_t len = 0, cap = 0;
	sqlite3_stmt *st;
	int rc;

	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	if (!l || !out || !n) {
		ledger_seterr(err, errlen,
			      "ledger: nowhere to read transitions");
		return -1;
	}
	if (ledger_prepare(l,
			   contract ? "SELECT " TRANSITION_COLUMNS
				      " FROM transitions WHERE contract = ?1"
				      " ORDER BY contract, day, id"
				    : "SELECT " TRANSITION_COLUMNS
				      " FROM transitions"
				      " ORDER BY contract, day, id",
			   &st, "cannot read transitions", err, errlen) < 0)
		return -1;
	if (contract && sqlite3_bind_text(st, 1, contract, -1, SQLITE_STATIC) !=
			    SQLITE_OK) {
		ledger_sqlerr(l, err, errlen, "cannot read transitions");
		goto fail;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? 2 * cap : 16;
			grown = realloc(v, cap * sizeof(*v));
			if (!grown)
				goto nomem;
			v = grown;
		}
		t = &v[len];
		memset(t, 0, sizeof(*t));
		t->id = sqlite3_column_int64(st, 0);
		t->day = (ll_day)sqlite3_column_int64(st, 2);
		t->from = sqlite3_column_int(st, 4);
		t->to = sqlite3_column_int(st, 5);
		t->recorded_at = sqlite3_column_int64(st, 6);
		t->contract = ledger_column_strdup(st, 1);
		t->what = ledger_column_strdup(st, 3);
		if (!t->contract || !t->what) {
			ledger_transition_clear(t);
			goto nomem;
		}
		len++;
	}
	if (rc != SQLITE_DONE) {
		ledger_sqlerr(l, err, errlen, "cannot read transitions");
		goto fail;
	}
	sqlite3_finalize(st);
	*out = v;
	*n = len;
	return 0;

nomem:
	ledger_seterr(err, errlen,
		      "ledger %s: cannot read transitions: out of memory",
		      l->path);
fail:
	sqlite3_finalize(st);
	ledger_transitions_free(v, len);
	return -1;
}

int
ledger_data_version(struct ledger *l, int64_t *version)
{
	if (!l || !version)
		return -1;
	return ledger_query_int(l, "PRAGMA data_version", version,
				"cannot read the data version", NULL, 0);
}

/* Binds and runs one INSERT OR IGNORE of the queue; 1 when a row was
 * added, 0 when its key was there already, -1 on error. */
static int
ledger_insert_transition(struct ledger *l, sqlite3_stmt *st,
			 const struct ledger_transition *t, int64_t now)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (sqlite3_bind_text(st, 1, t->contract, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, t->day) != SQLITE_OK ||
	    sqlite3_bind_text(st, 3, t->what, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int(st, 4, t->from) != SQLITE_OK ||
	    sqlite3_bind_int(st, 5, t->to) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 6, now) != SQLITE_OK ||
	    sqlite3_bind_text(st, 7, t->key, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return -1;
	return sqlite3_changes(l->db) > 0;
}

static int
ledger_insert_notification(struct ledger *l, sqlite3_stmt *st,
			   const struct ledger_notification *q, int64_t now)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (sqlite3_bind_text(st, 1, q->contract, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_text(st, 2, q->name, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, q->day) != SQLITE_OK ||
	    sqlite3_bind_text(st, 4, q->payload, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_int64(st, 5, now) != SQLITE_OK ||
	    sqlite3_bind_text(st, 6, q->key, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		return -1;
	return sqlite3_changes(l->db) > 0;
}

/*
 * Before issue 12, notify.c cut event keys to 159 octets, so a ledger it
 * wrote may hold, under the first 159 octets of its key, an event whose
 * whole key is longer.  Queued again under its whole key, the event is
 * that row when everything else the row records is the same (contract,
 * day, and the notification's name and payload, or the transition's
 * states): the row is given the whole key, so that the event is not told
 * or recorded a second time.  The other events that shared the cut key
 * differ in what they record, were never told, and are queued.  OR
 * IGNORE: should the whole key be there already, the row stays as it is.
 */
#define LEDGER_CUT_KEY_LEN 159

/* Gives the row of t recorded under its cut key its whole key; -1 on
 * error.  *st is prepared on the first long key. */
static int
ledger_uncut_transition(struct ledger *l, sqlite3_stmt **st,
			const struct ledger_transition *t)
{
	if (t->key == NULL || strlen(t->key) <= LEDGER_CUT_KEY_LEN)
		return 0;
	if (*st == NULL &&
	    sqlite3_prepare_v2(l->db,
			       "UPDATE OR IGNORE transitions SET key = ?1 "
			       "WHERE key = ?2 AND contract = ?3 AND day = ?4 "
			       "AND what = ?5 AND from_state = ?6 "
			       "AND to_state = ?7",
			       -1, st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_reset(*st);
	sqlite3_clear_bindings(*st);
	if (sqlite3_bind_text(*st, 1, t->key, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(*st, 2, t->key, LEDGER_CUT_KEY_LEN,
			      SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(*st, 3, t->contract, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_int64(*st, 4, t->day) != SQLITE_OK ||
	    sqlite3_bind_text(*st, 5, t->what, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_int(*st, 6, t->from) != SQLITE_OK ||
	    sqlite3_bind_int(*st, 7, t->to) != SQLITE_OK ||
	    sqlite3_step(*st) != SQLITE_DONE)
		return -1;
	return 0;
}

/* The same for the notification q. */
static int
ledger_uncut_notification(struct ledger *l, sqlite3_stmt **st,
			  const struct ledger_notification *q)
{
	if (strlen(q->key) <= LEDGER_CUT_KEY_LEN)
		return 0;
	if (*st == NULL &&
	    sqlite3_prepare_v2(l->db,
			       "UPDATE OR IGNORE outbox SET key = ?1 "
			       "WHERE key = ?2 AND contract = ?3 "
			       "AND notification = ?4 AND day = ?5 "
			       "AND payload = ?6",
			       -1, st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_reset(*st);
	sqlite3_clear_bindings(*st);
	if (sqlite3_bind_text(*st, 1, q->key, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(*st, 2, q->key, LEDGER_CUT_KEY_LEN,
			      SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(*st, 3, q->contract, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_text(*st, 4, q->name, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_bind_int64(*st, 5, q->day) != SQLITE_OK ||
	    sqlite3_bind_text(*st, 6, q->payload, -1, SQLITE_STATIC) !=
		SQLITE_OK ||
	    sqlite3_step(*st) != SQLITE_DONE)
		return -1;
	return 0;
}

int
ledger_queue(struct ledger *l, const struct ledger_transition *t, size_t nt,
	     const struct ledger_notification *q, size_t nq, size_t *queued,
	     char *err, size_t errlen)
{
	sqlite3_stmt *ts = NULL, *qs = NULL, *tu = NULL, *qu = NULL;
	int64_t now = (int64_t)time(NULL);
	size_t added = 0;
	bool own;
	int rc;

	if (queued)
		*queued = 0;
	if (!l || l->mode != LEDGER_READ_WRITE) {
		ledger_seterr(err, errlen,
			      "ledger %s is open read-only: cannot queue "
			      "notifications",
			      l ? l->path : "(none)");
		return -1;
	}
	if (nt == 0 && nq == 0)
		return 0;
	/* Inside a batch, the batch's transaction holds these rows too. */
	own = sqlite3_get_autocommit(l->db) != 0;
	if (own && ledger_exec(l, "BEGIN IMMEDIATE",
			       "cannot queue notifications", err, errlen) < 0)
		return -1;
	if (ledger_prepare(l,
			   "INSERT OR IGNORE INTO transitions (contract, day, "
			   "what, from_state, to_state, recorded_at, key) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			   &ts, "cannot record transitions", err, errlen) < 0 ||
	    ledger_prepare(l,
			   "INSERT OR IGNORE INTO outbox (contract, "
			   "notification, day, payload, created_at, key) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			   &qs, "cannot queue notifications", err, errlen) < 0)
		goto fail;
	for (size_t i = 0; i < nt; i++)
		if (ledger_uncut_transition(l, &tu, &t[i]) < 0 ||
		    ledger_insert_transition(l, ts, &t[i], now) < 0) {
			ledger_sqlerr(l, err, errlen,
				      "cannot record transitions");
			goto fail;
		}
	for (size_t i = 0; i < nq; i++) {
		rc = ledger_uncut_notification(l, &qu, &q[i]);
		if (rc == 0)
			rc = ledger_insert_notification(l, qs, &q[i], now);
		if (rc < 0) {
			ledger_sqlerr(l, err, errlen,
				      "cannot queue notifications");
			goto fail;
		}
		added += (size_t)rc;
	}
	sqlite3_finalize(ts);
	sqlite3_finalize(qs);
	sqlite3_finalize(tu);
	sqlite3_finalize(qu);
	ts = qs = tu = qu = NULL;
	if (own && ledger_exec(l, "COMMIT", "cannot queue notifications", err,
			       errlen) < 0)
		goto fail;
	if (queued)
		*queued = added;
	return 0;
fail:
	sqlite3_finalize(ts);
	sqlite3_finalize(qs);
	sqlite3_finalize(tu);
	sqlite3_finalize(qu);
	ledger_rollback(l);
	return -1;
}

static void
ledger_notification_clear(struct ledger_notification *q)
{
	free(q->contract);
	free(q->name);
	free(q->key);
	free(q->payload);
	memset(q, 0, sizeof(*q));
}

void
ledger_notifications_free(struct ledger_notification *q, size_t n)
{
	if (!q)
		return;
	for (size_t i = 0; i < n; i++)
		ledger_notification_clear(&q[i]);
	free(q);
}

int
ledger_outbox_pending(struct ledger *l, size_t max,
		      struct ledger_notification **out, size_t *n, char *err,
		      size_t errlen)
{
	struct ledger_notification *v = NULL, *q;
	sqlite3_stmt *st;
	size_t len = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (max == 0)
		return 0;
	v = calloc(max, sizeof(*v));
	if (!v) {
		ledger_seterr(err, errlen, "ledger %s: out of memory", l->path);
		return -1;
	}
	if (ledger_prepare(l,
			   "SELECT id, contract, notification, day, key, "
			   "payload, created_at FROM outbox "
			   "WHERE sent_at IS NULL ORDER BY id LIMIT ?1",
			   &st, "cannot read the outbox", err, errlen) < 0) {
		free(v);
		return -1;
	}
	sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
	while (len < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		q = &v[len++];
		q->id = sqlite3_column_int64(st, 0);
		q->contract = ledger_column_strdup(st, 1);
		q->name = ledger_column_strdup(st, 2);
		q->day = (ll_day)sqlite3_column_int64(st, 3);
		q->key = ledger_column_strdup(st, 4);
		q->payload = ledger_column_strdup(st, 5);
		q->created_at = sqlite3_column_int64(st, 6);
		if (!q->contract || !q->name || !q->key || !q->payload) {
			ledger_seterr(err, errlen,
				      "ledger %s: cannot read the outbox: out "
				      "of memory",
				      l->path);
			goto fail;
		}
	}
	if (len < max && rc != SQLITE_DONE) {
		ledger_sqlerr(l, err, errlen, "cannot read the outbox");
		goto fail;
	}
	sqlite3_finalize(st);
	*out = v;
	*n = len;
	return 0;
fail:
	sqlite3_finalize(st);
	ledger_notifications_free(v, len);
	return -1;
}

/* One statement with an id or a name and a value: autocommit makes it a
 * durable transaction of its own. */
static int
ledger_update(struct ledger *l, const char *sql, const char *text, int64_t a,
	      int64_t b, const char *what, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int ok;

	if (l->mode != LEDGER_READ_WRITE) {
		ledger_seterr(err, errlen, "ledger %s is open read-only: %s",
			      l->path, what);
		return -1;
	}
	if (ledger_prepare(l, sql, &st, what, err, errlen) < 0)
		return -1;
	ok = (text ? sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC)
		   : sqlite3_bind_int64(st, 1, a)) == SQLITE_OK &&
	     sqlite3_bind_int64(st, 2, b) == SQLITE_OK &&
	     sqlite3_step(st) == SQLITE_DONE;
	if (!ok)
		ledger_sqlerr(l, err, errlen, what);
	sqlite3_finalize(st);
	return ok ? 0 : -1;
}

int
ledger_outbox_sent(struct ledger *l, int64_t id, char *err, size_t errlen)
{
	return ledger_update(l,
			     "UPDATE outbox SET sent_at = ?2 WHERE id = ?1 "
			     "AND sent_at IS NULL",
			     NULL, id, (int64_t)time(NULL),
			     "cannot mark a notification sent", err, errlen);
}

int
ledger_outbox_sent_many(struct ledger *l, const int64_t *ids, size_t n,
			bool wait, char *err, size_t errlen)
{
	const char *what = "cannot mark notifications sent";
	sqlite3_stmt *st = NULL;
	int64_t now = (int64_t)time(NULL);
	int rc;

	if (n == 0)
		return 0;
	if (l->mode != LEDGER_READ_WRITE) {
		ledger_seterr(err, errlen, "ledger %s is open read-only: %s",
			      l->path, what);
		return -1;
	}
	/* One transaction: one sync of the WAL for the n of them.  Without
	 * waiting, a writer holding the ledger (the evaluation thread's
	 * notify_collect) makes it return 1 at once. */
	if (!wait)
		sqlite3_busy_timeout(l->db, 0);
	rc = sqlite3_exec(l->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (!wait)
		sqlite3_busy_timeout(l->db, LEDGER_BUSY_TIMEOUT_MS);
	if (rc == SQLITE_BUSY && !wait)
		return 1;
	if (rc != SQLITE_OK) {
		ledger_sqlerr(l, err, errlen, what);
		return -1;
	}
	if (ledger_prepare(l,
			   "UPDATE outbox SET sent_at = ?2 WHERE id = ?1 "
			   "AND sent_at IS NULL",
			   &st, what, err, errlen) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (sqlite3_bind_int64(st, 1, ids[i]) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 2, now) != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_DONE) {
			ledger_sqlerr(l, err, errlen, what);
			goto fail;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (ledger_exec(l, "COMMIT", what, err, errlen) < 0)
		goto fail;
	return 0;
fail:
	sqlite3_finalize(st);
	ledger_rollback(l);
	return -1;
}

int
ledger_meta_set(struct ledger *l, const char *name, int64_t value, char *err,
		size_t errlen)
{
	return ledger_update(l,
			     "INSERT INTO meta (name, value) VALUES (?1, ?2) "
			     "ON CONFLICT(name) DO UPDATE SET value = ?2",
			     name, 0, value, "cannot record a setting", err,
			     errlen);
}

int
ledger_meta_get(struct ledger *l, const char *name, int64_t *value, bool *found,
		char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	*found = false;
	if (ledger_prepare(l, "SELECT value FROM meta WHERE name = ?1", &st,
			   "cannot read a setting", err, errlen) < 0)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = sqlite3_column_int64(st, 0);
		*found = true;
	} else if (rc != SQLITE_DONE) {
		ledger_sqlerr(l, err, errlen, "cannot read a setting");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

/*
 * head, "?FIRST, ?FIRST+1, ..." for names[0..n) (n <= 4), then tail:
 * prepared, with the names bound there.
 */
static int
ledger_prepare_names(struct ledger *l, const char *head, const char *tail,
		     int first, const char *const *names, size_t n,
		     sqlite3_stmt **st, const char *what, char *err,
		     size_t errlen)
{
	char in[32] = "", full[512];
	size_t off = 0;

	if (n == 0 || n > 4) {
		ledger_seterr(err, errlen, "ledger: 1 to 4 names, not %zu", n);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		off += (size_t)snprintf(in + off, sizeof(in) - off, "%s?%d",
					i ? ", " : "", first + (int)i);
	snprintf(full, sizeof(full), "%s%s%s", head, in, tail);
	if (ledger_prepare(l, full, st, what, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		sqlite3_bind_text(*st, first + (int)i, names[i], -1,
				  SQLITE_STATIC);
	return 0;
}

int
ledger_outbox_last(struct ledger *l, const char *contract,
		   const char *const *names, size_t n, int64_t *id, char **name,
		   char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	*id = 0;
	*name = NULL;
	if (ledger_prepare_names(l,
				 "SELECT id, notification FROM outbox WHERE "
				 "contract = ?1 AND notification IN (",
				 ") ORDER BY id DESC LIMIT 1", 2, names, n, &st,
				 "cannot read the outbox", err, errlen) < 0)
		return -1;
	sqlite3_bind_text(st, 1, contract, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*name = ledger_column_strdup(st, 1);
		rc = *name ? SQLITE_DONE : SQLITE_NOMEM;
	}
	if (rc != SQLITE_DONE) {
		ledger_sqlerr(l, err, errlen, "cannot read the outbox");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

int
ledger_outbox_prune(struct ledger *l, ll_day before, const char *const *keep,
		    size_t n, size_t *deleted, char *err, size_t errlen)
{
	const char *what = "cannot prune the outbox";
	sqlite3_stmt *st;
	int rc;

	*deleted = 0;
	if (l->mode != LEDGER_READ_WRITE) {
		ledger_seterr(err, errlen, "ledger %s is open read-only: %s",
			      l->path, what);
		return -1;
	}
	if (ledger_prepare_names(
		l,
		"DELETE FROM outbox WHERE sent_at IS NOT NULL AND day < ?1 "
		"AND id NOT IN (SELECT MAX(id) FROM outbox WHERE notification "
		"IN (",
		") GROUP BY contract)", 2, keep, n, &st, what, err, errlen) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, before);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		ledger_sqlerr(l, err, errlen, what);
		sqlite3_finalize(st);
		return -1;
	}
	*deleted = (size_t)sqlite3_changes(l->db);
	sqlite3_finalize(st);
	return 0;
}

int
ledger_batch_begin(struct ledger *l, char *err, size_t errlen)
{
	return ledger_exec(l, "BEGIN IMMEDIATE", "cannot start a batch", err,
			   errlen);
}

int
ledger_batch_commit(struct ledger *l, char *err, size_t errlen)
{
	if (sqlite3_get_autocommit(l->db)) {
		ledger_seterr(err, errlen,
			      "ledger %s: the batch was rolled back", l->path);
		return -1;
	}
	if (ledger_exec(l, "COMMIT", "cannot commit a batch", err, errlen) <
	    0) {
		ledger_rollback(l);
		return -1;
	}
	return 0;
}

void
ledger_batch_abort(struct ledger *l)
{
	ledger_rollback(l);
}

int
ledger_last_entry_id(struct ledger *l, int64_t *id)
{
	if (!l || !id)
		return -1;
	return ledger_query_int(l, "SELECT coalesce(max(id), 0) FROM entries",
				id, "cannot read the newest entry", NULL, 0);
}
