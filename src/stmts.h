/*
 * stmts.h: every SQL statement partnerd runs, by name. The text lives in
 * stmts.c, a parallel array sized by STMT__MAX, with '?' placeholders only.
 */
#ifndef STMTS_H
#define STMTS_H

enum stmt {
	STMT_SCHEMA_VERSION = 0,
	STMT_SERVER_NOW,
	STMT_CONNECTION_ID,
	/* users: the USER_COLS column order is enum ucol in users.h */
	STMT_USER_GET,
	STMT_USER_GET_ANY,
	STMT_USER_LIST,
	STMT_USER_LIST_ADMIN,
	STMT_USER_LOGIN,
	STMT_USER_EMAIL_TAKEN,
	STMT_USER_ADMIN_EXISTS,
	STMT_USER_INSERT,
	STMT_USER_UPDATE,
	STMT_USER_SET_PASSWORD,
	STMT_USER_PASSWORD_HASH,
	STMT_USER_REHASH,
	STMT_USER_SOFT_DELETE,
	/* sessions and API keys */
	STMT_AUTH_SESSION,
	STMT_AUTH_APIKEY,
	STMT_SESSION_INSERT,
	STMT_SESSION_TOUCH,
	STMT_SESSION_DELETE,
	STMT_SESSION_DELETE_OTHERS,
	STMT_SESSION_DELETE_USER,
	STMT_APIKEY_INSERT,
	STMT_APIKEY_GET,
	STMT_APIKEY_LIST,
	STMT_APIKEY_DELETE,
	STMT__MAX
};

extern const char *const stmt_sql[STMT__MAX];

/*
 * The migration runner's own statements: they manage the table of applied
 * migrations, which must exist before the main table can be checked.
 */
enum mstmt {
	MSTMT_CREATE_TABLE = 0,
	MSTMT_APPLIED,
	MSTMT_RECORD,
	MSTMT__MAX
};

extern const char *const mstmt_sql[MSTMT__MAX];

#endif
