/*
 * h_timeline.c: /api/timeline/buckets and /api/timeline/bucket, Immich's
 * month list and columnar month contents. The gate authenticated, read
 * the caller's change counter (sql/007), checked the album's and the
 * user's access (routes.c) and answered from its cache when it could
 * (answers.h). Otherwise the common case (an owner set by capture time) sums the month counts the
 * triggers keep, or reads one month of asset_timeline per owner; albums,
 * bbox and orderBy=createdAt count and filter asset_timeline directly.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "partnerd.h"
#include "access.h"
#include "db.h"
#include "handlers.h"
#include "users.h"
#include "valid.h"

enum tl_vis { TV_ARCHIVE, TV_TIMELINE, TV_HIDDEN, TV_LOCKED, TV__MAX };
static const char *const tl_visibilities[TV__MAX + 1] = {
	[TV_ARCHIVE] = "archive", [TV_TIMELINE] = "timeline",
	[TV_HIDDEN] = "hidden", [TV_LOCKED] = "locked",
};
enum tl_order { TO_ASC, TO_DESC, TO__MAX };
static const char *const tl_orders[TO__MAX + 1] = {
	[TO_ASC] = "asc", [TO_DESC] = "desc",
};
enum tl_order_by { TB_TAKEN, TB_CREATED, TB__MAX };
static const char *const tl_order_by[TB__MAX + 1] = {
	[TB_TAKEN] = "takenAt", [TB_CREATED] = "createdAt",
};

static int	 parse_time_bucket(const char *, char out[32]);

/* Does s name a month's start (a bucket's timeBucket)? */
static int
time_bucket_ok(const char *s)
{
	char	 month[32];

	return parse_time_bucket(s, month) == 0;
}

/* GET /api/timeline/buckets and /api/timeline/bucket */
struct in_timeline {
	const char	*user_id, *album_id, *person_id, *tag_id;
	int		 is_favorite, is_trashed;	/* or VB_UNSET */
	int		 with_partners, with_stacked, with_coordinates;	/* or VB_UNSET */
	int		 visibility;	/* enum tl_vis, or VE_UNSET */
	int		 order;	/* enum tl_order, or VE_UNSET */
	int		 order_by;	/* enum tl_order_by, or VE_UNSET */
	const char	*bbox, *key, *slug;
	int		 person_set, tag_set;	/* present, even empty */
	const char	*time_bucket;
};
#define TIMELINE_QUERY_FIELDS \
	{ .name = "userId", .type = VT_UUID, VF_AT(struct in_timeline, user_id) }, \
	{ .name = "albumId", .type = VT_UUID, VF_AT(struct in_timeline, album_id) }, \
	{ .name = "personId", .type = VT_UUID, VF_AT(struct in_timeline, person_id), \
	    VF_SET(struct in_timeline, person_set) }, \
	{ .name = "tagId", .type = VT_UUID, VF_AT(struct in_timeline, tag_id), \
	    VF_SET(struct in_timeline, tag_set) }, \
	{ .name = "isFavorite", .type = VT_BOOL, VF_AT(struct in_timeline, is_favorite) }, \
	{ .name = "isTrashed", .type = VT_BOOL, VF_AT(struct in_timeline, is_trashed) }, \
	{ .name = "withPartners", .type = VT_BOOL, \
	    VF_AT(struct in_timeline, with_partners) }, \
	{ .name = "withStacked", .type = VT_BOOL, VF_AT(struct in_timeline, with_stacked) }, \
	{ .name = "withCoordinates", .type = VT_BOOL, \
	    VF_AT(struct in_timeline, with_coordinates) }, \
	{ .name = "visibility", .type = VT_ENUM, .choices = tl_visibilities, \
	    VF_AT(struct in_timeline, visibility) }, \
	{ .name = "order", .type = VT_ENUM, .choices = tl_orders, \
	    VF_AT(struct in_timeline, order) }, \
	{ .name = "orderBy", .type = VT_ENUM, .choices = tl_order_by, \
	    VF_AT(struct in_timeline, order_by) }, \
	{ .name = "bbox", .type = VT_STRING, .max = 200, VF_AT(struct in_timeline, bbox) }, \
	{ .name = "key", .type = VT_STRING, .max = 200, VF_AT(struct in_timeline, key) }, \
	{ .name = "slug", .type = VT_STRING, .max = 200, VF_AT(struct in_timeline, slug) }

const struct vfield spec_timeline_buckets[] = {
	TIMELINE_QUERY_FIELDS,
	{ .name = "timeBucket", .type = VT_STRING, .max = 64,
	    VF_AT(struct in_timeline, time_bucket) },
	VF_END(struct in_timeline),
};

const struct vfield spec_timeline_bucket[] = {
	TIMELINE_QUERY_FIELDS,
	{ .name = "timeBucket", .type = VT_STRING, .required = 1, .max = 64, .min = 1,
	    .check = time_bucket_ok,
	    .check_msg = "Invalid input: expected a date such as 2024-01-01",
	    VF_AT(struct in_timeline, time_bucket) },
	VF_END(struct in_timeline),
};

/* The bucket's columns in Immich's order: also the order of the values in
 * asset_timeline.wire (sql/006), which holds all but TC_FAV. */
enum tcol {
	TC_ID = 0, TC_OWNER, TC_RATIO, TC_FAV, TC_VIS, TC_TRASHED, TC_IMAGE,
	TC_THUMBHASH, TC_FILE_CREATED, TC_CREATED, TC_OFFSET, TC_DURATION, TC_LIVE,
	TC_PROJECTION, TC_STATUS, TC_CITY, TC_COUNTRY, TC_LAT, TC_LON, TC__MAX
};

/* One month's count, summed over the owner set. */
struct tl_month {
	int		 ym;	/* year * 100 + month */
	long long	 n;
};

/* A timeline request, checked and resolved. */
struct tl {
	struct ctx		*ctx;
	const char		*album;		/* albumId, or NULL */
	const char		*user;		/* userId, or NULL for me */
	int			 with_partners;
	int			 owner_set;	/* its with_partners parameter (stmts.c) */
	struct json_object	*owners;	/* the owner set, or NULL for albums */
	struct json_object	*dated;		/* owners whose share begins mid-month */
	const char		*owners_json;
	int			 counted;	/* months[] holds the answer */
	struct tl_month		*months;
	size_t			 nmonths, capmonths;
	int			 trashed;
	const char		*vis;		/* NULL: timeline and archive */
	int			 fav_set, fav;
	int			 bbox;
	char			 box[200];	/* JSON [south, north, w1, e1, w2, e2] */
	int			 created;	/* orderBy=createdAt */
	const char		*order;
	int			 coords, stacked;
};

/* bbox "west,south,east,north" into t; PERR_NONE or a 400. */
static enum perr
parse_bbox(struct tl *t, const char *s)
{
	double	 v[4];
	enum perr e;

	if ((e = valid_bbox(t->ctx, s, v, t->box, sizeof(t->box))) != PERR_NONE)
		return e;
	t->bbox = 1;
	return PERR_NONE;
}

/*
 * One "YYYY-MM-DD n" at s (n may be negative: a move) into *ym and *n;
 * returns the text after it, or NULL. By strtol, not sscanf: every months
 * request reads a few hundred of these, and sscanf was a sixth of the
 * worker's time on bench0's months list.
 */
static const char *
month_item(const char *s, int *ym, long long *n)
{
	char	*e;
	long	 y, mo;

	y = strtol(s, &e, 10);
	if (e != s + 4 || *e != '-')
		return NULL;
	s = e + 1;
	mo = strtol(s, &e, 10);
	if (e != s + 2 || *e != '-' || mo < 1 || mo > 12)
		return NULL;
	s = e + 1;
	(void)strtol(s, &e, 10);	/* the day: the 1st */
	if (e != s + 2 || *e != ' ')
		return NULL;
	s = e + 1;
	*n = strtoll(s, &e, 10);
	if (e == s)
		return NULL;
	*ym = (int)(y * 100 + mo);
	return e;
}

/* "YYYY-MM-DD n,..." of one owner into t->months (summed later). */
static int
add_months(struct tl *t, const char *s)
{
	struct tl_month	*m;
	int		 ym;
	long long	 n;

	while ((s = month_item(s, &ym, &n)) != NULL) {
		if (t->nmonths == t->capmonths) {
			size_t cap = t->capmonths ? t->capmonths * 2 : 64;

			if ((m = realloc(t->months, cap * sizeof(*m))) == NULL)
				return -1;
			t->months = m;
			t->capmonths = cap;
		}
		t->months[t->nmonths].ym = ym;
		t->months[t->nmonths++].n = n;
		if (*s != ',')
			break;
		s++;
	}
	return 0;
}

/* A row of STMT_TIMELINE_OWNERS (any shape): an owner and, if asked,
 * their whole months, and whether a dated share of theirs begins after a
 * month's first day (its month is read after the rows, start_row). */
static int
owner_row(void *arg, const struct db_row *row)
{
	struct tl	*t = arg;

	if (row->val[0] == NULL)
		return 0;
	if (json_object_array_add(t->owners, json_object_new_string(row->val[0])) != 0)
		return -1;
	if (row->ncol < 3)
		return 0;
	if (row->val[1] != NULL && add_months(t, row->val[1]) != 0)
		return -1;
	if (row->val[2] == NULL)
		return 0;
	if (t->dated == NULL && (t->dated = json_object_new_array()) == NULL)
		return -1;
	return json_object_array_add(t->dated, json_object_new_string(row->val[0]));
}

/* STMT_TIMELINE_START_MONTH's row: the month a dated share begins in. */
static int
start_row(void *arg, const struct db_row *row)
{
	return row->val[0] != NULL ? add_months(arg, row->val[0]) : 0;
}

static int
month_cmp(const void *a, const void *b)
{
	const struct tl_month	*x = a, *y = b;

	return (x->ym > y->ym) - (x->ym < y->ym);
}

/*
 * Immich's checks, in its order (TimelineService.timeBucketChecks): the
 * gate did the first three (locked, the album's album.read, the user's
 * timeline.read); the rest here.
 */
static enum perr
tl_prepare(struct ctx *ctx, struct tl *t)
{
	const struct in_timeline *q = ctx->in;
	const char		*bbox = q->bbox;
	enum perr		 e;

	memset(t, 0, sizeof(*t));
	t->ctx = ctx;
	t->vis = q->visibility != VE_UNSET ? tl_visibilities[q->visibility] : NULL;
	t->trashed = q->is_trashed == 1;
	if ((t->fav_set = q->is_favorite != VB_UNSET))
		t->fav = q->is_favorite;
	t->order = tl_orders[q->order == TO_ASC ? TO_ASC : TO_DESC];
	t->created = q->order_by == TB_CREATED;
	t->coords = q->with_coordinates == 1;
	t->stacked = q->with_stacked == 1;
	t->album = q->album_id;
	t->user = q->user_id;
	t->with_partners = q->with_partners == 1;

	/* 3. The user's archive is the user's own. */
	if (t->album == NULL && t->user == NULL)
		t->user = ctx->user_id;
	if (t->user != NULL && q->visibility == TV_ARCHIVE &&
	    strcasecmp(t->user, ctx->user_id) != 0)
		return ctx_fail(ctx, PERR_BAD_REQUEST, "Not found or no archive.read access");
	/* 4. People and tags do not exist yet in partnerd. */
	if (q->person_set)
		return ctx_fail(ctx, PERR_BAD_REQUEST,
		    "personId is not supported: partnerd has no people yet");
	if (q->tag_set)
		return ctx_fail(ctx, PERR_BAD_REQUEST,
		    "tagId is not supported: partnerd has no tags yet");
	/* 6. Partners' assets only where the partner rule can show them. */
	if (t->with_partners && (t->vis == NULL || q->visibility == TV_ARCHIVE ||
	    t->fav_set || t->trashed))
		return ctx_fail(ctx, PERR_BAD_REQUEST, "withPartners is only supported for "
		    "non-archived, non-trashed, non-favorited, non-locked assets");
	if (bbox != NULL && (e = parse_bbox(t, bbox)) != PERR_NONE)
		return e;
	if (t->user == NULL)
		return PERR_NONE;	/* an album alone: no owner set */
	/* The owner set: the user and, with withPartners, my partners. My
	 * archive lists what I archived of every live sharer's too (sql/050):
	 * their assets show there only when I archived them myself. */
	t->owner_set = t->with_partners ? 1 : t->album == NULL &&
	    q->visibility == TV_ARCHIVE && strcasecmp(t->user, ctx->user_id) == 0 ? 2 : 0;
	return PERR_NONE;
}

/*
 * The six parameters of the owner statements (stmt_timeline_owners), which
 * STMT_TIMELINE_BUCKET also takes first to make its owner set: me, the
 * owner, the owner set's kind, trashed, visibility, favourite. Returns 6.
 */
static size_t
tl_owner_params(const struct ctx *ctx, const struct tl *t, struct dbv *a)
{
	a[0] = DBV_STR(ctx->user_id);
	a[1] = DBV_STR(t->user);
	a[2] = DBV_INT(t->owner_set);
	a[3] = DBV_INT(t->trashed);
	a[4] = DBV_OPTSTR(t->vis);
	a[5] = t->fav_set ? DBV_INT(t->fav) : DBV_NULL;
	return 6;
}

/*
 * The owner set of a checked request with an owner (t->user), by one
 * statement that, if counts, also reads each owner's months.
 */
static enum perr
tl_owners(struct ctx *ctx, struct tl *t, int counts)
{
	struct dbv		 a[7];
	enum stmt		 st;
	size_t			 i, k, n;
	int			 rc;

	t->owners = json_object_new_array();
	counts = counts && t->album == NULL && !t->bbox && !t->created;
	st = stmt_timeline_owners(counts, t->trashed, t->vis, t->fav_set);
	if (st == STMT_TIMELINE_OWNERS_VIEW && ctx->auth_read == AUTH_READ_MY_TIMELINE &&
	    t->user == ctx->user_id && t->owner_set == ctx->read_with_partners) {
		/* The gate's credential statement read these rows (access.h). */
		for (i = 0; i < ctx->nread_rows; i++)
			if (owner_row(t, ctx->read_rows[i]) != 0)
				return PERR_INTERNAL;
	} else {
		rc = db_query(ctx->db, st, a, tl_owner_params(ctx, t, a), owner_row, t);
		if (db_failed(rc))
			return perr_from_db(rc);
	}
	t->owners_json = json_object_to_json_string_ext(t->owners, JSON_C_TO_STRING_PLAIN);
	/* The months dated shares begin in, one statement each (rare). */
	n = tl_owner_params(ctx, t, a);
	for (i = 0; t->dated != NULL && i < json_object_array_length(t->dated); i++) {
		a[n] = DBV_STR(json_object_get_string(json_object_array_get_idx(t->dated, i)));
		rc = db_query(ctx->db, STMT_TIMELINE_START_MONTH, a, n + 1, start_row, t);
		if (db_failed(rc))
			return perr_from_db(rc);
	}
	/* The months, summed over the owners, once each. */
	if (counts) {
		if (t->nmonths > 1)
			qsort(t->months, t->nmonths, sizeof(*t->months), month_cmp);
		for (i = 0, k = 0; i < t->nmonths; i++) {
			if (k > 0 && t->months[k - 1].ym == t->months[i].ym)
				t->months[k - 1].n += t->months[i].n;
			else
				t->months[k++] = t->months[i];
		}
		/* My marks' moves (sql/050) may leave a month at 0: not listed. */
		for (i = 0, t->nmonths = 0; i < k; i++)
			if (t->months[i].n > 0)
				t->months[t->nmonths++] = t->months[i];
		t->counted = 1;
	}
	return PERR_NONE;
}

/*
 * The timeline read (access.h), before the gate checks the request: does
 * the query, read by the route's own spec, ask for my own timeline (no
 * user, no album) in the view STMT_TIMELINE_OWNERS_VIEW counts (visibility
 * timeline, not the trash, any favourite, by capture time, no bbox)? Then
 * *arg is its withPartners. What this reading finds is dropped: the gate's
 * validation reads the query again after the credential and reports.
 */
int
tl_my_timeline_read(struct ctx *ctx, struct dbv *arg)
{
	struct json_object	*qs, *errors = ctx->errors;
	struct in_timeline	*q = NULL;
	enum perr		 err = ctx->err;
	int			 mine;

	if ((qs = valid_parse_query(ctx, ctx->query)) != NULL &&
	    (q = ctx_alloc(ctx, valid_spec_size(ctx->route->query))) != NULL &&
	    valid_into(ctx, ctx->route->query, qs, 1, q) != PERR_NONE)
		q = NULL;
	mine = q != NULL && q->user_id == NULL && q->album_id == NULL &&
	    q->visibility == TV_TIMELINE && q->is_trashed != 1 &&
	    q->is_favorite == VB_UNSET && q->order_by != TB_CREATED &&
	    q->bbox == NULL && !q->person_set && !q->tag_set;
	if (mine) {
		ctx->read_with_partners = q->with_partners == 1;
		*arg = DBV_INT(ctx->read_with_partners);
	}
	json_object_put(qs);
	if (ctx->errors != errors) {
		json_object_put(ctx->errors);
		ctx->errors = errors;
	}
	ctx->err = err;
	return mine;
}

static void
tl_free(struct tl *t)
{
	if (t->owners != NULL)
		json_object_put(t->owners);
	if (t->dated != NULL)
		json_object_put(t->dated);
	free(t->months);
}

/*
 * The route's check (routes.c), Immich's first: locked assets need an
 * elevated (PIN) session, and partnerd has none. A bucket's timeBucket
 * must name a month. Album timelines are not kept (album membership moves
 * no counter of the viewer's own library).
 */
enum perr
tl_check(struct ctx *ctx)
{
	const struct in_timeline *q = ctx->in;

	if (q->visibility == TV_LOCKED)
		return ctx_fail(ctx, PERR_UNAUTHENTICATED, "Elevated permission is required");
	ctx->no_cache = q->album_id != NULL;
	return PERR_NONE;
}

/* The ten TL_PARAMS of every timeline statement (stmts.c), by name. */
static size_t
tl_params(const struct tl *t, const char *month, struct dbv *a)
{
	a[0] = DBV_STR(t->ctx->user_id);	/* me */
	a[1] = DBV_OPTSTR(t->owners_json);	/* owners */
	a[2] = DBV_OPTSTR(t->album);		/* album */
	a[3] = DBV_INT(t->trashed);		/* trashed */
	a[4] = DBV_OPTSTR(t->vis);		/* vis */
	a[5] = t->fav_set ? DBV_INT(t->fav) : DBV_NULL;	/* fav */
	a[6] = DBV_INT(t->created);		/* by_created */
	a[7] = DBV_OPTSTR(month);		/* month */
	a[8] = DBV_STR(t->order);		/* sort */
	a[9] = t->bbox ? DBV_STR(t->box) : DBV_NULL;	/* bbox */
	return 10;
}

/* One {"timeBucket","count"} element of the answer. */
static int
bucket_add(struct pbuf *b, int ym, const char *date, long long n)
{
	if (b->len > 1 && pbuf_add(b, ",", 1) != 0)
		return -1;
	if (date != NULL)
		return pbuf_printf(b, "{\"timeBucket\":\"%.10s\",\"count\":%lld}", date, n);
	return pbuf_printf(b, "{\"timeBucket\":\"%04d-%02d-01\",\"count\":%lld}",
	    ym / 100, ym % 100, n);
}

static int
bucket_count_row(void *arg, const struct db_row *row)
{
	return bucket_add(arg, 0, row->val[0], strtoll(row->val[1], NULL, 10));
}

enum perr
h_timeline_buckets(struct ctx *ctx)
{
	struct pbuf	*b = &ctx->resp->body;
	struct dbv	 a[10];
	struct tl	 t;
	enum perr	 e;
	size_t		 n = 0, i;
	int		 rc = DB_OK, asc;

	if ((e = tl_prepare(ctx, &t)) != PERR_NONE ||
	    (t.user != NULL && (e = tl_owners(ctx, &t, 1)) != PERR_NONE)) {
		tl_free(&t);
		return e;
	}
	resp_json_raw(ctx->resp, 200);
	pbuf_add(b, "[", 1);
	if (t.counted) {
		/* From the month counts the triggers keep, summed above. */
		asc = strcmp(t.order, "asc") == 0;
		for (i = 0; rc == DB_OK && i < t.nmonths; i++)
			if (bucket_add(b, t.months[asc ? i : t.nmonths - 1 - i].ym, NULL,
			    t.months[asc ? i : t.nmonths - 1 - i].n) != 0)
				rc = DB_ERROR;
	} else {
		n = tl_params(&t, NULL, a);
		rc = db_query(ctx->db, STMT_TIMELINE_BUCKETS_DIRECT, a, n, bucket_count_row, b);
	}
	tl_free(&t);
	if (db_failed(rc) || pbuf_add(b, "]", 1) != 0)
		return perr_from_db(rc == DB_OK ? DB_ERROR : rc);
	return PERR_NONE;
}

/* "1970-02-01" or an ISO date-time, a leading + or - stripped: the month
 * start it names, or "" when it names no month start (matches nothing). */
static int
parse_time_bucket(const char *s, char out[32])
{
	int	 y, m, d, n = 0;

	if (*s == '+' || *s == '-')
		s++;
	static const int	 mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char		*r;
	int			 hh, mi, ss, k = 0;

	if (strspn(s, "0123456789") != 4 || s[4] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0))))
		return -1;
	/* After the date: nothing, or a time, fraction and zone; no junk. */
	if (s[10] != '\0') {
		r = s + 10;
		if (sscanf(r, "T%2d:%2d:%2d%n", &hh, &mi, &ss, &k) != 3 || k != 9 ||
		    hh > 23 || mi > 59 || ss > 59)
			return -1;
		r += 9;
		if (*r == '.' && (k = (int)strspn(r + 1, "0123456789")) > 0 && k <= 9)
			r += 1 + k;
		if (*r == 'Z')
			r++;
		else if ((*r == '+' || *r == '-') && strspn(r + 1, "0123456789") == 2 &&
		    r[3] == ':' && strspn(r + 4, "0123456789") == 2)
			r += 6;
		if (*r != '\0')
			return -1;
	}
	out[0] = '\0';
	/* Only the first of a month, at midnight, is a bucket. */
	if (d == 1 && (s[10] == '\0' || strncmp(s + 10, "T00:00:00", 9) == 0))
		snprintf(out, 32, "%04d-%02d-01 00:00:00", y, m);
	return 0;
}

static const char *const col_names[TC__MAX] = {
	[TC_ID] = "id", [TC_OWNER] = "ownerId", [TC_RATIO] = "ratio",
	[TC_FAV] = "isFavorite", [TC_VIS] = "visibility", [TC_TRASHED] = "isTrashed",
	[TC_IMAGE] = "isImage", [TC_THUMBHASH] = "thumbhash",
	[TC_FILE_CREATED] = "fileCreatedAt", [TC_CREATED] = "createdAt",
	[TC_OFFSET] = "localOffsetHours", [TC_DURATION] = "duration",
	[TC_LIVE] = "livePhotoVideoId", [TC_PROJECTION] = "projectionType",
	[TC_STATUS] = "status", [TC_CITY] = "city", [TC_COUNTRY] = "country",
	[TC_LAT] = "latitude", [TC_LON] = "longitude",
};

/*
 * The bucket, written column by column from each row's wire text (sql/006:
 * the columns but isFavorite, as JSON values separated by CHAR(31)). A
 * month holds thousands of assets: no json-c object per value.
 */
struct brow {
	int		 fav;
	int		 archived;	/* shown as archived to me (sql/050), whatever wire says */
	size_t		 key_off, wire_off;	/* in the arena, which moves as it grows */
	const char	*key, *wire;		/* set once the rows are all in */
};

struct cols {
	struct pbuf	 arena;	/* the rows' text, NUL-separated */
	struct brow	*rows;
	size_t		 nrows, caprows;
	int		 coords, stacked;
};

static int
bucket_row(void *arg, const struct db_row *row)
{
	struct cols	*c = arg;
	struct brow	*r;

	if (c->nrows == c->caprows) {
		size_t cap = c->caprows ? c->caprows * 2 : 256;

		if ((r = realloc(c->rows, cap * sizeof(*r))) == NULL)
			return -1;
		c->rows = r;
		c->caprows = cap;
	}
	r = &c->rows[c->nrows++];
	r->fav = row->val[0][0] == '1';
	r->archived = strcmp(row->val[3], "archive") == 0;
	r->key_off = c->arena.len;
	if (pbuf_add(&c->arena, row->val[1], row->len[1] + 1) != 0)
		return -1;
	r->wire_off = c->arena.len;
	return pbuf_add(&c->arena, row->val[2], row->len[2] + 1);
}

static int
brow_desc(const void *a, const void *b)
{
	return strcmp(((const struct brow *)b)->key, ((const struct brow *)a)->key);
}

static int
brow_asc(const void *a, const void *b)
{
	return strcmp(((const struct brow *)a)->key, ((const struct brow *)b)->key);
}

/* {"id":[...],...} into out: each row's fields to their column. */
static int
bucket_write(struct cols *c, struct pbuf *out)
{
	struct pbuf	 col[TC__MAX];
	const char	*f, *e;
	size_t		 i;
	int		 k, rc = 0;

	memset(col, 0, sizeof(col));
	for (i = 0; i < c->nrows && rc == 0; i++) {
		const char *sep = i > 0 ? "," : "";

		rc |= pbuf_printf(&col[TC_FAV], "%s%s", sep, c->rows[i].fav ? "true" : "false");
		for (k = 0, f = c->rows[i].wire; k < TC__MAX && rc == 0; k++) {
			if (k == TC_FAV)
				continue;
			e = strchr(f, '\x1f');
			rc |= pbuf_adds(&col[k], sep);
			if (k == TC_VIS && c->rows[i].archived)
				rc |= pbuf_adds(&col[k], "\"archive\"");
			else
				rc |= pbuf_add(&col[k], f, e ? (size_t)(e - f) : strlen(f));
			if (e == NULL)
				break;
			f = e + 1;
		}
	}
	rc |= pbuf_add(out, "{", 1);
	for (k = 0; k <= TC__MAX && rc == 0; k++) {
		if ((k == TC_LAT || k == TC_LON) && !c->coords)
			continue;
		if (k == TC__MAX && !c->stacked)
			continue;
		rc |= pbuf_printf(out, "%s\"%s\":[", k > 0 ? "," : "",
		    k == TC__MAX ? "stack" : col_names[k]);
		if (k < TC__MAX)
			rc |= pbuf_add(out, col[k].data ? col[k].data : "", col[k].len);
		else
			for (i = 0; i < c->nrows && rc == 0; i++)
				rc |= pbuf_adds(out, i > 0 ? ",null" : "null");	/* no stacks yet */
		rc |= pbuf_add(out, "]", 1);
	}
	rc |= pbuf_add(out, "}", 1);
	for (k = 0; k < TC__MAX; k++)
		pbuf_free(&col[k]);
	return rc;
}

/* Point the rows into the arena and sort them if asked. */
static void
bucket_sort(struct cols *c, const char *order)
{
	size_t	 i;

	for (i = 0; i < c->nrows; i++) {
		c->rows[i].key = c->arena.data + c->rows[i].key_off;
		c->rows[i].wire = c->arena.data + c->rows[i].wire_off;
	}
	if (order != NULL && c->nrows > 1)
		qsort(c->rows, c->nrows, sizeof(*c->rows),
		    strcmp(order, "asc") == 0 ? brow_asc : brow_desc);
}

enum perr
h_timeline_bucket(struct ctx *ctx)
{
	struct cols	 c;
	struct dbv	 a[10];
	struct tl	 t;
	char		 month[32];
	const char	*sort = NULL;
	enum perr	 e;
	size_t		 n = 0;
	int		 rc = DB_NOTFOUND, fused;

	/* The spec refused a timeBucket naming no month start at all. */
	if (parse_time_bucket(((const struct in_timeline *)ctx->in)->time_bucket,
	    month) != 0)
		return PERR_INTERNAL;
	if ((e = tl_prepare(ctx, &t)) != PERR_NONE) {
		tl_free(&t);
		return e;
	}
	/* A month of an owner set, by capture date, in no box: one statement
	 * that makes the owner set itself. Else the direct statement, given
	 * the owner set (if any) first. */
	fused = month[0] != '\0' && t.user != NULL && !t.bbox && !t.created;
	if (!fused && t.user != NULL && (e = tl_owners(ctx, &t, 0)) != PERR_NONE) {
		tl_free(&t);
		return e;
	}
	memset(&c, 0, sizeof(c));
	c.coords = t.coords;
	c.stacked = t.stacked;
	if (fused) {
		n = tl_owner_params(ctx, &t, a);
		a[n++] = DBV_STR(month);
		rc = db_query(ctx->db, STMT_TIMELINE_BUCKET, a, n, bucket_row, &c);
		sort = t.order;
	} else if (month[0] != '\0') {
		n = tl_params(&t, month, a);
		rc = db_query(ctx->db, STMT_TIMELINE_BUCKET_DIRECT, a, n, bucket_row, &c);
	}
	if (!db_failed(rc)) {
		bucket_sort(&c, sort);
		resp_json_raw(ctx->resp, 200);
		if (bucket_write(&c, &ctx->resp->body) != 0)
			rc = DB_ERROR;
	}
	tl_free(&t);
	pbuf_free(&c.arena);
	free(c.rows);
	if (db_failed(rc))
		return perr_from_db(rc);
	return PERR_NONE;
}
