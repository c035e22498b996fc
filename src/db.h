/*
 * db.h: one MariaDB connection per worker thread, driven only through the
 * prepared statements of stmts.c (STYLE.md, practices 5 and 6).
 *
 * Results are tri-state plus two: DB_OK, DB_NOTFOUND (no row / no row
 * changed), DB_CONFLICT (duplicate key, MariaDB 1062), DB_GONE (the server
 * went away and could not be reached again; answer 503) and DB_ERROR.
 *
 * On a lost connection (2006, 2013, ...) the layer reconnects, checks the
 * schema version, prepares the whole table again and retries the statement
 * once, unless a transaction was open (its work is lost, so the caller gets
 * DB_GONE and must not pretend it committed). db_host may name several
 * nodes of a Galera cluster: a worker uses the first that answers and is
 * ready, and after a lost connection starts again at the next one. A
 * statement outside a transaction that loses a deadlock or a certification
 * conflict is run again (up to 4 tries); a transaction that loses one is
 * rolled back whole and its caller gets DB_BUSY: it may run the whole
 * transaction again (db_retry_pause), else it answers 503 (Retry-After).
 */
#ifndef DB_H
#define DB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "partnerd.h"
#include "stmts.h"

struct conf;
struct db;

enum db_res {
	DB_OK = 0,
	DB_NOTFOUND,
	DB_CONFLICT,
	DB_GONE,
	DB_ERROR,
	DB_BUSY	/* a deadlock or lock wait the server gave up: try again later */
};

/* A failure: neither a result nor "not found". */
static inline int
db_failed(enum db_res rc)
{
	return rc != DB_OK && rc != DB_NOTFOUND;
}

/*
 * The error a database result answers with (errors.c): DB_GONE 503,
 * DB_CONFLICT 409 (a duplicate no handler claimed), anything else 500.
 * Only for results that are failures (db_failed).
 */
enum perr	 perr_from_db(enum db_res);

enum dbt { DBT_NULL = 0, DBT_STR, DBT_INT, DBT_BLOB };

/* One bound parameter; the pointed-to bytes must live through the call. */
struct dbv {
	enum dbt	 t;
	const void	*p;
	size_t		 len;
	long long	 i;
};

#define DBV_NULL		((struct dbv){ DBT_NULL, NULL, 0, 0 })
#define DBV_STR(s)		dbv_str(s)
#define DBV_INT(n)		((struct dbv){ DBT_INT, NULL, 0, (long long)(n) })
#define DBV_BLOB(b, n)		((struct dbv){ DBT_BLOB, (b), (n), 0 })
#define DBV_OPTSTR(s)		dbv_optstr(s)

/* A string (an inline function: the argument is evaluated once). */
static inline struct dbv
dbv_str(const char *s)
{
	struct dbv	 v = { DBT_STR, s, strlen(s), 0 };

	return v;
}

/* A string, or SQL NULL for a NULL pointer. */
static inline struct dbv
dbv_optstr(const char *s)
{
	struct dbv	 v = { DBT_NULL, NULL, 0, 0 };

	if (s != NULL) {
		v.t = DBT_STR;
		v.p = s;
		v.len = strlen(s);
	}
	return v;
}

/* One fetched row: every column as bytes (NUL-terminated) or NULL. */
struct db_row {
	size_t			 ncol;
	const char *const	*val;	/* val[i] == NULL for SQL NULL */
	const unsigned long	*len;
};

/* Called per row; return 0 to go on, -1 to stop with DB_ERROR. */
typedef int (*db_row_fn)(void *arg, const struct db_row *);

/*
 * Open a handle and try to connect. The handle is returned even when the
 * server is down (requests then answer 503 until it is back); NULL only on
 * out-of-memory. schema_version is the version this binary needs.
 */
struct db	*db_open(const struct conf *, unsigned schema_version);
void		 db_close(struct db *);
/*
 * The one way partnerd connects to MariaDB (the worker, migrations and
 * partnerctl): the configured server and database, utf8mb4, UTC and the
 * strict sql_mode, with the client flags given (a MYSQL *, as void * to keep
 * mysql.h out of this header; mysql_close it). NULL with the reason in err.
 */
void		*db_connect_conf(const struct conf *, unsigned long flags, char *err,
		    size_t errsz);
/* Connected and prepared right now? Tries to (re)connect first. */
int		 db_ready(struct db *);
/* Reachable, but its schema version is not the one this binary needs? */
int		 db_schema_mismatch(struct db *);

enum db_res	 db_exec(struct db *, enum stmt, const struct dbv *, size_t,
		    uint64_t *affected);
enum db_res	 db_query(struct db *, enum stmt, const struct dbv *, size_t,
		    db_row_fn, void *arg);
/* Fetch the first column of the first row into out (NUL-terminated). */
enum db_res	 db_query_str(struct db *, enum stmt, const struct dbv *, size_t,
		    char *out, size_t outsz);

enum db_res	 db_begin(struct db *);
enum db_res	 db_commit(struct db *);
void		 db_rollback(struct db *);
/*
 * How many times this handle answered DB_BUSY (a deadlock or a Galera
 * certification conflict that rolled the work back): the gate compares it
 * around a handler to know its 503 may be retried whole.
 */
unsigned	 db_busy_count(const struct db *);
/*
 * How many transactions this handle committed, counting a db_exec outside
 * a transaction as one: the gate compares it around a handler to know that
 * nothing of a failed POST was applied, so it may be run again whole.
 */
unsigned	 db_write_count(const struct db *);
/*
 * How many statements this handle sent to the server (round trips, a
 * causal wait apart): the tests hold a route to its count.
 */
unsigned	 db_statement_count(const struct db *);
/*
 * A transaction that lost a conflict (DB_BUSY) is about to be run again,
 * for the tries-th time (1, 2, ...): 1 after a pause (5, 10, 20 ms and a
 * little more, so that the two writers do not meet again), 0 when it has
 * had its tries (4 in all) and its caller should answer 503.
 */
int		 db_retry_pause(struct db *, int tries);
/*
 * A request begins: with db_causal_reads = on, its first statement waits
 * until this node has applied every write the cluster committed before
 * (Galera's wsrep_sync_wait, one cluster round trip), so the whole request
 * sees every write that answered success anywhere before it began. The
 * statements after it need not wait: the node only moves forward. After a
 * reconnect (perhaps to another node) the next statement waits again.
 */
void		 db_request_begin(struct db *);

/* The schema version recorded in the database (0: none), or -1. */
long		 db_schema_version(struct db *);

#endif
