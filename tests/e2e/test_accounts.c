/*
 * test_accounts.c: accounts, sessions and API keys end to end through
 * nginx, one behaviour per test, every error string as Immich sends it.
 */
#include "config.h"

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "harness.h"

#define PW	"correct-horse-9"

static const char *
jstr(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) || v == NULL)
		return "";
	return json_object_get_string(v);
}

static int
jbool(struct json_object *o, const char *key)
{
	struct json_object	*v;

	return o != NULL && json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

/* A new user and a session token for them; returns the token (free it). */
static char *
user_with_token(const char *prefix, char *email, size_t esz, char *id)
{
	return new_user_token(prefix, PW, email, esz, id);
}

/* GET /api/users/me with one header; returns the status. */
static long
me_status(const char *header)
{
	const char	*hdr[2] = { header, NULL };
	struct http	 h;
	long		 st;

	http_do(&h, "GET", "/api/users/me", NULL, header ? hdr : NULL);
	st = h.status;
	http_free(&h);
	return st;
}

static void
test_accounts_admin_sign_up_once(void)
{
	struct http	 h;

	secret_note(ADMIN_PASSWORD);
	CU_ASSERT_EQUAL_FATAL(http_do(&h, "POST", "/api/auth/admin-sign-up",
	    "{\"email\":\"Admin@Example.com\",\"password\":\"" ADMIN_PASSWORD
	    "\",\"name\":\"Admin\"}", NULL), 0);
	CU_ASSERT_EQUAL(h.status, 201);
	CU_ASSERT_STRING_EQUAL(jstr(h.json, "email"), ADMIN_EMAIL);
	CU_ASSERT_TRUE(jbool(h.json, "isAdmin"));
	CU_ASSERT_STRING_EQUAL(jstr(h.json, "storageLabel"), "admin");
	CU_ASSERT_FALSE(json_object_object_get_ex(h.json, "password", NULL));
	http_free(&h);

	CU_ASSERT_EQUAL_FATAL(http_do(&h, "POST", "/api/auth/admin-sign-up",
	    "{\"email\":\"second@example.com\",\"password\":\"x\",\"name\":\"B\"}",
	    NULL), 0);
	CU_ASSERT_EQUAL(h.status, 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "The server already has an admin");
	http_free(&h);
}

static void
test_accounts_login_gives_token_and_cookies(void)
{
	struct http	 h;
	char		 email[128], id[37];

	unique_email("login", email, sizeof(email));
	CU_ASSERT_EQUAL_FATAL(make_user(email, PW, id), 0);
	{
		char body[256];

		snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"" PW "\"}",
		    email);
		CU_ASSERT_EQUAL_FATAL(http_do(&h, "POST", "/api/auth/login", body, NULL), 0);
	}
	CU_ASSERT_EQUAL(h.status, 201);
	secret_note(jstr(h.json, "accessToken"));
	CU_ASSERT(strlen(jstr(h.json, "accessToken")) >= 40);
	CU_ASSERT_STRING_EQUAL(jstr(h.json, "userId"), id);
	CU_ASSERT_STRING_EQUAL(jstr(h.json, "userEmail"), email);
	CU_ASSERT_FALSE(jbool(h.json, "isAdmin"));
	CU_ASSERT_TRUE(json_object_object_get_ex(h.json, "shouldChangePassword", NULL));
	CU_ASSERT_TRUE(json_object_object_get_ex(h.json, "isOnboarded", NULL));
	CU_ASSERT_PTR_NOT_NULL(strstr(h.headers, "immich_access_token="));
	CU_ASSERT_PTR_NOT_NULL(strstr(h.headers, "immich_auth_type=password; Max-Age=34560000; Path=/; HttpOnly; SameSite=Lax"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h.headers, "immich_is_authenticated=true; Max-Age=34560000; Path=/; SameSite=Lax"));
	http_free(&h);
}

static void
test_accounts_wrong_password_and_unknown_email_look_alike(void)
{
	struct http	 h1, h2;
	char		 email[128], id[37];

	unique_email("wrongpw", email, sizeof(email));
	CU_ASSERT_EQUAL_FATAL(make_user(email, PW, id), 0);
	{
		char body[256];

		snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"nope\"}", email);
		http_do(&h1, "POST", "/api/auth/login", body, NULL);
	}
	http_do(&h2, "POST", "/api/auth/login",
	    "{\"email\":\"nobody-at-all@example.com\",\"password\":\"nope\"}", NULL);
	CU_ASSERT_EQUAL(h1.status, 401);
	CU_ASSERT_EQUAL(h2.status, 401);
	CU_ASSERT_STRING_EQUAL(http_message(&h1), "Incorrect email or password");
	CU_ASSERT_STRING_EQUAL(h1.body, h2.body);
	http_free(&h1);
	http_free(&h2);
}

static void
test_accounts_login_rejects_wrong_types(void)
{
	struct http	 h;

	http_do(&h, "POST", "/api/auth/login", "{\"email\":\"a@b.cd\",\"password\":12}", NULL);
	CU_ASSERT_EQUAL(h.status, 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Validation failed");
	CU_ASSERT_TRUE(json_object_object_get_ex(h.json, "errors", NULL));
	http_free(&h);
	http_do(&h, "POST", "/api/auth/login", "{\"email\":\"not-an-email\",\"password\":\"x\"}", NULL);
	CU_ASSERT_EQUAL(h.status, 400);
	http_free(&h);
}

static void
test_accounts_no_credential_is_401(void)
{
	struct http	 h;

	http_do(&h, "GET", "/api/users/me", NULL, NULL);
	CU_ASSERT_EQUAL(h.status, 401);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Authentication required");
	http_free(&h);
}

static void
test_accounts_unknown_token_is_invalid_user_token(void)
{
	const char	*hdr[] = { "Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL };
	struct http	 h;

	http_do(&h, "GET", "/api/users/me", NULL, hdr);
	CU_ASSERT_EQUAL(h.status, 401);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Invalid user token");
	http_free(&h);
}

static void
test_accounts_malformed_credentials_are_401(void)
{
	CU_ASSERT_EQUAL(me_status("Authorization: Basic YWxpY2U6cHc="), 401);
	CU_ASSERT_EQUAL(me_status("Authorization: Bearer"), 401);
	CU_ASSERT_EQUAL(me_status("Authorization: Bearer \x01\x02"), 401);
	CU_ASSERT_EQUAL(me_status("Cookie: immich_access_token="), 401);
	CU_ASSERT_EQUAL(me_status("x-api-key: "), 401);
}

static void
test_accounts_every_credential_form_works(void)
{
	char	 email[128], id[37], hdr[256], *tok;

	tok = user_with_token("forms", email, sizeof(email), id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_EQUAL(me_status(bearer(hdr, sizeof(hdr), tok)), 200);
	snprintf(hdr, sizeof(hdr), "authorization: bearer %s", tok);
	CU_ASSERT_EQUAL(me_status(hdr), 200);
	snprintf(hdr, sizeof(hdr), "x-immich-user-token: %s", tok);
	CU_ASSERT_EQUAL(me_status(hdr), 200);
	snprintf(hdr, sizeof(hdr), "Cookie: a=b; immich_access_token=%s; c=d", tok);
	CU_ASSERT_EQUAL(me_status(hdr), 200);
	free(tok);
}

static void
test_accounts_user_token_header_wins_over_bearer(void)
{
	char		 email[128], id[37], h1[256], *tok;
	const char	*hdr[3];
	struct http	 h;

	tok = user_with_token("order", email, sizeof(email), id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	snprintf(h1, sizeof(h1), "x-immich-user-token: %s", tok);
	hdr[0] = h1;
	hdr[1] = "Authorization: Bearer wrong";
	hdr[2] = NULL;
	http_do(&h, "GET", "/api/users/me", NULL, hdr);
	CU_ASSERT_EQUAL(h.status, 200);
	http_free(&h);
	free(tok);
}

static void
test_accounts_expired_token_is_refused(void)
{
	char	 email[128], id[37], hdr[256], sql[256], *tok;

	tok = user_with_token("expired", email, sizeof(email), id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_EQUAL(me_status(bearer(hdr, sizeof(hdr), tok)), 200);
	snprintf(sql, sizeof(sql), "UPDATE partnerd.sessions SET expires_at = "
	    "UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE user_id = '%s';", id);
	CU_ASSERT_EQUAL_FATAL(db_root_sql(sql), 0);
	CU_ASSERT_EQUAL(me_status(hdr), 401);
	free(tok);
}

static void
test_accounts_logout_revokes_the_token(void)
{
	char		 email[128], id[37], hdr[256], *tok;
	const char	*hl[2];
	struct http	 h;

	tok = user_with_token("logout", email, sizeof(email), id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	hl[0] = bearer(hdr, sizeof(hdr), tok);
	hl[1] = NULL;
	http_do(&h, "POST", "/api/auth/logout", NULL, hl);
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_TRUE(jbool(h.json, "successful"));
	CU_ASSERT_STRING_EQUAL(jstr(h.json, "redirectUri"), "/auth/login?autoLaunch=0");
	CU_ASSERT_PTR_NOT_NULL(strstr(h.headers, "immich_access_token=; Max-Age=0"));
	http_free(&h);
	CU_ASSERT_EQUAL(me_status(hdr), 401);
	free(tok);
}

static void
test_accounts_validate_token(void)
{
	char		 email[128], id[37], hdr[256], *tok;
	const char	*hl[2];
	struct http	 h;

	tok = user_with_token("validate", email, sizeof(email), id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	hl[0] = bearer(hdr, sizeof(hdr), tok);
	hl[1] = NULL;
	http_do(&h, "POST", "/api/auth/validateToken", NULL, hl);
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_STRING_EQUAL(h.body, "{\"authStatus\":true}");
	http_free(&h);
	free(tok);
}

static void
test_accounts_duplicate_email_is_refused(void)
{
	char		 email[128], upper[128], id[37], id2[37];
	size_t		 i;

	unique_email("dup", email, sizeof(email));
	CU_ASSERT_EQUAL_FATAL(make_user(email, PW, id), 0);
	for (i = 0; email[i] != '\0'; i++)
		upper[i] = (char)(email[i] >= 'a' && email[i] <= 'z' ? email[i] - 32 : email[i]);
	upper[i] = '\0';
	CU_ASSERT_NOT_EQUAL(make_user(upper, PW, id2), 0);
	{
		struct http	 h;
		char		 body[256], auth[256];
		const char	*hdr[2] = { bearer(auth, sizeof(auth), admin_token()), NULL };

		snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"x\",\"name\":\"x\"}", upper);
		http_do(&h, "POST", "/api/admin/users", body, hdr);
		CU_ASSERT_EQUAL(h.status, 400);
		CU_ASSERT_STRING_EQUAL(http_message(&h), "Email is not available");
		http_free(&h);
	}
}

static void
test_accounts_non_admin_cannot_use_admin_routes(void)
{
	char		 email[128], id[37], hdr[256], *tok;
	const char	*hl[2];
	struct http	 h;

	tok = user_with_token("plain", email, sizeof(email), id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	hl[0] = bearer(hdr, sizeof(hdr), tok);
	hl[1] = NULL;
	http_do(&h, "POST", "/api/admin/users",
	    "{\"email\":\"evil@example.com\",\"password\":\"x\",\"name\":\"x\"}", hl);
	CU_ASSERT_EQUAL(h.status, 403);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Forbidden");
	http_free(&h);
	http_do(&h, "GET", "/api/admin/users", NULL, hl);
	CU_ASSERT_EQUAL(h.status, 403);
	http_free(&h);
	free(tok);
}

/* Create an API key with the given permissions JSON; returns the secret. */
static char *
make_key(const char *token, const char *perms_json, long *status)
{
	char			 hdr[256], body[512];
	const char		*hl[2] = { bearer(hdr, sizeof(hdr), token), NULL };
	struct http		 h;
	char			*secret = NULL;

	snprintf(body, sizeof(body), "{\"name\":\"test\",\"permissions\":%s}", perms_json);
	http_do(&h, "POST", "/api/api-keys", body, hl);
	*status = h.status;
	if (h.status == 201) {
		secret = strdup(jstr(h.json, "secret"));
		secret_note(secret);
	}
	http_free(&h);
	return secret;
}

static void
test_accounts_api_key_scopes(void)
{
	char		 email[128], id[37], hdr[256], *tok, *key, *all;
	const char	*hl[2];
	struct http	 h;
	long		 st;

	tok = user_with_token("scopes", email, sizeof(email), id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	key = make_key(tok, "[\"user.read\"]", &st);
	CU_ASSERT_EQUAL(st, 201);
	CU_ASSERT_PTR_NOT_NULL_FATAL(key);
	snprintf(hdr, sizeof(hdr), "x-api-key: %s", key);
	hl[0] = hdr;
	hl[1] = NULL;
	CU_ASSERT_EQUAL(me_status(hdr), 200);
	http_do(&h, "PUT", "/api/users/me", "{\"name\":\"x\"}", hl);
	CU_ASSERT_EQUAL(h.status, 403);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Missing required permission: user.update");
	http_free(&h);
	/* A route with no declared permission needs "all". */
	http_do(&h, "POST", "/api/auth/validateToken", NULL, hl);
	CU_ASSERT_EQUAL(h.status, 403);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Missing required permission: all");
	http_free(&h);
	all = make_key(tok, "[\"all\"]", &st);
	CU_ASSERT_PTR_NOT_NULL_FATAL(all);
	snprintf(hdr, sizeof(hdr), "x-api-key: %s", all);
	http_do(&h, "PUT", "/api/users/me", "{\"name\":\"Scoped\"}", hl);
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_STRING_EQUAL(jstr(h.json, "name"), "Scoped");
	http_free(&h);
	free(key);
	free(all);
	free(tok);
}

static void
test_accounts_bad_api_key_is_401(void)
{
	struct http	 h;
	const char	*hl[] = { "x-api-key: not-a-real-key", NULL };

	http_do(&h, "GET", "/api/users/me", NULL, hl);
	CU_ASSERT_EQUAL(h.status, 401);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Invalid API key");
	http_free(&h);
}

static void
test_accounts_api_key_cannot_mint_a_stronger_key(void)
{
	char		 email[128], id[37], hdr[256], *tok, *key;
	const char	*hl[2];
	struct http	 h;
	long		 st;

	tok = user_with_token("escalate", email, sizeof(email), id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	key = make_key(tok, "[\"apiKey.create\"]", &st);
	CU_ASSERT_PTR_NOT_NULL_FATAL(key);
	snprintf(hdr, sizeof(hdr), "x-api-key: %s", key);
	hl[0] = hdr;
	hl[1] = NULL;
	http_do(&h, "POST", "/api/api-keys", "{\"permissions\":[\"all\"]}", hl);
	CU_ASSERT_EQUAL(h.status, 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Cannot grant permissions you do not have");
	http_free(&h);
	free(key);
	free(tok);
}

static void
test_accounts_api_key_unknown_permission_is_400(void)
{
	char	 email[128], id[37], *tok;
	long	 st;

	tok = user_with_token("unknownperm", email, sizeof(email), id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_PTR_NULL(make_key(tok, "[\"root\"]", &st));
	CU_ASSERT_EQUAL(st, 400);
	CU_ASSERT_PTR_NULL(make_key(tok, "[]", &st));
	CU_ASSERT_EQUAL(st, 400);
	free(tok);
}

static void
test_accounts_api_key_list_and_delete(void)
{
	char		 email[128], id[37], hdr[256], path[128], *tok, *key;
	char		 other_email[128], other_id[37], ohdr[256], *other;
	const char	*hl[2], *ol[2];
	struct http	 h;
	const char	*kid;
	long		 st;

	tok = user_with_token("keys", email, sizeof(email), id);
	other = user_with_token("keys-other", other_email, sizeof(other_email), other_id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_PTR_NOT_NULL_FATAL(other);
	key = make_key(tok, "[\"all\"]", &st);
	hl[0] = bearer(hdr, sizeof(hdr), tok);
	hl[1] = NULL;
	ol[0] = bearer(ohdr, sizeof(ohdr), other);
	ol[1] = NULL;
	http_do(&h, "GET", "/api/api-keys", NULL, hl);
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(h.json), 1);
	kid = jstr(json_object_array_get_idx(h.json, 0), "id");
	snprintf(path, sizeof(path), "/api/api-keys/%s", kid);
	CU_ASSERT_FALSE(json_object_object_get_ex(json_object_array_get_idx(h.json, 0),
	    "secret", NULL));
	http_free(&h);
	/* Someone else's key is not found for them. */
	http_do(&h, "DELETE", path, NULL, ol);
	CU_ASSERT_EQUAL(h.status, 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "API Key not found");
	http_free(&h);
	http_do(&h, "DELETE", path, NULL, hl);
	CU_ASSERT_EQUAL(h.status, 204);
	CU_ASSERT_EQUAL(h.len, 0);
	http_free(&h);
	snprintf(hdr, sizeof(hdr), "x-api-key: %s", key);
	CU_ASSERT_EQUAL(me_status(hdr), 401);
	free(key);
	free(tok);
	free(other);
}

static void
test_accounts_deleted_user_loses_access_at_once(void)
{
	char		 email[128], id[37], hdr[256], ahdr[256], path[128], *tok, *key;
	const char	*al[2];
	struct http	 h;
	long		 st;

	tok = user_with_token("deleted", email, sizeof(email), id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	key = make_key(tok, "[\"all\"]", &st);
	CU_ASSERT_PTR_NOT_NULL_FATAL(key);
	CU_ASSERT_EQUAL(me_status(bearer(hdr, sizeof(hdr), tok)), 200);
	al[0] = bearer(ahdr, sizeof(ahdr), admin_token());
	al[1] = NULL;
	snprintf(path, sizeof(path), "/api/admin/users/%s", id);
	http_do(&h, "DELETE", path, "{}", al);
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_STRING_EQUAL(jstr(h.json, "status"), "deleted");
	CU_ASSERT_STRING_NOT_EQUAL(jstr(h.json, "deletedAt"), "");
	http_free(&h);
	CU_ASSERT_EQUAL(me_status(hdr), 401);
	snprintf(hdr, sizeof(hdr), "x-api-key: %s", key);
	CU_ASSERT_EQUAL(me_status(hdr), 401);
	CU_ASSERT_PTR_NULL(login_token(email, PW));
	/* Gone from the list everyone sees; still there for admins who ask. */
	http_do(&h, "GET", "/api/users", NULL, al);
	CU_ASSERT_PTR_NULL(strstr(h.body, id));
	http_free(&h);
	http_do(&h, "GET", "/api/admin/users?withDeleted=true", NULL, al);
	CU_ASSERT_PTR_NOT_NULL(strstr(h.body, id));
	http_free(&h);
	free(key);
	free(tok);
}

static void
test_accounts_admin_cannot_be_deleted(void)
{
	struct http		 h;
	struct json_object	*v;
	char			 ahdr[256], path[128];
	const char		*al[2] = { bearer(ahdr, sizeof(ahdr), admin_token()), NULL };

	http_do(&h, "GET", "/api/users/me", NULL, al);
	CU_ASSERT_TRUE_FATAL(json_object_object_get_ex(h.json, "id", &v));
	snprintf(path, sizeof(path), "/api/admin/users/%s", json_object_get_string(v));
	http_free(&h);
	http_do(&h, "DELETE", path, NULL, al);
	CU_ASSERT_EQUAL(h.status, 403);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Cannot delete admin user");
	http_free(&h);
}

static void
test_accounts_change_password(void)
{
	char		 email[128], id[37], hdr[256], *tok, *tok2;
	const char	*hl[2];
	struct http	 h;

	tok = user_with_token("chpw", email, sizeof(email), id);
	tok2 = login_token(email, PW);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok2);
	hl[0] = bearer(hdr, sizeof(hdr), tok);
	hl[1] = NULL;
	secret_note("brand-new-password-1");
	http_do(&h, "POST", "/api/auth/change-password",
	    "{\"password\":\"wrong\",\"newPassword\":\"brand-new-password-1\"}", hl);
	CU_ASSERT_EQUAL(h.status, 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Wrong password");
	http_free(&h);
	http_do(&h, "POST", "/api/auth/change-password",
	    "{\"password\":\"" PW "\",\"newPassword\":\"brand-new-password-1\","
	    "\"invalidateSessions\":true}", hl);
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_STRING_EQUAL(jstr(h.json, "email"), email);
	http_free(&h);
	CU_ASSERT_PTR_NULL(login_token(email, PW));
	free(tok);
	tok = login_token(email, "brand-new-password-1");
	CU_ASSERT_PTR_NOT_NULL(tok);
	/* The other session was invalidated; this one was kept. */
	CU_ASSERT_EQUAL(me_status(bearer(hdr, sizeof(hdr), tok2)), 401);
	free(tok);
	free(tok2);
}

static void
test_accounts_bcrypt_from_immich_logs_in_and_is_rehashed(void)
{
	struct crypt_data	 cd;
	char			 salt[CRYPT_GENSALT_OUTPUT_SIZE], sql[1024];
	char			 email[128], id[37], out[256], *tok;
	const char		*hash;

	unique_email("bcrypt", email, sizeof(email));
	CU_ASSERT_EQUAL_FATAL(make_user(email, "placeholder-pw", id), 0);
	memset(&cd, 0, sizeof(cd));
	CU_ASSERT_PTR_NOT_NULL_FATAL(crypt_gensalt_rn("$2b$", 10, NULL, 0, salt, sizeof(salt)));
	hash = crypt_r("immich-password", salt, &cd);
	CU_ASSERT_EQUAL_FATAL(strncmp(hash, "$2b$", 4), 0);
	secret_note("immich-password");
	secret_note(hash);
	snprintf(sql, sizeof(sql), "UPDATE partnerd.users SET password_hash = '%s' "
	    "WHERE id = '%s';", hash, id);
	CU_ASSERT_EQUAL_FATAL(db_root_sql(sql), 0);
	tok = login_token(email, "immich-password");
	CU_ASSERT_PTR_NOT_NULL(tok);
	free(tok);
	/* Now stored as Argon2id, and the password still works. */
	snprintf(sql, sizeof(sql), "SELECT password_hash FROM partnerd.users "
	    "WHERE id = '%s'", id);
	CU_ASSERT_EQUAL_FATAL(db_root_value(sql, out, sizeof(out)), 0);
	secret_note(out);
	CU_ASSERT_EQUAL(strncmp(out, "$argon2id$", 10), 0);
	tok = login_token(email, "immich-password");
	CU_ASSERT_PTR_NOT_NULL(tok);
	free(tok);
}

static void
test_accounts_users_list_and_get(void)
{
	char		 email[128], id[37], hdr[256], path[128], *tok;
	const char	*hl[2];
	struct http	 h;

	tok = user_with_token("list", email, sizeof(email), id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	hl[0] = bearer(hdr, sizeof(hdr), tok);
	hl[1] = NULL;
	http_do(&h, "GET", "/api/users", NULL, hl);
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_TRUE(json_object_is_type(h.json, json_type_array));
	CU_ASSERT_PTR_NOT_NULL(strstr(h.body, id));
	/* The public list carries exactly UserResponseDto's six fields. */
	CU_ASSERT_EQUAL(json_object_object_length(json_object_array_get_idx(h.json, 0)), 6);
	http_free(&h);
	snprintf(path, sizeof(path), "/api/users/%s", id);
	http_do(&h, "GET", path, NULL, hl);
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_STRING_EQUAL(jstr(h.json, "email"), email);
	CU_ASSERT_STRING_NOT_EQUAL(jstr(h.json, "avatarColor"), "");
	http_free(&h);
	http_do(&h, "GET", "/api/users/00000000-0000-4000-a000-000000000000", NULL, hl);
	CU_ASSERT_EQUAL(h.status, 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "User not found");
	http_free(&h);
	http_do(&h, "GET", "/api/users/not-a-uuid", NULL, hl);
	CU_ASSERT_EQUAL(h.status, 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Validation failed");
	http_free(&h);
	free(tok);
}

static void
test_accounts_update_me(void)
{
	char		 email[128], id[37], hdr[256], *tok;
	const char	*hl[2];
	struct http	 h;

	tok = user_with_token("updme", email, sizeof(email), id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
	hl[0] = bearer(hdr, sizeof(hdr), tok);
	hl[1] = NULL;
	http_do(&h, "PUT", "/api/users/me", "{\"name\":\"New Name\",\"avatarColor\":\"green\"}", hl);
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_STRING_EQUAL(jstr(h.json, "name"), "New Name");
	CU_ASSERT_STRING_EQUAL(jstr(h.json, "avatarColor"), "green");
	http_free(&h);
	http_do(&h, "PUT", "/api/users/me", "{\"avatarColor\":\"chartreuse\"}", hl);
	CU_ASSERT_EQUAL(h.status, 400);
	http_free(&h);
	http_do(&h, "PUT", "/api/users/me", "{\"email\":\"" ADMIN_EMAIL
	    "\",\"currentPassword\":\"" PW "\"}", hl);
	CU_ASSERT_EQUAL(h.status, 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Email is not available");
	http_free(&h);
	free(tok);
}

static void
test_accounts_database_down_gives_503_then_recovers(void)
{
	char		 hdr[256];
	struct http	 h;

	bearer(hdr, sizeof(hdr), admin_token());
	CU_ASSERT_EQUAL_FATAL(me_status(hdr), 200);
	/* Kill -9, as a crash would; the worker keeps running. */
	CU_ASSERT_EQUAL_FATAL(stack_ctl("db-kill"), 0);
	{
		const char *hl[2] = { hdr, NULL };

		http_do(&h, "GET", "/api/users/me", NULL, hl);
	}
	CU_ASSERT_EQUAL(h.status, 503);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Service Unavailable");
	http_free(&h);
	CU_ASSERT_EQUAL(me_status(hdr), 503);
	CU_ASSERT_EQUAL(me_status(NULL), 401);	/* no database needed for that */
	http_do(&h, "GET", "/api/server/ping", NULL, NULL);
	CU_ASSERT_EQUAL(h.status, 200);
	http_free(&h);
	CU_ASSERT_EQUAL_FATAL(stack_ctl("db-start"), 0);
	/* Every thread reconnects on its next request: no worker restart. */
	{
		int i, ok = 0;

		for (i = 0; i < 16; i++)
			ok += me_status(hdr) == 200;
		CU_ASSERT_EQUAL(ok, 16);
	}
}

void
suite_accounts(void)
{
	CU_pSuite s = CU_add_suite("e2e: accounts through nginx", NULL, NULL);

	ADD_TEST(s, test_accounts_admin_sign_up_once);
	ADD_TEST(s, test_accounts_login_gives_token_and_cookies);
	ADD_TEST(s, test_accounts_wrong_password_and_unknown_email_look_alike);
	ADD_TEST(s, test_accounts_login_rejects_wrong_types);
	ADD_TEST(s, test_accounts_no_credential_is_401);
	ADD_TEST(s, test_accounts_unknown_token_is_invalid_user_token);
	ADD_TEST(s, test_accounts_malformed_credentials_are_401);
	ADD_TEST(s, test_accounts_every_credential_form_works);
	ADD_TEST(s, test_accounts_user_token_header_wins_over_bearer);
	ADD_TEST(s, test_accounts_expired_token_is_refused);
	ADD_TEST(s, test_accounts_logout_revokes_the_token);
	ADD_TEST(s, test_accounts_validate_token);
	ADD_TEST(s, test_accounts_duplicate_email_is_refused);
	ADD_TEST(s, test_accounts_non_admin_cannot_use_admin_routes);
	ADD_TEST(s, test_accounts_api_key_scopes);
	ADD_TEST(s, test_accounts_bad_api_key_is_401);
	ADD_TEST(s, test_accounts_api_key_cannot_mint_a_stronger_key);
	ADD_TEST(s, test_accounts_api_key_unknown_permission_is_400);
	ADD_TEST(s, test_accounts_api_key_list_and_delete);
	ADD_TEST(s, test_accounts_deleted_user_loses_access_at_once);
	ADD_TEST(s, test_accounts_admin_cannot_be_deleted);
	ADD_TEST(s, test_accounts_change_password);
	ADD_TEST(s, test_accounts_bcrypt_from_immich_logs_in_and_is_rehashed);
	ADD_TEST(s, test_accounts_users_list_and_get);
	ADD_TEST(s, test_accounts_update_me);
	ADD_TEST(s, test_accounts_database_down_gives_503_then_recovers);
}
