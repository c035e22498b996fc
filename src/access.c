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
#include "handlers.h"
#include "users.h"
#include "valid.h"

/* Permission -> the statement that grants it, (ids, me) -> granted ids. */
static const struct {
	const char	*name;
	enum stmt	 stmt;
} perms[PERM__MAX] = {
	[PERM_ASSET_READ] = { "asset.read", STMT_ACCESS_ASSET_READ },
	[PERM_ASSET_VIEW] = { "asset.view", STMT_ACCESS_ASSET_READ },
	[PERM_ASSET_DOWNLOAD] = { "asset.download", STMT_ACCESS_ASSET_READ },
	[PERM_ASSET_SHARE] = { "asset.share", STMT_ACCESS_ASSET_SHARE },
	[PERM_ASSET_UPDATE] = { "asset.update", STMT_ACCESS_ASSET_OWNER },
	[PERM_ASSET_DELETE] = { "asset.delete", STMT_ACCESS_ASSET_OWNER },
	/* Immich has no such permission: its refusal reads as asset.update's. */
	[PERM_ASSET_MARK] = { "asset.update", STMT_ACCESS_ASSET_SHARE },
	[PERM_ALBUM_READ] = { "album.read", STMT_ACCESS_ALBUM_READ },
	[PERM_ALBUM_UPDATE] = { "album.update", STMT_ACCESS_ALBUM_OWNER },
	[PERM_ALBUM_DELETE] = { "album.delete", STMT_ACCESS_ALBUM_OWNER },
	[PERM_ALBUM_ASSET_CREATE] = { "albumAsset.create", STMT_ACCESS_ALBUM_EDIT },
	[PERM_ALBUM_ASSET_DELETE] = { "albumAsset.delete", STMT_ACCESS_ALBUM_EDIT },
	[PERM_PARTNER_UPDATE] = { "partner.update", STMT_ACCESS_PARTNER_UPDATE },
	[PERM_TIMELINE_READ] = { "timeline.read", STMT_ACCESS_TIMELINE_READ },
};

static int	 path_arg(struct ctx *, struct dbv *);

/*
 * Credential read -> its statements: with the credential (a pair,
 * auth_check) and the parameter arg gives it (0: the request does not ask
 * for the read), and, for a path read, alone, (me, id), after the plain
 * credential (stmts.c, PATH READS). Path reads decide asset.read, which
 * asset.view and asset.download are too.
 */
static const struct {
	enum stmt	 with_auth;
	enum stmt	 alone;
	int		(*arg)(struct ctx *, struct dbv *);
} auth_reads[AUTH_READ__MAX] = {
	[AUTH_READ_NONE] = { STMT_AUTH, STMT__MAX, NULL },
	[AUTH_READ_FILES] = { STMT_AUTH_PATH_FILES, STMT_PATH_FILES, path_arg },
	[AUTH_READ_ASSET] = { STMT_AUTH_PATH_ASSET, STMT_PATH_ASSET, path_arg },
	[AUTH_READ_MY_TIMELINE] = { STMT_AUTH_MY_TIMELINE, STMT__MAX, tl_my_timeline_read },
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

/* The route's path read, if its first requirement has one. */
static enum auth_read
route_path_read(const struct route *r)
{
	const struct access_need	*n = r->access;

	if (n == NULL || n->perm >= PERM__MAX || (unsigned)n->read >= AUTH_READ__MAX ||
	    auth_reads[n->read].alone == STMT__MAX)
		return AUTH_READ_NONE;
	return n->read;
}

/* The route's credential read: its path read, or a later requirement's. */
static enum auth_read
route_auth_read(const struct route *r)
{
	const struct access_need	*n;

	for (n = r->access; n != NULL && n->perm < PERM__MAX; n++)
		if (n->read != AUTH_READ_NONE && (unsigned)n->read < AUTH_READ__MAX)
			return n->read;
	return AUTH_READ_NONE;
}

/* A path read's parameter: the path's id (validation checks it later:
 * one that is not a UUID is bound as NULL, which no asset matches). */
static int
path_arg(struct ctx *ctx, struct dbv *arg)
{
	*arg = DBV_OPTSTR(ctx->nparams > 0 && valid_uuid4(ctx->params[0]) ?
	    ctx->params[0] : NULL);
	return 1;
}

enum stmt
access_auth_stmt(struct ctx *ctx, struct dbv *arg)
{
	enum auth_read	 ar = route_auth_read(ctx->route);

	ctx->auth_read = AUTH_READ_NONE;
	if (ar == AUTH_READ_NONE || !auth_reads[ar].arg(ctx, arg))
		return STMT_AUTH;
	ctx->auth_read = ar;
	return auth_reads[ar].with_auth;
}

/* Keep the path read's row (past skip columns) in the request's memory. */
static int
path_row_keep(struct ctx *ctx, const struct db_row *row, size_t skip)
{
	if (ctx->path_row != NULL)
		return 0;
	ctx->path_row = ctx_keep_row(ctx, row, skip);
	return ctx->path_row != NULL ? 0 : -1;
}

/* Keep one more row of the timeline read (past the access column). */
static int
read_row_keep(struct ctx *ctx, const struct db_row *row)
{
	const struct db_row	**v;

	if (ctx->nread_rows == ctx->capread_rows) {
		size_t cap = ctx->capread_rows ? ctx->capread_rows * 2 : 8;

		if ((v = ctx_alloc(ctx, cap * sizeof(*v))) == NULL)
			return -1;
		if (ctx->nread_rows > 0)
			memcpy(v, ctx->read_rows, ctx->nread_rows * sizeof(*v));
		ctx->read_rows = v;
		ctx->capread_rows = cap;
	}
	if ((ctx->read_rows[ctx->nread_rows] = ctx_keep_row(ctx, row, AUTH_NCOL + 1)) == NULL)
		return -1;
	ctx->nread_rows++;
	return 0;
}

int
access_auth_row(struct ctx *ctx, const struct db_row *row)
{
	/* The credential's columns, then the access column (stmts.h). */
	if (ctx->auth_read == AUTH_READ_NONE || row->ncol <= AUTH_NCOL + 1 ||
	    row->val[AUTH_NCOL] == NULL)
		return 0;
	if (ctx->auth_read == AUTH_READ_MY_TIMELINE)
		return read_row_keep(ctx, row);
	ctx->path_decided = 1;
	if (row->val[AUTH_NCOL][0] != '1')
		return 0;
	return path_row_keep(ctx, row, AUTH_NCOL + 1);
}

static int
path_row_alone(void *arg, const struct db_row *row)
{
	return path_row_keep(arg, row, 0);
}

/* The path read alone: its access and its row (the answers cache missed). */
static enum perr
path_read(struct ctx *ctx, const struct access_need *n, enum auth_read pr)
{
	struct dbv	 a[2] = { DBV_STR(ctx->user_id), DBV_STR(ctx->params[0]) };
	int		 rc;

	if (ctx->nparams == 0 || ctx->user_id[0] == '\0')
		return PERR_INTERNAL;
	rc = db_query(ctx->db, auth_reads[pr].alone, a, 2, path_row_alone, ctx);
	if (db_failed(rc))
		return perr_from_db(rc);
	return ctx->path_row != NULL ? PERR_NONE : access_refused(ctx, n->perm);
}

/*
 * The spec field a body or query requirement names: a UUID or a UUID array
 * of the route's input struct (routes.c; the unit suite checks each); NULL
 * when the route names no such field.
 */
const struct vfield *
access_need_field(const struct route *r, const struct access_need *n)
{
	const struct vfield	*f = n->from == FROM_BODY ? r->body :
				    n->from == FROM_QUERY ? r->query : NULL;

	for (; f != NULL && f->name != NULL; f++)
		if (strcmp(f->name, n->field) == 0)
			return f->type == VT_UUID || f->type == VT_UUID_ARRAY ? f : NULL;
	return NULL;
}

/*
 * The ids of one requirement: the path's, or those the gate's validation
 * put in the route's input struct (ctx->in). *ids NULL: none to check (an
 * optional field left out).
 */
static enum perr
need_ids(struct ctx *ctx, const struct access_need *n, const char *const **ids,
    size_t *count)
{
	const unsigned char	*in = ctx->in;
	const struct vfield	*f;
	struct vuuids		 a;
	const char		**one;

	*ids = NULL;
	*count = 0;
	if (n->from == FROM_PATH) {
		if (ctx->nparams == 0 || (one = ctx_alloc(ctx, sizeof(*one))) == NULL)
			return PERR_INTERNAL;
		one[0] = ctx->params[0];
		*ids = one;
		*count = 1;
		return PERR_NONE;
	}
	if ((f = access_need_field(ctx->route, n)) == NULL || in == NULL)
		return PERR_INTERNAL;
	if (f->type == VT_UUID_ARRAY) {
		memcpy(&a, in + f->off, sizeof(a));
		if (a.n > 0) {
			*ids = (const char *const *)a.v;
			*count = a.n;
		}
		return PERR_NONE;
	}
	if ((one = ctx_alloc(ctx, sizeof(*one))) == NULL)
		return PERR_INTERNAL;
	memcpy(one, in + f->off, sizeof(*one));
	if (one[0] != NULL) {
		*ids = one;
		*count = 1;
	}
	return PERR_NONE;
}

enum perr
access_route(struct ctx *ctx)
{
	const struct access_need	*n;
	const char *const		*ids;
	size_t				 count;
	enum perr			 e = PERR_NONE;

	for (n = ctx->route->access; e == PERR_NONE && n != NULL &&
	    n->perm < PERM__MAX; n++) {
		if (n->when != NULL && !n->when(ctx))
			continue;
		/* Decided already by the credential statement (access_auth_stmt). */
		if (n == ctx->route->access && ctx->path_decided) {
			if (ctx->path_row == NULL)
				e = access_refused(ctx, n->perm);
			continue;
		}
		if (n == ctx->route->access && route_path_read(ctx->route) != AUTH_READ_NONE) {
			e = path_read(ctx, n, n->read);
			continue;
		}
		if ((e = need_ids(ctx, n, &ids, &count)) != PERR_NONE || ids == NULL)
			continue;
		e = access_require(ctx, n->perm, ids, count);
	}
	return e;
}
