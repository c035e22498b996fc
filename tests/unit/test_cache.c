/* test_cache.c: the cache of recent answers (cache.h), in-process. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "harness.h"
#include "cache.h"

static void
test_cache_hit_only_at_the_stored_version(void)
{
	struct answer_cache	*c = cache_new(1 << 20);
	struct pbuf	 b = { NULL, 0, 0 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	cache_put(c, "me\n/api/timeline/buckets\n", 7, "[1]", 3);
	CU_ASSERT_EQUAL(cache_get(c, "me\n/api/timeline/buckets\n", 7, &b), 1);
	CU_ASSERT_STRING_EQUAL(b.data, "[1]");
	pbuf_reset(&b);
	/* The viewer's counter moved: the answer is gone for good. */
	CU_ASSERT_EQUAL(cache_get(c, "me\n/api/timeline/buckets\n", 8, &b), 0);
	CU_ASSERT_EQUAL(b.len, 0);
	/* Another viewer, or another query, never shares an answer. */
	CU_ASSERT_EQUAL(cache_get(c, "you\n/api/timeline/buckets\n", 7, &b), 0);
	CU_ASSERT_EQUAL(cache_get(c, "me\n/api/timeline/buckets\norder=asc", 7, &b), 0);
	/* A newer answer replaces the old one under the same key. */
	cache_put(c, "me\n/api/timeline/buckets\n", 8, "[2]", 3);
	CU_ASSERT_EQUAL(cache_get(c, "me\n/api/timeline/buckets\n", 8, &b), 1);
	CU_ASSERT_STRING_EQUAL(b.data, "[2]");
	pbuf_free(&b);
	cache_free(c);
}

static void
test_cache_stays_within_its_budget_dropping_the_least_used(void)
{
	static char	 body[10000];
	struct answer_cache	*c = cache_new(100000);
	struct pbuf	 b = { NULL, 0, 0 };
	char		 key[32];
	int		 i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	memset(body, 'x', sizeof(body));
	for (i = 0; i < 50; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		cache_put(c, key, 1, body, sizeof(body));
		/* k0 is read after every put: the most recently used. */
		CU_ASSERT_EQUAL(cache_get(c, "k0", 1, &b), 1);
		pbuf_reset(&b);
		CU_ASSERT(cache_bytes(c) <= 100000);
	}
	CU_ASSERT_EQUAL(cache_get(c, "k49", 1, &b), 1);	/* the newest stays */
	CU_ASSERT_EQUAL(cache_get(c, "k1", 1, &b), 0);	/* old ones went */
	CU_ASSERT(cache_bytes(c) > 50000);		/* but it is used */
	pbuf_free(&b);
	cache_free(c);
}

static void
test_cache_refuses_oversize_answers_and_budget_zero(void)
{
	static char	 big[30000];
	struct answer_cache	*c = cache_new(100000);
	struct pbuf	 b = { NULL, 0, 0 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	cache_put(c, "big", 1, big, sizeof(big));	/* over a quarter */
	CU_ASSERT_EQUAL(cache_get(c, "big", 1, &b), 0);
	CU_ASSERT_EQUAL(cache_bytes(c), 0);
	cache_free(c);
	/* answer_cache = 0: no cache, and every call is a harmless miss. */
	CU_ASSERT_PTR_NULL(c = cache_new(0));
	cache_put(c, "k", 1, "x", 1);
	CU_ASSERT_EQUAL(cache_get(c, "k", 1, &b), 0);
	pbuf_free(&b);
}

void
suite_cache(void)
{
	CU_pSuite s = CU_add_suite("unit: answer cache", NULL, NULL);

	ADD_TEST(s, test_cache_hit_only_at_the_stored_version);
	ADD_TEST(s, test_cache_stays_within_its_budget_dropping_the_least_used);
	ADD_TEST(s, test_cache_refuses_oversize_answers_and_budget_zero);
}
