/* partners.c: see partners.h. */
#include "config.h"

#include <strings.h>

#include "partnerd.h"
#include "db.h"
#include "partners.h"
#include "users.h"

enum perr
partner_share(struct db *db, const char *by, const char *with_id, const char **msg)
{
	struct dbv	 a[2] = { DBV_STR(by), DBV_STR(with_id) };
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
	rc = db_exec(db, STMT_PARTNER_INSERT, a, 2, NULL);
	if (rc == DB_CONFLICT) {
		/* A share left over with a user deleted and restored, or a race. */
		*msg = "Partner already exists";
		return PERR_BAD_REQUEST;
	}
	return rc == DB_OK ? PERR_NONE : perr_from_db(rc);
}

enum perr
partner_set_timeline(struct db *db, const char *sharer, const char *me, int on)
{
	struct dbv	 a[3] = { DBV_INT(on != 0), DBV_STR(sharer), DBV_STR(me) };
	int		 rc;

	rc = db_exec(db, STMT_PARTNER_UPDATE, a, 3, NULL);
	return rc == DB_OK ? PERR_NONE : perr_from_db(rc);
}
