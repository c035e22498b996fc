/*
 * h_albums.c: /api/albums. Adding an asset to an album needs asset.share
 * on it (owner, or partner once partners exist); reading an album needs
 * album.read. Both come from the access rule.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "partnerd.h"
#include "access.h"
#include "assets.h"
#include "crypto.h"
#include "db.h"
#include "handlers.h"
#include "users.h"
#include "valid.h"

/* Column order of ALBUM_COLS in stmts.c; the owner's USER_COLS follow. */
enum alcol {
	ALC_ID = 0, ALC_OWNER, ALC_NAME, ALC_DESCRIPTION, ALC_CREATED, ALC_UPDATED,
	ALC_THUMB, ALC_ACTIVITY, ALC_ORDER, ALC_SEEN, ALC__MAX
};

static const char *const orders[] = { "asc", "desc", NULL };

/* POST /api/albums */
struct in_album_create {
	const char	*album_name, *description;
	struct vuuids	 asset_ids;
};
const struct vfield spec_album_create[] = {
	{ .name = "albumName", .type = VT_STRING, .required = 1, .max = 255,
	    VF_AT(struct in_album_create, album_name) },
	{ .name = "description", .type = VT_STRING, .max = 65535,
	    VF_AT(struct in_album_create, description) },
	{ .name = "assetIds", .type = VT_UUID_ARRAY, .max = 10000,
	    VF_AT(struct in_album_create, asset_ids) },
	VF_END(struct in_album_create),
};

/* PATCH /api/albums/:id */
struct in_album_update {
	const char	*album_name, *description, *thumbnail_id;
	int		 is_activity_enabled;	/* or VB_UNSET */
	int		 order;	/* index into orders, or VE_UNSET */
};
const struct vfield spec_album_update[] = {
	{ .name = "albumName", .type = VT_STRING, .max = 255,
	    VF_AT(struct in_album_update, album_name) },
	{ .name = "description", .type = VT_STRING, .max = 65535,
	    VF_AT(struct in_album_update, description) },
	{ .name = "albumThumbnailAssetId", .type = VT_UUID,
	    VF_AT(struct in_album_update, thumbnail_id) },
	{ .name = "isActivityEnabled", .type = VT_BOOL,
	    VF_AT(struct in_album_update, is_activity_enabled) },
	{ .name = "order", .type = VT_ENUM, .choices = orders,
	    VF_AT(struct in_album_update, order) },
	VF_END(struct in_album_update),
};

/* GET /api/albums: accepted; the list is every album I may see. */
struct in_album_list {
	int		 shared;
	const char	*asset_id;
};
const struct vfield spec_album_list_query[] = {
	{ .name = "shared", .type = VT_BOOL, VF_AT(struct in_album_list, shared) },
	{ .name = "assetId", .type = VT_UUID, VF_AT(struct in_album_list, asset_id) },
	VF_END(struct in_album_list),
};

/* GET /api/albums/:id */
struct in_album_get {
	int		 without_assets;	/* or VB_UNSET */
};
const struct vfield spec_album_get_query[] = {
	{ .name = "withoutAssets", .type = VT_BOOL,
	    VF_AT(struct in_album_get, without_assets) },
	VF_END(struct in_album_get),
};

/*
 * PUT /api/albums/assets does albumIds x assetIds inserts: the product is
 * capped so that one request ends well before the web server gives up.
 */
#define ALBUM_PAIRS_MAX	50000
/* Between inserts, look every this many ids whether the client is still there. */
#define GONE_EVERY	256

struct in_albums_add_assets {
	struct vuuids	 album_ids, asset_ids;
};
const struct vfield spec_albums_add_assets[] = {
	{ .name = "albumIds", .type = VT_UUID_ARRAY, .required = 1, .max = 1000,
	    VF_AT(struct in_albums_add_assets, album_ids) },
	{ .name = "assetIds", .type = VT_UUID_ARRAY, .required = 1, .max = 10000,
	    VF_AT(struct in_albums_add_assets, asset_ids) },
	VF_END(struct in_albums_add_assets),
};

struct album_rows {
	struct ctx		*ctx;
	struct json_object	*arr;
};

/* A time of ALC_SEEN ("n first last"): the one at *p, or NULL if empty. */
static struct json_object *
seen_time(const char **p)
{
	const char	*t = *p, *e = strchr(t, ' ');
	size_t		 n = e ? (size_t)(e - t) : strlen(t);

	*p = e ? e + 1 : t + n;
	return n > 0 ? json_object_new_string_len(t, (int)n) : NULL;
}

/* AlbumResponseDto from one row of the album statements. */
static int
album_row(void *arg, const struct db_row *row)
{
	struct album_rows	*r = arg;
	const char *const	*v = row->val;
	const char		*seen = v[ALC_SEEN] ? v[ALC_SEEN] : "0  ";
	struct json_object	*o = json_object_new_object(), *owner, *m, *users;

	owner = dto_user(row, ALC__MAX, 0);
	json_object_object_add(o, "id", json_object_new_string(v[ALC_ID]));
	json_object_object_add(o, "ownerId", json_object_new_string(v[ALC_OWNER]));
	json_object_object_add(o, "albumName", json_object_new_string(v[ALC_NAME]));
	json_object_object_add(o, "description", json_object_new_string(v[ALC_DESCRIPTION]));
	json_object_object_add(o, "createdAt", json_object_new_string(v[ALC_CREATED]));
	json_object_object_add(o, "updatedAt", json_object_new_string(v[ALC_UPDATED]));
	/* The cover is an asset like any other: shown only if readable. */
	json_object_object_add(o, "albumThumbnailAssetId",
	    v[ALC_THUMB] ? json_object_new_string(v[ALC_THUMB]) : NULL);
	json_object_object_add(o, "shared", json_object_new_boolean(0));
	json_object_object_add(o, "hasSharedLink", json_object_new_boolean(0));
	json_object_object_add(o, "isActivityEnabled",
	    json_object_new_boolean(v[ALC_ACTIVITY][0] == '1'));
	json_object_object_add(o, "order", json_object_new_string(v[ALC_ORDER]));
	json_object_object_add(o, "assetCount",
	    json_object_new_int64(strtoll(seen, NULL, 10)));
	seen += strcspn(seen, " ");
	if (*seen == ' ')
		seen++;
	json_object_object_add(o, "startDate", seen_time(&seen));
	json_object_object_add(o, "endDate", seen_time(&seen));
	json_object_object_add(o, "owner", owner);
	m = json_object_new_object();
	json_object_object_add(m, "user", json_object_get(owner));
	json_object_object_add(m, "role", json_object_new_string("owner"));
	users = json_object_new_array();
	json_object_array_add(users, m);
	json_object_object_add(o, "albumUsers", users);
	json_object_object_add(o, "assets", json_object_new_array());
	return json_object_array_add(r->arr, o);
}

struct asset_list {
	struct json_object	*arr;
	const char		*me;
};

static int
asset_list_row(void *arg, const struct db_row *row)
{
	struct asset_list	*l = arg;

	return json_object_array_add(l->arr, dto_asset(row));
}

/* AlbumResponseDto for one album (access already checked). */
static enum perr
respond_album(struct ctx *ctx, const char *id, int status, int with_assets)
{
	struct album_rows	 r = { ctx, json_object_new_array() };
	struct dbv		 a[2] = { DBV_STR(ctx->user_id), DBV_STR(id) };
	struct json_object	*album;
	int			 rc;

	/* The asset count covers what the caller may see, by the access rule. */
	rc = db_query(ctx->db, STMT_ALBUM_GET, a, 2, album_row, &r);
	if (rc != DB_OK) {
		json_object_put(r.arr);
		return rc == DB_NOTFOUND ? ctx_fail(ctx, PERR_BAD_REQUEST,
		    "Album not found") : perr_from_db(rc);
	}
	album = json_object_get(json_object_array_get_idx(r.arr, 0));
	json_object_put(r.arr);
	if (with_assets) {
		struct asset_list l = { json_object_new_array(), ctx->user_id };

		struct dbv b[2] = { DBV_STR(ctx->user_id), DBV_STR(id) };

		rc = db_query(ctx->db, STMT_ALBUM_ASSETS_OF, b, 2, asset_list_row, &l);
		if (db_failed(rc)) {
			json_object_put(l.arr);
			json_object_put(album);
			return perr_from_db(rc);
		}
		json_object_object_add(album, "assets", l.arr);
	}
	return resp_json(ctx->resp, status, album) ? PERR_INTERNAL : PERR_NONE;
}

/*
 * Add the asset ids to an album the caller may edit: per id, "duplicate"
 * when it is there already, "no_permission" without asset.share on it.
 * results (may be NULL) gets Immich's BulkIdResponseDto items. Returns the
 * number added, or -1 on a database error (*e set).
 */
static long
add_assets(struct ctx *ctx, const char *album, const char *const *ids, size_t n,
    struct json_object *results, enum perr *e, int *any_dup)
{
	struct json_object	*r;
	int			*share = calloc(n ? n : 1, sizeof(int));
	struct dbv		 a[3];
	const char		*first = NULL;
	long			 added = 0;
	size_t			 i, *ix = NULL;
	char			*dup = NULL;
	int			 rc;

	*e = PERR_NONE;
	if (share == NULL) {
		*e = PERR_INTERNAL;
		goto out;
	}
	if ((*e = access_filter(ctx, PERM_ASSET_SHARE, ids, n, share)) != PERR_NONE)
		goto out;
	/* A repeated id is a duplicate after its first copy (sorted: linear). */
	if ((ix = ids_sorted(ids, n)) == NULL || (dup = calloc(n ? n : 1, 1)) == NULL) {
		*e = PERR_INTERNAL;
		goto out;
	}
	for (i = 1; i < n; i++)
		if (strcmp(ids[ix[i]], ids[ix[i - 1]]) == 0)
			dup[ix[i]] = 1;
	if ((rc = db_begin(ctx->db)) != DB_OK) {
		*e = perr_from_db(rc);
		goto out;
	}
	for (i = 0; i < n; i++) {
		const char	*err = NULL;
		uint64_t	 changed = 0;

		/* Nobody waits for the answer: stop, and keep nothing. */
		if (i % GONE_EVERY == GONE_EVERY - 1 && req_gone(ctx->req)) {
			db_rollback(ctx->db);
			log_warn("cid=%s client went away: album add stopped", ctx->cid);
			*e = ctx_fail(ctx, PERR_BAD_REQUEST, "Client went away");
			goto out;
		}
		if (dup[i])
			err = "duplicate";
		if (err == NULL && !share[i])
			err = "no_permission";
		if (err == NULL) {
			a[0] = DBV_STR(album);
			a[1] = DBV_STR(ids[i]);
			a[2] = DBV_STR(ctx->user_id);	/* who put it there (sql/009) */
			/* INSERT IGNORE: a row already there changes nothing. */
			if ((rc = db_exec(ctx->db, STMT_ALBUM_ASSET_INSERT, a, 3,
			    &changed)) != DB_OK) {
				db_rollback(ctx->db);
				*e = perr_from_db(rc);
				goto out;
			}
			if (changed == 0)
				err = "duplicate";
			else {
				added++;
				if (first == NULL)
					first = ids[i];
			}
		}
		if (err != NULL && strcmp(err, "duplicate") == 0 && any_dup)
			*any_dup = 1;
		if (results != NULL) {
			r = json_object_new_object();
			json_object_object_add(r, "id", json_object_new_string(ids[i]));
			json_object_object_add(r, "success", json_object_new_boolean(err == NULL));
			if (err != NULL)
				json_object_object_add(r, "error", json_object_new_string(err));
			json_object_array_add(results, r);
		}
	}
	if (added > 0) {
		a[0] = DBV_STR(first);
		a[1] = DBV_STR(album);
		if ((rc = db_exec(ctx->db, STMT_ALBUM_TOUCH, a, 2, NULL)) != DB_OK) {
			db_rollback(ctx->db);
			*e = perr_from_db(rc);
			goto out;
		}
	}
	if ((rc = db_commit(ctx->db)) != DB_OK)
		*e = perr_from_db(rc);
out:
	free(share);
	free(ix);
	free(dup);
	return *e == PERR_NONE ? added : -1;
}

enum perr
h_albums_create(struct ctx *ctx)
{
	const struct in_album_create *b = ctx->in;
	char		 id[37];
	struct dbv	 a[4];
	enum perr	 e;
	int		 rc;

	uuid_v4(id);
	a[0] = DBV_STR(id);
	a[1] = DBV_STR(ctx->user_id);
	a[2] = DBV_STR(b->album_name);
	a[3] = DBV_STR(b->description ? b->description : "");
	if ((rc = db_begin(ctx->db)) != DB_OK)
		return perr_from_db(rc);
	rc = db_exec(ctx->db, STMT_ALBUM_INSERT, a, 4, NULL);
	if (rc == DB_OK) {
		/* In Immich v3 the owner is also a member, with role owner. */
		a[0] = DBV_STR(id);
		a[1] = DBV_STR(ctx->user_id);
		a[2] = DBV_STR("owner");
		rc = db_exec(ctx->db, STMT_ALBUM_USER_INSERT, a, 3, NULL);
	}
	if (rc == DB_OK)
		rc = db_commit(ctx->db);
	else
		db_rollback(ctx->db);
	if (rc != DB_OK)
		return perr_from_db(rc);
	if (b->asset_ids.n > 0 && add_assets(ctx, id, b->asset_ids.v,
	    b->asset_ids.n, NULL, &e, NULL) < 0)
		return e;
	return respond_album(ctx, id, 201, 1);
}

enum perr
h_albums_list(struct ctx *ctx)
{
	struct album_rows	 r = { ctx, json_object_new_array() };
	struct dbv		 a[1] = { DBV_STR(ctx->user_id) };
	int			 rc;

	rc = db_query(ctx->db, STMT_ALBUM_LIST, a, 1, album_row, &r);
	if (db_failed(rc)) {
		json_object_put(r.arr);
		return perr_from_db(rc);
	}
	return resp_json(ctx->resp, 200, r.arr) ? PERR_INTERNAL : PERR_NONE;
}

enum perr
h_albums_get(struct ctx *ctx)
{
	const struct in_album_get *q = ctx->in;

	return respond_album(ctx, ctx->params[0], 200, q->without_assets != 1);
}

enum perr
h_albums_update(struct ctx *ctx)
{
	const struct in_album_update *b = ctx->in;
	struct dbv		 a[7];
	int			 rc;

	/* The gate checked album.update, and asset.share of the cover. */
	a[0] = DBV_OPTSTR(b->album_name);
	a[1] = DBV_OPTSTR(b->description);
	a[2] = DBV_INT(b->thumbnail_id != NULL);
	a[3] = DBV_OPTSTR(b->thumbnail_id);
	a[4] = b->is_activity_enabled != VB_UNSET ?
	    DBV_INT(b->is_activity_enabled) : DBV_NULL;
	a[5] = DBV_OPTSTR(b->order != VE_UNSET ? orders[b->order] : NULL);
	a[6] = DBV_STR(ctx->params[0]);
	if ((rc = db_exec(ctx->db, STMT_ALBUM_UPDATE, a, 7, NULL)) != DB_OK)
		return perr_from_db(rc);
	return respond_album(ctx, ctx->params[0], 200, 0);
}

enum perr
h_albums_delete(struct ctx *ctx)
{
	struct dbv	 a[1] = { DBV_STR(ctx->params[0]) };
	int		 rc;

	if ((rc = db_exec(ctx->db, STMT_ALBUM_DELETE, a, 1, NULL)) != DB_OK)
		return perr_from_db(rc);
	ctx->resp->status = 204;
	return PERR_NONE;
}

enum perr
h_albums_add_assets(struct ctx *ctx)
{
	const struct in_asset_ids *b = ctx->in;
	struct json_object	*results;
	enum perr		 e;

	results = json_object_new_array();
	if (add_assets(ctx, ctx->params[0], b->ids.v, b->ids.n, results, &e,
	    NULL) < 0) {
		json_object_put(results);
		return e;
	}
	return resp_json(ctx->resp, 200, results) ? PERR_INTERNAL : PERR_NONE;
}

enum perr
h_albums_remove_assets(struct ctx *ctx)
{
	const struct in_asset_ids *b = ctx->in;
	const char *const	*ids = b->ids.v;
	struct json_object	*results, *r;
	struct dbv		 a[2];
	size_t			 i, n = b->ids.n;
	uint64_t		 changed;
	int			 rc;

	results = json_object_new_array();
	for (i = 0; i < n; i++) {
		a[0] = DBV_STR(ctx->params[0]);
		a[1] = DBV_STR(ids[i]);
		changed = 0;
		if ((rc = db_exec(ctx->db, STMT_ALBUM_ASSET_DELETE, a, 2, &changed)) != DB_OK) {
			json_object_put(results);
			return perr_from_db(rc);
		}
		r = json_object_new_object();
		json_object_object_add(r, "id", json_object_new_string(ids[i]));
		json_object_object_add(r, "success", json_object_new_boolean(changed > 0));
		if (changed == 0)
			json_object_object_add(r, "error", json_object_new_string("not_found"));
		json_object_array_add(results, r);
	}
	return resp_json(ctx->resp, 200, results) ? PERR_INTERNAL : PERR_NONE;
}

enum perr
h_albums_add_assets_many(struct ctx *ctx)
{
	const struct in_albums_add_assets *b = ctx->in;
	const char		**albums = b->album_ids.v, **assets = b->asset_ids.v;
	size_t			 na = b->album_ids.n, nas = b->asset_ids.n, i;
	struct json_object	*o;
	long			 added = 0, got;
	int			*editable = NULL, any_dup = 0;
	enum perr		 e;

	if (na * nas > ALBUM_PAIRS_MAX) {
		e = ctx_fail(ctx, PERR_BAD_REQUEST, "Too many album and asset pairs: "
		    "albumIds x assetIds must be at most %d", ALBUM_PAIRS_MAX);
		goto out;
	}
	editable = calloc(na ? na : 1, sizeof(int));
	if (editable == NULL) {
		e = PERR_INTERNAL;
		goto out;
	}
	if ((e = access_filter(ctx, PERM_ALBUM_ASSET_CREATE, albums, na, editable)) != PERR_NONE)
		goto out;
	for (i = 0; i < na; i++) {
		if (!editable[i])
			continue;
		if ((got = add_assets(ctx, albums[i], assets, nas, NULL, &e, &any_dup)) < 0)
			goto out;
		added += got;
	}
	o = json_object_new_object();
	json_object_object_add(o, "success", json_object_new_boolean(added > 0));
	if (added == 0)
		json_object_object_add(o, "error", json_object_new_string(
		    any_dup ? "duplicate" : "no_permission"));
	e = resp_json(ctx->resp, 200, o) ? PERR_INTERNAL : PERR_NONE;
out:
	free(editable);
	return e;
}
