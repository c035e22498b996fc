/*
 * h_download.c: several assets as zip archives, as Immich's web app asks
 * for them: POST /api/download/info splits the ids into archives of about
 * archiveSize bytes, then POST /api/download/archive sends one. Every id
 * passes the access rule (asset.download: owner, partner, album member)
 * before anything is read. The zip is written by libarchive as the files
 * are read, straight to the client through the transport's stream: never
 * whole in memory or on disk (photos are stored, not compressed again).
 * A client that goes away stops the work at the next write or file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <search.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <json-c/json.h>

#include "partnerd.h"
#include "access.h"
#include "db.h"
#include "handlers.h"
#include "store.h"
#include "users.h"
#include "valid.h"

/* Immich's default archive size: 4 GiB. */
#define ARCHIVE_SIZE_DEFAULT	(4ULL << 30)
#define DOWNLOAD_IDS_MAX	10000
#define NAME_MAX_BYTES		255

/* POST /api/download/info and /api/download/archive */
struct in_download {
	struct vuuids	 asset_ids;
	int64_t		 archive_size;	/* info only */
	int		 archive_size_set;
};
const struct vfield spec_download_info[] = {
	{ .name = "assetIds", .type = VT_UUID_ARRAY, .required = 1,
	    .max = DOWNLOAD_IDS_MAX, .min = 1, VF_AT(struct in_download, asset_ids) },
	{ .name = "archiveSize", .type = VT_INT, VF_AT(struct in_download, archive_size),
	    VF_SET(struct in_download, archive_size_set) },
	VF_END(struct in_download),
};

const struct vfield spec_download_archive[] = {
	{ .name = "assetIds", .type = VT_UUID_ARRAY, .required = 1,
	    .max = DOWNLOAD_IDS_MAX, .min = 1, VF_AT(struct in_download, asset_ids) },
	VF_END(struct in_download),
};

/* One file of an archive, as the statement gives it. */
struct dl_file {
	char		 id[37];
	char		*path;	/* relative to media_dir; owned */
	char		*name;	/* the original file name; owned */
	uint64_t	 size;
	time_t		 mtime;
};

struct dl_list {
	struct dl_file	*v;
	size_t		 n, cap;
};

static void
dl_list_free(struct dl_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].name);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
dl_row(void *arg, const struct db_row *row)
{
	struct dl_list	*l = arg;
	struct dl_file	*f, *nv;

	if (row->ncol < 5 || row->val[0] == NULL || row->val[1] == NULL)
		return -1;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		if ((nv = realloc(l->v, l->cap * sizeof(*nv))) == NULL)
			return -1;
		l->v = nv;
	}
	f = &l->v[l->n];
	memset(f, 0, sizeof(*f));
	snprintf(f->id, sizeof(f->id), "%s", row->val[0]);
	f->path = strdup(row->val[1]);
	f->name = strdup(row->val[2] ? row->val[2] : "");
	if (f->path == NULL || f->name == NULL) {
		free(f->path);
		free(f->name);
		return -1;
	}
	f->size = row->val[3] ? strtoull(row->val[3], NULL, 10) : 0;
	f->mtime = row->val[4] ? (time_t)strtoll(row->val[4], NULL, 10) : 0;
	l->n++;
	return 0;
}

/*
 * The body's assetIds (the route has checked each is readable for download:
 * else Immich's 400 "Not found or no asset.download access"), and their files
 * in the order asked, each once. The list is the caller's to free.
 */
static enum perr
dl_load(struct ctx *ctx, struct dl_list *l)
{
	const struct in_download *b = ctx->in;
	const char		*ids;
	struct dbv		 a[1];
	int			 rc;

	memset(l, 0, sizeof(*l));
	if ((ids = valid_uuids_json(ctx, &b->asset_ids)) == NULL)
		return PERR_INTERNAL;
	a[0] = dbv_str(ids);
	rc = db_query(ctx->db, STMT_DOWNLOAD_FILES, a, 1, dl_row, l);
	if (db_failed(rc)) {
		dl_list_free(l);
		return perr_from_db(rc);
	}
	return PERR_NONE;
}

/* POST /api/download/info: {totalSize, archives: [{size, assetIds}]}. */
enum perr
h_download_info(struct ctx *ctx)
{
	const struct in_download *b = ctx->in;
	struct json_object	*out, *archives, *cur = NULL, *curids = NULL;
	struct dl_list		 l;
	uint64_t		 target = ARCHIVE_SIZE_DEFAULT, total = 0, size = 0;
	size_t			 i;
	enum perr		 e;

	if (b->archive_size_set) {
		if (b->archive_size < 1)
			return ctx_fail(ctx, PERR_BAD_REQUEST, "archiveSize must be at least 1");
		target = (uint64_t)b->archive_size;
	}
	if ((e = dl_load(ctx, &l)) != PERR_NONE)
		return e;
	out = json_object_new_object();
	archives = json_object_new_array();
	/* As Immich: an archive is closed once it has grown past the target. */
	for (i = 0; i < l.n; i++) {
		if (cur == NULL) {
			cur = json_object_new_object();
			curids = json_object_new_array();
			size = 0;
		}
		size += l.v[i].size;
		total += l.v[i].size;
		json_object_array_add(curids, json_object_new_string(l.v[i].id));
		if (size > target || i + 1 == l.n) {
			json_object_object_add(cur, "assetIds", curids);
			json_object_object_add(cur, "size", json_object_new_int64((int64_t)size));
			json_object_array_add(archives, cur);
			cur = NULL;
		}
	}
	json_object_object_add(out, "totalSize", json_object_new_int64((int64_t)total));
	json_object_object_add(out, "archives", archives);
	dl_list_free(&l);
	return resp_json(ctx->resp, 200, out) == 0 ? PERR_NONE : PERR_INTERNAL;
}

/* ---- the archive ------------------------------------------------------- */

/*
 * Entry names: the original file name without any folder part, and, as
 * Immich does, "name+1.ext", "name+2.ext" for the second and third of the
 * same name. A hash table of the names used keeps this linear in the files.
 */
struct names {
	struct hsearch_data	 tab;
	char			**keys;	/* every key in the table, owned */
	size_t			 n, cap;
};

static int
names_init(struct names *nm, size_t files)
{
	memset(nm, 0, sizeof(*nm));
	nm->cap = 2 * files + 16;
	if ((nm->keys = calloc(nm->cap, sizeof(*nm->keys))) == NULL)
		return -1;
	if (hcreate_r(nm->cap * 2, &nm->tab) == 0) {
		free(nm->keys);
		return -1;
	}
	return 0;
}

static void
names_free(struct names *nm)
{
	size_t	 i;

	hdestroy_r(&nm->tab);
	for (i = 0; i < nm->n; i++)
		free(nm->keys[i]);
	free(nm->keys);
}

/* Look name up; add it (count 0) when new. Returns its entry or NULL. */
static ENTRY *
names_get(struct names *nm, const char *name, int *added)
{
	ENTRY	 q, *r = NULL;

	*added = 0;
	q.key = (char *)name;
	q.data = NULL;
	if (hsearch_r(q, FIND, &r, &nm->tab) != 0 && r != NULL)
		return r;
	if (nm->n == nm->cap || (q.key = strdup(name)) == NULL)
		return NULL;
	q.data = (void *)(uintptr_t)0;
	if (hsearch_r(q, ENTER, &r, &nm->tab) == 0) {
		free(q.key);
		return NULL;
	}
	nm->keys[nm->n++] = q.key;
	*added = 1;
	return r;
}

/* The unique entry name for f into out. -1 when the table is full. */
static int
names_pick(struct names *nm, const struct dl_file *f, char *out, size_t outsz)
{
	char		 base[NAME_MAX_BYTES + 1], ext[NAME_MAX_BYTES + 1];
	const char	*s = strrchr(f->name, '/'), *dot;
	ENTRY		*e, *x;
	uintptr_t	 k;
	size_t		 i;
	int		 added;

	s = s ? s + 1 : f->name;
	snprintf(base, sizeof(base), "%s", *s ? s : f->id);
	for (i = 0; base[i] != '\0'; i++)
		if (base[i] == '\\' || (unsigned char)base[i] < 0x20)
			base[i] = '_';
	if ((e = names_get(nm, base, &added)) == NULL)
		return -1;
	if (added) {
		snprintf(out, outsz, "%s", base);
		return 0;
	}
	dot = strrchr(base, '.');
	snprintf(ext, sizeof(ext), "%s", dot && dot != base ? dot : "");
	if (dot && dot != base)
		base[dot - base] = '\0';
	for (k = (uintptr_t)e->data + 1;; k++) {
		snprintf(out, outsz, "%s+%lu%s", base, (unsigned long)k, ext);
		if ((x = names_get(nm, out, &added)) == NULL)
			return -1;
		if (added) {
			e->data = (void *)k;
			return 0;
		}
	}
}

struct zip_out {
	struct ctx	*ctx;
	int		 gone;
};

/* libarchive's writer: each block goes to the client as it is made. */
static la_ssize_t
zip_write(struct archive *a, void *arg, const void *buf, size_t n)
{
	struct zip_out	*z = arg;

	if (z->ctx->req->stream_body(z->ctx->req->io, buf, n) != 0) {
		z->gone = 1;
		archive_set_error(a, EPIPE, "client went away");
		return -1;
	}
	return (la_ssize_t)n;
}

/* Copy one file into the archive; -1 when the archive failed (client gone). */
static int
zip_add(struct ctx *ctx, struct archive *a, struct names *nm, const struct dl_file *f)
{
	struct archive_entry	*ent;
	struct stat		 st;
	char			 path[4096], name[2 * NAME_MAX_BYTES + 32], buf[65536];
	ssize_t			 got;
	int			 fd, rc = 0;

	if (f->path[0] == '\0' || strstr(f->path, "..") != NULL)
		return 0;
	store_abs(path, sizeof(path), ctx->app->conf->media_dir, f->path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) != 0) {
		log_warn("cid=%s download: asset %s has no readable original", ctx->cid, f->id);
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (names_pick(nm, f, name, sizeof(name)) != 0 || (ent = archive_entry_new()) == NULL) {
		close(fd);
		return -1;
	}
	archive_entry_set_pathname_utf8(ent, name);
	archive_entry_set_size(ent, st.st_size);
	archive_entry_set_filetype(ent, AE_IFREG);
	archive_entry_set_perm(ent, 0644);
	archive_entry_set_mtime(ent, f->mtime ? f->mtime : st.st_mtime, 0);
	if (archive_write_header(a, ent) != ARCHIVE_OK)
		rc = -1;
	while (rc == 0 && (got = read(fd, buf, sizeof(buf))) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			rc = -1;
		} else if (archive_write_data(a, buf, (size_t)got) != got)
			rc = -1;
	}
	archive_entry_free(ent);
	close(fd);
	return rc;
}

/* POST /api/download/archive: the zip of assetIds, streamed. */
enum perr
h_download_archive(struct ctx *ctx)
{
	struct zip_out	 z = { ctx, 0 };
	struct archive	*a = NULL;
	struct names	 nm;
	struct dl_list	 l;
	size_t		 i, done = 0;
	enum perr	 e;
	int		 failed = 0;

	if ((e = dl_load(ctx, &l)) != PERR_NONE)
		return e;
	if (names_init(&nm, l.n) != 0) {
		dl_list_free(&l);
		return PERR_INTERNAL;
	}
	if ((a = archive_write_new()) == NULL ||
	    archive_write_set_format_zip(a) != ARCHIVE_OK ||
	    archive_write_set_options(a, "zip:compression=store,zip:hdrcharset=UTF-8") != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(a, 0) != ARCHIVE_OK) {
		e = PERR_INTERNAL;
		goto out;
	}
	ctx->resp->status = 200;
	ctx->resp->content_type = "application/zip";
	resp_header(ctx->resp, "Content-Disposition", "attachment; filename=\"partnerd.zip\"");
	resp_header(ctx->resp, "Cache-Control", "private, no-store");
	/* nginx passes it on as it comes instead of spooling it to disk. */
	resp_header(ctx->resp, "X-Accel-Buffering", "no");
	if ((e = resp_stream_begin(ctx)) != PERR_NONE)
		goto out;
	if (archive_write_open(a, &z, NULL, zip_write, NULL) != ARCHIVE_OK)
		failed = 1;
	for (i = 0; !failed && i < l.n; i++) {
		/* Nobody waits for the rest: stop. */
		if (req_gone(ctx->req) || zip_add(ctx, a, &nm, &l.v[i]) != 0)
			failed = 1;
		else
			done++;
	}
	if (!failed && archive_write_close(a) != ARCHIVE_OK)
		failed = 1;
	if (failed) {
		log_warn("cid=%s download stopped after %zu of %zu files%s", ctx->cid,
		    done, l.n, z.gone || req_gone(ctx->req) ? ": the client went away" : "");
		ctx->resp->status = 499;	/* for the log: the answer was cut short */
	}
out:
	if (a != NULL)
		archive_write_free(a);
	names_free(&nm);
	dl_list_free(&l);
	return e;
}
