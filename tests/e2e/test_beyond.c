/*
 * test_beyond.c: what partnerd does beyond Immich's partner sharing
 * (README "Beyond Immich"), end to end through nginx: a recipient leaving
 * a share. The access matrix in test_partners.c holds its viewer cases.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "harness.h"

/* A sharer and a recipient of a fresh share, the sharer with one photo. */
struct pair {
	char	 s_id[37], r_id[37], s_email[128], r_email[128], photo[37];
	char	*s_token, *r_token;
};

static const char	*pics;
static int		 pic_next = 1;

static const char *
next_pic(void)
{
	static char	 path[1024];

	snprintf(path, sizeof(path), "%s/f18_%04d.jpg", pics, pic_next++);
	return path;
}

static int
share(const struct pair *p)
{
	char	 body[128];

	snprintf(body, sizeof(body), "{\"sharedWithId\":\"%s\"}", p->r_id);
	return api_status(p->s_token, "POST", "/api/partners", body) == 201 ? 0 : -1;
}

static int
pair_new(struct pair *p, const char *prefix)
{
	char	 name[64];

	memset(p, 0, sizeof(*p));
	snprintf(name, sizeof(name), "%s-s", prefix);
	p->s_token = new_user_token(name, "pw-beyond-1", p->s_email, sizeof(p->s_email), p->s_id);
	snprintf(name, sizeof(name), "%s-r", prefix);
	p->r_token = new_user_token(name, "pw-beyond-1", p->r_email, sizeof(p->r_email), p->r_id);
	if (p->s_token == NULL || p->r_token == NULL)
		return -1;
	return share(p) == 0 && upload_id(p->s_token, next_pic(), p->photo) == 0 ? 0 : -1;
}

static void
pair_free(struct pair *p)
{
	free(p->s_token);
	free(p->r_token);
}

/* The recipient's status for GET /api/assets/:photo. */
static long
recipient_reads(const struct pair *p)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/api/assets/%s", p->photo);
	return api_status(p->r_token, "GET", path, NULL);
}

/* The recipient leaves; the answer in h, or only the status when h is NULL. */
static long
leave(const struct pair *p, struct http *h)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/api/partners/%s/leave", p->s_id);
	return h ? api(p->r_token, "POST", path, NULL, h) :
	    api_status(p->r_token, "POST", path, NULL);
}

/* Does the partner list of token in direction dir name id? */
static int
listed(const char *token, const char *dir, const char *id)
{
	struct http	 h;
	char		 path[128];
	int		 r;

	snprintf(path, sizeof(path), "/api/partners?direction=%s", dir);
	if (api(token, "GET", path, NULL, &h) != 200)
		r = -1;
	else
		r = strstr(h.body, id) != NULL;
	http_free(&h);
	return r;
}

static int
beyond_init(void)
{
	return (pics = fixture_dir(18, 40)) == NULL ? -1 : 0;
}

static int
beyond_clean(void)
{
	return 0;
}

/* ---- leave ------------------------------------------------------------- */

static void
test_leave_answers_204_and_access_ends_at_the_next_request(void)
{
	struct pair	 p;
	struct http	 h;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "leave-a"), 0);
	CU_ASSERT_EQUAL(recipient_reads(&p), 200);
	CU_ASSERT_EQUAL(recipient_reads(&p), 200);	/* a kept answer, now */
	CU_ASSERT_EQUAL(leave(&p, &h), 204);
	CU_ASSERT_EQUAL(h.len, 0);
	http_free(&h);
	CU_ASSERT_EQUAL(recipient_reads(&p), 400);
	pair_free(&p);
}

static void
test_leave_removes_the_share_from_both_partner_lists(void)
{
	struct pair	 p;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "leave-b"), 0);
	CU_ASSERT_EQUAL(listed(p.r_token, "shared-with", p.s_id), 1);
	CU_ASSERT_EQUAL(listed(p.s_token, "shared-by", p.r_id), 1);
	CU_ASSERT_EQUAL(leave(&p, NULL), 204);
	CU_ASSERT_EQUAL(listed(p.r_token, "shared-with", p.s_id), 0);
	CU_ASSERT_EQUAL(listed(p.s_token, "shared-by", p.r_id), 0);
	pair_free(&p);
}

static void
test_leave_writes_the_audit_row_the_sharers_delete_would(void)
{
	struct pair	 p;
	char		 sql[256], out[32];

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "leave-c"), 0);
	CU_ASSERT_EQUAL(leave(&p, NULL), 204);
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM partnerd.partner_audit WHERE "
	    "shared_by_id = '%s' AND shared_with_id = '%s'", p.s_id, p.r_id);
	CU_ASSERT_EQUAL(db_root_value(sql, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "1");
	pair_free(&p);
}

static void
test_leave_moves_the_recipients_timeline_at_once(void)
{
	struct pair	 p;
	struct http	 h;
	const char	*path = "/api/timeline/buckets?withPartners=true&visibility=timeline";

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "leave-d"), 0);
	CU_ASSERT_EQUAL(api(p.r_token, "GET", path, NULL, &h), 200);
	CU_ASSERT_EQUAL(json_object_array_length(h.json), 0);	/* not in timeline */
	http_free(&h);
	{
		char	 ppath[128];

		snprintf(ppath, sizeof(ppath), "/api/partners/%s", p.s_id);
		CU_ASSERT_EQUAL(api_status(p.r_token, "PUT", ppath, "{\"inTimeline\":true}"), 200);
	}
	CU_ASSERT_EQUAL(api(p.r_token, "GET", path, NULL, &h), 200);
	CU_ASSERT_EQUAL(json_object_array_length(h.json), 1);
	http_free(&h);
	CU_ASSERT_EQUAL(leave(&p, NULL), 204);
	CU_ASSERT_EQUAL(api(p.r_token, "GET", path, NULL, &h), 200);
	CU_ASSERT_EQUAL(json_object_array_length(h.json), 0);
	http_free(&h);
	pair_free(&p);
}

static void
test_leave_of_no_share_is_partner_not_found(void)
{
	struct pair	 p;
	struct http	 h;
	char		 path[128];

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "leave-e"), 0);
	/* The sharer cannot "leave" their own share: r does not share with s. */
	snprintf(path, sizeof(path), "/api/partners/%s/leave", p.r_id);
	CU_ASSERT_EQUAL(api(p.s_token, "POST", path, NULL, &h), 400);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Partner not found");
	http_free(&h);
	CU_ASSERT_EQUAL(recipient_reads(&p), 200);
	CU_ASSERT_EQUAL(leave(&p, NULL), 204);
	CU_ASSERT_EQUAL(leave(&p, &h), 400);	/* twice */
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Partner not found");
	http_free(&h);
	pair_free(&p);
}

static void
test_leave_of_a_bad_id_is_400_invalid_uuid(void)
{
	struct pair	 p;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "leave-f"), 0);
	CU_ASSERT_EQUAL(api_status(p.r_token, "POST", "/api/partners/nope/leave", NULL), 400);
	CU_ASSERT_EQUAL(api_status("not-a-token", "POST", "/api/partners/nope/leave", NULL), 401);
	CU_ASSERT_EQUAL(recipient_reads(&p), 200);
	pair_free(&p);
}

static void
test_leave_then_the_sharer_may_share_again(void)
{
	struct pair	 p;

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "leave-g"), 0);
	CU_ASSERT_EQUAL(leave(&p, NULL), 204);
	CU_ASSERT_EQUAL(recipient_reads(&p), 400);
	CU_ASSERT_EQUAL(share(&p), 0);
	CU_ASSERT_EQUAL(recipient_reads(&p), 200);
	CU_ASSERT_EQUAL(listed(p.r_token, "shared-with", p.s_id), 1);
	pair_free(&p);
}

static void
test_delete_keeps_immichs_meaning_the_recipient_cannot_use_it(void)
{
	struct pair	 p;
	char		 path[128];

	CU_ASSERT_EQUAL_FATAL(pair_new(&p, "leave-h"), 0);
	snprintf(path, sizeof(path), "/api/partners/%s", p.s_id);
	CU_ASSERT_EQUAL(api_status(p.r_token, "DELETE", path, NULL), 400);
	CU_ASSERT_EQUAL(recipient_reads(&p), 200);
	pair_free(&p);
}

void
suite_beyond(void)
{
	CU_pSuite s = CU_add_suite("e2e: beyond Immich (leave)", beyond_init, beyond_clean);

	ADD_TEST(s, test_leave_answers_204_and_access_ends_at_the_next_request);
	ADD_TEST(s, test_leave_removes_the_share_from_both_partner_lists);
	ADD_TEST(s, test_leave_writes_the_audit_row_the_sharers_delete_would);
	ADD_TEST(s, test_leave_moves_the_recipients_timeline_at_once);
	ADD_TEST(s, test_leave_of_no_share_is_partner_not_found);
	ADD_TEST(s, test_leave_of_a_bad_id_is_400_invalid_uuid);
	ADD_TEST(s, test_leave_then_the_sharer_may_share_again);
	ADD_TEST(s, test_delete_keeps_immichs_meaning_the_recipient_cannot_use_it);
}
