/* h_admin_users.c: /api/admin/users: accounts as an administrator sees them. */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "partnerd.h"
#include "db.h"
#include "handlers.h"
#include "users.h"
#include "valid.h"

/* POST /api/admin/users and PUT /api/admin/users/:id */
struct in_admin_user {
	const char	*email, *password, *name;
	int		 avatar_color;	/* index into avatar_colors, or VE_UNSET */
	int		 avatar_set;	/* present, even as null */
	int		 should_change_password, is_admin;	/* or VB_UNSET */
	const char	*storage_label;
	int		 storage_label_set;
	int64_t		 quota;
	int		 quota_set, quota_null;	/* present; null */
	const char	*pin_code;
	int		 notify;	/* create only; accepted */
};
#define ADMIN_USER_FIELDS(req) \
	{ .name = "email", .type = VT_EMAIL, .required = req, .max = 255, \
	    VF_AT(struct in_admin_user, email) }, \
	{ .name = "password", .type = VT_STRING, .required = req, .max = 1024, \
	    .min = 1, VF_AT(struct in_admin_user, password) }, \
	{ .name = "name", .type = VT_STRING, .required = req, .max = 255, \
	    VF_AT(struct in_admin_user, name) }, \
	{ .name = "avatarColor", .type = VT_ENUM, .choices = avatar_colors, \
	    .nullable = 1, VF_AT(struct in_admin_user, avatar_color), \
	    VF_SET(struct in_admin_user, avatar_set) }, \
	{ .name = "shouldChangePassword", .type = VT_BOOL, \
	    VF_AT(struct in_admin_user, should_change_password) }, \
	{ .name = "isAdmin", .type = VT_BOOL, \
	    VF_AT(struct in_admin_user, is_admin) }, \
	{ .name = "storageLabel", .type = VT_STRING, .max = 255, .nullable = 1, \
	    VF_AT(struct in_admin_user, storage_label), \
	    VF_SET(struct in_admin_user, storage_label_set) }, \
	{ .name = "quotaSizeInBytes", .type = VT_INT, .nullable = 1, \
	    VF_AT(struct in_admin_user, quota), \
	    VF_SET(struct in_admin_user, quota_set), \
	    VF_NULL(struct in_admin_user, quota_null) }, \
	{ .name = "pinCode", .type = VT_STRING, .max = 6, .min = 6, .nullable = 1, \
	    VF_AT(struct in_admin_user, pin_code) }

const struct vfield spec_admin_user_create[] = {
	ADMIN_USER_FIELDS(1),
	{ .name = "notify", .type = VT_BOOL, VF_AT(struct in_admin_user, notify) },
	VF_END(struct in_admin_user),
};

const struct vfield spec_admin_user_update[] = {
	ADMIN_USER_FIELDS(0),
	VF_END(struct in_admin_user),
};

/* DELETE /api/admin/users/:id */
struct in_admin_user_delete {
	int		 force;	/* or VB_UNSET */
};
const struct vfield spec_admin_user_delete[] = {
	{ .name = "force", .type = VT_BOOL, VF_AT(struct in_admin_user_delete, force) },
	VF_END(struct in_admin_user_delete),
};

/* GET /api/admin/users */
struct in_admin_user_search {
	const char	*id;
	int		 with_deleted;	/* or VB_UNSET */
};
const struct vfield spec_admin_user_search[] = {
	{ .name = "id", .type = VT_UUID, VF_AT(struct in_admin_user_search, id) },
	{ .name = "withDeleted", .type = VT_BOOL,
	    VF_AT(struct in_admin_user_search, with_deleted) },
	VF_END(struct in_admin_user_search),
};

/* Fill a user_input from an admin create/update body. */
static void
admin_input(struct ctx *ctx, struct user_input *in)
{
	const struct in_admin_user	*b = ctx->in;

	in->email = b->email;
	in->password = b->password;
	in->name = b->name;
	if (b->is_admin != VB_UNSET)
		in->is_admin = b->is_admin;
	if (b->should_change_password != VB_UNSET)
		in->should_change_password = b->should_change_password;
	if ((in->avatar_set = b->avatar_set))
		in->avatar_color = b->avatar_color == VE_UNSET ? NULL :
		    avatar_colors[b->avatar_color];
	if ((in->storage_label_set = b->storage_label_set))
		in->storage_label = b->storage_label;
	if ((in->quota_set = b->quota_set)) {
		in->quota_null = b->quota_null;
		in->quota = b->quota;
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
	const struct in_admin_user_search *q = ctx->in;
	const char		*id = q->id;
	int			 with_deleted = q->with_deleted == 1;
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
