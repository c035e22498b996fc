/*
 * test_retry.c: a write whose transaction lost a conflict (MariaDB 1213: an
 * InnoDB deadlock victim, or a Galera certification failure at another
 * node's commit) is run again by the worker while that is safe, through
 * nginx to the real worker. The conflict is made on demand: a trigger on
 * the table the write inserts into signals 1213 for this suite's user, as
 * many times as the probe row says (a MEMORY table: the count survives the
 * failed statement's rollback).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "../harness.h"

#define PW	"retry-secret-pw"

static char	*token;
static char	 user_id[37];

/* A trigger that makes an insert into table lose a conflict (1213) while
 * the probe row of its owner still counts failures to come. */
#define LOSING_TRIGGER(table) \
	"CREATE OR REPLACE TRIGGER partnerd.test_retry_" table \
	" BEFORE INSERT ON partnerd." table "\n" \
	"FOR EACH ROW BEGIN\n" \
	"  IF (SELECT fails FROM partnerd_test_retry.probe WHERE owner_id = NEW.owner_id) > 0 THEN\n" \
	"    UPDATE partnerd_test_retry.probe SET fails = fails - 1, fired = fired + 1\n" \
	"      WHERE owner_id = NEW.owner_id;\n" \
	"    SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'test: lost a conflict';\n" \
	"  END IF;\n" \
	"END//\n"

static int
retry_init(void)
{
	char	 email[128], sql[2048];

	if ((token = new_user_token("retry", PW, email, sizeof(email), user_id)) == NULL)
		return -1;
	snprintf(sql, sizeof(sql),
	    "CREATE DATABASE IF NOT EXISTS partnerd_test_retry;\n"
	    "CREATE TABLE IF NOT EXISTS partnerd_test_retry.probe (owner_id UUID PRIMARY KEY,"
	    " fails INT NOT NULL, fired INT NOT NULL) ENGINE=MEMORY;\n"
	    "INSERT INTO partnerd_test_retry.probe VALUES ('%s', 0, 0);\n"
	    "DELIMITER //\n"
	    LOSING_TRIGGER("albums") LOSING_TRIGGER("assets")
	    "DELIMITER ;\n", user_id);
	return db_root_sql(sql);
}

static int
retry_clean(void)
{
	free(token);
	return db_root_sql("DROP TRIGGER IF EXISTS partnerd.test_retry_albums;\n"
	    "DROP TRIGGER IF EXISTS partnerd.test_retry_assets;\n"
	    "DROP DATABASE IF EXISTS partnerd_test_retry;\n");
}

/* The next n inserts of this suite's user lose a conflict; 0 on success. */
static int
conflicts_ahead(int n)
{
	char	 sql[256];

	snprintf(sql, sizeof(sql), "UPDATE partnerd_test_retry.probe SET fails = %d, fired = 0"
	    " WHERE owner_id = '%s';", n, user_id);
	return db_root_sql(sql);
}

/* How many conflicts were signalled since conflicts_ahead, and left over. */
static long
probe_value(const char *col)
{
	char	 sql[256];

	snprintf(sql, sizeof(sql), "SELECT %s FROM partnerd_test_retry.probe WHERE owner_id = '%s'",
	    col, user_id);
	return db_count(sql);
}

static long
count_rows(const char *table, const char *extra)
{
	char	 sql[512];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM partnerd.%s WHERE owner_id = '%s'%s",
	    table, user_id, extra);
	return db_count(sql);
}

static void
test_retry_post_that_lost_a_conflict_is_run_again(void)
{
	struct http	 h;

	CU_ASSERT_EQUAL_FATAL(conflicts_ahead(2), 0);
	CU_ASSERT_EQUAL(api(token, "POST", "/api/albums", "{\"albumName\":\"retry-twice\"}", &h), 201);
	http_free(&h);
	CU_ASSERT_EQUAL(probe_value("fired"), 2);
	CU_ASSERT_EQUAL(count_rows("albums", " AND album_name = 'retry-twice'"), 1);
	CU_ASSERT(worker_logged("lost a conflict; run again"));
}

static void
test_retry_post_that_keeps_losing_answers_503_and_applies_nothing(void)
{
	struct http	 h;
	char		 ra[16];

	CU_ASSERT_EQUAL_FATAL(conflicts_ahead(100), 0);
	CU_ASSERT_EQUAL(api(token, "POST", "/api/albums", "{\"albumName\":\"retry-never\"}", &h), 503);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Service Unavailable");
	CU_ASSERT_PTR_NOT_NULL(http_header(&h, "Retry-After", ra, sizeof(ra)));
	http_free(&h);
	/* Run four times in all, then the client decides. */
	CU_ASSERT_EQUAL(probe_value("fired"), 4);
	CU_ASSERT_EQUAL(count_rows("albums", " AND album_name = 'retry-never'"), 0);
	CU_ASSERT_EQUAL_FATAL(conflicts_ahead(0), 0);
}

static void
test_retry_upload_that_lost_a_conflict_is_stored_once(void)
{
	const char	*dir = fixture_dir(41, 2);
	char		 path[1024], id[37];

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	snprintf(path, sizeof(path), "%s/f41_0001.jpg", dir);
	CU_ASSERT_EQUAL_FATAL(conflicts_ahead(2), 0);
	CU_ASSERT_EQUAL_FATAL(upload_id(token, path, id), 0);
	CU_ASSERT_EQUAL(probe_value("fired"), 2);
	CU_ASSERT_EQUAL(count_rows("assets", ""), 1);
	CU_ASSERT(worker_logged("upload: a transaction lost a conflict; run again"));
}

static void
test_retry_upload_that_keeps_losing_answers_503_and_keeps_nothing(void)
{
	const char	*dir = fixture_dir(41, 2);
	char		 path[1024], media[1024];
	struct http	 h;
	long		 before;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	snprintf(path, sizeof(path), "%s/f41_0002.jpg", dir);
	snprintf(media, sizeof(media), "%s/media", test_env("PARTNERD_TEST_STATE"));
	before = count_files(media);
	CU_ASSERT_EQUAL_FATAL(conflicts_ahead(100), 0);
	CU_ASSERT_EQUAL(http_upload(&h, token, path, "f41_0002.jpg", NULL, NULL), 0);
	CU_ASSERT_EQUAL(h.status, 503);
	CU_ASSERT_STRING_EQUAL(http_message(&h), "Service Unavailable");
	http_free(&h);
	CU_ASSERT_EQUAL(probe_value("fired"), 4);
	CU_ASSERT_EQUAL_FATAL(conflicts_ahead(0), 0);
	/* Nothing of it: no row, no file (the upload and what was made from it). */
	CU_ASSERT_EQUAL(count_rows("assets", " AND original_file_name = 'f41_0002.jpg'"), 0);
	CU_ASSERT_EQUAL(count_files(media), before);
}

void
suite_retry(void)
{
	CU_pSuite	 s = CU_add_suite("e2e: writes that lost a conflict are run again",
			    retry_init, retry_clean);

	ADD_TEST(s, test_retry_post_that_lost_a_conflict_is_run_again);
	ADD_TEST(s, test_retry_post_that_keeps_losing_answers_503_and_applies_nothing);
	ADD_TEST(s, test_retry_upload_that_lost_a_conflict_is_stored_once);
	ADD_TEST(s, test_retry_upload_that_keeps_losing_answers_503_and_keeps_nothing);
}
