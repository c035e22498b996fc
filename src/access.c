/* access.c: see access.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "partnerd.h"
#include "access.h"
#include "db.h"
#include "users.h"
#include "valid.h"

/*
 * Permission -> the statement that grants it, (ids, me) -> granted ids,
 * and the credential statement that also decides it for one id (or
 * STMT_AUTH when there is none).
 */
static const struct {
	const char	*name;
	enum stmt	 stmt;
	enum stmt	 with_auth;
} perms[PERM__MAX] = {
	[PERM_ASSET_READ] = { "asset.read", STMT_ACCESS_ASSET_READ, STMT_AUTH_ASSET_READ },
	[PERM_ASSET_VIEW] = { "asset.view", STMT_ACCESS_ASSET_READ, STMT_AUTH_ASSET_READ },
	[PERM_ASSET_DOWNLOAD] = { "asset.download", STMT_ACCESS_ASSET_READ, STMT_AUTH_ASSET_READ },
	[PERM_ASSET_SHARE] = { "asset.share", STMT_ACCESS_ASSET_SHARE, STMT_AUTH },
	[PERM_ASSET_UPDATE] = { "asset.update", STMT_ACCESS_ASSET_OWNER, STMT_AUTH },
	[PERM_ASSET_DELETE] = { "asset.delete", STMT_ACCESS_ASSET_OWNER, STMT_AUTH },
	/* Immich has no such permission: its refusal reads as asset.update's. */
	[PERM_ASSET_MARK] = { "asset.update", STMT_ACCESS_ASSET_SHARE, STMT_AUTH },
	[PERM_ALBUM_READ] = { "album.read", STMT_ACCESS_ALBUM_READ, STMT_AUTH },
	[PERM_ALBUM_UPDATE] = { "album.update", STMT_ACCESS_ALBUM_OWNER, STMT_AUTH },
	[PERM_ALBUM_DELETE] = { "album.delete", STMT_ACCESS_ALBUM_OWNER, STMT_AUTH },
	[PERM_ALBUM_ASSET_CREATE] = { "albumAsset.create", STMT_ACCESS_ALBUM_EDIT, STMT_AUTH },
	[PERM_ALBUM_ASSET_DELETE] = { "albumAsset.delete", STMT_ACCESS_ALBUM_EDIT, STMT_AUTH },
	[PERM_PARTNER_UPDATE] = { "partner.update", STMT_ACCESS_PARTNER_UPDATE, STMT_AUTH },
	[PERM_TIMELINE_READ] = { "timeline.read", STMT_ACCESS_TIMELINE_READ, STMT_AUTH },
};

const char *
perm_name(enum perm p)
{
	return (unsigned)p < PERM__MAX ? perms[p].name : "unknown";
}

static enum perr	 access_refused(struct ctx *, enum perm);

struct granted {
	const char *const	*ids;
	const size_t		*ix;	/* ids' order (ids_sorted) */
	size_t			 n;
	int			*granted;
};

/* Mark every requested copy of the granted row's id: O(log n) a row. */
static int
granted_row(void *arg, const struct db_row *row)
{
	struct granted	*g = arg;
	char		 id[37];
	size_t		 k;

	snprintf(id, sizeof(id), "%s", row->val[0]);
	valid_uuid_lower(id);
	for (k = ids_find(g->ids, g->ix, g->n, id);
	    k < g->n && strcmp(g->ids[g->ix[k]], id) == 0; k++)
		g->granted[g->ix[k]] = 1;
	return 0;
}

enum perr
access_filter(struct ctx *ctx, enum perm p, const char *const *ids, size_t n,
    int *granted)
{
	struct json_object	*arr;
	struct granted		 g = { ids, NULL, n, granted };
	struct dbv		 a[2];
	size_t			 i;
	int			 rc;

	memset(granted, 0, n * sizeof(*granted));
	if (n == 0)
		return PERR_NONE;
	if ((unsigned)p >= PERM__MAX || ctx->user_id[0] == '\0')
		return PERR_INTERNAL;
	if ((g.ix = ids_sorted(ids, n)) == NULL)
		return PERR_INTERNAL;
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, json_object_new_string(ids[i]));
	a[0] = DBV_STR(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
	a[1] = DBV_STR(ctx->user_id);
	rc = db_query(ctx->db, perms[p].stmt, a, 2, granted_row, &g);
	json_object_put(arr);
	free((void *)g.ix);
	if (db_failed(rc))
		return perr_from_db(rc);
	return PERR_NONE;
}

enum perr
access_require(struct ctx *ctx, enum perm p, const char *const *ids, size_t n)
{
	int		*granted;
	enum perr	 e;
	size_t		 i;

	if ((granted = calloc(n ? n : 1, sizeof(*granted))) == NULL)
		return PERR_INTERNAL;
	e = access_filter(ctx, p, ids, n, granted);
	for (i = 0; e == PERR_NONE && i < n; i++)
		if (!granted[i])
			e = access_refused(ctx, p);
	free(granted);
	return e;
}

enum perr
access_require1(struct ctx *ctx, enum perm p, const char *id)
{
	return access_require(ctx, p, &id, 1);
}

/* Refused: the message Immich gives for any id the caller may not use. */
static enum perr
access_refused(struct ctx *ctx, enum perm p)
{
	return ctx_fail(ctx, PERR_BAD_REQUEST, "Not found or no %s access",
	    perm_name(p));
}

enum stmt
access_auth_stmt(const struct route *r)
{
	const struct access_need	*n = r->access;

	if (n == NULL || n->perm >= PERM__MAX || n->from != FROM_PATH || n->when != NULL)
		return STMT_AUTH;
	return perms[n->perm].with_auth;
}

/* The ids of one requirement: the path's, or a body or query field's. */
static enum perr
need_ids(struct ctx *ctx, const struct access_need *n, const char ***ids,
    size_t *count)
{
	struct json_object	*v = NULL;
	size_t			 i;

	*ids = NULL;
	*count = 0;
	if (n->from == FROM_PATH) {
		if (ctx->nparams == 0)
			return PERR_INTERNAL;
		v = NULL;
	} else if (!json_object_object_get_ex(n->from == FROM_BODY ? ctx->body :
	    ctx->qs, n->field, &v) || v == NULL)
		return PERR_NONE;	/* an optional field left out */
	*count = v != NULL && json_object_is_type(v, json_type_array) ?
	    json_object_array_length(v) : 1;
	if ((*ids = calloc(*count ? *count : 1, sizeof(**ids))) == NULL)
		return PERR_INTERNAL;
	if (v == NULL)
		(*ids)[0] = ctx->params[0];
	else if (!json_object_is_type(v, json_type_array))
		(*ids)[0] = json_object_get_string(v);
	else
		for (i = 0; i < *count; i++)
			(*ids)[i] = json_object_get_string(json_object_array_get_idx(v, i));
	return PERR_NONE;
}

enum perr
access_route(struct ctx *ctx)
{
	const struct access_need	*n;
	const char			**ids;
	size_t				 count;
	enum perr			 e = PERR_NONE;

	for (n = ctx->route->access; e == PERR_NONE && n != NULL &&
	    n->perm < PERM__MAX; n++) {
		if (n->when != NULL && !n->when(ctx))
			continue;
		/* Decided already by the credential statement (access_auth_stmt). */
		if (n == ctx->route->access && ctx->path_granted >= 0) {
			if (!ctx->path_granted)
				e = access_refused(ctx, n->perm);
			continue;
		}
		if ((e = need_ids(ctx, n, &ids, &count)) != PERR_NONE || ids == NULL)
			continue;
		e = access_require(ctx, n->perm, ids, count);
		free(ids);
	}
	return e;
}
