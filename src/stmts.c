/*
 * stmts.c: the statement table. Each entry is prepared once per connection
 * at start-up (and after a reconnect), so a typo fails at once. Nothing else
 * in partnerd writes SQL.
 */
#include "config.h"

#include "stmts.h"

const char *const stmt_sql[STMT__MAX] = {
	[STMT_SCHEMA_VERSION] =
	    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
	[STMT_SERVER_NOW] =
	    "SELECT CONCAT(LEFT(DATE_FORMAT(UTC_TIMESTAMP(3),"
	    " '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z')",
	[STMT_CONNECTION_ID] =
	    "SELECT CONNECTION_ID()",
};

const char *const mstmt_sql[MSTMT__MAX] = {
	[MSTMT_CREATE_TABLE] =
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version INT UNSIGNED NOT NULL PRIMARY KEY"
	    "  COMMENT 'number of the applied sql/NNN_*.sql file',"
	    " name VARCHAR(255) NOT NULL COMMENT 'file name, for people',"
	    " applied_at DATETIME(3) NOT NULL DEFAULT UTC_TIMESTAMP(3)"
	    "  COMMENT 'when it was applied, UTC'"
	    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
	    " COMMENT='migrations applied by partnerd --migrate'",
	[MSTMT_APPLIED] =
	    "SELECT version FROM schema_migrations WHERE version = ?",
	[MSTMT_RECORD] =
	    "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
};
