/*
 * h_assets.c: /api/assets and /api/trash: upload, read, download through
 * the web server, update, trash and delete. Every id goes through the
 * access rule (access.c) before anything else happens to it.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <json-c/json.h>
#include <sodium.h>

#include "partnerd.h"
#include "access.h"
#include "assets.h"
#include "db.h"
#include "geodata.h"
#include "handlers.h"
#include "multipart.h"
#include "sendfile.h"
#include "store.h"
#include "users.h"
#include "valid.h"

/*
 * The text parts of an upload are held in memory until the body ends, so
 * they are bounded as they arrive: together at most FIELDS_MAX bytes (Immich
 * sends a few hundred), only names the spec knows, each once, and at most
 * PARTS_MAX parts in all. Anything else is refused before the next byte.
 */
#define FIELDS_MAX	16384
#define PARTS_MAX	16

static long long	 parse_duration(const char *);

/* A duration as v3 (milliseconds) or v2 ("H:MM:SS.ffffff") sends it. */
static int
duration_ok(const char *s)
{
	return parse_duration(s) != -2;
}

/* Multipart fields of POST /api/assets, checked as strings (query mode). */
struct in_upload {
	struct vdate	 created, modified;
	const char	*duration, *file_name;
	int		 is_favorite;	/* or VB_UNSET */
	int		 visibility;	/* index into visibilities, or VE_UNSET */
	const char	*live_photo_video_id, *metadata;
	const char	*device_asset_id, *device_id;	/* v2's: ignored */
};
static const struct vfield spec_upload[] = {
	{ .name = "fileCreatedAt", .type = VT_DATE, .required = 1, .max = 64, .min = 1,
	    VF_AT(struct in_upload, created) },
	{ .name = "fileModifiedAt", .type = VT_DATE, .required = 1, .max = 64, .min = 1,
	    VF_AT(struct in_upload, modified) },
	{ .name = "duration", .type = VT_STRING, .max = 64, .check = duration_ok,
	    .check_msg = "Invalid duration", VF_AT(struct in_upload, duration) },
	{ .name = "filename", .type = VT_STRING, .max = 255, .min = 1,
	    VF_AT(struct in_upload, file_name) },
	{ .name = "isFavorite", .type = VT_BOOL, VF_AT(struct in_upload, is_favorite) },
	{ .name = "visibility", .type = VT_ENUM, .choices = visibilities,
	    VF_AT(struct in_upload, visibility) },
	{ .name = "livePhotoVideoId", .type = VT_UUID,
	    VF_AT(struct in_upload, live_photo_video_id) },
	{ .name = "metadata", .type = VT_STRING, .max = FIELDS_MAX,
	    VF_AT(struct in_upload, metadata) },
	/* Immich v2's fields: accepted and ignored. */
	{ .name = "deviceAssetId", .type = VT_STRING, .max = 1024,
	    VF_AT(struct in_upload, device_asset_id) },
	{ .name = "deviceId", .type = VT_STRING, .max = 1024,
	    VF_AT(struct in_upload, device_id) },
	VF_END(struct in_upload),
};

const struct vfield spec_asset_ids[] = {
	{ .name = "ids", .type = VT_UUID_ARRAY, .required = 1, .max = 10000,
	    VF_AT(struct in_asset_ids, ids) },
	VF_END(struct in_asset_ids),
};

/* DELETE /api/assets */
struct in_asset_delete {
	struct vuuids	 ids;
	int		 force;	/* or VB_UNSET */
};
const struct vfield spec_asset_delete[] = {
	{ .name = "ids", .type = VT_UUID_ARRAY, .required = 1, .max = 10000,
	    VF_AT(struct in_asset_delete, ids) },
	{ .name = "force", .type = VT_BOOL, VF_AT(struct in_asset_delete, force) },
	VF_END(struct in_asset_delete),
};

/* PUT/PATCH /api/assets (with ids) and PUT /api/assets/:id */
struct in_asset_update {
	struct vuuids	 ids;	/* bulk only */
	int		 is_favorite;	/* or VB_UNSET */
	int		 visibility;	/* index into visibilities, or VE_UNSET */
	struct vdate	 date_time_original;
	double		 latitude, longitude;
	int		 latitude_set, longitude_set;
	const char	*description;
	int		 description_set;
	int64_t		 rating;
	int		 rating_set;	/* present; null clears it */
	int		 duplicate_set, live_photo_set;	/* accepted, present */
	const char	*duplicate_id, *live_photo_video_id;
};
#define POSITION_MSG "Latitude must be within -90..90 and longitude within -180..180"
#define ASSET_UPDATE_FIELDS \
	{ .name = "isFavorite", .type = VT_BOOL, VF_AT(struct in_asset_update, is_favorite) }, \
	{ .name = "visibility", .type = VT_ENUM, .choices = visibilities, \
	    VF_AT(struct in_asset_update, visibility) }, \
	{ .name = "dateTimeOriginal", .type = VT_DATE, .max = 64, \
	    VF_AT(struct in_asset_update, date_time_original) }, \
	{ .name = "latitude", .type = VT_NUMBER, .range = 1, .lo = -90, .hi = 90, \
	    .range_msg = POSITION_MSG, VF_AT(struct in_asset_update, latitude), \
	    VF_SET(struct in_asset_update, latitude_set) }, \
	{ .name = "longitude", .type = VT_NUMBER, .range = 1, .lo = -180, .hi = 180, \
	    .range_msg = POSITION_MSG, VF_AT(struct in_asset_update, longitude), \
	    VF_SET(struct in_asset_update, longitude_set) }, \
	{ .name = "description", .type = VT_STRING, .max = 65535, \
	    VF_AT(struct in_asset_update, description), \
	    VF_SET(struct in_asset_update, description_set) }, \
	{ .name = "rating", .type = VT_INT, .max = 5, .nullable = 1, \
	    VF_AT(struct in_asset_update, rating), \
	    VF_SET(struct in_asset_update, rating_set) }

const struct vfield spec_asset_bulk_update[] = {
	{ .name = "ids", .type = VT_UUID_ARRAY, .required = 1, .max = 10000,
	    VF_AT(struct in_asset_update, ids) },
	ASSET_UPDATE_FIELDS,
	{ .name = "duplicateId", .type = VT_STRING, .max = 64, .nullable = 1,
	    VF_AT(struct in_asset_update, duplicate_id),
	    VF_SET(struct in_asset_update, duplicate_set) },
	VF_END(struct in_asset_update),
};

const struct vfield spec_asset_update[] = {
	ASSET_UPDATE_FIELDS,
	{ .name = "livePhotoVideoId", .type = VT_UUID, .nullable = 1,
	    VF_AT(struct in_asset_update, live_photo_video_id),
	    VF_SET(struct in_asset_update, live_photo_set) },
	VF_END(struct in_asset_update),
};

enum thumb_size { TS_THUMBNAIL, TS_PREVIEW, TS_FULLSIZE, TS__MAX };
static const char *const sizes[TS__MAX + 1] = {
	[TS_THUMBNAIL] = "thumbnail", [TS_PREVIEW] = "preview", [TS_FULLSIZE] = "fullsize",
};

/* GET /api/assets/:id/thumbnail */
struct in_thumbnail {
	int		 size;	/* enum thumb_size, or VE_UNSET */
	int		 edited;	/* or VB_UNSET */
};
const struct vfield spec_thumbnail_query[] = {
	{ .name = "size", .type = VT_ENUM, .choices = sizes, VF_AT(struct in_thumbnail, size) },
	{ .name = "edited", .type = VT_BOOL, VF_AT(struct in_thumbnail, edited) },
	VF_END(struct in_thumbnail),
};

/* ---- upload ----------------------------------------------------------- */

struct upload {
	struct ctx		*ctx;
	struct sink		 sink;
	int			 sink_open;
	enum { P_NONE, P_FILE, P_FIELD, P_SKIP } part;
	int			 file_seen;
	char			 name[64];
	char			 file_name[256];
	unsigned		 parts;
	size_t			 text;	/* bytes of text parts so far */
	struct pbuf		 field;
	struct json_object	*fields;
	enum perr		 err;
};

static int
up_begin(void *arg, const char *name, const char *filename, const char *ctype)
{
	struct upload	*u = arg;

	(void)ctype;
	if (++u->parts > PARTS_MAX) {
		u->err = ctx_fail(u->ctx, PERR_BAD_REQUEST, "Too many multipart parts");
		return -1;
	}
	if (strcmp(name, "assetData") == 0) {
		if (u->file_seen || u->sink_open) {
			u->err = ctx_fail(u->ctx, PERR_BAD_REQUEST, "Only one assetData");
			return -1;
		}
		if (sink_open(&u->sink, u->ctx->app->conf->media_dir,
		    u->ctx->app->conf->max_upload) != 0) {
			log_err("upload: cannot create a temporary file in %s/tmp",
			    u->ctx->app->conf->media_dir);
			u->err = PERR_INTERNAL;
			return -1;
		}
		u->sink_open = 1;
		snprintf(u->file_name, sizeof(u->file_name), "%s", filename ? filename : "");
		u->part = P_FILE;
	} else if (strcmp(name, "sidecarData") == 0)
		u->part = P_SKIP;	/* XMP sidecars are not kept */
	else {
		const struct vfield	*f;
		char			 msg[160];

		for (f = spec_upload; f->name != NULL; f++)
			if (strcmp(f->name, name) == 0)
				break;
		if (f->name == NULL) {
			snprintf(msg, sizeof(msg), "Unrecognized key: \"%.100s\"", name);
			u->err = ctx_invalid(u->ctx, NULL, "unrecognized_keys", msg);
			return -1;
		}
		if (json_object_object_get_ex(u->fields, name, NULL)) {
			u->err = ctx_invalid(u->ctx, name, "invalid_type",
			    "Invalid input: expected string, received array");
			return -1;
		}
		snprintf(u->name, sizeof(u->name), "%s", name);
		pbuf_reset(&u->field);
		u->part = P_FIELD;
	}
	return 0;
}

static int
up_data(void *arg, const char *p, size_t n)
{
	struct upload	*u = arg;

	switch (u->part) {
	case P_FILE:
		if (sink_write(&u->sink, p, n) != 0) {
			if (u->sink.size + n > u->sink.limit)
				u->err = PERR_TOO_LARGE;
			else {
				log_err("upload: cannot write to %s/tmp%s",
				    u->ctx->app->conf->media_dir,
				    u->sink.full ? ": the disk is full" : "");
				u->err = PERR_INTERNAL;
			}
			return -1;
		}
		return 0;
	case P_FIELD:
		if ((u->text += n) > FIELDS_MAX) {
			u->err = ctx_fail(u->ctx, PERR_TOO_LARGE,
			    "Multipart text fields are too large");
			return -1;
		}
		return pbuf_add(&u->field, p, n);
	default:
		return 0;
	}
}

static int
up_end(void *arg)
{
	struct upload	*u = arg;

	if (u->part == P_FILE)
		u->file_seen = 1;
	else if (u->part == P_FIELD) {
		json_object_object_add(u->fields, u->name, json_object_new_string_len(
		    u->field.data ? u->field.data : "", (int)u->field.len));
	}
	u->part = P_NONE;
	return 0;
}

static const struct mp_callbacks up_callbacks = { up_begin, up_data, up_end };

/* The x-immich-checksum header: 40 hex digits or base64 of 20 bytes. */
static int
header_sha1(const char *h, unsigned char sha1[SHA1_LEN])
{
	size_t	 len = 0;

	if (h == NULL)
		return -1;
	if (strlen(h) == 40)
		return sodium_hex2bin(sha1, SHA1_LEN, h, 40, NULL, &len, NULL) == 0 &&
		    len == SHA1_LEN ? 0 : -1;
	return sodium_base642bin(sha1, SHA1_LEN, h, strlen(h), NULL, &len, NULL,
	    sodium_base64_VARIANT_ORIGINAL) == 0 && len == SHA1_LEN ? 0 : -1;
}

/* v3 sends milliseconds; v2 sent "H:MM:SS.ffffff". -1 when neither. */
static long long
parse_duration(const char *s)
{
	unsigned	 h, m;
	double		 sec;
	char		*end;
	long long	 ms;

	if (s == NULL || *s == '\0')
		return -1;
	/* The column is an INT of milliseconds: about 24 days at most. */
	errno = 0;
	ms = strtoll(s, &end, 10);
	if (*end == '\0')
		return errno == 0 && ms >= 0 && ms <= INT32_MAX ? ms : -2;
	if (sscanf(s, "%u:%u:%lf", &h, &m, &sec) == 3 && h < 596 && m < 60 &&
	    sec >= 0 && sec < 61)
		return (long long)h * 3600000 + (long long)m * 60000 + (long long)(sec * 1000);
	return -2;
}

static enum perr
respond_created(struct ctx *ctx, const char *id, int dup)
{
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(id));
	json_object_object_add(o, "status", json_object_new_string(dup ? "duplicate" : "created"));
	return resp_json(ctx->resp, dup ? 200 : 201, o) ? PERR_INTERNAL : PERR_NONE;
}

/*
 * Is the body arriving too slowly? After upload_idle_timeout seconds it
 * must average upload_min_rate bytes a second, so a client trickling a byte
 * at a time cannot hold a thread (each read also times out on its own).
 */
static int
upload_too_slow(const struct conf *c, const struct timespec *start,
    unsigned long long got)
{
	struct timespec	 now;
	double		 t;

	clock_gettime(CLOCK_MONOTONIC, &now);
	t = (double)(now.tv_sec - start->tv_sec) - c->upload_idle_timeout;
	return t > 0 && (double)got < t * (double)c->upload_min_rate;
}

enum perr
h_assets_upload(struct ctx *ctx)
{
	const struct conf	*c = ctx->app->conf;
	const char		*ct = req_param(ctx->req, "CONTENT_TYPE");
	const char		*cl = req_param(ctx->req, "CONTENT_LENGTH");
	unsigned char		 early[SHA1_LEN];
	/* Without a length (chunked, streamed), read to the end, within the cap. */
	int			 sized = cl != NULL && *cl != '\0';
	unsigned long long	 left = sized ? strtoull(cl, NULL, 10) : 0, got_all = 0;
	struct timespec		 start;
	struct upload		 u;
	struct in_upload	 up;
	struct ingest		 in;
	struct mp_parser	*mp = NULL;
	char			 boundary[MP_MAX_BOUNDARY + 1], chunk[65536], id[37];
	const char		*msg, *s;
	ssize_t			 got;
	enum perr		 e = PERR_NONE;
	int			 dup;

	clock_gettime(CLOCK_MONOTONIC, &start);
	/* A known file is answered before its body is stored. */
	if (header_sha1(req_param(ctx->req, "HTTP_X_IMMICH_CHECKSUM"), early) == 0 &&
	    asset_find_checksum(ctx->db, ctx->user_id, early, id) == 0)
		return respond_created(ctx, id, 1);
	if (mp_boundary(ct, boundary, sizeof(boundary)) != 0)
		return ctx_fail(ctx, PERR_BAD_REQUEST,
		    "Content-Type must be multipart/form-data");
	if (left > c->max_upload + FIELDS_MAX)
		return PERR_TOO_LARGE;

	memset(&u, 0, sizeof(u));
	u.ctx = ctx;
	u.fields = json_object_new_object();
	if ((mp = mp_new(boundary, &up_callbacks, &u)) == NULL) {
		e = PERR_INTERNAL;
		goto out;
	}
	/* Stream the body: the file goes to disk as it arrives. */
	while (!sized || left > 0) {
		got = ctx->req->read(ctx->req->io, chunk,
		    sized && left < sizeof(chunk) ? (size_t)left : sizeof(chunk));
		if (got == 0 && !sized)
			break;	/* the end of a body sent without a length */
		if (got <= 0) {
			/* The client went away mid-body or stopped: keep nothing. */
			e = upload_too_slow(c, &start, got_all) || got < 0 ?
			    ctx_fail(ctx, PERR_TIMEOUT, "Request body too slow or incomplete") :
			    ctx_fail(ctx, PERR_BAD_REQUEST, "Incomplete request body");
			goto out;
		}
		left -= sized ? (unsigned long long)got : 0;
		if ((got_all += (unsigned long long)got) > c->max_upload + FIELDS_MAX) {
			e = PERR_TOO_LARGE;
			goto out;
		}
		if (mp_feed(mp, chunk, (size_t)got) != 0) {
			e = u.err != PERR_NONE ? u.err :
			    ctx_fail(ctx, PERR_BAD_REQUEST, "Malformed multipart body");
			goto out;
		}
		if (upload_too_slow(c, &start, got_all)) {
			e = ctx_fail(ctx, PERR_TIMEOUT, "Request body too slow");
			goto out;
		}
	}
	if (mp_done(mp) != 0) {
		e = ctx_fail(ctx, PERR_BAD_REQUEST, "Malformed multipart body");
		goto out;
	}
	if (!u.file_seen)
		ctx_invalid(ctx, "assetData", "invalid_type",
		    "Invalid input: expected file, received undefined");
	else if (!valid_utf8(u.file_name, strlen(u.file_name)))
		ctx_invalid(ctx, "assetData", "invalid_format",
		    "Invalid input: file name is not valid UTF-8");
	if ((e = valid_into(ctx, spec_upload, u.fields, 1, &up)) != PERR_NONE ||
	    ctx->errors != NULL) {
		if (e != PERR_INTERNAL)
			e = PERR_VALIDATION;
		goto out;
	}

	memset(&in, 0, sizeof(in));
	in.owner_id = ctx->user_id;
	in.created_ms = up.created.ms;
	in.created_off = up.created.offset_min;
	in.modified_ms = up.modified.ms;
	in.duration_ms = parse_duration(up.duration);
	if (sink_close(&u.sink, in.sha1) != 0) {
		log_err("upload: cannot flush to %s/tmp%s", c->media_dir,
		    u.sink.full ? ": the disk is full" : "");
		e = PERR_INTERNAL;
		goto out;
	}
	snprintf(in.tmp_path, sizeof(in.tmp_path), "%s", u.sink.path);
	u.sink.path[0] = '\0';	/* asset_ingest owns the file now */
	u.sink_open = 0;
	in.size = u.sink.size;
	s = up.file_name;
	snprintf(in.file_name, sizeof(in.file_name), "%s",
	    s && *s ? s : u.file_name[0] ? u.file_name : "upload");
	in.is_favorite = up.is_favorite == 1;
	in.visibility = up.visibility != VE_UNSET ? visibilities[up.visibility] : NULL;
	in.live_photo_video_id = up.live_photo_video_id;
	e = asset_ingest(ctx->db, c, &in, id, &dup, &msg);
	if (e == PERR_NONE)
		e = respond_created(ctx, id, dup);
	else if (msg != NULL)
		e = ctx_fail(ctx, e, "%s", msg);
out:
	if (u.sink_open)
		sink_abort(&u.sink);
	mp_free(mp);
	pbuf_free(&u.field);
	json_object_put(u.fields);
	return e;
}

/* ---- read --------------------------------------------------------------- */

struct one_asset {
	struct json_object	*dto;
	const char		*me;
};

static int
one_asset_row(void *arg, const struct db_row *row)
{
	struct one_asset	*a = arg;

	if (a->dto == NULL)
		a->dto = dto_asset(row);
	return 0;
}

/* The asset as the caller sees it (access already checked). */
static enum perr
respond_asset(struct ctx *ctx, const char *id)
{
	struct one_asset	 a = { NULL, ctx->user_id };
	struct dbv		 arg[2] = { DBV_STR(ctx->user_id), DBV_STR(id) };
	int			 rc;

	rc = db_query(ctx->db, STMT_ASSET_GET, arg, 2, one_asset_row, &a);
	if (rc == DB_NOTFOUND)
		return ctx_fail(ctx, PERR_BAD_REQUEST, "Not found or no asset.read access");
	if (rc != DB_OK)
		return perr_from_db(rc);
	return resp_json(ctx->resp, 200, a.dto) ? PERR_INTERNAL : PERR_NONE;
}

/* The asset the gate read with its access (routes.c: AUTH_READ_ASSET). */
enum perr
h_assets_get(struct ctx *ctx)
{
	if (ctx->path_row == NULL)
		return PERR_INTERNAL;
	return resp_json(ctx->resp, 200, dto_asset(ctx->path_row)) ?
	    PERR_INTERNAL : PERR_NONE;
}

/* The asset's files: the path row's columns (PATH_FILES_COLS in
 * stmts.c, in this order), alive as long as the request. */
enum fcol { FC_ORIGINAL = 0, FC_THUMB, FC_PREVIEW, FC_MIME, FC_NAME, FC__MAX };
struct files {
	const char	*original, *thumb, *preview, *mime, *name;
};

/*
 * Hand the file to the web server: X-Accel-Redirect (nginx, an internal
 * location) or X-Sendfile (Apache). It sends the bytes with ETag, Range
 * and Last-Modified; the worker never reads them.
 */
static enum perr
send_file(struct ctx *ctx, const char *rel, const char *mime, const char *disposition)
{
	const struct conf	*c = ctx->app->conf;
	char			 v[2048];

	if (rel[0] == '\0' || strstr(rel, "..") != NULL)
		return PERR_INTERNAL;
	if (strcasecmp(c->media_sendfile, "worker") == 0) {	/* no web server help */
		store_abs(v, sizeof(v), c->media_dir, rel);
		return sendfile_answer(ctx, v, mime, disposition);
	}
	if (strcasecmp(c->media_sendfile, "x-sendfile") == 0) {
		store_abs(v, sizeof(v), c->media_dir, rel);
		resp_header(ctx->resp, "X-Sendfile", v);
	} else {
		snprintf(v, sizeof(v), "%s/%s", c->media_uri, rel);
		resp_header(ctx->resp, "X-Accel-Redirect", v);
	}
	if (disposition != NULL)
		resp_header(ctx->resp, "Content-Disposition", disposition);
	/*
	 * Revalidated every time: the access decision can change (archived,
	 * partner share ended) and the browser must not keep showing the file.
	 * The web server's ETag makes an unchanged file's revalidation a 304.
	 */
	resp_header(ctx->resp, "Cache-Control", "private, no-cache, no-transform");
	ctx->resp->status = 200;
	/* mime may live on the caller's stack: the response keeps a copy. */
	snprintf(ctx->resp->ctype_buf, sizeof(ctx->resp->ctype_buf), "%s", mime);
	ctx->resp->content_type = ctx->resp->ctype_buf;
	ctx->resp->no_length = 1;
	pbuf_reset(&ctx->resp->body);
	return PERR_NONE;
}

/* The asset's files, which the gate read with the route's access
 * (routes.c: AUTH_READ_FILES, the columns of STMT_PATH_FILES). */
static enum perr
load_files(struct ctx *ctx, struct files *f)
{
	const struct db_row	*r = ctx->path_row;

	if (r == NULL || r->ncol < FC__MAX || r->val[FC_ORIGINAL] == NULL ||
	    r->val[FC_MIME] == NULL || r->val[FC_NAME] == NULL)
		return PERR_INTERNAL;
	f->original = r->val[FC_ORIGINAL];
	f->thumb = r->val[FC_THUMB] != NULL ? r->val[FC_THUMB] : "";
	f->preview = r->val[FC_PREVIEW] != NULL ? r->val[FC_PREVIEW] : "";
	f->mime = r->val[FC_MIME];
	f->name = r->val[FC_NAME];
	return PERR_NONE;
}

enum perr
h_assets_original(struct ctx *ctx)
{
	struct files	 f;
	char		 disp[600], safe[256];
	size_t		 i;
	enum perr	 e;

	if ((e = load_files(ctx, &f)) != PERR_NONE)
		return e;
	/* A quoted-string that cannot break out of its header. */
	for (i = 0; f.name[i] != '\0' && i < sizeof(safe) - 1; i++)
		safe[i] = (unsigned char)f.name[i] < 0x20 || f.name[i] == '"' ||
		    f.name[i] == '\\' || (unsigned char)f.name[i] > 0x7e ? '_' : f.name[i];
	safe[i] = '\0';
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", safe);
	return send_file(ctx, f.original, strcmp(f.mime, "") ? f.mime :
	    "application/octet-stream", disp);
}

enum perr
h_assets_thumbnail(struct ctx *ctx)
{
	const struct in_thumbnail *q = ctx->in;
	struct files	 f;
	enum perr	 e;

	if ((e = load_files(ctx, &f)) != PERR_NONE)
		return e;
	if (q->size == VE_UNSET || q->size == TS_THUMBNAIL)
		return send_file(ctx, f.thumb, "image/webp", NULL);
	return send_file(ctx, f.preview, "image/jpeg", NULL);
}

/*
 * The video itself, for the player: the web server sends it with Range
 * (seeking), the same way as an original, but inline. No transcoding: what
 * the browser cannot play stays downloadable as the original.
 */
enum perr
h_assets_playback(struct ctx *ctx)
{
	struct files	 f;
	enum perr	 e;

	if ((e = load_files(ctx, &f)) != PERR_NONE)
		return e;
	if (strncmp(f.mime, "video/", 6) != 0)
		return ctx_fail(ctx, PERR_BAD_REQUEST, "Asset is not a video");
	return send_file(ctx, f.original, f.mime, "inline");
}

/* ---- update ------------------------------------------------------------- */

/*
 * Is the update body my own marks alone (sql/050, README "Beyond Immich"):
 * isFavorite and/or visibility archive or timeline, and nothing else but
 * the ids? Then the route (routes.c, MARKS) lets it name partners' assets
 * too; for those it sets my marks, never the owner's columns.
 */
int
asset_marks_only(const struct ctx *ctx)
{
	const struct in_asset_update *b = ctx->in;

	if (b == NULL)
		return 0;
	if (b->date_time_original.s != NULL || b->latitude_set || b->longitude_set ||
	    b->description_set || b->rating_set || b->duplicate_set ||
	    b->live_photo_set)
		return 0;
	if (b->visibility != VE_UNSET)
		return strcmp(visibilities[b->visibility], "archive") == 0 ||
		    strcmp(visibilities[b->visibility], "timeline") == 0;
	return b->is_favorite != VB_UNSET;
}

int
asset_not_marks_only(const struct ctx *ctx)
{
	return !asset_marks_only(ctx);
}

/*
 * Split ids (which the gate let through) into mine and, for a marks-only
 * body, partners' (whose marks are mine); per-request memory. PERR_NONE or
 * a database error.
 */
static enum perr
split_ids(struct ctx *ctx, const struct vuuids *ids, struct vuuids *mine,
    struct vuuids *theirs)
{
	size_t		 i, n = ids->n;
	int		*own;
	enum perr	 e;

	*mine = *ids;	/* the gate required asset.update of all */
	theirs->n = 0;
	theirs->v = NULL;
	if (!asset_marks_only(ctx))
		return PERR_NONE;
	mine->v = ctx_alloc(ctx, (n ? n : 1) * sizeof(*mine->v));
	theirs->v = ctx_alloc(ctx, (n ? n : 1) * sizeof(*theirs->v));
	own = ctx_alloc(ctx, (n ? n : 1) * sizeof(*own));
	if (mine->v == NULL || theirs->v == NULL || own == NULL)
		return PERR_INTERNAL;
	if ((e = access_filter(ctx, PERM_ASSET_UPDATE, ids->v, n, own)) != PERR_NONE)
		return e;
	for (mine->n = 0, i = 0; i < n; i++)
		if (own[i])
			mine->v[mine->n++] = ids->v[i];
		else
			theirs->v[theirs->n++] = ids->v[i];
	return PERR_NONE;
}

/* Apply an update body to the ids (access already checked), in one transaction. */
static enum perr
apply_update(struct ctx *ctx, const struct vuuids *ids)
{
	const struct in_asset_update *b = ctx->in;
	const struct vdate	*dto = &b->date_time_original;
	char			 created[48], local[48], taken[48], zone[16];
	char			 lat[32], lon[32], rating[8];
	struct geo_place	 place;
	const char		*idtext, *theirtext;
	struct vuuids		 mine, theirs;
	enum perr		 e;
	int			 off, has_lat, rc;

	/* The spec checked each number's range; a position needs both. */
	if (b->latitude_set != b->longitude_set)
		return ctx_fail(ctx, PERR_BAD_REQUEST,
		    "latitude and longitude must be given together");
	if ((has_lat = b->latitude_set)) {
		snprintf(lat, sizeof(lat), "%.7f", b->latitude);
		snprintf(lon, sizeof(lon), "%.7f", b->longitude);
	}
	if (dto->s != NULL) {
		off = dto->offset_min;
		dt_format(dto->ms, created);
		dt_format(dto->ms + (long long)off * 60000, local);
		snprintf(taken, sizeof(taken), "%s", created);
		snprintf(zone, sizeof(zone), "%c%02d:%02d", off < 0 ? '-' : '+',
		    abs(off) / 60, abs(off) % 60);
	}
	if (b->rating_set)
		snprintf(rating, sizeof(rating), "%d", (int)b->rating);
	/* The body is checked whole even when there is nothing to apply it to. */
	if (ids->n == 0)
		return PERR_NONE;
	if ((e = split_ids(ctx, ids, &mine, &theirs)) != PERR_NONE)
		return e;
	if ((idtext = valid_uuids_json(ctx, &mine)) == NULL ||
	    (theirtext = valid_uuids_json(ctx, &theirs)) == NULL)
		return PERR_INTERNAL;
	if ((rc = db_begin(ctx->db)) != DB_OK)
		return perr_from_db(rc);
	/* A new position gets its place (or none) in the same transaction. */
	memset(&place, 0, sizeof(place));
	if (has_lat && db_failed(rc = geo_nearest(ctx->db, strtod(lat, NULL),
	    strtod(lon, NULL), &place))) {
		db_rollback(ctx->db);
		return perr_from_db(rc);
	}
	{
		const char *vis = b->visibility != VE_UNSET ?
		    visibilities[b->visibility] : NULL;
		struct dbv a[5] = {
			DBV_STR(idtext),
			b->is_favorite != VB_UNSET ? DBV_INT(b->is_favorite) : DBV_NULL,
			DBV_OPTSTR(vis),
			dto->s ? DBV_STR(created) : DBV_NULL,
			dto->s ? DBV_STR(local) : DBV_NULL,
		};
		struct dbv x[13] = {
			DBV_STR(idtext),
			dto->s ? DBV_STR(taken) : DBV_NULL, dto->s ? DBV_STR(zone) : DBV_NULL,
			DBV_INT(has_lat), has_lat ? DBV_STR(lat) : DBV_NULL,
			has_lat ? DBV_STR(lon) : DBV_NULL,
			place.city[0] ? DBV_STR(place.city) : DBV_NULL,
			place.state[0] ? DBV_STR(place.state) : DBV_NULL,
			place.country[0] ? DBV_STR(place.country) : DBV_NULL,
			DBV_INT(b->description_set),
			DBV_OPTSTR(b->description),
			DBV_INT(b->rating_set),
			b->rating_set && rating[0] != '0' ? DBV_STR(rating) : DBV_NULL,
		};
		struct dbv m[5] = {
			DBV_STR(theirtext), DBV_STR(ctx->user_id), a[1],
			vis != NULL ? DBV_INT(strcmp(vis, "archive") == 0) : DBV_NULL,
			DBV_STR(ctx->user_id),
		};

		rc = DB_OK;
		if (mine.n > 0) {
			rc = db_exec(ctx->db, STMT_ASSET_UPDATE_MANY, a, 5, NULL);
			if (rc == DB_OK)
				rc = db_exec(ctx->db, STMT_EXIF_UPDATE_MANY, x, 13, NULL);
		}
		if (rc == DB_OK && theirs.n > 0)
			rc = db_exec(ctx->db, STMT_ASSET_MARK_MANY, m, 5, NULL);
	}
	if (rc != DB_OK) {
		db_rollback(ctx->db);
		return perr_from_db(rc);
	}
	return (rc = db_commit(ctx->db)) == DB_OK ? PERR_NONE : perr_from_db(rc);
}

enum perr
h_assets_update_many(struct ctx *ctx)
{
	const struct in_asset_update *b = ctx->in;
	enum perr		 e;

	e = apply_update(ctx, &b->ids);
	if (e == PERR_NONE)
		ctx->resp->status = 204;
	return e;
}

enum perr
h_assets_update(struct ctx *ctx)
{
	const char		*one[1] = { ctx->params[0] };
	struct vuuids		 ids = { 1, one };
	enum perr		 e;

	e = apply_update(ctx, &ids);
	return e != PERR_NONE ? e : respond_asset(ctx, ctx->params[0]);
}

/* ---- trash and delete --------------------------------------------------- */

struct doomed {
	const struct conf	*conf;
	struct pbuf		 list;	/* "orig\tthumb\tpreview\n" lines */
};

static int
doomed_row(void *arg, const struct db_row *row)
{
	struct doomed	*d = arg;

	return pbuf_printf(&d->list, "%s\t%s\t%s\n", row->val[1],
	    row->val[2] ? row->val[2] : "", row->val[3] ? row->val[3] : "");
}

/* After the rows are gone: remove the files they named. */
static void
doomed_unlink(struct doomed *d)
{
	char	*line, *save = NULL, *t1, *t2;

	for (line = d->list.data ? strtok_r(d->list.data, "\n", &save) : NULL;
	    line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if ((t1 = strchr(line, '\t')) == NULL || (t2 = strchr(t1 + 1, '\t')) == NULL)
			continue;
		*t1++ = '\0';
		*t2++ = '\0';
		asset_unlink_files(d->conf, line, t1, t2);
	}
	pbuf_free(&d->list);
}

/*
 * Delete assets for good: list their files with list, delete the rows with
 * del (both bound to a), commit, and only then remove the files. *n gets
 * the rows deleted.
 */
static enum perr
delete_for_good(struct ctx *ctx, enum stmt list, enum stmt del,
    const struct dbv *a, uint64_t *n)
{
	struct doomed	 d = { ctx->app->conf, { NULL, 0, 0 } };
	int		 rc;

	if ((rc = db_begin(ctx->db)) != DB_OK)
		return perr_from_db(rc);
	rc = db_query(ctx->db, list, a, 1, doomed_row, &d);
	if (!db_failed(rc))
		rc = db_exec(ctx->db, del, a, 1, n);
	if (rc == DB_OK)
		rc = db_commit(ctx->db);
	else
		db_rollback(ctx->db);
	if (rc != DB_OK) {
		pbuf_free(&d.list);
		return perr_from_db(rc);
	}
	doomed_unlink(&d);
	return PERR_NONE;
}

enum perr
h_assets_delete(struct ctx *ctx)
{
	const struct in_asset_delete *b = ctx->in;
	const char		*ids = valid_uuids_json(ctx, &b->ids);
	struct dbv		 a[1];
	enum perr		 e;
	int			 rc;

	if (ids == NULL)
		return PERR_INTERNAL;
	a[0] = DBV_STR(ids);
	if (b->force != 1) {
		if ((rc = db_exec(ctx->db, STMT_ASSET_TRASH_MANY, a, 1, NULL)) != DB_OK)
			return perr_from_db(rc);
		ctx->resp->status = 204;
		return PERR_NONE;
	}
	if ((e = delete_for_good(ctx, STMT_ASSET_FILES_MANY, STMT_ASSET_DELETE_MANY,
	    a, NULL)) != PERR_NONE)
		return e;
	ctx->resp->status = 204;
	return PERR_NONE;
}

static enum perr
respond_count(struct ctx *ctx, uint64_t n)
{
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "count", json_object_new_int64((int64_t)n));
	return resp_json(ctx->resp, 200, o) ? PERR_INTERNAL : PERR_NONE;
}

enum perr
h_trash_restore(struct ctx *ctx)
{
	struct dbv	 a[1] = { DBV_STR(ctx->user_id) };
	uint64_t	 n = 0;
	int		 rc;

	if ((rc = db_exec(ctx->db, STMT_ASSET_RESTORE_ALL, a, 1, &n)) != DB_OK)
		return perr_from_db(rc);
	return respond_count(ctx, n);
}

enum perr
h_trash_restore_assets(struct ctx *ctx)
{
	const struct in_asset_ids *b = ctx->in;
	const char		*ids = valid_uuids_json(ctx, &b->ids);
	struct dbv		 a[1];
	uint64_t		 changed = 0;
	int			 rc;

	if (ids == NULL)
		return PERR_INTERNAL;
	a[0] = DBV_STR(ids);
	if ((rc = db_exec(ctx->db, STMT_ASSET_RESTORE_MANY, a, 1, &changed)) != DB_OK)
		return perr_from_db(rc);
	return respond_count(ctx, changed);
}

enum perr
h_trash_empty(struct ctx *ctx)
{
	struct dbv	 a[1] = { DBV_STR(ctx->user_id) };
	uint64_t	 n = 0;
	enum perr	 e;

	if ((e = delete_for_good(ctx, STMT_ASSET_TRASHED_FILES, STMT_ASSET_DELETE_TRASHED,
	    a, &n)) != PERR_NONE)
		return e;
	return respond_count(ctx, n);
}
