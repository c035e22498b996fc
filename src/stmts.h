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
