/*
 * h_search.c: Immich's search routes: POST /api/search/metadata (one page
 * of what the filters find), GET /api/search/suggestions (the places and
 * cameras to pick from, narrowed by the others), GET /api/search/cities
 * (one asset per place) and POST /api/search/smart (not available: no
 * machine learning). What is searched is the owner set of the timeline
 * with partners (me, and live sharers of mine whose Show in timeline is
 * on) as the one access rule shows it to me (stmts.c, "Search"), found in
 * asset_search (sql/036) one index range per owner.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "partnerd.h"
#include "assets.h"
#include "db.h"
#include "handlers.h"
#include "store.h"
#include "valid.h"

static const char *const search_types[] = { "IMAGE", "VIDEO", "AUDIO", "OTHER", NULL };
static const char *const search_visibilities[] = { "archive", "timeline", "hidden", "locked", NULL };
static const char *const search_orders[] = { "asc", "desc", NULL };
static const char *const suggestion_types[] = { "country", "state", "city", "camera-make",
	"camera-model", "camera-lens-model", NULL };

/* Immich's default page size, and the largest it takes. */
#define SEARCH_SIZE_DEFAULT	250
#define SEARCH_SIZE_MAX		1000
#define SEARCH_PAGE_MAX		100000

/* The place and camera filters: body or query name, SEARCH_PARAMS slot. */
#define PLACE_CAMERA_FIELDS \
	{ "country", VT_STRING, 0, 255, NULL, 0, 1 }, \
	{ "state", VT_STRING, 0, 255, NULL, 0, 1 }, \
	{ "city", VT_STRING, 0, 255, NULL, 0, 1 }, \
	{ "make", VT_STRING, 0, 255, NULL, 0, 1 }, \
	{ "model", VT_STRING, 0, 255, NULL, 0, 1 }, \
	{ "lensModel", VT_STRING, 0, 255, NULL, 0, 1 }

/* MetadataSearchDto, the fields partnerd searches by, and a few it accepts
 * as Immich's clients send them (withStacked, withPeople change nothing). */
const struct vfield spec_search_metadata[] = {
	PLACE_CAMERA_FIELDS,
	{ "originalFileName", VT_STRING, 0, 255, NULL, 0, 0 },
	{ "description", VT_STRING, 0, 1000, NULL, 0, 0 },
	{ "takenBefore", VT_STRING, 0, 64, NULL, 0, 0 },
	{ "takenAfter", VT_STRING, 0, 64, NULL, 0, 0 },
	{ "createdBefore", VT_STRING, 0, 64, NULL, 0, 0 },
	{ "createdAfter", VT_STRING, 0, 64, NULL, 0, 0 },
	{ "type", VT_ENUM, 0, 0, search_types, 0, 0 },
	{ "isFavorite", VT_BOOL, 0, 0, NULL, 0, 0 },
	{ "visibility", VT_ENUM, 0, 0, search_visibilities, 0, 0 },
	{ "withExif", VT_BOOL, 0, 0, NULL, 0, 0 },
	{ "withStacked", VT_BOOL, 0, 0, NULL, 0, 0 },
	{ "withPeople", VT_BOOL, 0, 0, NULL, 0, 0 },
	{ "page", VT_INT, 0, SEARCH_PAGE_MAX, NULL, 0, 0 },
	{ "size", VT_INT, 0, SEARCH_SIZE_MAX, NULL, 0, 0 },
	{ "order", VT_ENUM, 0, 0, search_orders, 0, 0 },
	{ NULL, 0, 0, 0, NULL, 0, 0 },
};

/* SearchSuggestionRequestDto. */
const struct vfield spec_search_suggestions[] = {
	{ "type", VT_ENUM, 1, 0, suggestion_types, 0, 0 },
	PLACE_CAMERA_FIELDS,
	{ "includeNull", VT_BOOL, 0, 0, NULL, 0, 0 },
	{ NULL, 0, 0, 0, NULL, 0, 0 },
};

/* SEARCH_PARAMS in stmts.c, by name. */
enum sp {
	SP_ME = 0, SP_KIND, SP_NAME, SP_DESCR, SP_TAKEN_BEFORE, SP_TAKEN_AFTER,
	SP_CREATED_BEFORE, SP_CREATED_AFTER, SP_TYPE, SP_FAV, SP_VIS,
	SP__MAX
};

/* The place and camera filters, in SEARCH_PLACE_CAMERA's order. */
enum pc { PC_CITY = 0, PC_STATE, PC_COUNTRY, PC_MAKE, PC_MODEL, PC_LENS, PC__MAX };

/* Their names in requests, and the suggestion kind of each. */
static const struct {
	const char	*name, *kind;
} place_camera[PC__MAX] = {
	[PC_CITY] = { "city", "city" }, [PC_STATE] = { "state", "state" },
	[PC_COUNTRY] = { "country", "country" }, [PC_MAKE] = { "make", "camera-make" },
	[PC_MODEL] = { "model", "camera-model" }, [PC_LENS] = { "lensModel", "camera-lens-model" },
};

/* The most parameters a search statement takes: SEARCH_PARAMS, two
 * AGAINST texts, the place and camera values twice, limit and offset. */
#define SEARCH_BIND_MAX	(SP__MAX + 2 + 2 * PC__MAX + 2)

/* A search, its parameters and the strings they point into. */
struct search {
	struct ctx		*ctx;
	struct dbv		 p[SP__MAX];
	struct dbv		 name_ft, descr_ft;	/* AGAINST: '' for none */
	struct dbv		 pc[PC__MAX];
	char			 name_q[1024], descr_q[4096];
	char			 dates[4][48];
};

/* Whether a place or camera narrows the search (the _BY statements). */
static int
search_narrowed(const struct search *s)
{
	size_t	 i;

	for (i = 0; i < PC__MAX; i++)
		if (s->pc[i].t != DBT_NULL)
			return 1;
	return 0;
}

/*
 * A statement's parameters in out (SEARCH_BIND_MAX of them): q's, the
 * AGAINST texts when the statement has the other filters, then the place
 * and camera values (each twice). Their number.
 */
static size_t
search_bind(const struct search *s, int other_filters, struct dbv *out)
{
	size_t	 n = 0, i;

	for (i = 0; i < SP__MAX; i++)
		out[n++] = s->p[i];
	if (other_filters) {
		out[n++] = s->name_ft;
		out[n++] = s->descr_ft;
	}
	for (i = 0; i < PC__MAX; i++) {
		out[n++] = s->pc[i];
		out[n++] = s->pc[i];
	}
	return n;
}

/*
 * Words into a FULLTEXT boolean query in out: each word required, as a
 * word or the beginning of one ("+holi* +2024*"); what is not a letter or
 * digit separates words, so no operator of the client's reaches MariaDB.
 * 0, or -1 when the text holds no word.
 */
static int
fulltext_query(const char *s, char *out, size_t outsz)
{
	size_t	 n = 0;
	int	 in = 0, words = 0;

	for (; *s != '\0' && n + 4 < outsz; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c >= 0x80) {
			if (!in) {
				if (words > 0)
					out[n++] = ' ';
				out[n++] = '+';
				in = 1;
				words++;
			}
			out[n++] = (char)c;
		} else if (in) {
			out[n++] = '*';
			in = 0;
		}
	}
	if (in)
		out[n++] = '*';
	out[n] = '\0';
	return words > 0 ? 0 : -1;
}

/* An ISO date-time (or a date, meaning its midnight UTC) into DATETIME text. */
static int
search_date(const char *s, char out[48])
{
	char		 buf[80];
	long long	 ms;
	int		 off;

	if (strlen(s) == 10) {
		snprintf(buf, sizeof(buf), "%sT00:00:00Z", s);
		s = buf;
	}
	if (iso_parse(s, &ms, &off) != 0)
		return -1;
	dt_format(ms, out);
	return 0;
}

/*
 * The parameters of the search statements from the validated body or
 * query q; kind, a suggestion's, is not filtered by its own column.
 * PERR_NONE, or a 400.
 */
static enum perr
search_prepare(struct ctx *ctx, struct search *s, struct json_object *q, const char *kind)
{
	static const char *const date_fields[4] = { "takenBefore", "takenAfter",
		"createdBefore", "createdAfter" };
	struct json_object	*v;
	const char		*t;
	size_t			 i;

	memset(s, 0, sizeof(*s));
	s->ctx = ctx;
	for (i = 0; i < SP__MAX; i++)
		s->p[i] = DBV_NULL;
	s->p[SP_ME] = DBV_STR(ctx->user_id);
	s->name_ft = DBV_STR("");
	s->descr_ft = DBV_STR("");
	s->p[SP_KIND] = DBV_OPTSTR(kind);
	/* A place or camera: its value; null means "not known" ('' here). */
	for (i = 0; i < PC__MAX; i++) {
		s->pc[i] = DBV_NULL;
		if (kind != NULL && strcmp(kind, place_camera[i].kind) == 0)
			continue;
		if (json_object_object_get_ex(q, place_camera[i].name, &v))
			s->pc[i] = DBV_STR(v == NULL ? "" : json_object_get_string(v));
	}
	if ((t = valid_get_str(q, "originalFileName")) != NULL) {
		if (fulltext_query(t, s->name_q, sizeof(s->name_q)) != 0)
			return ctx_invalid(ctx, "originalFileName", "invalid_format",
			    "originalFileName must hold a letter or digit");
		s->p[SP_NAME] = s->name_ft = DBV_STR(s->name_q);
	}
	if ((t = valid_get_str(q, "description")) != NULL) {
		if (fulltext_query(t, s->descr_q, sizeof(s->descr_q)) != 0)
			return ctx_invalid(ctx, "description", "invalid_format",
			    "description must hold a letter or digit");
		s->p[SP_DESCR] = s->descr_ft = DBV_STR(s->descr_q);
	}
	for (i = 0; i < 4; i++)
		if ((t = valid_get_str(q, date_fields[i])) != NULL) {
			if (search_date(t, s->dates[i]) != 0)
				return ctx_invalid(ctx, date_fields[i], "invalid_format",
				    "Invalid ISO datetime");
			s->p[SP_TAKEN_BEFORE + i] = DBV_STR(s->dates[i]);
		}
	/* (A suggestion's "type" is its kind, not the asset's.) */
	if (kind == NULL)
		s->p[SP_TYPE] = DBV_OPTSTR(valid_get_str(q, "type"));
	if (valid_has(q, "isFavorite"))
		s->p[SP_FAV] = DBV_INT(valid_get_bool(q, "isFavorite", 0));
	s->p[SP_VIS] = DBV_OPTSTR(valid_get_str(q, "visibility"));
	return PERR_NONE;
}

/*
 * The route's check: locked assets need an elevated (PIN) session, which
 * partnerd does not have (Immich's requireElevatedPermission).
 */
enum perr
search_check(struct ctx *ctx)
{
	const char	*vis = valid_get_str(ctx->body, "visibility");

	if (vis != NULL && strcmp(vis, "locked") == 0)
		return ctx_fail(ctx, PERR_UNAUTHENTICATED, "Elevated permission is required");
	if (valid_has(ctx->body, "page") &&
	    json_object_get_int64(json_object_object_get(ctx->body, "page")) < 1)
		return ctx_invalid(ctx, "page", "too_small", "Too small: expected number to be >=1");
	if (valid_has(ctx->body, "size") &&
	    json_object_get_int64(json_object_object_get(ctx->body, "size")) < 1)
		return ctx_invalid(ctx, "size", "too_small", "Too small: expected number to be >=1");
	return PERR_NONE;
}

/* Found assets as AssetResponseDto, exifInfo only when asked. */
struct found {
	struct json_object	*items;
	const char		*me;
	int			 with_exif;
};

static int
found_row(void *arg, const struct db_row *row)
{
	struct found		*f = arg;
	struct json_object	*o = dto_asset(row);

	if (o == NULL)
		return -1;
	if (!f->with_exif)
		json_object_object_del(o, "exifInfo");
	return json_object_array_add(f->items, o);
}

enum perr
h_search_metadata(struct ctx *ctx)
{
	struct json_object	*b = ctx->body, *res, *assets, *albums;
	struct search		 s;
	struct dbv		 a[SEARCH_BIND_MAX];
	struct found		 f;
	enum stmt		 st;
	enum perr		 e;
	long long		 page = 1, size = SEARCH_SIZE_DEFAULT;
	const char		*order = valid_get_str(b, "order");
	size_t			 n;
	int			 rc;

	if (valid_has(b, "page"))
		page = json_object_get_int64(json_object_object_get(b, "page"));
	if (valid_has(b, "size"))
		size = json_object_get_int64(json_object_object_get(b, "size"));
	if ((e = search_prepare(ctx, &s, b, NULL)) != PERR_NONE)
		return e;
	/* One more than the page: whether there is a next one. */
	n = search_bind(&s, 1, a);
	a[n++] = DBV_INT(size + 1);
	a[n++] = DBV_INT((page - 1) * size);
	f.items = json_object_new_array();
	f.me = ctx->user_id;
	f.with_exif = valid_get_bool(b, "withExif", 0);
	if (order != NULL && strcmp(order, "asc") == 0)
		st = search_narrowed(&s) ? STMT_SEARCH_ASSETS_BY_ASC : STMT_SEARCH_ASSETS_ASC;
	else
		st = search_narrowed(&s) ? STMT_SEARCH_ASSETS_BY_DESC : STMT_SEARCH_ASSETS_DESC;
	rc = db_query(ctx->db, st, a, n, found_row, &f);
	if (db_failed(rc)) {
		json_object_put(f.items);
		return perr_from_db(rc);
	}
	n = json_object_array_length(f.items);
	if (n > (size_t)size)
		json_object_array_del_idx(f.items, (size_t)size, n - (size_t)size);
	/* Immich's SearchResponseDto: total and count are the page's. */
	res = json_object_new_object();
	albums = json_object_new_object();
	json_object_object_add(albums, "total", json_object_new_int(0));
	json_object_object_add(albums, "count", json_object_new_int(0));
	json_object_object_add(albums, "items", json_object_new_array());
	json_object_object_add(albums, "facets", json_object_new_array());
	json_object_object_add(res, "albums", albums);
	assets = json_object_new_object();
	json_object_object_add(assets, "total",
	    json_object_new_int64((int64_t)json_object_array_length(f.items)));
	json_object_object_add(assets, "count",
	    json_object_new_int64((int64_t)json_object_array_length(f.items)));
	json_object_object_add(assets, "items", f.items);
	json_object_object_add(assets, "facets", json_object_new_array());
	if (n > (size_t)size) {
		char	 next[32];

		snprintf(next, sizeof(next), "%lld", page + 1);
		json_object_object_add(assets, "nextPage", json_object_new_string(next));
	} else
		json_object_object_add(assets, "nextPage", NULL);
	json_object_object_add(res, "assets", assets);
	return resp_json(ctx->resp, 200, res) == 0 ? PERR_NONE : PERR_INTERNAL;
}

/* Suggestions, null kept only when asked for. */
struct suggest {
	struct json_object	*list;
	int			 include_null;
};

static int
suggestion_row(void *arg, const struct db_row *row)
{
	struct suggest	*g = arg;

	if (row->val[0] == NULL)
		return g->include_null ? json_object_array_add(g->list, NULL) : 0;
	return json_object_array_add(g->list, json_object_new_string(row->val[0]));
}

enum perr
h_search_suggestions(struct ctx *ctx)
{
	struct search	 s;
	struct dbv	 a[SEARCH_BIND_MAX];
	struct suggest	 g;
	enum perr	 e;
	int		 rc;

	if ((e = search_prepare(ctx, &s, ctx->qs, valid_get_str(ctx->qs, "type"))) != PERR_NONE)
		return e;
	g.list = json_object_new_array();
	g.include_null = valid_get_bool(ctx->qs, "includeNull", 0);
	if (search_narrowed(&s))
		rc = db_query(ctx->db, STMT_SEARCH_SUGGESTIONS_BY, a, search_bind(&s, 0, a),
		    suggestion_row, &g);
	else {
		/* Nothing narrows them: the owners' counts (sql/037) of kind,
		 * and the assets of dated shares; q's parameters twice. */
		memcpy(a, s.p, sizeof(s.p));
		memcpy(a + SP__MAX, s.p, sizeof(s.p));
		rc = db_query(ctx->db, STMT_SEARCH_SUGGESTIONS, a, 2 * SP__MAX,
		    suggestion_row, &g);
	}
	if (db_failed(rc)) {
		json_object_put(g.list);
		return perr_from_db(rc);
	}
	return resp_json(ctx->resp, 200, g.list) == 0 ? PERR_NONE : PERR_INTERNAL;
}

enum perr
h_search_cities(struct ctx *ctx)
{
	struct search	 s;
	struct found	 f;
	enum perr	 e;
	int		 rc;

	if ((e = search_prepare(ctx, &s, NULL, NULL)) != PERR_NONE)
		return e;
	f.items = json_object_new_array();
	f.me = ctx->user_id;
	f.with_exif = 1;
	/* No filters: q's parameters alone. */
	rc = db_query(ctx->db, STMT_SEARCH_CITIES, s.p, SP__MAX, found_row, &f);
	if (db_failed(rc)) {
		json_object_put(f.items);
		return perr_from_db(rc);
	}
	return resp_json(ctx->resp, 200, f.items) == 0 ? PERR_NONE : PERR_INTERNAL;
}

enum perr
h_search_smart(struct ctx *ctx)
{
	return ctx_fail(ctx, PERR_BAD_REQUEST, "Smart search is not available: partnerd has "
	    "no machine learning; search by place, camera, date or file name instead "
	    "(POST /api/search/metadata)");
}
