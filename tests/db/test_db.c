/*
 * test_db.c: migrations and the connection layer against the real MariaDB
 * that check.sh started, in a throwaway schema of this suite's own.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "db.h"
#include "migrations.h"

#define DBNAME	"partnerd_t_db"

static struct conf	 conf;

static int
db_suite_init(void)
{
	test_conf(&conf, DBNAME);
	return db_root_sql("DROP DATABASE IF EXISTS " DBNAME ";"
	    "CREATE DATABASE " DBNAME " CHARACTER SET utf8mb4;");
}

static int
db_suite_clean(void)
{
	conf_free(&conf);
	return db_root_sql("DROP DATABASE IF EXISTS " DBNAME ";");
}

static void
test_migrate_applies_every_migration_once(void)
{
	struct db	*db;

	CU_ASSERT_EQUAL_FATAL(migrate_run(&conf), 0);
	CU_ASSERT_EQUAL(migrate_run(&conf), 0);	/* nothing left to do */
	db = db_open(&conf, migrations_latest());
	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_TRUE(db_ready(db));
	CU_ASSERT_EQUAL(db_schema_version(db), (long)migrations_latest());
	db_close(db);
}

static void
test_migrate_failure_is_not_recorded(void)
{
	static const struct migration bad[] = {
		{ 900, "900_ok.sql", "CREATE TABLE t900 (a INT);" },
		{ 901, "901_broken.sql",
		  "CREATE TABLE t901 (a INT); CREATE TABLE t901 (oops;" },
	};
	char		 v[32];
	struct db	*db;

	CU_ASSERT_EQUAL(migrate_apply(&conf, bad, 2), -1);
	/* 900 is recorded, 901 is not: the worker's schema check sees 900. */
	db = db_open(&conf, 900);
	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_TRUE(db_ready(db));
	CU_ASSERT_EQUAL(db_query_str(db, STMT_SCHEMA_VERSION, NULL, 0, v, sizeof(v)), DB_OK);
	CU_ASSERT_STRING_EQUAL(v, "900");
	db_close(db);
	CU_ASSERT_EQUAL(db_root_sql("USE " DBNAME "; DELETE FROM schema_migrations "
	    "WHERE version >= 900; DROP TABLE t900; DROP TABLE IF EXISTS t901;"), 0);
}

static void
test_db_refuses_a_schema_older_than_needed(void)
{
	struct db	*db = db_open(&conf, migrations_latest() + 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_FALSE(db_ready(db));
	CU_ASSERT_EQUAL(db_exec(db, STMT_SERVER_NOW, NULL, 0, NULL), DB_GONE);
	db_close(db);
}

static void
test_db_reconnects_after_connection_killed(void)
{
	struct db	*db = db_open(&conf, migrations_latest());
	char		 id[32], id2[32], sql[128], now[64];

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_EQUAL_FATAL(db_query_str(db, STMT_CONNECTION_ID, NULL, 0, id,
	    sizeof(id)), DB_OK);
	snprintf(sql, sizeof(sql), "KILL %s;", id);
	CU_ASSERT_EQUAL_FATAL(db_root_sql(sql), 0);
	/* The next statement finds the connection dead, reconnects, prepares
	 * the table again and retries once: the caller sees success. */
	CU_ASSERT_EQUAL(db_query_str(db, STMT_SERVER_NOW, NULL, 0, now,
	    sizeof(now)), DB_OK);
	CU_ASSERT_EQUAL(strlen(now), 24);
	CU_ASSERT_EQUAL(db_query_str(db, STMT_CONNECTION_ID, NULL, 0, id2,
	    sizeof(id2)), DB_OK);
	CU_ASSERT_STRING_NOT_EQUAL(id, id2);
	db_close(db);
}

static void
test_db_lost_transaction_is_not_retried(void)
{
	struct db	*db = db_open(&conf, migrations_latest());
	char		 id[32], sql[128], now[64];

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_EQUAL_FATAL(db_query_str(db, STMT_CONNECTION_ID, NULL, 0, id,
	    sizeof(id)), DB_OK);
	CU_ASSERT_EQUAL_FATAL(db_begin(db), DB_OK);
	snprintf(sql, sizeof(sql), "KILL %s;", id);
	CU_ASSERT_EQUAL_FATAL(db_root_sql(sql), 0);
	/* Inside a transaction the work is lost: no silent retry. */
	CU_ASSERT_EQUAL(db_query_str(db, STMT_SERVER_NOW, NULL, 0, now,
	    sizeof(now)), DB_GONE);
	db_rollback(db);
	/* Outside it, the next statement reconnects. */
	CU_ASSERT_EQUAL(db_query_str(db, STMT_SERVER_NOW, NULL, 0, now,
	    sizeof(now)), DB_OK);
	db_close(db);
}

static void
test_db_wrong_parameter_count_is_error(void)
{
	struct db	*db = db_open(&conf, migrations_latest());
	struct dbv	 arg = DBV_INT(1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_EQUAL(db_exec(db, STMT_SERVER_NOW, &arg, 1, NULL), DB_ERROR);
	db_close(db);
}

void
suite_db(void)
{
	CU_pSuite s = CU_add_suite("db: migrations and connection", db_suite_init,
	    db_suite_clean);

	ADD_TEST(s, test_migrate_applies_every_migration_once);
	ADD_TEST(s, test_migrate_failure_is_not_recorded);
	ADD_TEST(s, test_db_refuses_a_schema_older_than_needed);
	ADD_TEST(s, test_db_reconnects_after_connection_killed);
	ADD_TEST(s, test_db_lost_transaction_is_not_retried);
	ADD_TEST(s, test_db_wrong_parameter_count_is_error);
}
