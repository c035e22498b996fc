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

/* Permission -> the statement that grants it and how many times it binds "me". */
static const struct {
	const char	*name;
	enum stmt	 stmt;
	int		 nme;
} perms[PERM__MAX] = {
	[PERM_ASSET_READ] = { "asset.read", STMT_ACCESS_ASSET_READ, 3 },
	[PERM_ASSET_VIEW] = { "asset.view", STMT_ACCESS_ASSET_READ, 3 },
	[PERM_ASSET_DOWNLOAD] = { "asset.download", STMT_ACCESS_ASSET_READ, 3 },
	[PERM_ASSET_SHARE] = { "asset.share", STMT_ACCESS_ASSET_SHARE, 2 },
	[PERM_ASSET_UPDATE] = { "asset.update", STMT_ACCESS_ASSET_OWNER, 1 },
	[PERM_ASSET_DELETE] = { "asset.delete", STMT_ACCESS_ASSET_OWNER, 1 },
	[PERM_ALBUM_READ] = { "album.read", STMT_ACCESS_ALBUM_READ, 2 },
	[PERM_ALBUM_UPDATE] = { "album.update", STMT_ACCESS_ALBUM_OWNER, 1 },
	[PERM_ALBUM_DELETE] = { "album.delete", STMT_ACCESS_ALBUM_OWNER, 1 },
	[PERM_ALBUM_ASSET_CREATE] = { "albumAsset.create", STMT_ACCESS_ALBUM_EDIT, 1 },
	[PERM_ALBUM_ASSET_DELETE] = { "albumAsset.delete", STMT_ACCESS_ALBUM_EDIT, 1 },
	[PERM_PARTNER_UPDATE] = { "partner.update", STMT_ACCESS_PARTNER_UPDATE, 1 },
};

const char *
perm_name(enum perm p)
{
	return (unsigned)p < PERM__MAX ? perms[p].name : "unknown";
}

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
	struct dbv		 a[4];
	size_t			 i;
	int			 rc, k;

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
	for (k = 0; k < perms[p].nme; k++)
		a[1 + k] = DBV_STR(ctx->user_id);
	rc = db_query(ctx->db, perms[p].stmt, a, (size_t)(1 + perms[p].nme),
	    granted_row, &g);
	json_object_put(arr);
	free((void *)g.ix);
	if (rc != DB_OK && rc != DB_NOTFOUND)
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
			e = ctx_fail(ctx, PERR_BAD_REQUEST, "Not found or no %s access",
			    perm_name(p));
	free(granted);
	return e;
}

enum perr
access_require1(struct ctx *ctx, enum perm p, const char *id)
{
	return access_require(ctx, p, &id, 1);
}
