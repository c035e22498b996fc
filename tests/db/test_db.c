/*
 * test_db.c: migrations and the connection layer against the real MariaDB
 * that check.sh started, in a throwaway schema of this suite's own.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "db.h"
#include "crypto.h"
#include "migrations.h"

#define DBNAME	"partnerd_t_db"

static struct conf	 conf;

static int
db_suite_init(void)
{
	test_conf(&conf, DBNAME);
	return db_root_sql("DROP DATABASE IF EXISTS " DBNAME ";"
	    "CREATE DATABASE " DBNAME " CHARACTER SET utf8mb4;");
}

static int
db_suite_clean(void)
{
	conf_free(&conf);
	return db_root_sql("DROP DATABASE IF EXISTS " DBNAME ";");
}

static void
test_migrate_applies_every_migration_once(void)
{
	struct db	*db;

	CU_ASSERT_EQUAL_FATAL(migrate_run(&conf), 0);
	CU_ASSERT_EQUAL(migrate_run(&conf), 0);	/* nothing left to do */
	db = db_open(&conf, migrations_latest());
	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_TRUE(db_ready(db));
	CU_ASSERT_EQUAL(db_schema_version(db), (long)migrations_latest());
	db_close(db);
}

static void
test_migrate_failure_is_not_recorded(void)
{
	static const struct migration bad[] = {
		{ 900, "900_ok.sql", "CREATE TABLE t900 (a INT);", NULL },
		{ 901, "901_broken.sql",
		  "CREATE TABLE t901 (a INT); CREATE TABLE t901 (oops;", NULL },
	};
	char		 v[32];
	struct db	*db;

	CU_ASSERT_EQUAL(migrate_apply(&conf, bad, 2), -1);
	/* 900 is recorded, 901 is not: the worker's schema check sees 900. */
	db = db_open(&conf, 900);
	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_TRUE(db_ready(db));
	CU_ASSERT_EQUAL(db_query_str(db, STMT_SCHEMA_VERSION, NULL, 0, v, sizeof(v)), DB_OK);
	CU_ASSERT_STRING_EQUAL(v, "900");
	db_close(db);
	CU_ASSERT_EQUAL(db_root_sql("USE " DBNAME "; DELETE FROM schema_migrations "
	    "WHERE version >= 900; DROP TABLE t900; DROP TABLE IF EXISTS t901;"), 0);
}

static void
test_db_refuses_a_schema_older_than_needed(void)
{
	struct db	*db = db_open(&conf, migrations_latest() + 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_FALSE(db_ready(db));
	CU_ASSERT_EQUAL(db_exec(db, STMT_SERVER_NOW, NULL, 0, NULL), DB_GONE);
	db_close(db);
}

static void
test_db_reconnects_after_connection_killed(void)
{
	struct db	*db = db_open(&conf, migrations_latest());
	char		 id[32], id2[32], sql[128], now[64];

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_EQUAL_FATAL(db_query_str(db, STMT_CONNECTION_ID, NULL, 0, id,
	    sizeof(id)), DB_OK);
	snprintf(sql, sizeof(sql), "KILL %s;", id);
	CU_ASSERT_EQUAL_FATAL(db_root_sql(sql), 0);
	/* The next statement finds the connection dead, reconnects, prepares
	 * the table again and retries once: the caller sees success. */
	CU_ASSERT_EQUAL(db_query_str(db, STMT_SERVER_NOW, NULL, 0, now,
	    sizeof(now)), DB_OK);
	CU_ASSERT_EQUAL(strlen(now), 24);
	CU_ASSERT_EQUAL(db_query_str(db, STMT_CONNECTION_ID, NULL, 0, id2,
	    sizeof(id2)), DB_OK);
	CU_ASSERT_STRING_NOT_EQUAL(id, id2);
	db_close(db);
}

static void
test_db_lost_transaction_is_not_retried(void)
{
	struct db	*db = db_open(&conf, migrations_latest());
	char		 id[32], sql[128], now[64];

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_EQUAL_FATAL(db_query_str(db, STMT_CONNECTION_ID, NULL, 0, id,
	    sizeof(id)), DB_OK);
	CU_ASSERT_EQUAL_FATAL(db_begin(db), DB_OK);
	snprintf(sql, sizeof(sql), "KILL %s;", id);
	CU_ASSERT_EQUAL_FATAL(db_root_sql(sql), 0);
	/* Inside a transaction the work is lost: no silent retry. */
	CU_ASSERT_EQUAL(db_query_str(db, STMT_SERVER_NOW, NULL, 0, now,
	    sizeof(now)), DB_GONE);
	db_rollback(db);
	/* Outside it, the next statement reconnects. */
	CU_ASSERT_EQUAL(db_query_str(db, STMT_SERVER_NOW, NULL, 0, now,
	    sizeof(now)), DB_OK);
	db_close(db);
}

static void
test_db_wrong_parameter_count_is_error(void)
{
	struct db	*db = db_open(&conf, migrations_latest());
	struct dbv	 arg = DBV_INT(1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_EQUAL(db_exec(db, STMT_SERVER_NOW, &arg, 1, NULL), DB_ERROR);
	db_close(db);
}

/* ---- month counts ------------------------------------------------------ */

#define NUSERS	3
#define MAXASSETS 4000

static unsigned long long	 seed = 12345;

static unsigned
rnd(unsigned n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((seed >> 33) % n);
}

static const char *const vis[] = { "timeline", "archive", "hidden", "locked" };

static void
random_date(char out[32])
{
	snprintf(out, 32, "%04u-%02u-%02u %02u:00:00.000", 2020 + rnd(4), 1 + rnd(12),
	    1 + rnd(28), rnd(24));
}

/* A JSON array of k random ids out of n. */
static void
random_ids(char ids[][37], size_t n, unsigned k, char *out, size_t outsz)
{
	size_t	 len = 0;
	unsigned i;

	len += (size_t)snprintf(out + len, outsz - len, "[");
	for (i = 0; i < k && n > 0; i++)
		len += (size_t)snprintf(out + len, outsz - len, "%s\"%s\"", i ? "," : "",
		    ids[rnd((unsigned)n)]);
	snprintf(out + len, outsz - len, "]");
}

/* A new user with id (filled in) and email, through partnerd's statement. */
static enum db_res
add_user(struct db *db, char id[37], const char *email)
{
	struct dbv	 a[9];

	uuid_v4(id);
	a[0] = DBV_STR(id); a[1] = DBV_STR(email); a[2] = DBV_STR("d");
	a[3] = DBV_STR(""); a[4] = DBV_INT(0); a[5] = DBV_NULL; a[6] = DBV_INT(0);
	a[7] = DBV_NULL; a[8] = DBV_NULL;
	return db_exec(db, STMT_USER_INSERT, a, 9, NULL);
}

/* A new 4x3 image asset of owner taken at date, with its EXIF row. */
static enum db_res
add_asset(struct db *db, char id[37], const char *owner, const unsigned char cs[20],
    const char *date, int favorite, const char *visibility)
{
	struct dbv	 a[19];
	enum db_res	 rc;
	int		 i;

	uuid_v4(id);
	a[0] = DBV_STR(id); a[1] = DBV_STR(owner); a[2] = DBV_STR("IMAGE");
	a[3] = DBV_STR("x"); a[4] = DBV_STR("x.jpg"); a[5] = DBV_STR("image/jpeg");
	a[6] = DBV_BLOB(cs, 20); a[7] = DBV_STR(date); a[8] = DBV_STR(date);
	a[9] = DBV_STR(date); a[10] = DBV_INT(favorite); a[11] = DBV_STR(visibility);
	a[12] = DBV_NULL; a[13] = DBV_INT(4); a[14] = DBV_INT(3);
	a[15] = DBV_NULL; a[16] = DBV_NULL; a[17] = DBV_NULL; a[18] = DBV_NULL;
	if ((rc = db_exec(db, STMT_ASSET_INSERT, a, 19, NULL)) != DB_OK)
		return rc;
	for (i = 0; i < 18; i++)
		a[i] = DBV_NULL;
	a[0] = DBV_STR(id);
	a[16] = DBV_STR("10");
	return db_exec(db, STMT_EXIF_INSERT, a, 18, NULL);
}

/*
 * The workload both drift tests check: 5,000 random uploads, favourites,
 * visibility and date changes, EXIF edits, trash, restores and deletes
 * over three owners, through partnerd's own statements. Runs once; the
 * number of failed statements (0 expected).
 */
static int
random_changes(void)
{
	static char	 ids[MAXASSETS][37];
	static int	 done = -1;
	char		 users[NUSERS][37], email[64], date[32], local[32], list[1024];
	unsigned char	 cs[20];
	struct db	*db;
	size_t		 n = 0;
	int		 i, op, failures = 0;

	if (done >= 0)
		return done;
	if ((db = db_open(&conf, migrations_latest())) == NULL)
		return done = 1;
	for (i = 0; i < NUSERS; i++) {
		snprintf(email, sizeof(email), "drift%d@example.com", i);
		failures += add_user(db, users[i], email) != DB_OK;
	}
	for (op = 0; op < 5000; op++) {
		switch (n < 50 ? 0 : rnd(11)) {
		case 0: case 1: case 2:		/* a new asset */
			if (n >= MAXASSETS)
				break;
			for (i = 0; i < 20; i++)
				cs[i] = (unsigned char)rnd(256);
			random_date(date);
			failures += add_asset(db, ids[n++], users[rnd(NUSERS)], cs, date,
			    (int)rnd(2), vis[rnd(4)]) != DB_OK;
			break;
		case 3: case 4: {		/* favourite, visibility, date */
			struct dbv a[5];

			random_ids(ids, n, 1 + rnd(5), list, sizeof(list));
			random_date(date);
			random_date(local);
			a[0] = DBV_STR(list);
			a[1] = rnd(2) ? DBV_INT(rnd(2)) : DBV_NULL;
			a[2] = rnd(2) ? DBV_STR(vis[rnd(4)]) : DBV_NULL;
			a[3] = rnd(3) == 0 ? DBV_STR(date) : DBV_NULL;
			a[4] = rnd(3) == 0 ? DBV_STR(local) : DBV_NULL;
			failures += db_exec(db, STMT_ASSET_UPDATE_MANY, a, 5, NULL) != DB_OK;
			break;
		}
		case 5: case 6: {		/* trash */
			struct dbv a[1];

			random_ids(ids, n, 1 + rnd(5), list, sizeof(list));
			a[0] = DBV_STR(list);
			failures += db_exec(db, STMT_ASSET_TRASH_MANY, a, 1, NULL) != DB_OK;
			break;
		}
		case 7: {			/* restore some, or all of one owner */
			struct dbv a[1];

			if (rnd(4) == 0) {
				a[0] = DBV_STR(users[rnd(NUSERS)]);
				failures += db_exec(db, STMT_ASSET_RESTORE_ALL, a, 1, NULL) != DB_OK;
			} else {
				random_ids(ids, n, 1 + rnd(5), list, sizeof(list));
				a[0] = DBV_STR(list);
				failures += db_exec(db, STMT_ASSET_RESTORE_MANY, a, 1, NULL) != DB_OK;
			}
			break;
		}
		case 8: {			/* place: set or clear coordinates, city, country */
			struct dbv a[17];

			random_ids(ids, n, 1 + rnd(3), list, sizeof(list));
			a[0] = DBV_STR(list);
			a[1] = DBV_NULL; a[2] = DBV_NULL;
			a[3] = DBV_INT(1); a[4] = rnd(4) ? DBV_STR(rnd(2) ? "48.85" : "-33.9") : DBV_NULL;
			a[5] = DBV_INT(rnd(2)); a[6] = DBV_STR("2.29");
			a[7] = DBV_INT(rnd(2)); a[8] = rnd(2) ? DBV_STR("Paris") : DBV_NULL;
			a[9] = DBV_INT(rnd(2)); a[10] = rnd(2) ? DBV_STR("Île-de-France") : DBV_NULL;
			a[11] = DBV_INT(rnd(2)); a[12] = rnd(2) ? DBV_STR("France") : DBV_NULL;
			a[13] = DBV_INT(0); a[14] = DBV_NULL; a[15] = DBV_INT(0); a[16] = DBV_NULL;
			failures += db_exec(db, STMT_EXIF_UPDATE_MANY, a, 17, NULL) != DB_OK;
			break;
		}
		case 9: {			/* delete for good */
			struct dbv a[1];

			random_ids(ids, n, 1 + rnd(3), list, sizeof(list));
			a[0] = DBV_STR(list);
			failures += db_exec(db, STMT_ASSET_DELETE_MANY, a, 1, NULL) != DB_OK;
			break;
		}
		default: {			/* empty one owner's trash now and then */
			struct dbv a[1];

			if (rnd(10) != 0)
				break;
			a[0] = DBV_STR(users[rnd(NUSERS)]);
			failures += db_exec(db, STMT_ASSET_DELETE_TRASHED, a, 1, NULL) != DB_OK;
			break;
		}
		}
	}
	db_close(db);
	return done = failures;
}

static void
test_month_counts_never_drift_after_random_changes(void)
{
	char	 out[64], sum[21];

	CU_ASSERT_EQUAL(random_changes(), 0);
	/* Every count equals a recount, and every group of assets is counted. */
	CU_ASSERT_EQUAL(db_root_value(
	    "SELECT (SELECT COUNT(*) FROM " DBNAME ".asset_month_counts c LEFT JOIN"
	    " (SELECT owner_id, deleted_at IS NOT NULL t, visibility v, is_favorite f,"
	    "  DATE_FORMAT(local_date_time, '%Y-%m-01') m, COUNT(*) n FROM " DBNAME ".assets"
	    "  GROUP BY 1, 2, 3, 4, 5) x ON x.owner_id = c.owner_id AND x.t = c.trashed"
	    "  AND x.v = c.visibility AND x.f = c.favorite AND x.m = c.month"
	    " WHERE c.n <> COALESCE(x.n, 0)) +"
	    " (SELECT COUNT(*) FROM (SELECT owner_id, deleted_at IS NOT NULL t, visibility v,"
	    "  is_favorite f, DATE_FORMAT(local_date_time, '%Y-%m-01') m FROM " DBNAME ".assets"
	    "  GROUP BY 1, 2, 3, 4, 5) x LEFT JOIN " DBNAME ".asset_month_counts c"
	    "  ON x.owner_id = c.owner_id AND x.t = c.trashed AND x.v = c.visibility"
	    "  AND x.f = c.favorite AND x.m = c.month WHERE c.owner_id IS NULL)",
	    out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "0");
	/* And the test did change a lot: assets remain, some were deleted. */
	CU_ASSERT_EQUAL(db_root_value("SELECT COUNT(*) > 100 FROM " DBNAME ".assets",
	    sum, sizeof(sum)), 0);
	CU_ASSERT_STRING_EQUAL(sum, "1");
}

static void
test_asset_timeline_never_drifts_after_random_changes(void)
{
	char	 out[64];

	CU_ASSERT_EQUAL(random_changes(), 0);
	/* Each row equals its definition (EXCEPT compares every column, NULLs
	 * as equal), and every asset has one: nothing missing, extra or stale. */
	CU_ASSERT_EQUAL(db_root_value(
	    "SELECT (SELECT COUNT(*) FROM (SELECT * FROM " DBNAME ".asset_timeline"
	    " EXCEPT SELECT * FROM " DBNAME ".asset_timeline_source) x) +"
	    " (SELECT COUNT(*) FROM (SELECT * FROM " DBNAME ".asset_timeline_source"
	    " EXCEPT SELECT * FROM " DBNAME ".asset_timeline) y)",
	    out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "0");
	/* The EXIF edits reached it: some rows carry a latitude. */
	CU_ASSERT_EQUAL(db_root_value("SELECT COUNT(*) > 10 FROM " DBNAME
	    ".asset_timeline WHERE latitude IS NOT NULL", out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "1");
}

/* The timeline version of viewer (0 if it never moved). */
static long long
tl_version(const char *viewer)
{
	char	 sql[256], out[32];

	snprintf(sql, sizeof(sql), "SELECT COALESCE((SELECT version FROM " DBNAME
	    ".viewer_versions WHERE viewer_id = '%s'), 0)", viewer);
	return db_root_value(sql, out, sizeof(out)) == 0 ? atoll(out) : -1;
}

static void
test_timeline_version_moves_for_every_viewer_who_can_see_a_change(void)
{
	struct db	*db = db_open(&conf, migrations_latest());
	char		 u[3][37], asset[37], tag[37], email[80], list[64];
	long long	 a, b, c;
	unsigned char	 cs[20] = { 7 };
	struct dbv	 x[19];
	int		 i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	for (i = 0; i < 3; i++) {	/* u0 shares with u1; u2 is a stranger */
		uuid_v4(tag);
		snprintf(email, sizeof(email), "tlv%d-%s@example.com", i, tag);
		CU_ASSERT_EQUAL_FATAL(add_user(db, u[i], email), DB_OK);
	}
	x[0] = DBV_STR(u[0]); x[1] = DBV_STR(u[1]);
	b = tl_version(u[1]);
	CU_ASSERT_EQUAL(db_exec(db, STMT_PARTNER_INSERT, x, 2, NULL), DB_OK);
	CU_ASSERT(tl_version(u[1]) > b);	/* a share with me */

	/* A new asset of u0: u0 and u1 move, u2 does not. */
	a = tl_version(u[0]); b = tl_version(u[1]); c = tl_version(u[2]);
	CU_ASSERT_EQUAL(add_asset(db, asset, u[0], cs, "2022-01-01 10:00:00", 0,
	    "timeline"), DB_OK);
	CU_ASSERT(tl_version(u[0]) > a);
	CU_ASSERT(tl_version(u[1]) > b);
	CU_ASSERT_EQUAL(tl_version(u[2]), c);

	/* Its place changes: the same two move. */
	a = tl_version(u[0]); b = tl_version(u[1]);
	snprintf(list, sizeof(list), "[\"%s\"]", asset);
	x[0] = DBV_STR(list); x[1] = DBV_NULL; x[2] = DBV_NULL; x[3] = DBV_INT(1);
	x[4] = DBV_STR("48.85"); x[5] = DBV_INT(1); x[6] = DBV_STR("2.29");
	x[7] = DBV_INT(0); x[8] = DBV_NULL; x[9] = DBV_INT(0); x[10] = DBV_NULL;
	x[11] = DBV_INT(0); x[12] = DBV_NULL; x[13] = DBV_INT(0); x[14] = DBV_NULL;
	x[15] = DBV_INT(0); x[16] = DBV_NULL;
	CU_ASSERT_EQUAL(db_exec(db, STMT_EXIF_UPDATE_MANY, x, 17, NULL), DB_OK);
	CU_ASSERT(tl_version(u[0]) > a);
	CU_ASSERT(tl_version(u[1]) > b);

	/* u1 hides u0 from their timeline: u1 moves. */
	b = tl_version(u[1]);
	x[0] = DBV_INT(0); x[1] = DBV_STR(u[0]); x[2] = DBV_STR(u[1]);
	CU_ASSERT_EQUAL(db_exec(db, STMT_PARTNER_UPDATE, x, 3, NULL), DB_OK);
	CU_ASSERT(tl_version(u[1]) > b);

	/* u0's account is deleted: their photos leave u1's timelines. */
	b = tl_version(u[1]); c = tl_version(u[2]);
	x[0] = DBV_STR(u[0]);
	CU_ASSERT_EQUAL(db_exec(db, STMT_USER_SOFT_DELETE, x, 1, NULL), DB_OK);
	CU_ASSERT(tl_version(u[1]) > b);
	CU_ASSERT_EQUAL(tl_version(u[2]), c);

	/* The asset deleted for good: u0 moves again. */
	a = tl_version(u[0]);
	x[0] = DBV_STR(list);
	CU_ASSERT_EQUAL(db_exec(db, STMT_ASSET_DELETE_MANY, x, 1, NULL), DB_OK);
	CU_ASSERT(tl_version(u[0]) > a);
	db_close(db);
}

void
suite_db(void)
{
	CU_pSuite s = CU_add_suite("db: migrations and connection", db_suite_init,
	    db_suite_clean);

	ADD_TEST(s, test_migrate_applies_every_migration_once);
	ADD_TEST(s, test_migrate_failure_is_not_recorded);
	ADD_TEST(s, test_db_refuses_a_schema_older_than_needed);
	ADD_TEST(s, test_db_reconnects_after_connection_killed);
	ADD_TEST(s, test_db_lost_transaction_is_not_retried);
	ADD_TEST(s, test_db_wrong_parameter_count_is_error);
	ADD_TEST(s, test_month_counts_never_drift_after_random_changes);
	ADD_TEST(s, test_asset_timeline_never_drifts_after_random_changes);
	ADD_TEST(s, test_timeline_version_moves_for_every_viewer_who_can_see_a_change);
}
