/*
 * h_sessions.c: /api/sessions, my sign-ins as Immich lists them (the
 * account settings' "Authorized devices"): list, sign one out, sign out
 * all but the one asking. Only my own sessions are ever seen or ended;
 * tokens are never shown (only their hash is stored).
 */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "partnerd.h"
#include "db.h"
#include "handlers.h"
#include "users.h"

struct session_rows {
	struct json_object	*arr;
	const char		*current;	/* the asking session's id, or "" */
};

/* SessionResponseDto from a row of STMT_SESSION_LIST. */
static int
session_row(void *arg, const struct db_row *row)
{
	struct session_rows	*s = arg;
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(row->val[0]));
	json_object_object_add(o, "createdAt", json_object_new_string(row->val[1]));
	json_object_object_add(o, "updatedAt", json_object_new_string(row->val[2]));
	if (row->val[3] != NULL)
		json_object_object_add(o, "expiresAt", json_object_new_string(row->val[3]));
	json_object_object_add(o, "current", json_object_new_boolean(
	    s->current[0] != '\0' && strcmp(s->current, row->val[0]) == 0));
	json_object_object_add(o, "deviceType", json_object_new_string(row->val[4] ? row->val[4] : ""));
	json_object_object_add(o, "deviceOS", json_object_new_string(row->val[5] ? row->val[5] : ""));
	json_object_object_add(o, "appVersion", NULL);
	json_object_object_add(o, "isPendingSyncReset", json_object_new_boolean(0));
	return json_object_array_add(s->arr, o);
}

enum perr
h_sessions_list(struct ctx *ctx)
{
	struct session_rows	 s = { json_object_new_array(), ctx->session_id };
	struct dbv		 a[1] = { DBV_STR(ctx->user_id) };
	int			 rc;

	rc = db_query(ctx->db, STMT_SESSION_LIST, a, 1, session_row, &s);
	if (db_failed(rc)) {
		json_object_put(s.arr);
		return perr_from_db(rc);
	}
	return resp_json(ctx->resp, 200, s.arr) ? PERR_INTERNAL : PERR_NONE;
}

/*
 * Delete the caller's own row params[0] with s (bound: id, user id); no
 * such row of theirs answers 400 with not_found, as Immich does for
 * sessions and API keys alike.
 */
enum perr
h_delete_mine(struct ctx *ctx, enum stmt s, const char *not_found)
{
	struct dbv	 a[2] = { DBV_STR(ctx->params[0]), DBV_STR(ctx->user_id) };
	uint64_t	 n = 0;
	int		 rc;

	if ((rc = db_exec(ctx->db, s, a, 2, &n)) != DB_OK)
		return perr_from_db(rc);
	if (n == 0)
		return ctx_fail(ctx, PERR_BAD_REQUEST, "%s", not_found);
	ctx->resp->status = 204;
	return PERR_NONE;
}

/* DELETE /api/sessions/:id: one of mine; anyone else's is not found. */
enum perr
h_sessions_delete(struct ctx *ctx)
{
	return h_delete_mine(ctx, STMT_SESSION_DELETE_MINE, "Not found or no session.delete access");
}

/* DELETE /api/sessions: every session of mine but the one asking. */
enum perr
h_sessions_delete_others(struct ctx *ctx)
{
	struct dbv	 a[2] = { DBV_STR(ctx->user_id),
			    DBV_OPTSTR(ctx->session_id[0] ? ctx->session_id : NULL) };
	int		 rc;

	if ((rc = db_exec(ctx->db, STMT_SESSION_DELETE_OTHERS, a, 2, NULL)) != DB_OK)
		return perr_from_db(rc);
	ctx->resp->status = 204;
	return PERR_NONE;
}
