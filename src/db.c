/* db.c: the connection, the prepared statement table, reconnects; see db.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "partnerd.h"
#include "db.h"
#include "migrations.h"

struct db {
	const struct conf	*conf;
	unsigned		 schema_version;
	MYSQL			*my;	/* NULL while disconnected */
	MYSQL_STMT		*stmts[STMT__MAX];
	int			 in_tx;
	int			 warned;	/* "unreachable" logged once per outage */
	int			 schema_bad;	/* reached, but the schema is wrong */
	/* The db_host entry in use, and the one the next connect tries first:
	 * after a lost connection, the next node of the list. */
	size_t			 host_cur, host_next;
	unsigned		 busy;	/* DB_BUSY answers so far (db_busy_count) */
	unsigned		 writes;	/* commits so far (db_write_count) */
	unsigned		 sent;	/* statements executed (db_statement_count) */
	/*
	 * db_causal_reads = on: the first statement of each request (and the
	 * first after a reconnect) runs as its causal twin, the same SQL
	 * under "SET STATEMENT wsrep_sync_wait = 7 FOR", prepared at its
	 * first use on this connection.
	 */
	int			 causal_request;	/* the setting is "on" */
	int			 sync_pending;	/* the next statement waits */
	MYSQL_STMT		*sync_stmts[STMT__MAX];
	/* The statement whose rows are being handed out, or -1: a statement
	 * run from a row callback would reuse the connection mid-fetch (and
	 * a reconnect there would free the outer statement), so it is refused. */
	int			 fetching;
};

/* A statement's name for the log ("STMT_ASSET_GET"), or its number. */
static const char *
stmt_name(enum stmt s, char *buf, size_t n)
{
	if ((unsigned)s < STMT__MAX && stmt_names[s] != NULL)
		return stmt_names[s];
	snprintf(buf, n, "statement %d", (int)s);
	return buf;
}

/* Refuse any use of the connection from inside a row callback. */
static int
db_reentered(struct db *db, enum stmt s)
{
	char	 b1[32], b2[32];

	if (db->fetching < 0)
		return 0;
	log_err("database: %s run inside the rows of %s: refused",
	    stmt_name(s, b1, sizeof(b1)), stmt_name(db->fetching, b2, sizeof(b2)));
	return 1;
}

/* Errors after which the connection (and every statement) is unusable. */
static int
is_gone(unsigned err)
{
	switch (err) {
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_SERVER_LOST_EXTENDED:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_COMMANDS_OUT_OF_SYNC:
	case ER_CONNECTION_KILLED:
	case ER_UNKNOWN_STMT_HANDLER:
	case ER_SERVER_SHUTDOWN:
	case 4031:	/* ER_CLIENT_INTERACTION_TIMEOUT */
	/*
	 * Galera: "WSREP has not yet prepared node for application use", a
	 * node that is joining or has lost the cluster's primary component.
	 * It answers nothing until it is synced: move to the next node.
	 */
	case ER_UNKNOWN_COM_ERROR:
	/*
	 * Galera: the node lost the primary component while this work was
	 * being replicated ("error 6 during COMMIT"), at an explicit COMMIT
	 * or at the end of a statement outside a transaction. Nothing was
	 * committed (no primary component ordered it), and the node answers
	 * 1047 from now on: move to the next node, as above.
	 */
	case ER_ERROR_DURING_COMMIT:
		return 1;
	default:
		return 0;
	}
}

/*
 * A lost connection says so at the reconnect; a node that left the
 * primary component mid-write (1180) is said here, with what failed.
 */
static void
log_gone(const char *what, unsigned err)
{
	if (err == ER_ERROR_DURING_COMMIT)
		log_warn("database: %s: error %u (the node left the primary "
		    "component)", what, err);
}

/*
 * Errors after which the work was rolled back and may be run again: a
 * deadlock victim or a Galera certification conflict (1213), a lock wait
 * or a causal wait (wsrep_sync_wait) the server gave up (1205).
 */
static int
is_busy(unsigned err)
{
	return err == ER_LOCK_DEADLOCK || err == ER_LOCK_WAIT_TIMEOUT;
}

static void
db_disconnect(struct db *db)
{
	size_t	 i;

	for (i = 0; i < STMT__MAX; i++)
		if (db->stmts[i] != NULL) {
			mysql_stmt_close(db->stmts[i]);
			db->stmts[i] = NULL;
		}
	for (i = 0; i < STMT__MAX; i++)
		if (db->sync_stmts[i] != NULL) {
			mysql_stmt_close(db->sync_stmts[i]);
			db->sync_stmts[i] = NULL;
		}
	if (db->my != NULL) {
		mysql_close(db->my);
		db->my = NULL;
	}
	db->in_tx = 0;
}

/* One server, or NULL with the reason in err. */
static MYSQL *
connect_one(const struct conf *c, const char *host, unsigned port,
    unsigned long flags, char *err, size_t errsz)
{
	unsigned	 timeout = 3, rw_timeout = 30;
	MYSQL		*my;

	/* Migrations (the one multi-statement connection) fill new derived
	 * tables from every asset: minutes at a million assets, not 30 s. */
	if (flags & CLIENT_MULTI_STATEMENTS)
		rw_timeout = 3600;
	if ((my = mysql_init(NULL)) == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	mysql_options(my, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(my, MYSQL_OPT_READ_TIMEOUT, &rw_timeout);
	mysql_options(my, MYSQL_OPT_WRITE_TIMEOUT, &rw_timeout);
	mysql_options(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* UTC on the wire; strict mode so bad data is an error, not a warning. */
	mysql_options(my, MYSQL_INIT_COMMAND,
	    "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,"
	    "NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
	    "NO_ENGINE_SUBSTITUTION'");
	/*
	 * Galera causal reads, "every": every read statement first waits until
	 * this node has applied what the cluster committed before it began (a
	 * cluster round trip each). "on" waits once per request instead
	 * (db_request_begin); README: Running on several machines.
	 */
	if (c->db_causal_reads != NULL && strcmp(c->db_causal_reads, "every") == 0)
		mysql_options(my, MYSQL_INIT_COMMAND, "SET SESSION wsrep_sync_wait = 1");
	if (mysql_real_connect(my, c->db_socket[0] ? NULL : host, c->db_user,
	    c->db_password, c->db_name, port,
	    c->db_socket[0] ? c->db_socket : NULL, flags) == NULL) {
		snprintf(err, errsz, "%s: %s", c->db_socket[0] ? c->db_socket : host,
		    mysql_error(my));
		mysql_close(my);
		return NULL;
	}
	return my;
}

/*
 * Does the node serve queries? A Galera node that is joining, or cut off
 * from the primary component, accepts connections but answers every query
 * with 1047. The probe is the schema version query (it runs at every
 * connect anyway).
 */
static int
node_ready(MYSQL *my)
{
	MYSQL_RES	*res;

	if (mysql_real_query(my, stmt_sql[STMT_SCHEMA_VERSION],
	    strlen(stmt_sql[STMT_SCHEMA_VERSION])) != 0)
		return mysql_errno(my) != ER_UNKNOWN_COM_ERROR;
	if ((res = mysql_store_result(my)) != NULL)
		mysql_free_result(res);
	return 1;
}

/*
 * The first node of db_host, from entry first on round the list, that
 * answers and is ready; *used gets its entry. NULL with the last reason.
 */
static MYSQL *
connect_from(const struct conf *c, unsigned long flags, size_t first,
    size_t *used, char *err, size_t errsz)
{
	char		 host[256];
	unsigned	 port;
	size_t		 i, k, n;
	MYSQL		*my;

	n = c->db_socket[0] ? 1 : conf_db_host_count(c->db_host);
	snprintf(err, errsz, "db_host is empty");
	for (k = 0; k < n; k++) {
		i = (first + k) % n;
		if (!c->db_socket[0] && conf_db_host(c->db_host, i, c->db_port,
		    host, sizeof(host), &port) != 0) {
			snprintf(err, errsz, "db_host entry %zu is not host[:port]", i + 1);
			continue;
		}
		if ((my = connect_one(c, host, port, flags, err, errsz)) == NULL)
			continue;
		if (n > 1 && !node_ready(my)) {
			snprintf(err, errsz, "%s: not ready (a Galera node joining "
			    "or outside the primary component)", host);
			mysql_close(my);
			continue;
		}
		if (used != NULL)
			*used = i;
		return my;
	}
	return NULL;
}

void *
db_connect_conf(const struct conf *c, unsigned long flags, char *err, size_t errsz)
{
	return connect_from(c, flags, 0, NULL, err, errsz);
}

/*
 * Why the worker will not serve this database: a server too old for the
 * schema first (--migrate would refuse it), else which way the versions
 * differ and what to run.
 */
static void
log_schema_bad(struct db *db, long have)
{
	char	 msg[256];

	if (migrate_server_ok(mysql_get_server_info(db->my),
	    mysql_get_server_version(db->my), msg, sizeof(msg)) != 0)
		log_err("database: %s", msg);
	else
		log_err("database: schema version is %ld, this partnerd needs %u: "
		    "%s", have, db->schema_version,
		    have < (long)db->schema_version ?
		    "run partnerd --migrate" : "upgrade partnerd");
}

/*
 * Connect, check the schema version, prepare every statement.
 * CLIENT_FOUND_ROWS: an UPDATE reports the rows it matched, so "not found"
 * is told apart from "nothing changed".
 */
static int
db_connect(struct db *db)
{
	char	 err[256];
	long	 have;
	size_t	 i;

	if (db->my != NULL)
		return 0;
	if ((db->my = connect_from(db->conf, CLIENT_FOUND_ROWS, db->host_next,
	    &db->host_cur, err, sizeof(err))) == NULL) {
		if (!db->warned)
			log_err("database: cannot connect: %s", err);
		db->warned = 1;
		db_disconnect(db);
		return -1;
	}
	/*
	 * The schema check runs before the table is prepared: statements
	 * written for a newer schema would not prepare on an older one.
	 */
	have = db_schema_version(db);
	db->schema_bad = have != (long)db->schema_version;
	if (db->schema_bad) {
		if (!db->warned)
			log_schema_bad(db, have);
		db->warned = 1;
		db_disconnect(db);
		return -1;
	}
	for (i = 0; i < STMT__MAX; i++) {
		if ((db->stmts[i] = mysql_stmt_init(db->my)) == NULL ||
		    mysql_stmt_prepare(db->stmts[i], stmt_sql[i],
		    strlen(stmt_sql[i])) != 0) {
			char	 nb[32];

			log_err("database: cannot prepare %s: %s",
			    stmt_name((enum stmt)i, nb, sizeof(nb)),
			    db->stmts[i] ? mysql_stmt_error(db->stmts[i]) :
			    "out of memory");
			db_disconnect(db);
			return -1;
		}
	}
	db->host_next = db->host_cur;
	if (db->warned)
		log_info("database: connected again (db_host entry %zu)",
		    db->host_cur + 1);
	db->warned = 0;
	return 0;
}

/*
 * The connection is lost (or its node stopped serving): drop it and every
 * statement prepared on it; the next connect starts at the next node.
 */
static void
db_lost(struct db *db)
{
	db_disconnect(db);
	db->host_next = db->host_cur + 1;
	/* The next node may be behind what this request has seen already. */
	db->sync_pending = db->causal_request;
}

void
db_request_begin(struct db *db)
{
	if (db != NULL)
		db->sync_pending = db->causal_request;
}

/*
 * The causal twin of s on this connection, prepared at its first use:
 * the same statement, run after the node has applied every write the
 * cluster committed before it (wsrep_sync_wait 7: whatever the statement's
 * kind, read, update or insert). NULL when it cannot be prepared, with
 * the server's error number in *err (0: out of memory; logged).
 */
static MYSQL_STMT *
sync_stmt(struct db *db, enum stmt s, unsigned *err)
{
	static const char	 pre[] = "SET STATEMENT wsrep_sync_wait = 7 FOR ";
	MYSQL_STMT		*st;
	char			*sql, nb[32];
	size_t			 n;

	*err = 0;
	if (db->sync_stmts[s] != NULL)
		return db->sync_stmts[s];
	n = strlen(stmt_sql[s]);
	if ((sql = malloc(sizeof(pre) + n)) == NULL)
		return NULL;
	memcpy(sql, pre, sizeof(pre) - 1);
	memcpy(sql + sizeof(pre) - 1, stmt_sql[s], n + 1);
	if ((st = mysql_stmt_init(db->my)) != NULL &&
	    mysql_stmt_prepare(st, sql, sizeof(pre) - 1 + n) != 0) {
		*err = mysql_stmt_errno(st);
		/* The prepare waits too: a node that cannot catch up says 1205. */
		if (is_gone(*err) || is_busy(*err))
			log_warn("database: causal %s: error %u",
			    stmt_name(s, nb, sizeof(nb)), *err);
		else
			log_err("database: cannot prepare the causal %s: error %u",
			    stmt_name(s, nb, sizeof(nb)), *err);
		mysql_stmt_close(st);
		st = NULL;
	}
	free(sql);
	return db->sync_stmts[s] = st;
}

long
db_schema_version(struct db *db)
{
	MYSQL_RES	*res;
	MYSQL_ROW	 row;
	long		 v = -1;

	/* Plain query on purpose: the statement table is not prepared yet. */
	if (mysql_real_query(db->my, stmt_sql[STMT_SCHEMA_VERSION],
	    strlen(stmt_sql[STMT_SCHEMA_VERSION])) != 0) {
		if (mysql_errno(db->my) == ER_NO_SUCH_TABLE)
			return 0;
		log_err("database: cannot read the schema version: %s",
		    mysql_error(db->my));
		return -1;
	}
	if ((res = mysql_store_result(db->my)) == NULL)
		return -1;
	if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL)
		v = strtol(row[0], NULL, 10);
	mysql_free_result(res);
	return v;
}

struct db *
db_open(const struct conf *c, unsigned schema_version)
{
	struct db	*db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	db->conf = c;
	db->schema_version = schema_version;
	db->fetching = -1;
	db->causal_request = c->db_causal_reads != NULL &&
	    strcmp(c->db_causal_reads, "on") == 0;
	(void)db_connect(db);
	return db;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	db_disconnect(db);
	free(db);
}

int
db_ready(struct db *db)
{
	return db_connect(db) == 0;
}

int
db_schema_mismatch(struct db *db)
{
	return db_connect(db) != 0 && db->schema_bad;
}

/* Bind args to the statement; -1 when the count is wrong (a bug). */
static int
bind_args(MYSQL_STMT *st, enum stmt s, const struct dbv *args, size_t nargs,
    MYSQL_BIND *b)
{
	size_t	 i;

	if (mysql_stmt_param_count(st) != nargs) {
		char	 nb[32];

		log_err("database: %s takes %lu parameters, given %zu",
		    stmt_name(s, nb, sizeof(nb)), mysql_stmt_param_count(st), nargs);
		return -1;
	}
	memset(b, 0, sizeof(*b) * (nargs ? nargs : 1));
	for (i = 0; i < nargs; i++) {
		switch (args[i].t) {
		case DBT_NULL:
			b[i].buffer_type = MYSQL_TYPE_NULL;
			break;
		case DBT_INT:
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = (void *)&args[i].i;
			break;
		case DBT_STR:
			b[i].buffer_type = MYSQL_TYPE_STRING;
			b[i].buffer = (void *)args[i].p;
			b[i].buffer_length = args[i].len;
			break;
		case DBT_BLOB:
			b[i].buffer_type = MYSQL_TYPE_BLOB;
			b[i].buffer = (void *)args[i].p;
			b[i].buffer_length = args[i].len;
			break;
		}
	}
	return nargs ? (mysql_stmt_bind_param(st, b) ? -1 : 0) : 0;
}

/* Fetch every row of an executed statement, calling fn for each. */
static enum db_res
fetch_rows(MYSQL_STMT *st, db_row_fn fn, void *arg, size_t *nrows)
{
	MYSQL_RES	*meta;
	MYSQL_FIELD	*fields;
	MYSQL_BIND	*b = NULL;
	char		**bufs = NULL, **vals = NULL;
	unsigned long	*lens = NULL, *caps = NULL;
	my_bool		*nulls = NULL, *errs = NULL, one = 1;
	enum db_res	 rc = DB_OK;
	size_t		 ncol, i;
	int		 f;

	*nrows = 0;
	if ((meta = mysql_stmt_result_metadata(st)) == NULL)
		return DB_OK;	/* no result set */
	ncol = mysql_num_fields(meta);
	fields = mysql_fetch_fields(meta);
	mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &one);
	if (mysql_stmt_store_result(st) != 0) {
		rc = is_gone(mysql_stmt_errno(st)) ? DB_GONE : DB_ERROR;
		goto out;
	}
	b = calloc(ncol, sizeof(*b));
	bufs = calloc(ncol, sizeof(*bufs));
	vals = calloc(ncol, sizeof(*vals));
	lens = calloc(ncol, sizeof(*lens));
	caps = calloc(ncol, sizeof(*caps));
	nulls = calloc(ncol, sizeof(*nulls));
	errs = calloc(ncol, sizeof(*errs));
	if (!b || !bufs || !vals || !lens || !caps || !nulls || !errs) {
		rc = DB_ERROR;
		goto out;
	}
	for (i = 0; i < ncol; i++) {
		caps[i] = fields[i].max_length > 64 ? fields[i].max_length + 1 : 65;
		if ((bufs[i] = malloc(caps[i])) == NULL) {
			rc = DB_ERROR;
			goto out;
		}
		b[i].buffer_type = MYSQL_TYPE_STRING;
		b[i].buffer = bufs[i];
		b[i].buffer_length = caps[i] - 1;
		b[i].length = &lens[i];
		b[i].is_null = &nulls[i];
		b[i].error = &errs[i];
	}
	if (mysql_stmt_bind_result(st, b) != 0) {
		rc = DB_ERROR;
		goto out;
	}
	while ((f = mysql_stmt_fetch(st)) == 0 || f == MYSQL_DATA_TRUNCATED) {
		for (i = 0; i < ncol; i++) {
			if (errs[i] && lens[i] + 1 > caps[i]) {
				/* Longer than max_length promised: fetch again. */
				char *nb = realloc(bufs[i], lens[i] + 1);

				if (nb == NULL) {
					rc = DB_ERROR;
					goto out;
				}
				bufs[i] = nb;
				caps[i] = lens[i] + 1;
				b[i].buffer = nb;
				b[i].buffer_length = caps[i] - 1;
				if (mysql_stmt_fetch_column(st, &b[i], (unsigned)i, 0)) {
					rc = DB_ERROR;
					goto out;
				}
			}
			if (nulls[i])
				vals[i] = NULL;
			else {
				bufs[i][lens[i]] = '\0';
				vals[i] = bufs[i];
			}
		}
		(*nrows)++;
		if (fn != NULL) {
			struct db_row row = { ncol, (const char *const *)vals, lens };

			if (fn(arg, &row) != 0) {
				rc = DB_ERROR;
				goto out;
			}
		}
	}
	if (f == 1)
		rc = is_gone(mysql_stmt_errno(st)) ? DB_GONE : DB_ERROR;
out:
	mysql_stmt_free_result(st);
	mysql_free_result(meta);
	if (bufs != NULL)
		for (i = 0; i < ncol; i++)
			free(bufs[i]);
	free(b);
	free(bufs);
	free(vals);
	free(lens);
	free(caps);
	free(nulls);
	free(errs);
	return rc;
}

#define DB_MAX_ARGS	64

/* Execute once; on DB_GONE the caller decides about retrying. */
static enum db_res
run_once(struct db *db, enum stmt s, const struct dbv *args, size_t nargs,
    db_row_fn fn, void *arg, uint64_t *affected)
{
	MYSQL_BIND	 b[DB_MAX_ARGS];
	MYSQL_STMT	*st;
	unsigned	 err;
	size_t		 nrows = 0;
	enum db_res	 rc;
	char		 nb[32];

	if (db_connect(db) != 0)
		return DB_GONE;
	st = db->stmts[s];
	if (db->sync_pending) {
		/* A failed prepare: a lost connection, a causal wait given up, or a 500. */
		if ((st = sync_stmt(db, s, &err)) == NULL)
			return is_gone(err) ? DB_GONE : is_busy(err) ? DB_BUSY : DB_ERROR;
		db->sync_pending = 0;
	}
	if (nargs > DB_MAX_ARGS || bind_args(st, s, args, nargs, b) != 0)
		return DB_ERROR;
	db->sent++;
	if (mysql_stmt_execute(st) != 0) {
		err = mysql_stmt_errno(st);
		if (err == ER_DUP_ENTRY || err == ER_DUP_ENTRY_WITH_KEY_NAME)
			return DB_CONFLICT;
		if (is_gone(err)) {
			log_gone(stmt_name(s, nb, sizeof(nb)), err);
			return DB_GONE;
		}
		/* Two uploads of one owner can deadlock on the month counters. */
		if (is_busy(err)) {
			log_warn("database: %s: error %u", stmt_name(s, nb, sizeof(nb)), err);
			return DB_BUSY;
		}
		/*
		 * Only the numbers are logged: the server's text may quote the
		 * values bound, and those can be hashes.
		 */
		log_err("database: %s failed: error %u (SQLSTATE %s)",
		    stmt_name(s, nb, sizeof(nb)), err, mysql_stmt_sqlstate(st));
		return DB_ERROR;
	}
	db->fetching = (int)s;
	rc = fetch_rows(st, fn, arg, &nrows);
	db->fetching = -1;
	if (rc != DB_OK) {
		mysql_stmt_reset(st);
		return rc;
	}
	if (affected != NULL)
		*affected = mysql_stmt_field_count(st) ? nrows :
		    (uint64_t)mysql_stmt_affected_rows(st);
	return DB_OK;
}

/* Tries of a statement that is a whole transaction by itself. */
#define DB_TRIES	4

int
db_retry_pause(struct db *db, int tries)
{
	struct timespec	 ts, now;
	long		 ms;

	(void)db;
	if (tries >= DB_TRIES)
		return 0;
	/*
	 * 5, 10, 20 ms, plus up to as much again from the clock's low bits:
	 * two writers that conflicted do not meet again at the same moment.
	 */
	ms = 5L << (tries - 1);
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms += (now.tv_nsec / 1000) % (ms + 1);
	ts.tv_sec = 0;
	ts.tv_nsec = ms * 1000000L;
	nanosleep(&ts, NULL);
	return 1;
}

static enum db_res
run(struct db *db, enum stmt s, const struct dbv *args, size_t nargs,
    db_row_fn fn, void *arg, uint64_t *affected)
{
	enum db_res	 rc;
	int		 was_tx, tries = 0;

	if (db == NULL)
		return DB_GONE;
	if (db_reentered(db, s))
		return DB_ERROR;
	was_tx = db->in_tx;
again:
	rc = run_once(db, s, args, nargs, fn, arg, affected);
	/*
	 * A deadlock victim outside a transaction (two writers on one row, or
	 * a Galera certification conflict with another node's commit) was
	 * rolled back whole: it is run again, a few times (db_retry_pause).
	 * Inside a transaction the caller rolls back, and may run it again.
	 */
	if (rc == DB_BUSY && !was_tx && db_retry_pause(db, ++tries)) {
		char	 nb[32];

		log_warn("database: %s lost a conflict; run again",
		    stmt_name(s, nb, sizeof(nb)));
		goto again;
	}
	if (rc == DB_BUSY)
		db->busy++;
	if (rc != DB_GONE)
		return rc;
	/* The connection is lost: everything prepared on it is gone too. */
	db_lost(db);
	if (was_tx)
		return DB_GONE;	/* the open transaction died with it */
	log_warn("database: connection lost; reconnecting");
	return run_once(db, s, args, nargs, fn, arg, affected);
}

enum db_res
db_exec(struct db *db, enum stmt s, const struct dbv *args, size_t nargs,
    uint64_t *affected)
{
	uint64_t	 n = 0;
	enum db_res	 rc;

	rc = run(db, s, args, nargs, NULL, NULL, &n);
	if (rc == DB_OK && !db->in_tx)
		db->writes++;	/* a statement outside a transaction commits */
	if (affected != NULL)
		*affected = n;
	return rc;
}

enum db_res
db_query(struct db *db, enum stmt s, const struct dbv *args, size_t nargs,
    db_row_fn fn, void *arg)
{
	uint64_t	 n = 0;
	enum db_res	 rc;

	rc = run(db, s, args, nargs, fn, arg, &n);
	return rc == DB_OK && n == 0 ? DB_NOTFOUND : rc;
}

struct first_str {
	char	*out;
	size_t	 sz;
	int	 seen;
};

static int
first_str_cb(void *arg, const struct db_row *row)
{
	struct first_str	*fs = arg;

	if (fs->seen++)
		return 0;
	if (row->ncol == 0 || row->val[0] == NULL)
		fs->out[0] = '\0';
	else
		snprintf(fs->out, fs->sz, "%s", row->val[0]);
	return 0;
}

enum db_res
db_query_str(struct db *db, enum stmt s, const struct dbv *args, size_t nargs,
    char *out, size_t outsz)
{
	struct first_str	 fs = { out, outsz, 0 };

	out[0] = '\0';
	return db_query(db, s, args, nargs, first_str_cb, &fs);
}

enum db_res
db_begin(struct db *db)
{
	static const char	 sql[] = "START TRANSACTION";

	if (db == NULL)
		return DB_GONE;
	if (db_reentered(db, STMT__MAX))
		return DB_ERROR;
	if (db->in_tx) {
		log_err("database: nested transaction");
		return DB_ERROR;
	}
	if (db_connect(db) != 0)
		return DB_GONE;
	if (mysql_real_query(db->my, sql, sizeof(sql) - 1) != 0) {
		if (is_gone(mysql_errno(db->my))) {
			/* Nothing ran yet: reconnect once and start again. */
			db_lost(db);
			if (db_connect(db) != 0 ||
			    mysql_real_query(db->my, sql, sizeof(sql) - 1) != 0)
				return DB_GONE;
		} else
			return DB_ERROR;
	}
	db->in_tx = 1;
	return DB_OK;
}

enum db_res
db_commit(struct db *db)
{
	unsigned	 err;

	if (!db->in_tx || db->my == NULL)
		return DB_GONE;
	db->in_tx = 0;
	if (mysql_commit(db->my) != 0) {
		err = mysql_errno(db->my);
		/*
		 * Lost, or (1180) the node left the primary component while
		 * this transaction was replicated: not committed here; move to
		 * the next node (503, and a client's retry of an upload finds
		 * it stored if the cluster did apply it).
		 */
		if (is_gone(err)) {
			log_gone("commit", err);
			db_lost(db);
			return DB_GONE;
		}
		mysql_rollback(db->my);
		/*
		 * Galera certifies a transaction at COMMIT: one that conflicts
		 * with a transaction another node committed first fails with
		 * 1213 and was applied nowhere. Like an InnoDB deadlock victim
		 * it is DB_BUSY: the caller may run it again (db_retry_pause),
		 * else it answers 503 with Retry-After.
		 */
		if (err == ER_LOCK_DEADLOCK) {
			log_warn("database: commit: error %u (a certification "
			    "conflict)", err);
			db->busy++;
			return DB_BUSY;
		}
		log_err("database: commit failed: error %u", err);
		return DB_ERROR;
	}
	db->writes++;
	return DB_OK;
}

unsigned
db_busy_count(const struct db *db)
{
	return db != NULL ? db->busy : 0;
}

unsigned
db_write_count(const struct db *db)
{
	return db != NULL ? db->writes : 0;
}

unsigned
db_statement_count(const struct db *db)
{
	return db != NULL ? db->sent : 0;
}

void
db_rollback(struct db *db)
{
	if (db->my != NULL && db->in_tx && mysql_rollback(db->my) != 0 &&
	    is_gone(mysql_errno(db->my)))
		db_lost(db);
	db->in_tx = 0;
}
