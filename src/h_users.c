/* h_users.c: /api/users: me, the user list and one user. */
#include "config.h"

#include <json-c/json.h>

#include "partnerd.h"
#include "db.h"
#include "handlers.h"
#include "users.h"
#include "valid.h"

/*
 * "password" stays in the spec only to be refused with a clear message:
 * an API key with user.update must not take over the account. The email
 * (where password resets would go) changes only with currentPassword.
 */
struct in_update_me {
	const char	*email, *password, *current_password, *name;
	int		 password_set;	/* present, even as null */
	int		 avatar_color;	/* index into avatar_colors, or VE_UNSET */
	int		 avatar_set;	/* present, even as null (the default) */
};
const struct vfield spec_update_me[] = {
	{ .name = "email", .type = VT_EMAIL, .max = 255,
	    VF_AT(struct in_update_me, email) },
	{ .name = "password", .type = VT_STRING, .max = 1024, .min = 1,
	    VF_AT(struct in_update_me, password),
	    VF_SET(struct in_update_me, password_set) },
	{ .name = "currentPassword", .type = VT_STRING, .max = 1024, .min = 1,
	    VF_AT(struct in_update_me, current_password) },
	{ .name = "name", .type = VT_STRING, .max = 255, .min = 1,
	    VF_AT(struct in_update_me, name) },
	{ .name = "avatarColor", .type = VT_ENUM, .choices = avatar_colors,
	    .nullable = 1, VF_AT(struct in_update_me, avatar_color),
	    VF_SET(struct in_update_me, avatar_set) },
	VF_END(struct in_update_me),
};

struct one_user {
	struct json_object	*dto;
	int			 admin;
};

static int
one_user_row(void *arg, const struct db_row *row)
{
	struct one_user	*u = arg;

	if (u->dto == NULL)
		u->dto = dto_user(row, 0, u->admin);
	return 0;
}

enum perr
h_respond_user_stmt(struct ctx *ctx, enum stmt s, const char *id, int admin,
    int status)
{
	struct one_user	 u = { NULL, admin };
	struct dbv	 a[1] = { DBV_STR(id) };
	int		 rc;

	rc = db_query(ctx->db, s, a, 1, one_user_row, &u);
	if (rc == DB_NOTFOUND)
		return ctx_fail(ctx, PERR_BAD_REQUEST, "User not found");
	if (rc != DB_OK)
		return perr_from_db(rc);
	return resp_json(ctx->resp, status, u.dto) ? PERR_INTERNAL : PERR_NONE;
}

enum perr
h_respond_user(struct ctx *ctx, const char *id, int admin, int status)
{
	return h_respond_user_stmt(ctx, STMT_USER_GET, id, admin, status);
}

enum perr
h_users_me(struct ctx *ctx)
{
	return h_respond_user(ctx, ctx->user_id, 1, 200);
}

enum perr
h_users_update_me(struct ctx *ctx)
{
	const struct in_update_me *b = ctx->in;
	struct user_input	 in = USER_INPUT_INIT;
	const char		*msg;
	enum perr		 e;

	if (b->password_set)
		return ctx_fail(ctx, PERR_BAD_REQUEST, "Change the password with "
		    "POST /api/auth/change-password and the current password");
	in.email = b->email;
	if (in.email != NULL && (e = user_password_check(ctx->db, ctx->user_id,
	    b->current_password, &msg)) != PERR_NONE)
		return msg ? ctx_fail(ctx, e, "Changing the email needs the "
		    "current password (currentPassword)") : e;
	in.name = b->name;
	if ((in.avatar_set = b->avatar_set))
		in.avatar_color = b->avatar_color == VE_UNSET ? NULL :
		    avatar_colors[b->avatar_color];
	if ((e = user_update(ctx->db, ctx->user_id, &in, &msg)) != PERR_NONE)
		return msg ? ctx_fail(ctx, e, "%s", msg) : e;
	return h_respond_user(ctx, ctx->user_id, 1, 200);
}

enum perr
h_users_list(struct ctx *ctx)
{
	struct user_list	 l = { json_object_new_array(), 0 };
	int			 rc;

	rc = db_query(ctx->db, STMT_USER_LIST, NULL, 0, user_list_row, &l);
	if (db_failed(rc)) {
		json_object_put(l.arr);
		return perr_from_db(rc);
	}
	return resp_json(ctx->resp, 200, l.arr) ? PERR_INTERNAL : PERR_NONE;
}

enum perr
h_users_get(struct ctx *ctx)
{
	return h_respond_user(ctx, ctx->params[0], 0, 200);
}
