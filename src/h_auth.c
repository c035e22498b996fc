/*
 * h_auth.c: /api/auth: admin sign-up, login, logout, token check and
 * password change.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <sodium.h>

#include "partnerd.h"
#include "auth.h"
#include "crypto.h"
#include "db.h"
#include "handlers.h"
#include "users.h"
#include "valid.h"

/* POST /api/auth/admin-sign-up */
struct in_sign_up {
	const char	*email, *password, *name;
};
const struct vfield spec_sign_up[] = {
	{ .name = "email", .type = VT_EMAIL, .required = 1, .max = 255,
	    VF_AT(struct in_sign_up, email) },
	{ .name = "password", .type = VT_STRING, .required = 1, .max = 1024, .min = 1,
	    VF_AT(struct in_sign_up, password) },
	{ .name = "name", .type = VT_STRING, .required = 1, .max = 255,
	    VF_AT(struct in_sign_up, name) },
	VF_END(struct in_sign_up),
};

/* POST /api/auth/login */
struct in_login {
	const char	*email, *password;
};
const struct vfield spec_login[] = {
	{ .name = "email", .type = VT_EMAIL, .required = 1, .max = 255,
	    VF_AT(struct in_login, email) },
	{ .name = "password", .type = VT_STRING, .required = 1, .max = 1024,
	    VF_AT(struct in_login, password) },
	VF_END(struct in_login),
};

/* POST /api/auth/change-password */
struct in_change_password {
	const char	*password, *new_password;
	int		 invalidate_sessions;	/* accepted; see below */
};
const struct vfield spec_change_password[] = {
	{ .name = "password", .type = VT_STRING, .required = 1, .max = 1024,
	    VF_AT(struct in_change_password, password) },
	{ .name = "newPassword", .type = VT_STRING, .required = 1, .max = 1024,
	    .min = USER_PASSWORD_MIN, VF_AT(struct in_change_password, new_password) },
	{ .name = "invalidateSessions", .type = VT_BOOL,
	    VF_AT(struct in_change_password, invalidate_sessions) },
	VF_END(struct in_change_password),
};

enum perr
h_auth_admin_sign_up(struct ctx *ctx)
{
	const struct in_sign_up	*b = ctx->in;
	struct user_input	 in = USER_INPUT_INIT;
	const char		*msg;
	char			 id[64];
	enum perr		 e;
	int			 rc;

	rc = db_query_str(ctx->db, STMT_USER_ADMIN_EXISTS, NULL, 0, id, sizeof(id));
	if (rc == DB_OK)
		return ctx_fail(ctx, PERR_BAD_REQUEST, "The server already has an admin");
	if (rc != DB_NOTFOUND)
		return perr_from_db(rc);
	in.email = b->email;
	in.password = b->password;
	in.name = b->name;
	in.is_admin = 1;
	in.should_change_password = 0;
	/* The unique "admin" label also stops two concurrent sign-ups. */
	in.storage_label_set = 1;
	in.storage_label = "admin";
	if ((e = user_create(ctx->db, &in, id, &msg)) != PERR_NONE) {
		if (msg != NULL && strncmp(msg, "Storage", 7) == 0)
			msg = "The server already has an admin";
		return msg ? ctx_fail(ctx, e, "%s", msg) : e;
	}
	return h_respond_user(ctx, id, 1, 201);
}

struct login {
	char			 hash[PASSWORD_HASH_MAX];
	char			 id[37];
	struct json_object	*user;
};

static int
login_row(void *arg, const struct db_row *row)
{
	struct login	*l = arg;

	snprintf(l->hash, sizeof(l->hash), "%s", row->val[0]);
	snprintf(l->id, sizeof(l->id), "%s", row->val[1 + UC_ID]);
	l->user = dto_user(row, 1, 1);
	return 0;
}

/* Copy a JSON field of the user DTO into the login response. */
static void
copy_field(struct json_object *to, const char *to_key, struct json_object *from,
    const char *key)
{
	struct json_object	*v = NULL;

	json_object_object_get_ex(from, key, &v);
	json_object_object_add(to, to_key, json_object_get(v));
}

enum perr
h_auth_login(struct ctx *ctx)
{
	const struct in_login	*b = ctx->in;
	const char		*pw = b->password;
	const char		*ua = req_param(ctx->req, "HTTP_USER_AGENT");
	unsigned char		 th[TOKEN_HASH_LEN];
	char			 email[256], token[TOKEN_MAX], sid[37], ua_s[256];
	char			 newhash[PASSWORD_HASH_MAX];
	struct login		 l;
	struct json_object	*o;
	struct dbv		 a[5];
	int			 rc, rehash = 0, ok;

	memset(&l, 0, sizeof(l));
	snprintf(email, sizeof(email), "%s", b->email);
	email_normalise(email);
	a[0] = DBV_STR(email);
	rc = db_query(ctx->db, STMT_USER_LOGIN, a, 1, login_row, &l);
	if (db_failed(rc))
		return perr_from_db(rc);
	if (rc == DB_NOTFOUND) {
		/* The same work and the same answer as a wrong password. */
		password_dummy_verify(pw);
		ok = 0;
	} else
		ok = password_verify(l.hash, pw, &rehash);
	if (!ok) {
		if (l.user != NULL)
			json_object_put(l.user);
		sodium_memzero(l.hash, sizeof(l.hash));
		return ctx_fail(ctx, PERR_UNAUTHENTICATED, "Incorrect email or password");
	}
	/* Imported bcrypt or older parameters: upgrade to Argon2id now. */
	if (rehash && password_hash(pw, newhash) == 0) {
		a[0] = DBV_STR(newhash);
		a[1] = DBV_STR(l.id);
		a[2] = DBV_STR(l.hash);
		(void)db_exec(ctx->db, STMT_USER_REHASH, a, 3, NULL);
		sodium_memzero(newhash, sizeof(newhash));
	}
	sodium_memzero(l.hash, sizeof(l.hash));

	token_new(token);
	token_hash(token, th);
	uuid_v4(sid);
	snprintf(ua_s, sizeof(ua_s), "%s", ua ? ua : "");
	a[0] = DBV_STR(sid);
	a[1] = DBV_BLOB(th, sizeof(th));
	a[2] = DBV_STR(l.id);
	a[3] = DBV_STR(ua_s);
	a[4] = DBV_STR("");
	if ((rc = db_exec(ctx->db, STMT_SESSION_INSERT, a, 5, NULL)) != DB_OK) {
		json_object_put(l.user);
		sodium_memzero(token, sizeof(token));
		return perr_from_db(rc);
	}
	snprintf(ctx->user_id, sizeof(ctx->user_id), "%s", l.id);

	o = json_object_new_object();
	json_object_object_add(o, "accessToken", json_object_new_string(token));
	copy_field(o, "userId", l.user, "id");
	copy_field(o, "userEmail", l.user, "email");
	copy_field(o, "name", l.user, "name");
	copy_field(o, "profileImagePath", l.user, "profileImagePath");
	copy_field(o, "isAdmin", l.user, "isAdmin");
	copy_field(o, "shouldChangePassword", l.user, "shouldChangePassword");
	json_object_object_add(o, "isOnboarded", json_object_new_boolean(1));
	json_object_put(l.user);
	auth_cookies(ctx, token);
	sodium_memzero(token, sizeof(token));
	return resp_json(ctx->resp, 201, o) ? PERR_INTERNAL : PERR_NONE;
}

enum perr
h_auth_logout(struct ctx *ctx)
{
	struct json_object	*o;
	struct dbv		 a[1];
	int			 rc;

	if (ctx->session_id[0] != '\0') {
		a[0] = DBV_STR(ctx->session_id);
		if ((rc = db_exec(ctx->db, STMT_SESSION_DELETE, a, 1, NULL)) != DB_OK)
			return perr_from_db(rc);
	}
	auth_cookies(ctx, NULL);
	o = json_object_new_object();
	json_object_object_add(o, "successful", json_object_new_boolean(1));
	json_object_object_add(o, "redirectUri",
	    json_object_new_string("/auth/login?autoLaunch=0"));
	return resp_json(ctx->resp, 200, o) ? PERR_INTERNAL : PERR_NONE;
}

enum perr
h_auth_validate_token(struct ctx *ctx)
{
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "authStatus", json_object_new_boolean(1));
	return resp_json(ctx->resp, 200, o) ? PERR_INTERNAL : PERR_NONE;
}

/*
 * The new password ends every other session of the user, whatever
 * invalidateSessions says (accepted for Immich's clients): whoever knew the
 * old password must not stay signed in. API keys stay.
 */
enum perr
h_auth_change_password(struct ctx *ctx)
{
	const struct in_change_password	*b = ctx->in;
	struct user_input	 in = USER_INPUT_INIT;
	const char		*msg;
	enum perr		 e;

	if ((e = user_password_check(ctx->db, ctx->user_id, b->password,
	    &msg)) != PERR_NONE)
		return msg ? ctx_fail(ctx, e, "%s", msg) : e;
	in.password = b->new_password;
	in.should_change_password = 0;
	in.keep_session = ctx->session_id[0] ? ctx->session_id : NULL;
	if ((e = user_update(ctx->db, ctx->user_id, &in, &msg)) != PERR_NONE)
		return msg ? ctx_fail(ctx, e, "%s", msg) : e;
	return h_respond_user(ctx, ctx->user_id, 1, 200);
}
