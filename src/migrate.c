/* migrate.c: the migration runner; see migrations.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <mysql.h>

#include "partnerd.h"
#include "db.h"
#include "migrations.h"
#include "stmts.h"

unsigned
migrations_latest(void)
{
	return nmigrations ? migrations[nmigrations - 1].version : 0;
}

/* Run one parameterised bookkeeping statement; returns rows or -1. */
static long
mstmt_run(MYSQL *my, enum mstmt s, unsigned version, const char *name)
{
	MYSQL_STMT		*st;
	MYSQL_BIND		 b[2];
	unsigned long long	 v = version;
	long			 n = -1;

	if ((st = mysql_stmt_init(my)) == NULL)
		return -1;
	if (mysql_stmt_prepare(st, mstmt_sql[s], strlen(mstmt_sql[s])) != 0)
		goto out;
	memset(b, 0, sizeof(b));
	b[0].buffer_type = MYSQL_TYPE_LONGLONG;
	b[0].buffer = &v;
	b[0].is_unsigned = 1;
	if (name != NULL) {
		b[1].buffer_type = MYSQL_TYPE_STRING;
		b[1].buffer = (void *)name;
		b[1].buffer_length = strlen(name);
	}
	if (mysql_stmt_bind_param(st, b) != 0 || mysql_stmt_execute(st) != 0)
		goto out;
	if (mysql_stmt_field_count(st) > 0) {
		if (mysql_stmt_store_result(st) != 0)
			goto out;
		n = (long)mysql_stmt_num_rows(st);
	} else
		n = (long)mysql_stmt_affected_rows(st);
out:
	if (n == -1)
		log_err("migrate: %s", mysql_stmt_error(st));
	mysql_stmt_close(st);
	return n;
}

/* What an admin can do about a failed statement, or "". */
static const char *
failure_hint(unsigned err)
{
	switch (err) {
	case 1419:	/* ER_BINLOG_CREATE_ROUTINE_NEED_SUPER */
	case 1227:	/* ER_SPECIFIC_ACCESS_DENIED_ERROR */
		return " -- the server keeps a binary log, and creating partnerd's "
		    "triggers and procedures then needs the SUPER privilege or "
		    "log_bin_trust_function_creators = 1. Ask the database's "
		    "administrator (your host) to set log_bin_trust_function_creators "
		    "= 1 (SET GLOBAL, and in the server's configuration), or to "
		    "apply the schema with an account that has SUPER";
	case 1142:	/* ER_TABLEACCESS_DENIED_ERROR */
	case 1044:	/* ER_DBACCESS_DENIED_ERROR */
		return " -- migrations need the migration account (ALL PRIVILEGES "
		    "on partnerd's database), not the run-time one";
	default:
		return "";
	}
}

/* Run a whole file of statements; on failure say which statement. */
static int
run_file(MYSQL *my, const struct migration *m)
{
	int	 idx = 1, st;

	if (mysql_real_query(my, m->sql, strlen(m->sql)) != 0) {
		log_err("migrate: %s failed at statement %d: %s%s", m->name, idx,
		    mysql_error(my), failure_hint(mysql_errno(my)));
		return -1;
	}
	for (;;) {
		MYSQL_RES *res = mysql_store_result(my);

		if (res != NULL)
			mysql_free_result(res);
		if ((st = mysql_next_result(my)) == -1)
			return 0;
		idx++;
		if (st > 0) {
			log_err("migrate: %s failed at statement %d: %s%s", m->name,
			    idx, mysql_error(my), failure_hint(mysql_errno(my)));
			return -1;
		}
	}
}

int
migrate_run(const struct conf *c)
{
	return migrate_apply(c, migrations, nmigrations);
}

int
migrate_apply(const struct conf *c, const struct migration *list, size_t n)
{
	MYSQL	*my;
	char	 err[256];
	size_t	 i;
	long	 have;
	int	 rc = -1, applied = 0;

	/* The worker's own connection settings, strict sql_mode included. */
	if ((my = db_connect_conf(c, CLIENT_MULTI_STATEMENTS, err, sizeof(err))) == NULL) {
		log_err("migrate: cannot connect: %s", err);
		return -1;
	}
	{
		char	 msg[256];

		if (migrate_server_ok(mysql_get_server_info(my),
		    mysql_get_server_version(my), msg, sizeof(msg)) != 0) {
			log_err("migrate: %s", msg);
			goto out;
		}
	}
	if (mysql_real_query(my, mstmt_sql[MSTMT_CREATE_TABLE],
	    strlen(mstmt_sql[MSTMT_CREATE_TABLE])) != 0) {
		log_err("migrate: cannot create schema_migrations: %s",
		    mysql_error(my));
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct migration *m = &list[i];

		if ((have = mstmt_run(my, MSTMT_APPLIED, m->version, NULL)) < 0)
			goto out;
		if (have > 0)
			continue;
		/*
		 * No transaction: MariaDB commits DDL implicitly, so one would
		 * promise what it cannot keep. A file that fails is not
		 * recorded; its statements are written to run again (IF NOT
		 * EXISTS, OR REPLACE), so the next --migrate finishes it.
		 */
		if (run_file(my, m) != 0 ||
		    mstmt_run(my, MSTMT_RECORD, m->version, m->name) != 1) {
			log_err("migrate: %s was not applied", m->name);
			goto out;
		}
		log_info("migrate: applied %s", m->name);
		applied++;
	}
	log_info("migrate: schema is at version %u (%d applied now)",
	    n ? list[n - 1].version : 0, applied);
	rc = 0;
out:
	mysql_close(my);
	return rc;
}

int
migrate_server_ok(const char *info, unsigned long version, char *msg, size_t msgsz)
{
	if (info == NULL || strstr(info, "MariaDB") == NULL) {
		snprintf(msg, msgsz, "the server (%s) is not MariaDB: partnerd needs "
		    "%s or newer", info ? info : "unknown", SCHEMA_MIN_SERVER_NAME);
		return -1;
	}
	if (version < SCHEMA_MIN_SERVER) {
		snprintf(msg, msgsz, "MariaDB %lu.%lu.%lu is too old: partnerd needs "
		    "%s or newer (its UUID column type); ask for a newer server",
		    version / 10000, version / 100 % 100, version % 100,
		    SCHEMA_MIN_SERVER_NAME);
		return -1;
	}
	return 0;
}

void
migrate_print_schema(FILE *f)
{
	size_t	 i;

	fprintf(f, "-- partnerd's database schema, version %u: import it into an\n"
	    "-- empty database with the mariadb client or a control panel's SQL\n"
	    "-- import, as an account allowed to create tables and triggers.\n"
	    "-- Made by partnerd --print-schema; partnerd --migrate does the same.\n\n",
	    migrations_latest());
	/* As partnerd's own connections: UTC, utf8mb4. */
	fprintf(f, "SET NAMES utf8mb4;\nSET time_zone = '+00:00';\n\n");
	/* An old server stops here with a message rather than at the first
	 * UUID column with a syntax error. */
	fprintf(f, "DELIMITER $$\n"
	    "BEGIN NOT ATOMIC\n"
	    "  IF CAST(SUBSTRING_INDEX(VERSION(), '.', 1) AS UNSIGNED) * 10000 +\n"
	    "     CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(VERSION(), '.', 2), '.', -1) AS UNSIGNED) * 100\n"
	    "     < %d THEN\n"
	    "    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'partnerd needs %s or newer';\n"
	    "  END IF;\n"
	    "END$$\n"
	    "DELIMITER ;\n\n", SCHEMA_MIN_SERVER, SCHEMA_MIN_SERVER_NAME);
	fprintf(f, "%s;\n\n", mstmt_sql[MSTMT_CREATE_TABLE]);
	for (i = 0; i < nmigrations; i++) {
		fprintf(f, "-- ---- %s\n%s\n", migrations[i].name, migrations[i].text);
		/* The names are sql/NNN_name.sql file names: no quote in them. */
		fprintf(f, "INSERT IGNORE INTO schema_migrations (version, name) "
		    "VALUES (%u, '%s');\n\n", migrations[i].version, migrations[i].name);
	}
}
