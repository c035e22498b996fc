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
enum search_order { SO_ASC, SO_DESC, SO__MAX };
static const char *const search_orders[SO__MAX + 1] = { [SO_ASC] = "asc", [SO_DESC] = "desc" };
static const char *const suggestion_types[] = { "country", "state", "city", "camera-make",
	"camera-model", "camera-lens-model", NULL };

/* Immich's default page size, and the largest it takes. */
#define SEARCH_SIZE_DEFAULT	250
#define SEARCH_SIZE_MAX		1000
#define SEARCH_PAGE_MAX		100000

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

/* Does the text hold a word (fulltext_query's letter or digit)? */
static int
has_word(const char *s)
{
	for (; *s != '\0'; s++)
		if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

/* The dates a search takes, in SP_TAKEN_BEFORE's order. */
enum sd { SD_TAKEN_BEFORE, SD_TAKEN_AFTER, SD_CREATED_BEFORE, SD_CREATED_AFTER, SD__MAX };

/* The place and camera filters of both routes. */
struct in_place_camera {
	const char	*pc[PC__MAX];	/* NULL when absent or null */
	int		 pc_set[PC__MAX];	/* present, even as null ("not known") */
};

/* POST /api/search/metadata */
struct in_search {
	struct in_place_camera where;
	const char	*file_name, *description;
	struct vdate	 date[SD__MAX];
	int		 type;	/* index into search_types, or VE_UNSET */
	int		 is_favorite, with_exif, with_stacked, with_people;	/* or VB_UNSET */
	int		 visibility;	/* index into search_visibilities, or VE_UNSET */
	int64_t		 page, size;
	int		 page_set, size_set;
	int		 order;	/* enum search_order, or VE_UNSET */
};

/* GET /api/search/suggestions */
struct in_suggestions {
	int		 kind;	/* index into suggestion_types */
	struct in_place_camera where;
	int		 include_null;	/* or VB_UNSET */
};

/* The place and camera filters of struct T: null is "not known". */
#define PLACE_CAMERA(T, json, slot) \
	{ .name = json, .type = VT_STRING, .max = 255, .nullable = 1, \
	    VF_AT(T, where.pc[slot]), VF_SET(T, where.pc_set[slot]) }
#define PLACE_CAMERA_FIELDS(T) \
	PLACE_CAMERA(T, "country", PC_COUNTRY), PLACE_CAMERA(T, "state", PC_STATE), \
	PLACE_CAMERA(T, "city", PC_CITY), PLACE_CAMERA(T, "make", PC_MAKE), \
	PLACE_CAMERA(T, "model", PC_MODEL), PLACE_CAMERA(T, "lensModel", PC_LENS)
/* A date, or a day alone (its midnight UTC). */
#define SEARCH_DATE(json, slot) \
	{ .name = json, .type = VT_DATE, .max = 64, .day_ok = 1, \
	    VF_AT(struct in_search, date[slot]) }

/* MetadataSearchDto, the fields partnerd searches by, and a few it accepts
 * as Immich's clients send them (withStacked, withPeople change nothing). */
const struct vfield spec_search_metadata[] = {
	PLACE_CAMERA_FIELDS(struct in_search),
	{ .name = "originalFileName", .type = VT_STRING, .max = 255, .check = has_word,
	    .check_msg = "originalFileName must hold a letter or digit",
	    VF_AT(struct in_search, file_name) },
	{ .name = "description", .type = VT_STRING, .max = 1000, .check = has_word,
	    .check_msg = "description must hold a letter or digit",
	    VF_AT(struct in_search, description) },
	SEARCH_DATE("takenBefore", SD_TAKEN_BEFORE),
	SEARCH_DATE("takenAfter", SD_TAKEN_AFTER),
	SEARCH_DATE("createdBefore", SD_CREATED_BEFORE),
	SEARCH_DATE("createdAfter", SD_CREATED_AFTER),
	{ .name = "type", .type = VT_ENUM, .choices = search_types,
	    VF_AT(struct in_search, type) },
	{ .name = "isFavorite", .type = VT_BOOL, VF_AT(struct in_search, is_favorite) },
	{ .name = "visibility", .type = VT_ENUM, .choices = search_visibilities,
	    VF_AT(struct in_search, visibility) },
	{ .name = "withExif", .type = VT_BOOL, VF_AT(struct in_search, with_exif) },
	{ .name = "withStacked", .type = VT_BOOL, VF_AT(struct in_search, with_stacked) },
	{ .name = "withPeople", .type = VT_BOOL, VF_AT(struct in_search, with_people) },
	{ .name = "page", .type = VT_INT, .min = 1, .max = SEARCH_PAGE_MAX,
	    VF_AT(struct in_search, page), VF_SET(struct in_search, page_set) },
	{ .name = "size", .type = VT_INT, .min = 1, .max = SEARCH_SIZE_MAX,
	    VF_AT(struct in_search, size), VF_SET(struct in_search, size_set) },
	{ .name = "order", .type = VT_ENUM, .choices = search_orders,
	    VF_AT(struct in_search, order) },
	VF_END(struct in_search),
};

/* SearchSuggestionRequestDto. */
const struct vfield spec_search_suggestions[] = {
	{ .name = "type", .type = VT_ENUM, .required = 1, .choices = suggestion_types,
	    VF_AT(struct in_suggestions, kind) },
	PLACE_CAMERA_FIELDS(struct in_suggestions),
	{ .name = "includeNull", .type = VT_BOOL,
	    VF_AT(struct in_suggestions, include_null) },
	VF_END(struct in_suggestions),
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

/*
 * The parameters of the search statements: where's place and camera (or
 * NULL), q's other filters (or NULL); kind, a suggestion's, is not filtered
 * by its own column. PERR_NONE.
 */
static enum perr
search_prepare(struct ctx *ctx, struct search *s,
    const struct in_place_camera *where, const struct in_search *q,
    const char *kind)
{
	size_t			 i;

	memset(s, 0, sizeof(*s));
	s->ctx = ctx;
	for (i = 0; i < SP__MAX; i++)
		s->p[i] = DBV_NULL;
	s->p[SP_ME] = DBV_STR(ctx->user_id);
	s->name_ft = DBV_STR("");
	s->descr_ft = DBV_STR("");
	s->p[SP_KIND] = DBV_OPTSTR(kind);
	for (i = 0; i < PC__MAX; i++)
		s->pc[i] = DBV_NULL;
	/* A place or camera: its value; null means "not known" ('' here). */
	for (i = 0; where != NULL && i < PC__MAX; i++) {
		if (kind != NULL && strcmp(kind, place_camera[i].kind) == 0)
			continue;
		if (where->pc_set[i])
			s->pc[i] = DBV_STR(where->pc[i] == NULL ? "" : where->pc[i]);
	}
	if (q == NULL)
		return PERR_NONE;
	/* The spec let only texts with a word through. */
	if (q->file_name != NULL) {
		fulltext_query(q->file_name, s->name_q, sizeof(s->name_q));
		s->p[SP_NAME] = s->name_ft = DBV_STR(s->name_q);
	}
	if (q->description != NULL) {
		fulltext_query(q->description, s->descr_q, sizeof(s->descr_q));
		s->p[SP_DESCR] = s->descr_ft = DBV_STR(s->descr_q);
	}
	for (i = 0; i < SD__MAX; i++)
		if (q->date[i].s != NULL) {
			dt_format(q->date[i].ms, s->dates[i]);
			s->p[SP_TAKEN_BEFORE + i] = DBV_STR(s->dates[i]);
		}
	if (q->type != VE_UNSET)
		s->p[SP_TYPE] = DBV_STR(search_types[q->type]);
	if (q->is_favorite != VB_UNSET)
		s->p[SP_FAV] = DBV_INT(q->is_favorite);
	if (q->visibility != VE_UNSET)
		s->p[SP_VIS] = DBV_STR(search_visibilities[q->visibility]);
	return PERR_NONE;
}

/*
 * The route's check: locked assets need an elevated (PIN) session, which
 * partnerd does not have (Immich's requireElevatedPermission).
 */
enum perr
search_check(struct ctx *ctx)
{
	const struct in_search	*b = ctx->in;

	if (b->visibility != VE_UNSET &&
	    strcmp(search_visibilities[b->visibility], "locked") == 0)
		return ctx_fail(ctx, PERR_UNAUTHENTICATED, "Elevated permission is required");
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
	const struct in_search	*b = ctx->in;
	struct json_object	*res, *assets, *albums;
	struct search		 s;
	struct dbv		 a[SEARCH_BIND_MAX];
	struct found		 f;
	enum stmt		 st;
	enum perr		 e;
	long long		 page = 1, size = SEARCH_SIZE_DEFAULT;
	size_t			 n;
	int			 rc;

	if (b->page_set)
		page = b->page;
	if (b->size_set)
		size = b->size;
	if ((e = search_prepare(ctx, &s, &b->where, b, NULL)) != PERR_NONE)
		return e;
	/* One more than the page: whether there is a next one. */
	n = search_bind(&s, 1, a);
	a[n++] = DBV_INT(size + 1);
	a[n++] = DBV_INT((page - 1) * size);
	f.items = json_object_new_array();
	f.me = ctx->user_id;
	f.with_exif = b->with_exif == 1;
	if (b->order == SO_ASC)
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

/*
 * Whether nothing but values of kind's own facet narrows the suggestions
 * (a place's by places, a camera's by cameras): the owners' counts
 * (sql/062) answer those. suggestion_types and enum pc both list the
 * three places first.
 */
static int
suggest_counted(const struct search *s, int kind)
{
	int	 place = kind < 3, i;

	for (i = 0; i < PC__MAX; i++)
		if (s->pc[i].t != DBT_NULL && (i <= PC_COUNTRY) != place)
			return 0;
	return 1;
}

enum perr
h_search_suggestions(struct ctx *ctx)
{
	const struct in_suggestions *q = ctx->in;
	struct search	 s;
	struct dbv	 a[2 * (SP__MAX + 2 * PC__MAX)];
	struct suggest	 g;
	enum perr	 e;
	size_t		 n;
	int		 rc;

	if ((e = search_prepare(ctx, &s, &q->where, NULL,
	    suggestion_types[q->kind])) != PERR_NONE)
		return e;
	g.list = json_object_new_array();
	g.include_null = q->include_null == 1;
	n = search_bind(&s, 0, a);
	if (suggest_counted(&s, q->kind)) {
		/* The owners' counts of kind's facet (sql/062), and the assets
		 * of dated shares: the parameters twice. */
		memcpy(a + n, a, n * sizeof(a[0]));
		rc = db_query(ctx->db, STMT_SEARCH_SUGGESTIONS, a, 2 * n, suggestion_row, &g);
	} else
		rc = db_query(ctx->db, STMT_SEARCH_SUGGESTIONS_BY, a, n, suggestion_row, &g);
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

	if ((e = search_prepare(ctx, &s, NULL, NULL, NULL)) != PERR_NONE)
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
