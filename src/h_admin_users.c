/* h_admin_users.c: /api/admin/users: accounts as an administrator sees them. */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "partnerd.h"
#include "db.h"
#include "handlers.h"
#include "users.h"
#include "valid.h"

#define ADMIN_USER_FIELDS(required) \
	{ "email", VT_EMAIL, required, 255, NULL, 0, 0 }, \
	{ "password", VT_STRING, required, 1024, NULL, 1, 0 }, \
	{ "name", VT_STRING, required, 255, NULL, 0, 0 }, \
	{ "avatarColor", VT_ENUM, 0, 0, avatar_colors, 0, 1 }, \
	{ "shouldChangePassword", VT_BOOL, 0, 0, NULL, 0, 0 }, \
	{ "isAdmin", VT_BOOL, 0, 0, NULL, 0, 0 }, \
	{ "storageLabel", VT_STRING, 0, 255, NULL, 0, 1 }, \
	{ "quotaSizeInBytes", VT_INT, 0, 0, NULL, 0, 1 }, \
	{ "pinCode", VT_STRING, 0, 6, NULL, 6, 1 }

const struct vfield spec_admin_user_create[] = {
	ADMIN_USER_FIELDS(1),
	{ "notify", VT_BOOL, 0, 0, NULL, 0, 0 },
	{ NULL, 0, 0, 0, NULL, 0, 0 },
};

const struct vfield spec_admin_user_update[] = {
	ADMIN_USER_FIELDS(0),
	{ NULL, 0, 0, 0, NULL, 0, 0 },
};

const struct vfield spec_admin_user_delete[] = {
	{ "force", VT_BOOL, 0, 0, NULL, 0, 0 },
	{ NULL, 0, 0, 0, NULL, 0, 0 },
};

const struct vfield spec_admin_user_search[] = {
	{ "id", VT_UUID, 0, 0, NULL, 0, 0 },
	{ "withDeleted", VT_BOOL, 0, 0, NULL, 0, 0 },
	{ NULL, 0, 0, 0, NULL, 0, 0 },
};

/* Fill a user_input from an admin create/update body. */
static void
admin_input(struct ctx *ctx, struct user_input *in)
{
	struct json_object	*b = ctx->body, *q;

	in->email = valid_get_str(b, "email");
	in->password = valid_get_str(b, "password");
	in->name = valid_get_str(b, "name");
	if (valid_has(b, "isAdmin"))
		in->is_admin = valid_get_bool(b, "isAdmin", 0);
	if (valid_has(b, "shouldChangePassword"))
		in->should_change_password = valid_get_bool(b, "shouldChangePassword", 1);
	if ((in->avatar_set = valid_has(b, "avatarColor")))
		in->avatar_color = valid_get_str(b, "avatarColor");
	if ((in->storage_label_set = valid_has(b, "storageLabel")))
		in->storage_label = valid_get_str(b, "storageLabel");
	if ((in->quota_set = valid_has(b, "quotaSizeInBytes"))) {
		json_object_object_get_ex(b, "quotaSizeInBytes", &q);
		in->quota_null = q == NULL;
		in->quota = q ? json_object_get_int64(q) : 0;
	}
}

enum perr
h_admin_users_create(struct ctx *ctx)
{
	struct user_input	 in = USER_INPUT_INIT;
	const char		*msg;
	char			 id[37];
	enum perr		 e;

	admin_input(ctx, &in);
	if ((e = user_create(ctx->db, &in, id, &msg)) != PERR_NONE)
		return msg ? ctx_fail(ctx, e, "%s", msg) : e;
	return h_respond_user(ctx, id, 1, 201);
}

enum perr
h_admin_users_list(struct ctx *ctx)
{
	struct user_list	 l = { NULL, 1 };
	const char		*id = valid_get_str(ctx->qs, "id");
	int			 with_deleted = valid_get_bool(ctx->qs, "withDeleted", 0);
	struct dbv		 a[1];
	int			 rc;

	l.arr = json_object_new_array();
	if (id != NULL) {
		a[0] = DBV_STR(id);
		rc = db_query(ctx->db, with_deleted ? STMT_USER_GET_ANY :
		    STMT_USER_GET, a, 1, user_list_row, &l);
	} else {
		a[0] = DBV_INT(with_deleted);
		rc = db_query(ctx->db, STMT_USER_LIST_ADMIN, a, 1, user_list_row, &l);
	}
	if (db_failed(rc)) {
		json_object_put(l.arr);
		return perr_from_db(rc);
	}
	return resp_json(ctx->resp, 200, l.arr) ? PERR_INTERNAL : PERR_NONE;
}

enum perr
h_admin_users_get(struct ctx *ctx)
{
	return h_respond_user_stmt(ctx, STMT_USER_GET_ANY, ctx->params[0], 1, 200);
}

enum perr
h_admin_users_update(struct ctx *ctx)
{
	struct user_input	 in = USER_INPUT_INIT;
	const char		*msg;
	enum perr		 e;

	admin_input(ctx, &in);
	/* A reset password signs the user out everywhere (the admin: elsewhere). */
	if (strcmp(ctx->params[0], ctx->user_id) == 0 && ctx->session_id[0])
		in.keep_session = ctx->session_id;
	/* An admin cannot lock the server out by demoting themself. */
	if (strcmp(ctx->params[0], ctx->user_id) == 0 && in.is_admin == 0)
		return ctx_fail(ctx, PERR_BAD_REQUEST,
		    "Admin cannot remove admin status from self");
	if ((e = user_update(ctx->db, ctx->params[0], &in, &msg)) != PERR_NONE)
		return msg ? ctx_fail(ctx, e, "%s", msg) : e;
	return h_respond_user(ctx, ctx->params[0], 1, 200);
}

struct is_admin_row {
	int	 found, admin;
};

static int
is_admin_row(void *arg, const struct db_row *row)
{
	struct is_admin_row	*r = arg;

	r->found = 1;
	r->admin = row->val[UC_IS_ADMIN][0] == '1';
	return 0;
}

enum perr
h_admin_users_delete(struct ctx *ctx)
{
	struct is_admin_row	 r = { 0, 0 };
	struct dbv		 a[1] = { DBV_STR(ctx->params[0]) };
	const char		*msg;
	enum perr		 e;
	int			 rc;

	rc = db_query(ctx->db, STMT_USER_GET, a, 1, is_admin_row, &r);
	if (rc == DB_NOTFOUND)
		return ctx_fail(ctx, PERR_BAD_REQUEST, "User not found");
	if (rc != DB_OK)
		return perr_from_db(rc);
	if (r.admin)
		return ctx_fail(ctx, PERR_FORBIDDEN, "Cannot delete admin user");
	if ((e = user_soft_delete(ctx->db, ctx->params[0], &msg)) != PERR_NONE)
		return msg ? ctx_fail(ctx, e, "%s", msg) : e;
	return h_respond_user_stmt(ctx, STMT_USER_GET_ANY, ctx->params[0], 1, 200);
}
