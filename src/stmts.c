/*
 * stmts.c: the statement table. Each entry is prepared once per connection
 * at start-up (and after a reconnect), so a typo fails at once. Nothing else
 * in partnerd writes SQL.
 */
#include "config.h"

#include "stmts.h"

/* A DATETIME(3) as JavaScript's toISOString() writes it; NULL stays NULL. */
#define ISO(c) "CONCAT(LEFT(DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z')"

/* The user columns every user query returns, in enum ucol's order. */
#define USER_COLS \
	"u.id, u.name, u.email, u.profile_image_path, u.avatar_color, " \
	ISO("u.profile_changed_at") ", u.storage_label, " \
	"u.should_change_password, u.is_admin, " ISO("u.created_at") ", " \
	ISO("u.deleted_at") ", " ISO("u.updated_at") ", u.quota_size_bytes, " \
	"u.status"

#define APIKEY_COLS \
	"k.id, k.name, " ISO("k.created_at") ", " ISO("k.updated_at") ", " \
	"k.permissions"

const char *const stmt_sql[STMT__MAX] = {
	[STMT_SCHEMA_VERSION] =
	    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
	[STMT_SERVER_NOW] =
	    "SELECT CONCAT(LEFT(DATE_FORMAT(UTC_TIMESTAMP(3),"
	    " '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z')",
	[STMT_CONNECTION_ID] =
	    "SELECT CONNECTION_ID()",

	[STMT_USER_GET] =
	    "SELECT " USER_COLS " FROM users u WHERE u.id = ? AND u.deleted_at IS NULL",
	[STMT_USER_GET_ANY] =
	    "SELECT " USER_COLS " FROM users u WHERE u.id = ?",
	[STMT_USER_LIST] =
	    "SELECT " USER_COLS " FROM users u WHERE u.deleted_at IS NULL"
	    " ORDER BY u.created_at DESC, u.id",
	[STMT_USER_LIST_ADMIN] =	/* (withDeleted) */
	    "SELECT " USER_COLS " FROM users u WHERE (? = 1 OR u.deleted_at IS NULL)"
	    " ORDER BY u.created_at DESC, u.id",
	[STMT_USER_LOGIN] =	/* password hash first, then the user */
	    "SELECT u.password_hash, " USER_COLS " FROM users u"
	    " WHERE u.email = ? AND u.deleted_at IS NULL",
	[STMT_USER_EMAIL_TAKEN] =	/* deleted accounts keep their email */
	    "SELECT id FROM users WHERE email = ? AND id <> COALESCE(?, '00000000-0000-0000-0000-000000000000')",
	[STMT_USER_ADMIN_EXISTS] =
	    "SELECT id FROM users WHERE is_admin = 1 AND deleted_at IS NULL LIMIT 1",
	[STMT_USER_INSERT] =
	    "INSERT INTO users (id, email, name, password_hash, is_admin,"
	    " avatar_color, should_change_password, storage_label, quota_size_bytes)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_USER_UPDATE] =
	    /* NULL leaves a column; the nullable ones take a flag first */
	    "UPDATE users SET email = COALESCE(?, email), name = COALESCE(?, name),"
	    " password_hash = COALESCE(?, password_hash),"
	    " is_admin = COALESCE(?, is_admin),"
	    " should_change_password = COALESCE(?, should_change_password),"
	    " avatar_color = IF(? = 1, ?, avatar_color),"
	    " storage_label = IF(? = 1, ?, storage_label),"
	    " quota_size_bytes = IF(? = 1, ?, quota_size_bytes)"
	    " WHERE id = ? AND deleted_at IS NULL",
	[STMT_USER_SET_PASSWORD] =
	    "UPDATE users SET password_hash = ?, should_change_password = ?"
	    " WHERE id = ? AND deleted_at IS NULL",
	[STMT_USER_PASSWORD_HASH] =
	    "SELECT password_hash FROM users WHERE id = ? AND deleted_at IS NULL",
	[STMT_USER_REHASH] =	/* only if nobody changed it meanwhile */
	    "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?",
	[STMT_USER_SOFT_DELETE] =
	    "UPDATE users SET deleted_at = UTC_TIMESTAMP(3), status = 'deleted'"
	    " WHERE id = ? AND deleted_at IS NULL",

	[STMT_AUTH_SESSION] =
	    /* session id, user id, admin, touch due (last use over an hour ago) */
	    "SELECT s.id, u.id, u.is_admin,"
	    " s.last_used_at < UTC_TIMESTAMP(3) - INTERVAL 1 HOUR"
	    " FROM sessions s JOIN users u ON u.id = s.user_id AND u.deleted_at IS NULL"
	    " WHERE s.token_hash = ?"
	    " AND (s.expires_at IS NULL OR s.expires_at > UTC_TIMESTAMP(3))",
	[STMT_AUTH_APIKEY] =
	    "SELECT k.id, u.id, u.is_admin, k.permissions"
	    " FROM api_keys k JOIN users u ON u.id = k.user_id AND u.deleted_at IS NULL"
	    " WHERE k.key_hash = ?",
	[STMT_SESSION_INSERT] =
	    "INSERT INTO sessions (id, token_hash, user_id, device_type, device_os)"
	    " VALUES (?, ?, ?, ?, ?)",
	[STMT_SESSION_TOUCH] =
	    "UPDATE sessions SET last_used_at = UTC_TIMESTAMP(3) WHERE id = ?",
	[STMT_SESSION_DELETE] =
	    "DELETE FROM sessions WHERE id = ?",
	[STMT_SESSION_DELETE_OTHERS] =
	    "DELETE FROM sessions WHERE user_id = ? AND id <> COALESCE(?, '00000000-0000-0000-0000-000000000000')",
	[STMT_SESSION_DELETE_USER] =
	    "DELETE FROM sessions WHERE user_id = ?",
	[STMT_APIKEY_INSERT] =
	    "INSERT INTO api_keys (id, name, key_hash, user_id, permissions)"
	    " VALUES (?, ?, ?, ?, ?)",
	[STMT_APIKEY_GET] =
	    "SELECT " APIKEY_COLS " FROM api_keys k WHERE k.id = ? AND k.user_id = ?",
	[STMT_APIKEY_LIST] =
	    "SELECT " APIKEY_COLS " FROM api_keys k WHERE k.user_id = ?"
	    " ORDER BY k.created_at, k.id",
	[STMT_APIKEY_DELETE] =
	    "DELETE FROM api_keys WHERE id = ? AND user_id = ?",
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
