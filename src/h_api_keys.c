/*
 * h_api_keys.c: /api/api-keys. The secret is 256 bits from the OS, shown
 * once in the create response; only its SHA-256 is stored.
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

/* POST /api/api-keys */
struct in_api_key_create {
	const char	*name;
	struct venums	 permissions;	/* indexes into auth.h permissions */
};
const struct vfield spec_api_key_create[] = {
	{ .name = "name", .type = VT_STRING, .max = 255,
	    VF_AT(struct in_api_key_create, name) },
	{ .name = "permissions", .type = VT_ENUM_ARRAY, .required = 1,
	    .choices = permissions, .min = 1,
	    VF_AT(struct in_api_key_create, permissions) },
	VF_END(struct in_api_key_create),
};

/* APIKeyResponseDto from a row of APIKEY_COLS. */
static struct json_object *
dto_api_key(const struct db_row *row)
{
	struct json_object	*o = json_object_new_object(), *perms;
	const char		*p = row->val[4], *e;

	json_object_object_add(o, "id", json_object_new_string(row->val[0]));
	json_object_object_add(o, "name", json_object_new_string(row->val[1]));
	json_object_object_add(o, "createdAt", json_object_new_string(row->val[2]));
	json_object_object_add(o, "updatedAt", json_object_new_string(row->val[3]));
	perms = json_object_new_array();
	while (p != NULL && *p != '\0') {
		e = strchr(p, ',');
		json_object_array_add(perms, json_object_new_string_len(p,
		    e ? (int)(e - p) : (int)strlen(p)));
		p = e ? e + 1 : NULL;
	}
	json_object_object_add(o, "permissions", perms);
	return o;
}

static int
api_key_row(void *arg, const struct db_row *row)
{
	return json_object_array_add(arg, dto_api_key(row));
}

static int
api_key_one(void *arg, const struct db_row *row)
{
	struct json_object	**o = arg;

	if (*o == NULL)
		*o = dto_api_key(row);
	return 0;
}

enum perr
h_api_keys_create(struct ctx *ctx)
{
	const struct in_api_key_create *b = ctx->in;
	struct json_object	*o, *key = NULL;
	char			 list[4096] = "", id[37], secret[TOKEN_MAX];
	const char		*name = b->name;
	unsigned char		 h[TOKEN_HASH_LEN];
	struct dbv		 a[5];
	size_t			 i, len = 0;
	int			 rc;

	for (i = 0; i < b->permissions.n; i++) {
		const char *p = permissions[b->permissions.v[i]];

		/* A key cannot mint a key with more than it has itself. */
		if (ctx->via_api_key && !perm_granted(ctx->key_perms, p))
			return ctx_fail(ctx, PERR_BAD_REQUEST,
			    "Cannot grant permissions you do not have");
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
		    i ? "," : "", p);
		if (len >= sizeof(list))
			return ctx_fail(ctx, PERR_BAD_REQUEST, "Too many permissions");
	}
	uuid_v4(id);
	token_new(secret);
	token_hash(secret, h);
	a[0] = DBV_STR(id);
	a[1] = DBV_STR(name ? name : "API Key");
	a[2] = DBV_BLOB(h, sizeof(h));
	a[3] = DBV_STR(ctx->user_id);
	a[4] = DBV_STR(list);
	if ((rc = db_exec(ctx->db, STMT_APIKEY_INSERT, a, 5, NULL)) != DB_OK) {
		sodium_memzero(secret, sizeof(secret));
		return perr_from_db(rc);
	}
	a[1] = DBV_STR(ctx->user_id);
	if ((rc = db_query(ctx->db, STMT_APIKEY_GET, a, 2, api_key_one, &key)) != DB_OK) {
		sodium_memzero(secret, sizeof(secret));
		return perr_from_db(rc);
	}
	o = json_object_new_object();
	json_object_object_add(o, "secret", json_object_new_string(secret));
	json_object_object_add(o, "apiKey", key);
	sodium_memzero(secret, sizeof(secret));
	return resp_json(ctx->resp, 201, o) ? PERR_INTERNAL : PERR_NONE;
}

enum perr
h_api_keys_list(struct ctx *ctx)
{
	struct json_object	*arr = json_object_new_array();
	struct dbv		 a[1] = { DBV_STR(ctx->user_id) };
	int			 rc;

	rc = db_query(ctx->db, STMT_APIKEY_LIST, a, 1, api_key_row, arr);
	if (db_failed(rc)) {
		json_object_put(arr);
		return perr_from_db(rc);
	}
	return resp_json(ctx->resp, 200, arr) ? PERR_INTERNAL : PERR_NONE;
}

enum perr
h_api_keys_get(struct ctx *ctx)
{
	struct json_object	*key = NULL;
	struct dbv		 a[2] = { DBV_STR(ctx->params[0]), DBV_STR(ctx->user_id) };
	int			 rc;

	rc = db_query(ctx->db, STMT_APIKEY_GET, a, 2, api_key_one, &key);
	if (rc == DB_NOTFOUND)
		return ctx_fail(ctx, PERR_BAD_REQUEST, "API Key not found");
	if (rc != DB_OK)
		return perr_from_db(rc);
	return resp_json(ctx->resp, 200, key) ? PERR_INTERNAL : PERR_NONE;
}

enum perr
h_api_keys_delete(struct ctx *ctx)
{
	return h_delete_mine(ctx, STMT_APIKEY_DELETE, "API Key not found");
}
