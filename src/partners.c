/* partners.c: see partners.h. */
#include "config.h"

#include <stdint.h>
#include <strings.h>

#include "partnerd.h"
#include "db.h"
#include "partners.h"
#include "users.h"

enum perr
partner_share(struct db *db, const char *by, const char *with_id, const char *start,
    const char **msg)
{
	struct dbv	 a[3] = { DBV_STR(by), DBV_STR(with_id), DBV_OPTSTR(start) };
	int		 rc;

	*msg = NULL;
	/* partnerd is stricter than Immich, which stores a share with oneself. */
	if (strcasecmp(by, with_id) == 0) {
		*msg = "Cannot share with yourself";
		return PERR_BAD_REQUEST;
	}
	rc = db_query(db, STMT_PARTNER_EXISTS, a, 2, NULL, NULL);
	if (rc == DB_OK) {
		*msg = "Partner already exists";
		return PERR_BAD_REQUEST;
	}
	if (rc != DB_NOTFOUND)
		return perr_from_db(rc);
	/* Unknown and soft-deleted users alike (Immich 3.1 answers 500). */
	a[0] = DBV_STR(with_id);
	rc = db_query(db, STMT_USER_GET, a, 1, NULL, NULL);
	if (rc == DB_NOTFOUND) {
		*msg = "Invalid user";
		return PERR_BAD_REQUEST;
	}
	if (rc != DB_OK)
		return perr_from_db(rc);
	a[0] = DBV_STR(by);
	rc = db_exec(db, STMT_PARTNER_INSERT, a, 3, NULL);
	if (rc == DB_CONFLICT) {
		/* A share left over with a user deleted and restored, or a race. */
		*msg = "Partner already exists";
		return PERR_BAD_REQUEST;
	}
	return rc == DB_OK ? PERR_NONE : perr_from_db(rc);
}

/* Set one column of the share sharer -> recipient with stmt (value,
 * sharer, recipient); 400 "Partner not found" when there is no such share
 * between live users (an UPDATE that changes nothing reports no row, so
 * existence is asked first). */
static enum perr
share_set(struct db *db, enum stmt stmt, struct dbv value, const char *sharer,
    const char *recipient, const char **msg)
{
	struct dbv	 a[3] = { DBV_STR(sharer), DBV_STR(recipient), DBV_NULL };
	int		 rc;

	*msg = NULL;
	rc = db_query(db, STMT_PARTNER_EXISTS, a, 2, NULL, NULL);
	if (rc == DB_NOTFOUND) {
		*msg = "Partner not found";
		return PERR_BAD_REQUEST;
	}
	if (rc != DB_OK)
		return perr_from_db(rc);
	a[0] = value;
	a[1] = DBV_STR(sharer);
	a[2] = DBV_STR(recipient);
	rc = db_exec(db, stmt, a, 3, NULL);
	return rc == DB_OK ? PERR_NONE : perr_from_db(rc);
}

enum perr
partner_set_timeline(struct db *db, const char *sharer, const char *me, int on,
    const char **msg)
{
	/* The recipient's choice, on the share with me. */
	return share_set(db, STMT_PARTNER_UPDATE, DBV_INT(on != 0), sharer, me, msg);
}

enum perr
partner_set_start(struct db *db, const char *by, const char *with_id, const char *start,
    const char **msg)
{
	/* The sharer's choice, on by's own share. */
	return share_set(db, STMT_PARTNER_SET_START, DBV_OPTSTR(start), by, with_id, msg);
}

/* Delete the one share (by, with) with stmt; 400 "Partner not found". */
static enum perr
share_end(struct db *db, enum stmt stmt, const char *by, const char *with_id,
    const char **msg)
{
	struct dbv	 a[2] = { DBV_STR(by), DBV_STR(with_id) };
	uint64_t	 n = 0;
	int		 rc;

	*msg = NULL;
	if ((rc = db_exec(db, stmt, a, 2, &n)) != DB_OK)
		return perr_from_db(rc);
	if (n == 0) {
		*msg = "Partner not found";
		return PERR_BAD_REQUEST;
	}
	return PERR_NONE;
}

enum perr
partner_remove(struct db *db, const char *by, const char *with_id, const char **msg)
{
	/* Only by's own sharing: a share with by is not theirs to end here. */
	return share_end(db, STMT_PARTNER_DELETE, by, with_id, msg);
}

enum perr
partner_leave(struct db *db, const char *me, const char *sharer, const char **msg)
{
	/* Only a share with me: the recipient's side of the same row. */
	return share_end(db, STMT_PARTNER_LEAVE, sharer, me, msg);
}
