/*
 * pg.h: what callers outside store/ need of the PostgreSQL engine
 * (store/pg.c): telling a PostgreSQL ledger setting from a file, and the
 * schema commands of `leaselinectl ledger init|upgrade`, which an agent's
 * role may not run (it cannot create tables: an open refuses a missing or
 * older schema rather than make it).
 *
 * Each call opens its own connection and closes it before returning;
 * nothing is shared between threads.
 */
#ifndef LL_STORE_PG_H
#define LL_STORE_PG_H

#include <stdbool.h>
#include <stddef.h>

/* The schema version of a PostgreSQL ledger this build makes and reads
 * (table ledger_schema); its own count, not SQLite's user_version. */
#define LEDGER_PG_SCHEMA_VERSION 3

/* Whether path is a libpq connection URI (postgresql:// or postgres://):
 * the PostgreSQL engine keeps that ledger, and no file is behind it. */
bool ledger_pg_accepts(const char *path);

/* Creates schema version LEDGER_PG_SCHEMA_VERSION in the database uri
 * names, in one transaction: 0 when made, -1 with why in err (a schema
 * already there is refused: nothing is changed). */
int ledger_pg_init(const char *uri, char *err, size_t errlen);

/* Brings the schema to LEDGER_PG_SCHEMA_VERSION: 0 with the version it
 * had in *from (== the current one: nothing to do), -1 with why in err. */
int ledger_pg_upgrade(const char *uri, int *from, char *err, size_t errlen);

/* uri for messages: with a password (user:PASSWORD@ or password=...)
 * left out, into buf (truncated to buflen). */
const char *ledger_pg_redact(const char *uri, char *buf, size_t buflen);

#endif
