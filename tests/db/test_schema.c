/*
 * test_schema.c: the schema by the routes the README offers besides
 * partnerd --migrate: "partnerd --print-schema | mariadb" (what a control
 * panel's SQL import does), and the requirements the migrations check: the
 * server's version, and the privilege a binary log asks for.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "harness.h"
#include "db.h"
#include "migrations.h"

#define DB_MIGRATED	"partnerd_t_sch_m"
#define DB_IMPORTED	"partnerd_t_sch_i"
#define DB_HOSTED	"partnerd_t_sch_h"

static int
schema_init(void)
{
	return db_root_sql("DROP DATABASE IF EXISTS " DB_MIGRATED ";"
	    "DROP DATABASE IF EXISTS " DB_IMPORTED ";"
	    "DROP DATABASE IF EXISTS " DB_HOSTED ";"
	    "CREATE DATABASE " DB_MIGRATED " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
	    "CREATE DATABASE " DB_IMPORTED " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
	    "CREATE DATABASE " DB_HOSTED " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;");
}

static int
schema_clean(void)
{
	return db_root_sql("DROP DATABASE IF EXISTS " DB_MIGRATED ";"
	    "DROP DATABASE IF EXISTS " DB_IMPORTED ";"
	    "DROP DATABASE IF EXISTS " DB_HOSTED ";"
	    "DROP USER IF EXISTS 'partnerd_cp'@'localhost';"
	    "SET GLOBAL log_bin_trust_function_creators = 1;");
}

static int
exit_status(const char *cmd)
{
	int	 st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A digest of everything a schema defines, from information_schema. */
static void
schema_digest(const char *db, char *out, size_t outsz)
{
	char	 sql[2048];

	snprintf(sql, sizeof(sql), "SELECT MD5(CONCAT_WS('|',"
	    " (SELECT GROUP_CONCAT(CONCAT_WS(',', table_name, column_name, column_type,"
	    "   is_nullable, IFNULL(column_default, 'none'), column_comment)"
	    "   ORDER BY table_name, ordinal_position) FROM information_schema.columns"
	    "   WHERE table_schema = '%s'),"
	    " (SELECT GROUP_CONCAT(CONCAT_WS(',', table_name, index_name, seq_in_index, column_name)"
	    "   ORDER BY table_name, index_name, seq_in_index) FROM information_schema.statistics"
	    "   WHERE table_schema = '%s'),"
	    " (SELECT GROUP_CONCAT(CONCAT_WS(',', trigger_name, action_statement)"
	    "   ORDER BY trigger_name) FROM information_schema.triggers"
	    "   WHERE trigger_schema = '%s'),"
	    " (SELECT GROUP_CONCAT(CONCAT_WS(',', routine_name, routine_definition)"
	    "   ORDER BY routine_name) FROM information_schema.routines"
	    "   WHERE routine_schema = '%s'),"
	    " (SELECT GROUP_CONCAT(CONCAT_WS(',', version, name) ORDER BY version)"
	    "   FROM %s.schema_migrations)))", db, db, db, db, db);
	if (db_root_value(sql, out, outsz) != 0)
		out[0] = '\0';
}

static void
test_print_schema_imports_with_the_mariadb_client(void)
{
	struct conf	 c;
	struct db	*db;
	char		 cmd[2048], a[64], b[64];

	/* What a control panel's import does with the file. */
	snprintf(cmd, sizeof(cmd), "'%s/partnerd' --print-schema | "
	    "mariadb --no-defaults --socket='%s' -uroot " DB_IMPORTED,
	    test_env("PARTNERD_TEST_SBIN"), test_env("PARTNERD_TEST_DB_SOCKET"));
	CU_ASSERT_EQUAL_FATAL(exit_status(cmd), 0);
	/* The worker takes it as its own schema. */
	test_conf(&c, DB_IMPORTED);
	db = db_open(&c, migrations_latest());
	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_TRUE(db_ready(db));
	CU_ASSERT_FALSE(db_schema_mismatch(db));
	db_close(db);
	conf_free(&c);
	/* And it is the very schema --migrate makes. */
	test_conf(&c, DB_MIGRATED);
	CU_ASSERT_EQUAL_FATAL(migrate_run(&c), 0);
	conf_free(&c);
	schema_digest(DB_MIGRATED, a, sizeof(a));
	schema_digest(DB_IMPORTED, b, sizeof(b));
	CU_ASSERT_EQUAL(strlen(a), 32);
	CU_ASSERT_STRING_EQUAL(a, b);
}

/* A control panel's account (all rights on its database, no SUPER) on a
 * server with a binary log: the message names the setting to ask for. */
static void
test_migrate_under_binary_log_names_the_setting(void)
{
	char	 path[1024], cmd[4096];
	FILE	*f;
	int	 st;

	CU_ASSERT_EQUAL_FATAL(db_root_sql(
	    "CREATE OR REPLACE USER 'partnerd_cp'@'localhost' IDENTIFIED BY 'cp-pass-1';"
	    "GRANT ALL PRIVILEGES ON " DB_HOSTED ".* TO 'partnerd_cp'@'localhost';"
	    "SET GLOBAL log_bin_trust_function_creators = 0;"), 0);
	snprintf(path, sizeof(path), "%s/hosted.conf", test_env("PARTNERD_TEST_STATE"));
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "db_socket = %s\ndb_user = partnerd_cp\ndb_password = cp-pass-1\n"
	    "db_name = " DB_HOSTED "\n", test_env("PARTNERD_TEST_DB_SOCKET"));
	fclose(f);
	snprintf(cmd, sizeof(cmd), "'%s/partnerd' -c '%s' --migrate 2>&1 | "
	    "grep -q 'log_bin_trust_function_creators = 1'",
	    test_env("PARTNERD_TEST_SBIN"), path);
	CU_ASSERT_EQUAL(exit_status(cmd), 0);
	/* Once the host sets it, the same account succeeds. */
	CU_ASSERT_EQUAL_FATAL(db_root_sql("SET GLOBAL log_bin_trust_function_creators = 1;"), 0);
	snprintf(cmd, sizeof(cmd), "'%s/partnerd' -c '%s' --migrate >/dev/null 2>&1",
	    test_env("PARTNERD_TEST_SBIN"), path);
	st = exit_status(cmd);
	CU_ASSERT_EQUAL(st, 0);
}

static void
test_migrate_refuses_servers_older_than_the_schema_needs(void)
{
	char	 msg[256];

	CU_ASSERT_EQUAL(migrate_server_ok("10.6.16-MariaDB-0+deb12u1", 100616, msg,
	    sizeof(msg)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "MariaDB 10.6.16 is too old"));
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "MariaDB 10.7 or newer"));
	CU_ASSERT_EQUAL(migrate_server_ok("8.0.36", 80036, msg, sizeof(msg)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "is not MariaDB"));
	CU_ASSERT_EQUAL(migrate_server_ok("10.7.0-MariaDB", 100700, msg, sizeof(msg)), 0);
	CU_ASSERT_EQUAL(migrate_server_ok("10.11.6-MariaDB-0+deb12u1", 101106, msg,
	    sizeof(msg)), 0);
}

/* Does the worker with configuration conf exit 1 saying says? `timeout`
 * keeps a worker that wrongly starts serving from holding the suite. */
static int
worker_refuses(const char *conf, const char *says)
{
	char	 cmd[4096];

	snprintf(cmd, sizeof(cmd), "out=$(timeout 30 '%s/partnerd' -c '%s' 2>&1); "
	    "[ $? -eq 1 ] && printf '%%s' \"$out\" | grep -qF '%s'",
	    test_env("PARTNERD_TEST_SBIN"), conf, says);
	return exit_status(cmd) == 0;
}

/*
 * The worker starts only on the schema it was built for, and says what to
 * do: a database a newer partnerd migrated ("upgrade partnerd"), one an
 * upgrade has not migrated yet ("run partnerd --migrate").
 */
static void
test_worker_refuses_a_schema_it_does_not_know(void)
{
	struct conf	 c;
	char		 path[1024], sql[512], says[256];
	unsigned	 latest = migrations_latest();
	FILE		*f;

	test_conf(&c, DB_MIGRATED);
	CU_ASSERT_EQUAL_FATAL(migrate_run(&c), 0);
	conf_free(&c);
	snprintf(path, sizeof(path), "%s/unknown-schema.conf", test_env("PARTNERD_TEST_STATE"));
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "db_socket = %s\ndb_user = %s\ndb_password = %s\ndb_name = " DB_MIGRATED
	    "\nlisten = unix:%s/unknown-schema.sock\n", test_env("PARTNERD_TEST_DB_SOCKET"),
	    test_env("PARTNERD_TEST_DB_USER"), test_env("PARTNERD_TEST_DB_PASSWORD"),
	    test_env("PARTNERD_TEST_STATE"));
	fclose(f);
	/* A newer partnerd's migration is in the database. */
	snprintf(sql, sizeof(sql), "INSERT INTO " DB_MIGRATED ".schema_migrations (version, name)"
	    " VALUES (%u, 'from_a_newer_partnerd.sql')", latest + 1);
	CU_ASSERT_EQUAL_FATAL(db_root_sql(sql), 0);
	snprintf(says, sizeof(says), "schema version is %u, this partnerd needs %u: "
	    "upgrade partnerd", latest + 1, latest);
	CU_ASSERT_TRUE(worker_refuses(path, says));
	/* This partnerd's newest migration is not applied yet. */
	snprintf(sql, sizeof(sql), "DELETE FROM " DB_MIGRATED ".schema_migrations"
	    " WHERE version >= %u", latest);
	CU_ASSERT_EQUAL_FATAL(db_root_sql(sql), 0);
	snprintf(says, sizeof(says), "this partnerd needs %u: run partnerd --migrate", latest);
	CU_ASSERT_TRUE(worker_refuses(path, says));
}

void
suite_schema(void)
{
	CU_pSuite s = CU_add_suite("db: the schema by other routes", schema_init,
	    schema_clean);

	ADD_TEST(s, test_print_schema_imports_with_the_mariadb_client);
	ADD_TEST(s, test_migrate_under_binary_log_names_the_setting);
	ADD_TEST(s, test_migrate_refuses_servers_older_than_the_schema_needs);
	ADD_TEST(s, test_worker_refuses_a_schema_it_does_not_know);
}
