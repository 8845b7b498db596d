/*
 * sqlite.c: the SQLite engine of the ledger (see engine.h): opening the
 * file, its schema and migrations, the daemon's meta values, the check of
 * the whole file, and the helpers sqlite_entries.c and sqlite_outbox.c
 * share.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/sqlite.h"

/* "LLED" in PRAGMA application_id: tells a ledger from any other SQLite
 * file that a wrong path may name. */
#define LEDGER_APPLICATION_ID 0x4c4c4544

/*
 * The migrations: ledger_sqlite_migrations[v - 1] brings a version v - 1 schema
 * to version v.  Never edit a step once released; append a new one and raise
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

static const char *const ledger_sqlite_migrations[] = {
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

_Static_assert(sizeof(ledger_sqlite_migrations) /
		       sizeof(ledger_sqlite_migrations[0]) ==
		   LEDGER_SCHEMA_VERSION,
	       "one migration per schema version");
_Static_assert(LEDGER_APPLICATION_ID == 1280066884,
	       "the application_id of migration 1");

/* What failed, on which file, and SQLite's own words.  Call it before any
 * ROLLBACK, which would replace SQLite's message. */
void
ledger_sqlite_err(const struct ledger *l, char *err, size_t errlen,
		  const char *what)
{
	ledger_seterr(err, errlen, "ledger %s: %s: %s", l->path, what,
		      sqlite3_errmsg(l->db));
}

/* Runs SQL without parameters: pragmas, transactions, migrations. */
int
ledger_sqlite_exec(struct ledger *l, const char *sql, const char *what,
		   char *err, size_t errlen)
{
	if (sqlite3_exec(l->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		ledger_sqlite_err(l, err, errlen, what);
		return -1;
	}
	return 0;
}

void
ledger_sqlite_rollback(struct ledger *l)
{
	/* A failed COMMIT may already have ended the transaction. */
	if (!sqlite3_get_autocommit(l->db))
		sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
}

int
ledger_sqlite_prepare(struct ledger *l, const char *sql, sqlite3_stmt **st,
		      const char *what, char *err, size_t errlen)
{
	if (sqlite3_prepare_v2(l->db, sql, -1, st, NULL) != SQLITE_OK) {
		ledger_sqlite_err(l, err, errlen, what);
		*st = NULL;
		return -1;
	}
	return 0;
}

/* A one-row, one-integer query such as a pragma. */
int
ledger_sqlite_query_int(struct ledger *l, const char *sql, int64_t *value,
			const char *what, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (ledger_sqlite_prepare(l, sql, &st, what, err, errlen) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		ledger_sqlite_err(l, err, errlen, what);
		sqlite3_finalize(st);
		return -1;
	}
	*value = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* A copy of a text column; NULL only when out of memory. */
char *
ledger_sqlite_column_strdup(sqlite3_stmt *st, int col)
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
ledger_sqlite_check_version(struct ledger *l, int64_t *version, char *err,
			    size_t errlen)
{
	int64_t app_id;

	if (ledger_sqlite_query_int(l, "PRAGMA user_version", version,
				    "cannot read the schema version", err,
				    errlen) < 0 ||
	    ledger_sqlite_query_int(l, "PRAGMA application_id", &app_id,
				    "cannot read the application id", err,
				    errlen) < 0)
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
ledger_sqlite_migrate(struct ledger *l, char *err, size_t errlen)
{
	int64_t version, objects;
	char sql[64];

	if (ledger_sqlite_exec(l, "BEGIN IMMEDIATE",
			       "cannot start the migration", err, errlen) < 0)
		return -1;
	if (ledger_sqlite_check_version(l, &version, err, errlen) < 0)
		goto rollback;
	if (version == 0) {
		/* Never lay a ledger over somebody else's tables. */
		if (ledger_sqlite_query_int(
			l, "SELECT count(*) FROM sqlite_master", &objects,
			"cannot read the schema", err, errlen) < 0)
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
		if (ledger_sqlite_exec(l, ledger_sqlite_migrations[v], what,
				       err, errlen) < 0)
			goto rollback;
	}
	if (version < LEDGER_SCHEMA_VERSION) {
		/* A pragma takes no parameters; this is our own constant. */
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
			 LEDGER_SCHEMA_VERSION);
		if (ledger_sqlite_exec(l, sql,
				       "cannot record the schema version", err,
				       errlen) < 0)
			goto rollback;
	}
	if (ledger_sqlite_exec(l, "COMMIT", "cannot commit the migration", err,
			       errlen) < 0)
		goto rollback;
	return 0;

rollback:
	ledger_sqlite_rollback(l);
	return -1;
}

/* Syncs the directory entry of a file just created, so that the ledger
 * itself, not only its content, survives power loss. */
static void
ledger_sqlite_sync_dir(const char *dir)
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
ledger_sqlite_create_file(const char *path, char *err, size_t errlen)
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
	ledger_sqlite_sync_dir(dir);
	rc = 0;

free_copy:
	free(copy);
	return rc;
}

/* Per-connection settings; journal_mode is the file's and needs a writer. */
static int
ledger_sqlite_configure(struct ledger *l, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	const char *jm;
	int persist = 1;

	if (sqlite3_busy_timeout(l->db, LEDGER_SQLITE_BUSY_TIMEOUT_MS) !=
	    SQLITE_OK) {
		ledger_sqlite_err(l, err, errlen,
				  "cannot set the busy timeout");
		return -1;
	}
	if (ledger_sqlite_exec(l, "PRAGMA synchronous = FULL",
			       "cannot set synchronous = FULL", err,
			       errlen) < 0 ||
	    ledger_sqlite_exec(l, "PRAGMA foreign_keys = ON",
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
		ledger_sqlite_err(l, err, errlen, "cannot keep the WAL file");
		return -1;
	}
	if (ledger_sqlite_exec(l, "PRAGMA journal_size_limit = 1048576",
			       "cannot limit the WAL file", err, errlen) < 0)
		return -1;
	if (ledger_sqlite_prepare(l, "PRAGMA journal_mode = WAL", &st,
				  "cannot switch to WAL mode", err, errlen) < 0)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		ledger_sqlite_err(l, err, errlen, "cannot switch to WAL mode");
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

/* Opens l->path in l->mode (ledger_open has checked both). */
static int
ledger_sqlite_open(struct ledger *l, char *err, size_t errlen)
{
	const char *path = l->path;
	enum ledger_mode mode = l->mode;
	struct stat sb;
	sqlite3 *db = NULL;
	int64_t version;
	int flags, rc;

	if (mode == LEDGER_READ_ONLY) {
		/* SQLite's "unable to open database file" names nothing. */
		if (stat(path, &sb) < 0) {
			ledger_seterr(err, errlen, "cannot open ledger %s: %s",
				      path, strerror(errno));
			return -1;
		}
		flags = SQLITE_OPEN_READONLY;
	} else {
		if (ledger_sqlite_create_file(path, err, errlen) < 0)
			return -1;
		flags = SQLITE_OPEN_READWRITE;
	}

	rc = sqlite3_open_v2(path, &db, flags, NULL);
	l->db = db;
	if (rc != SQLITE_OK) {
		if (l->db)
			ledger_sqlite_err(l, err, errlen, "cannot open");
		else
			ledger_seterr(err, errlen, "ledger %s: out of memory",
				      path);
		goto close_db;
	}
	/* Before the first read: a reader may have to wait out a WAL
	 * recovery after another process died mid-write. */
	if (sqlite3_busy_timeout(db, LEDGER_SQLITE_BUSY_TIMEOUT_MS) !=
	    SQLITE_OK) {
		ledger_sqlite_err(l, err, errlen,
				  "cannot set the busy timeout");
		goto close_db;
	}
	/* SQLite silently falls back to read-only on a write-protected
	 * file; say so now rather than at the first write. */
	if (mode == LEDGER_READ_WRITE && sqlite3_db_readonly(db, "main")) {
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
	if (ledger_sqlite_check_version(l, &version, err, errlen) < 0) {
		int xrc = sqlite3_extended_errcode(db);

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
	if (ledger_sqlite_configure(l, err, errlen) < 0)
		goto close_db;
	if (mode == LEDGER_READ_WRITE &&
	    ledger_sqlite_migrate(l, err, errlen) < 0)
		goto close_db;
	return 0;

close_db:
	sqlite3_close_v2(db);
	l->db = NULL;
	return -1;
}

static void
ledger_sqlite_close(struct ledger *l)
{
	sqlite3_close_v2(l->db);
	l->db = NULL;
}

/* SQLite's verdict on a file it cannot read through: damaged, not a
 * failure of the check. */
static bool
ledger_sqlite_corrupt_code(int rc)
{
	return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

/* Notes one row of a checking pragma: counts it, keeps the first. */
static void
ledger_sqlite_verify_row(sqlite3_stmt *st, char *first, size_t firstlen,
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
ledger_sqlite_verify_pragma(struct ledger *l, const char *sql, char *first,
			    size_t firstlen, size_t *problems, char *err,
			    size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(l->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			ledger_sqlite_verify_row(st, first, firstlen, problems);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return 0;
	}
	if (ledger_sqlite_corrupt_code(rc) ||
	    ledger_sqlite_corrupt_code(sqlite3_extended_errcode(l->db))) {
		/* Often after the rows that said why: then it is no news. */
		if (*problems == 0) {
			snprintf(first, firstlen, "%s", sqlite3_errmsg(l->db));
			*problems = 1;
		}
		sqlite3_finalize(st);
		return 1;
	}
	ledger_sqlite_err(l, err, errlen, "cannot check the file");
	sqlite3_finalize(st);
	return -1;
}

static int
ledger_sqlite_verify(struct ledger *l, char *err, size_t errlen)
{
	/* Enough for SQLite's first finding; the rest is counted. */
	char first[LEDGER_ERRLEN / 2] = "";
	size_t problems = 0;
	int rc;

	/* Every page of every table and index, the outbox's and the
	 * transitions' too, and the CHECK and NOT NULL constraints; then
	 * the reversals' links, which a session with foreign_keys off may
	 * have broken. */
	rc =
	    ledger_sqlite_verify_pragma(l, "PRAGMA integrity_check(100)", first,
					sizeof(first), &problems, err, errlen);
	if (rc == 0 && problems == 0)
		rc = ledger_sqlite_verify_pragma(l, "PRAGMA foreign_key_check",
						 first, sizeof(first),
						 &problems, err, errlen);
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

/* One statement with an id or a name and a value: autocommit makes it a
 * durable transaction of its own. */
int
ledger_sqlite_update(struct ledger *l, const char *sql, const char *text,
		     int64_t a, int64_t b, const char *what, char *err,
		     size_t errlen)
{
	sqlite3_stmt *st;
	int ok;

	if (ledger_sqlite_prepare(l, sql, &st, what, err, errlen) < 0)
		return -1;
	ok = (text ? sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC)
		   : sqlite3_bind_int64(st, 1, a)) == SQLITE_OK &&
	     sqlite3_bind_int64(st, 2, b) == SQLITE_OK &&
	     sqlite3_step(st) == SQLITE_DONE;
	if (!ok)
		ledger_sqlite_err(l, err, errlen, what);
	sqlite3_finalize(st);
	return ok ? 0 : -1;
}

static int
ledger_sqlite_meta_set(struct ledger *l, const char *name, int64_t value,
		       char *err, size_t errlen)
{
	return ledger_sqlite_update(
	    l,
	    "INSERT INTO meta (name, value) VALUES (?1, ?2) "
	    "ON CONFLICT(name) DO UPDATE SET value = ?2",
	    name, 0, value, "cannot record a setting", err, errlen);
}

static int
ledger_sqlite_meta_get(struct ledger *l, const char *name, int64_t *value,
		       bool *found, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	*found = false;
	if (ledger_sqlite_prepare(l, "SELECT value FROM meta WHERE name = ?1",
				  &st, "cannot read a setting", err,
				  errlen) < 0)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = sqlite3_column_int64(st, 0);
		*found = true;
	} else if (rc != SQLITE_DONE) {
		ledger_sqlite_err(l, err, errlen, "cannot read a setting");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

static int
ledger_sqlite_data_version(struct ledger *l, int64_t *version)
{
	if (!l || !version)
		return -1;
	return ledger_sqlite_query_int(l, "PRAGMA data_version", version,
				       "cannot read the data version", NULL, 0);
}

static int
ledger_sqlite_batch_begin(struct ledger *l, char *err, size_t errlen)
{
	return ledger_sqlite_exec(l, "BEGIN IMMEDIATE", "cannot start a batch",
				  err, errlen);
}

static int
ledger_sqlite_batch_commit(struct ledger *l, char *err, size_t errlen)
{
	if (sqlite3_get_autocommit(l->db)) {
		ledger_seterr(err, errlen,
			      "ledger %s: the batch was rolled back", l->path);
		return -1;
	}
	if (ledger_sqlite_exec(l, "COMMIT", "cannot commit a batch", err,
			       errlen) < 0) {
		ledger_sqlite_rollback(l);
		return -1;
	}
	return 0;
}

static void
ledger_sqlite_batch_abort(struct ledger *l)
{
	ledger_sqlite_rollback(l);
}

/* Any path that is not a URI is an SQLite file. */
static bool
ledger_sqlite_accepts(const char *path)
{
	return !ledger_path_is_uri(path);
}

const struct ledger_engine ledger_sqlite_engine = {
    .name = "sqlite",
    .accepts = ledger_sqlite_accepts,
    .open = ledger_sqlite_open,
    .close = ledger_sqlite_close,
    .verify = ledger_sqlite_verify,
    .append = ledger_sqlite_append,
    .entries = ledger_sqlite_entries,
    .entry = ledger_sqlite_entry,
    .add_transition = ledger_sqlite_add_transition,
    .transitions = ledger_sqlite_transitions,
    .last_entry_id = ledger_sqlite_last_entry_id,
    .data_version = ledger_sqlite_data_version,
    .queue = ledger_sqlite_queue,
    .batch_begin = ledger_sqlite_batch_begin,
    .batch_commit = ledger_sqlite_batch_commit,
    .batch_abort = ledger_sqlite_batch_abort,
    .outbox_pending = ledger_sqlite_outbox_pending,
    .outbox_last = ledger_sqlite_outbox_last,
    .outbox_prune = ledger_sqlite_outbox_prune,
    .outbox_sent = ledger_sqlite_outbox_sent,
    .outbox_sent_many = ledger_sqlite_outbox_sent_many,
    .meta_get = ledger_sqlite_meta_get,
    .meta_set = ledger_sqlite_meta_set,
    .dump = ledger_sqlite_dump,
    .import = ledger_sqlite_import,
};
