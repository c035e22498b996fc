/*
 * h_admin_restore.c: POST /api/admin/users/:id/restore, an admin bringing
 * back a soft-deleted user (Immich's restoreUserAdmin): the account signs
 * in again, and its shares count again, with the library it had.
 */
#include "config.h"

#include <json-c/json.h>

#include "partnerd.h"
#include "db.h"
#include "handlers.h"
#include "users.h"

enum perr
h_admin_users_restore(struct ctx *ctx)
{
	struct dbv	 a[1] = { DBV_STR(ctx->params[0]) };
	uint64_t	 n = 0;
	int		 rc;

	if ((rc = db_exec(ctx->db, STMT_USER_RESTORE, a, 1, &n)) != DB_OK)
		return perr_from_db(rc);
	if (n == 0)
		return ctx_fail(ctx, PERR_BAD_REQUEST, "User not found or not deleted");
	return h_respond_user_stmt(ctx, STMT_USER_GET_ANY, ctx->params[0], 1, 200);
}
