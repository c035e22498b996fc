/* test_sendfile.c: the Range, entity-tag and date rules of media_sendfile = worker. */
#include "config.h"

#include <string.h>

#include "harness.h"
#include "sendfile.h"

static enum sendfile_range
range(const char *hdr, off_t size, off_t *off, off_t *len)
{
	*off = *len = -1;
	return sendfile_range_parse(hdr, size, off, len);
}

static void
test_range_first_last_is_that_part(void)
{
	off_t	 off, len;

	CU_ASSERT_EQUAL(range("bytes=100-199", 1000, &off, &len), SENDFILE_PART);
	CU_ASSERT_EQUAL(off, 100);
	CU_ASSERT_EQUAL(len, 100);
}

static void
test_range_last_past_the_end_is_cut_at_the_end(void)
{
	off_t	 off, len;

	CU_ASSERT_EQUAL(range("bytes=990-5000", 1000, &off, &len), SENDFILE_PART);
	CU_ASSERT_EQUAL(off, 990);
	CU_ASSERT_EQUAL(len, 10);
}

static void
test_range_open_end_runs_to_the_end(void)
{
	off_t	 off, len;

	CU_ASSERT_EQUAL(range("bytes=10-", 1000, &off, &len), SENDFILE_PART);
	CU_ASSERT_EQUAL(off, 10);
	CU_ASSERT_EQUAL(len, 990);
}

static void
test_range_suffix_is_the_last_bytes(void)
{
	off_t	 off, len;

	CU_ASSERT_EQUAL(range("bytes=-30", 1000, &off, &len), SENDFILE_PART);
	CU_ASSERT_EQUAL(off, 970);
	CU_ASSERT_EQUAL(len, 30);
	/* Longer than the file: all of it, still as a range. */
	CU_ASSERT_EQUAL(range("bytes=-3000", 1000, &off, &len), SENDFILE_PART);
	CU_ASSERT_EQUAL(off, 0);
	CU_ASSERT_EQUAL(len, 1000);
}

static void
test_range_outside_the_file_is_unsatisfiable(void)
{
	off_t	 off, len;

	CU_ASSERT_EQUAL(range("bytes=1000-", 1000, &off, &len), SENDFILE_UNSATISFIABLE);
	CU_ASSERT_EQUAL(range("bytes=-0", 1000, &off, &len), SENDFILE_UNSATISFIABLE);
	CU_ASSERT_EQUAL(range("bytes=0-", 0, &off, &len), SENDFILE_UNSATISFIABLE);
}

static void
test_range_malformed_or_several_is_the_whole_file(void)
{
	off_t		 off, len;
	const char	*bad[] = { NULL, "", "bytes=", "bytes=-", "bytes=5", "bytes=a-b",
	    "bytes=9-1", "items=0-1", "bytes=0-1,5-6", "bytes=99999999999999999999-",
	    "bytes=1-2x", "bytes= 1 - 2" };
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(range(bad[i], 1000, &off, &len), SENDFILE_WHOLE);
}

static void
test_etag_match_is_weak_and_takes_lists(void)
{
	CU_ASSERT_TRUE(sendfile_etag_match("\"a-1\"", "\"a-1\""));
	CU_ASSERT_TRUE(sendfile_etag_match("W/\"a-1\"", "\"a-1\""));
	CU_ASSERT_TRUE(sendfile_etag_match("\"x\", \"a-1\"", "\"a-1\""));
	CU_ASSERT_TRUE(sendfile_etag_match("*", "\"a-1\""));
	CU_ASSERT_FALSE(sendfile_etag_match("\"a-2\"", "\"a-1\""));
	CU_ASSERT_FALSE(sendfile_etag_match("\"a-1", "\"a-1\""));
	CU_ASSERT_FALSE(sendfile_etag_match("", "\"a-1\""));
	CU_ASSERT_FALSE(sendfile_etag_match(NULL, "\"a-1\""));
}

static void
test_http_date_round_trips(void)
{
	char	 s[40];
	time_t	 t = 0;

	http_date_format(784111777, s, sizeof(s));
	CU_ASSERT_STRING_EQUAL(s, "Sun, 06 Nov 1994 08:49:37 GMT");
	CU_ASSERT_EQUAL(http_date_parse(s, &t), 0);
	CU_ASSERT_EQUAL(t, 784111777);
}

static void
test_http_date_refuses_other_forms(void)
{
	time_t	 t;

	CU_ASSERT_EQUAL(http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", &t), -1);
	CU_ASSERT_EQUAL(http_date_parse("Sun, 06 Nov 1994 08:49:37 CET", &t), -1);
	CU_ASSERT_EQUAL(http_date_parse("Sun, 06 Foo 1994 08:49:37 GMT", &t), -1);
	CU_ASSERT_EQUAL(http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT junk", &t), -1);
	CU_ASSERT_EQUAL(http_date_parse(NULL, &t), -1);
}

void
suite_sendfile_rules(void)
{
	CU_pSuite s = CU_add_suite("unit: media sent by the worker", NULL, NULL);

	ADD_TEST(s, test_range_first_last_is_that_part);
	ADD_TEST(s, test_range_last_past_the_end_is_cut_at_the_end);
	ADD_TEST(s, test_range_open_end_runs_to_the_end);
	ADD_TEST(s, test_range_suffix_is_the_last_bytes);
	ADD_TEST(s, test_range_outside_the_file_is_unsatisfiable);
	ADD_TEST(s, test_range_malformed_or_several_is_the_whole_file);
	ADD_TEST(s, test_etag_match_is_weak_and_takes_lists);
	ADD_TEST(s, test_http_date_round_trips);
	ADD_TEST(s, test_http_date_refuses_other_forms);
}
