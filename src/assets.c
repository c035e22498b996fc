/* assets.c: see assets.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "partnerd.h"
#include "assets.h"
#include "crypto.h"
#include "db.h"
#include "geodata.h"
#include "media.h"
#include "users.h"

const char *const visibilities[] = { "timeline", "archive", "hidden", "locked", NULL };

int
asset_find_checksum(struct db *db, const char *owner,
    const unsigned char sha1[SHA1_LEN], char id[37])
{
	struct dbv	 a[2] = { DBV_STR(owner), DBV_BLOB(sha1, SHA1_LEN) };
	char		 buf[64];

	if (db_query_str(db, STMT_ASSET_BY_CHECKSUM, a, 2, buf, sizeof(buf)) != DB_OK)
		return -1;
	snprintf(id, 37, "%.36s", buf);
	return 0;
}

void
asset_unlink_files(const struct conf *c, const char *original, const char *thumb,
    const char *preview)
{
	const char	*f[3] = { original, thumb, preview };
	char		 path[STORE_PATH_MAX];
	int		 i;

	for (i = 0; i < 3; i++) {
		if (f[i] == NULL || f[i][0] == '\0')
			continue;
		store_abs(path, sizeof(path), c->media_dir, f[i]);
		if (unlink(path) != 0 && errno != ENOENT)
			log_warn("media: cannot remove %s: %s", f[i], strerror(errno));
	}
}

/* An optional string column value, NULL when empty. */
static struct dbv
opt(const char *s)
{
	return DBV_OPTSTR(s != NULL && s[0] != '\0' ? s : NULL);
}

/* Where an ingested asset's files go, and where they wait until commit. */
struct ingest_files {
	char	 orig[256], thumb[256], prev[256];	/* under media_dir */
	char	 tmp_thumb[STORE_PATH_MAX + 32], tmp_prev[STORE_PATH_MAX + 32];
};

static void
ingest_files_name(struct ingest_files *f, const struct ingest *in, const char *id)
{
	const char	*dot = strrchr(in->file_name, '.');
	char		 ext[16];

	snprintf(ext, sizeof(ext), "%s", dot ? dot + 1 : "bin");
	for (char *p = ext; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	/* Spread over two directory levels so no directory grows huge. */
	snprintf(f->orig, sizeof(f->orig), "originals/%s/%.2s/%.2s/%s.%s",
	    in->owner_id, id, id + 2, id, ext);
	snprintf(f->thumb, sizeof(f->thumb), "thumbs/%s/%.2s/%.2s/%s-thumbnail.webp",
	    in->owner_id, id, id + 2, id);
	snprintf(f->prev, sizeof(f->prev), "thumbs/%s/%.2s/%.2s/%s-preview.jpeg",
	    in->owner_id, id, id + 2, id);
	snprintf(f->tmp_thumb, sizeof(f->tmp_thumb), "%s.thumbnail.webp", in->tmp_path);
	snprintf(f->tmp_prev, sizeof(f->tmp_prev), "%s.preview.jpeg", in->tmp_path);
}

/* The row values made from what the file says, as the statements bind them. */
struct ingest_values {
	char	 created[48], modified[48], local[48], taken[48], zone[16];
	char	 fnum[32], focal[32], iso[16], lat[32], lon[32], size[32];
};

static void
ingest_values_make(struct ingest_values *v, const struct ingest *in,
    const struct media_info *mi)
{
	struct tm	 tm = mi->taken;	/* timegm may normalise it */
	long long	 instant, wall;

	/* The capture time: EXIF with its offset, else fileCreatedAt. */
	if (mi->has_taken) {
		wall = (long long)timegm(&tm) * 1000;
		instant = wall - (long long)(mi->has_offset ? mi->offset_min : 0) * 60000;
		dt_format(instant, v->taken);
		if (mi->has_offset)
			snprintf(v->zone, sizeof(v->zone), "%c%02d:%02d",
			    mi->offset_min < 0 ? '-' : '+',
			    abs(mi->offset_min) / 60, abs(mi->offset_min) % 60);
	} else {
		instant = in->created_ms;
		wall = in->created_ms + (long long)in->created_off * 60000;
	}
	dt_format(instant, v->created);
	dt_format(wall, v->local);
	dt_format(in->modified_ms, v->modified);
	snprintf(v->fnum, sizeof(v->fnum), "%.6g", mi->f_number);
	snprintf(v->focal, sizeof(v->focal), "%.6g", mi->focal_length);
	snprintf(v->iso, sizeof(v->iso), "%d", mi->iso);
	snprintf(v->lat, sizeof(v->lat), "%.7f", mi->latitude);
	snprintf(v->lon, sizeof(v->lon), "%.7f", mi->longitude);
	snprintf(v->size, sizeof(v->size), "%llu", in->size);
}

/*
 * A live photo's still names its motion part: a video of the same owner,
 * which then leaves the timeline (it plays from the still). Inside the
 * ingest's transaction.
 */
static enum perr
ingest_live_video(struct db *db, const struct ingest *in, const char **msg)
{
	struct dbv	 l[2];
	int		 rc;

	if (in->live_photo_video_id == NULL)
		return PERR_NONE;
	l[0] = DBV_STR(in->live_photo_video_id);
	l[1] = DBV_STR(in->owner_id);
	rc = db_query(db, STMT_ASSET_LIVE_VIDEO, l, 2, NULL, NULL);
	if (rc == DB_NOTFOUND) {
		*msg = "livePhotoVideoId must be a video of the same owner";
		return PERR_BAD_REQUEST;
	}
	if (rc == DB_OK)
		rc = db_exec(db, STMT_ASSET_HIDE_LIVE_VIDEO, l, 2, NULL);
	return rc == DB_OK ? PERR_NONE : perr_from_db(rc);
}

/* The asset's two rows. */
static int
ingest_rows(struct db *db, const struct ingest *in, const struct media_info *mi,
    const char *id, const struct ingest_files *f, const struct ingest_values *v,
    const struct geo_place *place, const unsigned char *th, size_t thlen)
{
	int		 rc;
	struct dbv	 a[19] = {
		DBV_STR(id), DBV_STR(in->owner_id), DBV_STR(mi->type_name),
		DBV_STR(f->orig), DBV_STR(in->file_name), DBV_STR(mi->mime),
		DBV_BLOB(in->sha1, SHA1_LEN), DBV_STR(v->created), DBV_STR(v->modified),
		DBV_STR(v->local), DBV_INT(in->is_favorite != 0),
		DBV_STR(in->visibility ? in->visibility : "timeline"),
		in->duration_ms >= 0 ? DBV_INT(in->duration_ms) : DBV_NULL,
		mi->width > 0 ? DBV_INT(mi->width) : DBV_NULL,
		mi->height > 0 ? DBV_INT(mi->height) : DBV_NULL,
		thlen > 0 ? DBV_BLOB(th, thlen) : DBV_NULL,
		DBV_STR(f->thumb), DBV_STR(f->prev),
		DBV_OPTSTR(in->live_photo_video_id),
	};
	struct dbv	 x[18] = {
		DBV_STR(id), opt(mi->make), opt(mi->model), opt(mi->lens),
		opt(mi->exposure), mi->f_number > 0 ? DBV_STR(v->fnum) : DBV_NULL,
		mi->focal_length > 0 ? DBV_STR(v->focal) : DBV_NULL,
		mi->iso > 0 ? DBV_STR(v->iso) : DBV_NULL,
		mi->has_taken ? DBV_STR(v->taken) : DBV_NULL,
		mi->has_taken && mi->has_offset ? DBV_STR(v->zone) : DBV_NULL,
		mi->has_gps ? DBV_STR(v->lat) : DBV_NULL,
		mi->has_gps ? DBV_STR(v->lon) : DBV_NULL,
		place->city[0] ? DBV_STR(place->city) : DBV_NULL,
		place->state[0] ? DBV_STR(place->state) : DBV_NULL,
		place->country[0] ? DBV_STR(place->country) : DBV_NULL,
		opt(mi->description), DBV_STR(v->size), opt(mi->orientation),
	};

	if ((rc = db_exec(db, STMT_ASSET_INSERT, a, 19, NULL)) == DB_OK)
		rc = db_exec(db, STMT_EXIF_INSERT, x, 18, NULL);
	return rc;
}

/* Committed: the files take their places; 0, or -1 with nothing moved back. */
static int
ingest_files_place(const struct conf *c, const struct ingest *in,
    const struct ingest_files *f, int *renamed)
{
	char	 dst[STORE_PATH_MAX];

	if (store_mkdirs(c->media_dir, f->orig) != 0 ||
	    store_mkdirs(c->media_dir, f->thumb) != 0)
		return -1;
	store_abs(dst, sizeof(dst), c->media_dir, f->orig);
	if (rename(in->tmp_path, dst) != 0)
		return -1;
	*renamed = 1;
	store_abs(dst, sizeof(dst), c->media_dir, f->thumb);
	if (rename(f->tmp_thumb, dst) != 0)
		return -1;
	store_abs(dst, sizeof(dst), c->media_dir, f->prev);
	return rename(f->tmp_prev, dst);
}

enum perr
asset_ingest(struct db *db, const struct conf *c, struct ingest *in, char id[37],
    int *dup, const char **msg)
{
	struct media_info	 mi;
	struct geo_place	 place;
	struct ingest_files	 f;
	struct ingest_values	 v;
	unsigned char		 th[32];
	size_t			 thlen = 0;
	enum perr		 e = PERR_INTERNAL;
	int			 rc, renamed = 0, tries;

	*dup = 0;
	*msg = NULL;
	memset(&f, 0, sizeof(f));
	memset(&v, 0, sizeof(v));
	memset(&place, 0, sizeof(place));
	if (media_type_of(in->file_name, &mi) != 0) {
		*msg = "Unsupported file type";
		e = PERR_BAD_REQUEST;
		goto fail;
	}
	if (asset_find_checksum(db, in->owner_id, in->sha1, id) == 0) {
		*dup = 1;
		unlink(in->tmp_path);
		return PERR_NONE;
	}
	/* Read it, and make its thumbnail and preview beside the upload. */
	uuid_v4(id);
	ingest_files_name(&f, in, id);
	if (media_probe(in->tmp_path, &mi) != 0 ||
	    media_derive(in->tmp_path, &mi, f.tmp_thumb, f.tmp_prev, th, &thlen) != 0) {
		*msg = mi.type == MEDIA_VIDEO ? "The file is not a readable video" :
		    "The file is not a readable image";
		e = PERR_BAD_REQUEST;
		goto fail;
	}
	/* A video's own length beats what the client says. */
	if (mi.type == MEDIA_VIDEO && mi.duration_ms > 0)
		in->duration_ms = mi.duration_ms;
	ingest_values_make(&v, in, &mi);

	/*
	 * The rows, in one transaction. One that lost a conflict (a Galera
	 * certification failure: another node's commit touched the same
	 * month counters) was applied nowhere and is run again whole, a few
	 * times, while the files wait on disk; the client sees 503 only after.
	 */
	for (tries = 0;;) {
		if ((rc = db_begin(db)) != DB_OK) {
			e = perr_from_db(rc);
			goto fail;
		}
		if ((e = ingest_live_video(db, in, msg)) != PERR_NONE) {
			db_rollback(db);
			goto fail;
		}
		/* Its place, from the same transaction's view of the place names. */
		rc = mi.has_gps ? geo_nearest(db, mi.latitude, mi.longitude, &place) : DB_NOTFOUND;
		if (!db_failed(rc))
			rc = ingest_rows(db, in, &mi, id, &f, &v, &place, th, thlen);
		if (rc == DB_OK)
			rc = db_commit(db);
		else
			db_rollback(db);
		if (rc != DB_BUSY || !db_retry_pause(db, ++tries))
			break;
		log_warn("upload: a transaction lost a conflict; run again");
	}
	if (rc == DB_CONFLICT && asset_find_checksum(db, in->owner_id, in->sha1, id) == 0) {
		/* The same file arrived twice at once: the other one won. */
		*dup = 1;
		e = PERR_NONE;
		goto fail;
	}
	if (rc != DB_OK) {
		e = perr_from_db(rc);
		goto fail;
	}

	/* Then the files. Rare (the media directory is broken): the row goes. */
	if (ingest_files_place(c, in, &f, &renamed) == 0)
		return PERR_NONE;
	log_err("media: cannot move files into place: %s", strerror(errno));
	{
		char		 ids[64];
		struct dbv	 a[1];

		snprintf(ids, sizeof(ids), "[\"%s\"]", id);
		a[0] = DBV_STR(ids);
		(void)db_exec(db, STMT_ASSET_DELETE_MANY, a, 1, NULL);
	}
	if (renamed)
		asset_unlink_files(c, f.orig, f.thumb, f.prev);
	e = PERR_INTERNAL;
fail:
	unlink(in->tmp_path);
	if (f.tmp_thumb[0] != '\0')
		unlink(f.tmp_thumb);
	if (f.tmp_prev[0] != '\0')
		unlink(f.tmp_prev);
	return e;
}

static struct json_object *
jstr(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

static struct json_object *
jnum(const char *s)
{
	return s != NULL ? json_object_new_double_s(strtod(s, NULL), s) : NULL;
}

static struct json_object *
jint(const char *s)
{
	return s != NULL ? json_object_new_int64(strtoll(s, NULL, 10)) : NULL;
}

struct json_object *
dto_asset(const struct db_row *row)
{
	const char *const	*v = row->val;
	struct json_object	*o = json_object_new_object(), *x;

	json_object_object_add(o, "id", jstr(v[AC_ID]));
	json_object_object_add(o, "deviceAssetId", jstr(v[AC_NAME]));
	json_object_object_add(o, "deviceId", json_object_new_string("partnerd"));
	json_object_object_add(o, "ownerId", jstr(v[AC_OWNER]));
	json_object_object_add(o, "libraryId", NULL);
	json_object_object_add(o, "type", jstr(v[AC_TYPE]));
	json_object_object_add(o, "originalPath", jstr(v[AC_PATH]));
	json_object_object_add(o, "originalFileName", jstr(v[AC_NAME]));
	json_object_object_add(o, "originalMimeType", jstr(v[AC_MIME]));
	json_object_object_add(o, "thumbhash", jstr(v[AC_THUMBHASH]));
	json_object_object_add(o, "fileCreatedAt", jstr(v[AC_FILE_CREATED]));
	json_object_object_add(o, "fileModifiedAt", jstr(v[AC_FILE_MODIFIED]));
	json_object_object_add(o, "localDateTime", jstr(v[AC_LOCAL]));
	json_object_object_add(o, "createdAt", jstr(v[AC_CREATED]));
	json_object_object_add(o, "updatedAt", jstr(v[AC_UPDATED]));
	/* The caller's own flag (ASSET_COLS_OF): the owner's is never shown
	 * to anyone else; a partner's asset shows the caller's own mark. */
	json_object_object_add(o, "isFavorite",
	    json_object_new_boolean(v[AC_FAVORITE][0] == '1'));
	json_object_object_add(o, "isArchived",
	    json_object_new_boolean(strcmp(v[AC_VISIBILITY], "archive") == 0));
	json_object_object_add(o, "isTrashed",
	    json_object_new_boolean(v[AC_TRASHED][0] == '1'));
	json_object_object_add(o, "isOffline", json_object_new_boolean(0));
	json_object_object_add(o, "isEdited", json_object_new_boolean(0));
	json_object_object_add(o, "visibility", jstr(v[AC_VISIBILITY]));
	json_object_object_add(o, "status", jstr(v[AC_STATUS]));
	/* Immich v3: whole milliseconds, null for photos. */
	json_object_object_add(o, "duration", jint(v[AC_DURATION]));
	json_object_object_add(o, "width", jint(v[AC_WIDTH]));
	json_object_object_add(o, "height", jint(v[AC_HEIGHT]));
	json_object_object_add(o, "livePhotoVideoId", jstr(v[AC_LIVE]));
	json_object_object_add(o, "checksum", jstr(v[AC_CHECKSUM]));
	json_object_object_add(o, "stack", NULL);
	json_object_object_add(o, "duplicateId", NULL);
	json_object_object_add(o, "hasMetadata", json_object_new_boolean(1));
	json_object_object_add(o, "resized", json_object_new_boolean(1));
	json_object_object_add(o, "tags", json_object_new_array());
	json_object_object_add(o, "people", json_object_new_array());

	x = json_object_new_object();
	json_object_object_add(x, "make", jstr(v[AC_MAKE]));
	json_object_object_add(x, "model", jstr(v[AC_MODEL]));
	json_object_object_add(x, "lensModel", jstr(v[AC_LENS]));
	json_object_object_add(x, "exposureTime", jstr(v[AC_EXPOSURE]));
	json_object_object_add(x, "fNumber", jnum(v[AC_FNUMBER]));
	json_object_object_add(x, "focalLength", jnum(v[AC_FOCAL]));
	json_object_object_add(x, "iso", jint(v[AC_ISO]));
	json_object_object_add(x, "dateTimeOriginal", jstr(v[AC_TAKEN]));
	json_object_object_add(x, "timeZone", jstr(v[AC_ZONE]));
	json_object_object_add(x, "latitude", jnum(v[AC_LAT]));
	json_object_object_add(x, "longitude", jnum(v[AC_LON]));
	json_object_object_add(x, "city", jstr(v[AC_CITY]));
	json_object_object_add(x, "state", jstr(v[AC_STATE]));
	json_object_object_add(x, "country", jstr(v[AC_COUNTRY]));
	json_object_object_add(x, "description", json_object_new_string(
	    v[AC_DESCRIPTION] ? v[AC_DESCRIPTION] : ""));
	json_object_object_add(x, "fileSizeInByte", jint(v[AC_SIZE]));
	json_object_object_add(x, "exifImageWidth", jint(v[AC_WIDTH]));
	json_object_object_add(x, "exifImageHeight", jint(v[AC_HEIGHT]));
	json_object_object_add(x, "orientation", jstr(v[AC_ORIENTATION]));
	json_object_object_add(x, "projectionType", jstr(v[AC_PROJECTION]));
	json_object_object_add(x, "rating", jint(v[AC_RATING]));
	json_object_object_add(x, "modifyDate", jstr(v[AC_FILE_MODIFIED]));
	json_object_object_add(o, "exifInfo", x);
	return o;
}
