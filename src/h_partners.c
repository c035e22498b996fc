/*
 * h_partners.c: /api/partners. Responses carry Immich's PartnerResponseDto
 * (the other user's six public fields and inTimeline) and partnerd's
 * startDate: the day the share begins ("YYYY-MM-DD"), null for the whole
 * library (README, "Beyond Immich").
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "partnerd.h"
#include "db.h"
#include "handlers.h"
#include "partners.h"
#include "users.h"
#include "valid.h"

static const char *const directions[] = { "shared-by", "shared-with", NULL };

const struct vfield spec_partner_list_query[] = {
	{ "direction", VT_ENUM, 1, 0, directions, 0, 0 },
	{ NULL, 0, 0, 0, NULL, 0, 0 },
};

const struct vfield spec_partner_create[] = {
	{ "sharedWithId", VT_UUID, 1, 0, NULL, 0, 0 },
	{ "startDate", VT_DATE, 0, 0, NULL, 0, 1 },
	{ NULL, 0, 0, 0, NULL, 0, 0 },
};

const struct vfield spec_partner_start[] = {
	{ "startDate", VT_DATE, 1, 0, NULL, 0, 1 },
	{ NULL, 0, 0, 0, NULL, 0, 0 },
};

const struct vfield spec_partner_update[] = {
	{ "inTimeline", VT_BOOL, 1, 0, NULL, 0, 0 },
	{ NULL, 0, 0, 0, NULL, 0, 0 },
};

/* startDate: a day, or null for the whole library. */
static void
add_start_date(struct json_object *o, const char *start)
{
	json_object_object_add(o, "startDate",
	    start != NULL ? json_object_new_string(start) : NULL);
}

/* PartnerResponseDto from USER_COLS followed by in_timeline, start_date. */
static struct json_object *
dto_partner(const struct db_row *row)
{
	struct json_object	*o = dto_user(row, 0, 0);

	json_object_object_add(o, "inTimeline",
	    json_object_new_boolean(row->val[UC__MAX][0] == '1'));
	add_start_date(o, row->val[UC__MAX + 1]);
	return o;
}

/* The one partner STMT_PARTNER_SHARER or _RECIPIENT finds. */
static int
one_partner_row(void *arg, const struct db_row *row)
{
	struct json_object	**o = arg;

	if (*o == NULL)
		*o = dto_partner(row);
	return 0;
}

/* Partners in the order Immich lists them: by when the share began. */
struct partner_list {
	struct partner_entry {
		char			 key[64];	/* created_at, then id */
		struct json_object	*dto;
	}			*e;
	size_t			 n, cap;
};

static int
partner_row(void *arg, const struct db_row *row)
{
	struct partner_list	*l = arg;

	if (l->n == l->cap) {
		size_t			 cap = l->cap ? l->cap * 2 : 16;
		struct partner_entry	*e = realloc(l->e, cap * sizeof(*e));

		if (e == NULL)
			return -1;
		l->e = e;
		l->cap = cap;
	}
	snprintf(l->e[l->n].key, sizeof(l->e[0].key), "%s %s",
	    row->val[UC__MAX + 2], row->val[UC_ID]);
	l->e[l->n++].dto = dto_partner(row);
	return 0;
}

static int
partner_cmp(const void *a, const void *b)
{
	return strcmp(((const struct partner_entry *)a)->key,
	    ((const struct partner_entry *)b)->key);
}

/* The DTOs, sorted, as a JSON array that takes them over. */
static struct json_object *
partner_array(struct partner_list *l)
{
	struct json_object	*arr = json_object_new_array();
	size_t			 i;

	if (l->n > 1)
		qsort(l->e, l->n, sizeof(*l->e), partner_cmp);
	for (i = 0; i < l->n; i++)
		json_object_array_add(arr, l->e[i].dto);
	l->n = 0;
	return arr;
}

enum perr
h_partners_list(struct ctx *ctx)
{
	const char		*dir = valid_get_str(ctx->qs, "direction");
	struct partner_list	 l = { NULL, 0, 0 };
	struct json_object	*arr;
	struct dbv		 a[1] = { DBV_STR(ctx->user_id) };
	int			 rc;

	rc = db_query(ctx->db, strcmp(dir, "shared-by") == 0 ? STMT_PARTNER_LIST_BY :
	    STMT_PARTNER_LIST_WITH, a, 1, partner_row, &l);
	arr = partner_array(&l);
	free(l.e);
	if (db_failed(rc)) {
		json_object_put(arr);
		return perr_from_db(rc);
	}
	return resp_json(ctx->resp, 200, arr) ? PERR_INTERNAL : PERR_NONE;
}

static int
first_user_row(void *arg, const struct db_row *row)
{
	struct json_object	**o = arg;

	if (*o == NULL)
		*o = dto_user(row, 0, 0);
	return 0;
}

/* Share my library with id, from the day start on (NULL: all of it);
 * answer the target user with inTimeline false and the startDate. */
static enum perr
share_with(struct ctx *ctx, const char *id, const char *start)
{
	struct json_object	*o = NULL;
	struct dbv		 a[1] = { DBV_STR(id) };
	const char		*msg;
	enum perr		 e;
	int			 rc;

	if ((e = partner_share(ctx->db, ctx->user_id, id, start, &msg)) != PERR_NONE)
		return msg ? ctx_fail(ctx, e, "%s", msg) : e;
	if ((rc = db_query(ctx->db, STMT_USER_GET, a, 1, first_user_row, &o)) != DB_OK)
		return perr_from_db(rc);
	json_object_object_add(o, "inTimeline", json_object_new_boolean(0));
	add_start_date(o, start);
	return resp_json(ctx->resp, 201, o) ? PERR_INTERNAL : PERR_NONE;
}

enum perr
h_partners_create(struct ctx *ctx)
{
	return share_with(ctx, valid_get_str(ctx->body, "sharedWithId"),
	    valid_get_str(ctx->body, "startDate"));
}

enum perr
h_partners_create_legacy(struct ctx *ctx)
{
	return share_with(ctx, ctx->params[0], NULL);
}

/* The one share found by stmt (by, with) as a 200, or the error. */
static enum perr
partner_answer(struct ctx *ctx, enum stmt stmt, const char *by, const char *with)
{
	struct json_object	*o = NULL;
	struct dbv		 a[2] = { DBV_STR(by), DBV_STR(with) };
	int			 rc;

	rc = db_query(ctx->db, stmt, a, 2, one_partner_row, &o);
	if (rc == DB_OK && o != NULL)
		return resp_json(ctx->resp, 200, o) ? PERR_INTERNAL : PERR_NONE;
	if (o != NULL)
		json_object_put(o);
	return perr_from_db(rc == DB_OK ? DB_ERROR : rc);
}

enum perr
h_partners_set_start(struct ctx *ctx)
{
	const char	*msg;
	enum perr	 e;

	/* :id is the recipient of my share: only the sharer sets its date
	 * (partner_set_start finds my share or answers 400). */
	if ((e = partner_set_start(ctx->db, ctx->user_id, ctx->params[0],
	    valid_get_str(ctx->body, "startDate"), &msg)) != PERR_NONE)
		return msg ? ctx_fail(ctx, e, "%s", msg) : e;
	return partner_answer(ctx, STMT_PARTNER_RECIPIENT, ctx->user_id, ctx->params[0]);
}

enum perr
h_partners_update(struct ctx *ctx)
{
	const char	*msg;
	enum perr	 e;

	/* :id is the sharer; the gate let only their recipient through. */
	if ((e = partner_set_timeline(ctx->db, ctx->params[0], ctx->user_id,
	    valid_get_bool(ctx->body, "inTimeline", 0), &msg)) != PERR_NONE)
		return msg ? ctx_fail(ctx, e, "%s", msg) : e;
	return partner_answer(ctx, STMT_PARTNER_SHARER, ctx->params[0], ctx->user_id);
}

enum perr
h_partners_delete(struct ctx *ctx)
{
	const char	*msg;
	enum perr	 e;

	if ((e = partner_remove(ctx->db, ctx->user_id, ctx->params[0], &msg)) != PERR_NONE)
		return msg ? ctx_fail(ctx, e, "%s", msg) : e;
	ctx->resp->status = 204;
	return PERR_NONE;
}

enum perr
h_partners_leave(struct ctx *ctx)
{
	const char	*msg;
	enum perr	 e;

	/* :id is the sharer; ending a share with me needs nothing from them. */
	if ((e = partner_leave(ctx->db, ctx->user_id, ctx->params[0], &msg)) != PERR_NONE)
		return msg ? ctx_fail(ctx, e, "%s", msg) : e;
	ctx->resp->status = 204;
	return PERR_NONE;
}
