/*
 * test_db.c: migrations and the connection layer against the real MariaDB
 * that check.sh started, in a throwaway schema of this suite's own.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "harness.h"
#include "db.h"
#include "crypto.h"
#include "migrations.h"
#include "handlers.h"
#include "cache.h"
#include "partnerd.h"

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

static unsigned long long	 seed = 12345, dup_seed = 54321;

static unsigned
rnd_from(unsigned long long *s, unsigned n)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((*s >> 33) % n);
}

static unsigned
rnd(unsigned n)
{
	return rnd_from(&seed, n);
}

/* The duplicates' own choices (sql/057), from a sequence of their own: the
 * rest of the drift mix makes the same choices as without them. */
static unsigned
rnd_dup(unsigned n)
{
	return rnd_from(&dup_seed, n);
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
	/* a camera maker or none, by the checksum (suggestions, sql/037) */
	a[1] = cs[0] % 3 == 0 ? DBV_NULL : DBV_STR(cs[0] % 3 == 1 ? "Canon" : "Nikon");
	a[16] = DBV_STR("10");
	return db_exec(db, STMT_EXIF_INSERT, a, 18, NULL);
}

/*
 * Asset dst becomes a copy of src's file (its checksum), when src is
 * another owner's and dst's owner has no copy of it yet: partnerd has no
 * statement that changes a checksum (an upload of the same bytes is a new
 * asset), so the database's own account does, as an administrator's edit
 * would, through the same triggers. 0, or -1 on error.
 */
static int
make_copy(const char *dst, const char *src)
{
	char	 sql[512];

	snprintf(sql, sizeof(sql), "UPDATE " DBNAME ".assets a JOIN " DBNAME ".assets b"
	    " ON b.id = '%s' SET a.checksum = b.checksum WHERE a.id = '%s'"
	    " AND a.owner_id <> b.owner_id AND NOT EXISTS (SELECT 1 FROM " DBNAME ".assets c"
	    " WHERE c.owner_id = a.owner_id AND c.checksum = b.checksum)", src, dst);
	return db_root_sql(sql);
}

/* The drift workload's users: user 0 shares with 1 and 2, 1 with 0. */
static char	 drift_users[NUSERS][37];

/*
 * The workload the drift tests check: 5,000 random uploads, favourites,
 * visibility and date changes, EXIF edits, trash, restores and deletes
 * over three owners (a third of the uploads made a copy of an earlier file
 * of another owner's: duplicates, sql/057), and the partners' own
 * favourite and archive marks (sql/050), through partnerd's own
 * statements. Runs once; the number of
 * failed statements (0 expected).
 */
static int
random_changes(void)
{
	static char	 ids[MAXASSETS][37];
	static int	 done = -1;
	char		 (*users)[37] = drift_users, email[64], date[32], local[32], list[1024];
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
	for (i = 0; i < 3; i++) {	/* 0 -> 1, 0 -> 2, 1 -> 0, all in the timeline */
		struct dbv a[3];

		a[0] = DBV_STR(users[i < 2 ? 0 : 1]); a[1] = DBV_STR(users[i < 2 ? i + 1 : 0]);
		a[2] = DBV_NULL;	/* the whole library */
		failures += db_exec(db, STMT_PARTNER_INSERT, a, 3, NULL) != DB_OK;
		a[2] = a[1]; a[1] = a[0]; a[0] = DBV_INT(1);
		failures += db_exec(db, STMT_PARTNER_UPDATE, a, 3, NULL) != DB_OK;
	}
	for (op = 0; op < 5000; op++) {
		switch (n < 50 ? 0 : rnd(15)) {
		case 0: case 1: case 2:		/* a new asset */
			if (n >= MAXASSETS)
				break;
			for (i = 0; i < 20; i++)
				cs[i] = (unsigned char)rnd(256);
			random_date(date);
			failures += add_asset(db, ids[n++], users[rnd(NUSERS)], cs, date,
			    (int)rnd(2), vis[rnd(4)]) != DB_OK;
			/* One in three becomes a copy of an earlier file of
			 * another owner's: duplicates (sql/057). */
			if (n > 1 && rnd_dup(3) == 0)
				failures += make_copy(ids[n - 1], ids[rnd_dup((unsigned)n - 1)]) != 0;
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
			struct dbv a[13];
			char lat[16], lon[16];

			random_ids(ids, n, 1 + rnd(3), list, sizeof(list));
			a[0] = DBV_STR(list);
			a[1] = DBV_NULL; a[2] = DBV_NULL;
			a[3] = DBV_INT(1);	/* the place: set, or cleared (NULL) */
			/* around Paris or Sydney, or by the antimeridian: cells
			 * of many assets and of few, at every level (sql/038) */
			snprintf(lat, sizeof(lat), "%.4f", rnd(3) == 0 ? -33.9 + rnd(50) / 1e3 :
			    48.5 + rnd(1000) / 1e3);
			snprintf(lon, sizeof(lon), "%.4f", rnd(5) == 0 ? (rnd(2) ? 179.99 : -179.99) :
			    2.0 + rnd(600) / 1e3);
			a[4] = rnd(4) ? DBV_STR(lat) : DBV_NULL;
			a[5] = rnd(4) ? DBV_STR(lon) : DBV_NULL;
			a[6] = rnd(2) ? DBV_STR(op % 2 ? "Paris" : "Lyon") : DBV_NULL;
			a[7] = rnd(2) ? DBV_STR("Île-de-France") : DBV_NULL;
			a[8] = rnd(2) ? DBV_STR("France") : DBV_NULL;
			a[9] = DBV_INT(0); a[10] = DBV_NULL; a[11] = DBV_INT(0); a[12] = DBV_NULL;
			failures += db_exec(db, STMT_EXIF_UPDATE_MANY, a, 13, NULL) != DB_OK;
			break;
		}
		case 9: {			/* delete for good */
			struct dbv a[1];

			random_ids(ids, n, 1 + rnd(3), list, sizeof(list));
			a[0] = DBV_STR(list);
			failures += db_exec(db, STMT_ASSET_DELETE_MANY, a, 1, NULL) != DB_OK;
			break;
		}
		case 10: case 11: case 12: {	/* a partner's own marks */
			struct dbv a[5];
			int u = (int)rnd(NUSERS);

			random_ids(ids, n, 1 + rnd(5), list, sizeof(list));
			a[0] = DBV_STR(list); a[1] = DBV_STR(users[u]);
			a[2] = rnd(3) ? DBV_INT(rnd(2)) : DBV_NULL;
			a[3] = rnd(3) ? DBV_INT(rnd(2)) : DBV_NULL;
			a[4] = DBV_STR(users[u]);
			failures += db_exec(db, STMT_ASSET_MARK_MANY, a, 5, NULL) != DB_OK;
			break;
		}
		case 13: {			/* a share made, dated, undated, shown or ended */
			struct dbv a[3];
			unsigned by = rnd(NUSERS), with = (by + 1 + rnd(NUSERS - 1)) % NUSERS;
			enum db_res r;

			random_date(date);
			/* The day, early in its month: the month it begins in
			 * is then mostly counted from that day (sql/059). */
			snprintf(date + 8, sizeof(date) - 8, "%02u", 2 + rnd(7));
			a[0] = DBV_STR(users[by]); a[1] = DBV_STR(users[with]);
			if (rnd(4) == 0) {
				r = db_exec(db, STMT_PARTNER_DELETE, a, 2, NULL);
			} else {
				a[2] = rnd(2) ? DBV_STR(date) : DBV_NULL;
				r = db_exec(db, STMT_PARTNER_INSERT, a, 3, NULL);
				if (r == DB_CONFLICT) {
					a[0] = a[2];
					a[1] = DBV_STR(users[by]);
					a[2] = DBV_STR(users[with]);
					r = db_exec(db, STMT_PARTNER_SET_START, a, 3, NULL);
				}
				/* Shown in the recipient's timeline, mostly: the
				 * merged views (duplicates once, sql/057). */
				if (r == DB_OK && rnd_dup(2)) {
					a[0] = DBV_INT(rnd_dup(3) != 0);
					a[1] = DBV_STR(users[by]);
					a[2] = DBV_STR(users[with]);
					r = db_exec(db, STMT_PARTNER_UPDATE, a, 3, NULL);
					if (r == DB_NOTFOUND)
						r = DB_OK;	/* unchanged */
				}
			}
			failures += r != DB_OK;
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

/*
 * The rows of a derived table (sql/006 asset_timeline, sql/035 asset_map,
 * sql/036 asset_search) that differ from its definition, the view
 * NAME_source: EXCEPT compares every column, NULLs as equal, so this
 * counts rows missing, extra or stale.
 */
#define DRIFT(name) \
	"(SELECT COUNT(*) FROM (SELECT * FROM " DBNAME "." name \
	" EXCEPT SELECT * FROM " DBNAME "." name "_source) x) +" \
	" (SELECT COUNT(*) FROM (SELECT * FROM " DBNAME "." name "_source" \
	" EXCEPT SELECT * FROM " DBNAME "." name ") y)"

/* The duplicates' counts (sql/057) against their recount from the view
 * that defines the hidden copies: every row, so a row left at 0 (sql/058
 * deletes them) is drift. */
#define DUP_COUNTS \
	"SELECT viewer_id, owner_id, month, n FROM " DBNAME ".asset_dup_counts"
#define DUP_RECOUNT \
	"SELECT viewer_id, owner_id, month, -COUNT(*) FROM " DBNAME ".asset_dup_hidden_source" \
	" GROUP BY viewer_id, owner_id, month"
#define DUP_DRIFT \
	DRIFT("asset_dup_hidden") " + (SELECT COUNT(*) FROM (" DUP_COUNTS " EXCEPT " \
	DUP_RECOUNT ") x) + (SELECT COUNT(*) FROM (" DUP_RECOUNT " EXCEPT " DUP_COUNTS ") y)"

/* The copies search and the map read, the suggestions' counts, the
 * duplicates hidden and their counts, the dated shares' start months
 * (sql/059) and the timeline's netted moves (sql/063), against their
 * definitions: the number of rows out of step (0), or -1. */
static long long
copies_drift(void)
{
	char	 out[64];

	if (db_root_value("SELECT " DRIFT("asset_map") " + " DRIFT("asset_search")
	    " + " DRIFT("asset_suggest_sets") " + " DRIFT("asset_map_cells") " + " DUP_DRIFT
	    " + " DRIFT("partner_start_counts") " + " DRIFT("asset_timeline_moves"),
	    out, sizeof(out)) != 0)
		return -1;
	return strtoll(out, NULL, 10);
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

/* Months "YYYY-MM-01 n" summed over an owner's count rows. */
struct month_sum {
	char	 m[64][11];
	long	 n[64];
	size_t	 k;
	int	 dated;		/* its share begins mid-month */
};

static void
month_sum_add(struct month_sum *ms, const char *s)
{
	char	 m[11];
	long	 n;
	int	 used;
	size_t	 i;

	while (s != NULL && sscanf(s, "%10s %ld%n", m, &n, &used) == 2) {
		for (i = 0; i < ms->k && strcmp(ms->m[i], m) != 0; i++)
			;
		if (i == ms->k && ms->k < 64)
			snprintf(ms->m[ms->k++], 11, "%s", m);
		if (i < 64)
			ms->n[i] += n;
		s += used;
		if (*s != ',')
			break;
		s++;
	}
}

static int
owner_counts_row(void *arg, const struct db_row *row)
{
	struct month_sum *ms = arg;

	month_sum_add(ms, row->val[1]);
	ms->dated |= row->val[2] != NULL;
	return 0;
}

/* STMT_TIMELINE_START_MONTH's row (those with a count are counted). */
static int	 start_months_read;

static int
start_month_row(void *arg, const struct db_row *row)
{
	start_months_read += row->val[0] != NULL;
	month_sum_add(arg, row->val[0]);
	return 0;
}

static int
month_cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

/*
 * The default timeline's months of owner as viewer me sees them, by the
 * counters (STMT_TIMELINE_OWNERS in the shape the handler picks: whole
 * months; then STMT_TIMELINE_START_MONTH, the month a dated share begins
 * in, when it begins after the 1st) into out as
 * "YYYY-MM-01 n,..." in month order.
 */
static void
months_by_counters(struct db *db, const char *me, const char *owner, char *out, size_t outsz)
{
	struct month_sum	 ms;
	struct dbv		 a[7];
	char			 row[80][32];
	size_t			 i, len = 0;

	memset(&ms, 0, sizeof(ms));
	a[0] = DBV_STR(me); a[1] = DBV_STR(owner); a[2] = DBV_INT(0);
	a[3] = DBV_INT(0); a[4] = DBV_NULL; a[5] = DBV_NULL;
	CU_ASSERT_FALSE(db_failed(db_query(db, stmt_timeline_owners(1, 0, NULL, 0), a, 6,
	    owner_counts_row, &ms)));
	a[6] = DBV_STR(owner);
	if (ms.dated)
		CU_ASSERT_FALSE(db_failed(db_query(db, STMT_TIMELINE_START_MONTH, a, 7,
		    start_month_row, &ms)));
	for (i = 0; i < ms.k; i++)
		snprintf(row[i], sizeof(row[i]), "%s %ld", ms.m[i], ms.n[i]);
	qsort(row, ms.k, sizeof(row[0]), month_cmp_str);
	out[0] = '\0';
	for (i = 0; i < ms.k; i++)
		if (ms.n[i] > 0)
			len += (size_t)snprintf(out + len, outsz - len, "%s%s", len ? "," : "", row[i]);
}

static void
test_dated_share_month_counts_equal_a_recount(void)
{
	char		 sql[1536], want[4096], got[4096], out[64];
	char		 (*users)[37] = drift_users;
	struct db	*db;
	int		 u, o, pairs = 0, dated = 0;

	CU_ASSERT_EQUAL(random_changes(), 0);
	db = db_open(&conf, migrations_latest());
	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	/* The mix, as seeded, leaves no share beginning after a month's 1st
	 * on a month its recipient sees photos of from that day: one does. */
	CU_ASSERT_EQUAL_FATAL(db_root_value("SELECT CONCAT(a.owner_id, ' ', DATE(a.local_date_time))"
	    " FROM " DBNAME ".assets a JOIN " DBNAME ".partners p ON p.shared_by_id = a.owner_id"
	    " WHERE a.deleted_at IS NULL AND a.visibility = 'timeline'"
	    " AND DAYOFMONTH(a.local_date_time) > 1 ORDER BY a.id LIMIT 1", out, sizeof(out)), 0);
	CU_ASSERT_EQUAL_FATAL(strlen(out), 36 + 1 + 10);
	out[36] = '\0';
	snprintf(sql, sizeof(sql), "UPDATE " DBNAME ".partners SET start_date = '%s'"
	    " WHERE shared_by_id = '%s'", out + 37, out);
	CU_ASSERT_EQUAL_FATAL(db_root_sql(sql), 0);
	start_months_read = 0;
	/* Every viewer and every owner they may read the timeline of: the
	 * counters' months equal a recount of the assets themselves (the
	 * default timeline: not trashed, timeline or archive; a partner's
	 * timeline ones only, taken on or after the share's start date; a
	 * viewer without a share sees none: "months:" and nothing). */
	for (u = 0; u < NUSERS; u++)
		for (o = 0; o < NUSERS; o++) {
			snprintf(sql, sizeof(sql), "SELECT CONCAT('months:', COALESCE(GROUP_CONCAT(CONCAT(m, ' ', n)"
			    " ORDER BY m SEPARATOR ','), '')) FROM (SELECT DATE_FORMAT(a.local_date_time,"
			    " '%%Y-%%m-01') m, COUNT(*) n FROM " DBNAME ".assets a"
			    " LEFT JOIN " DBNAME ".partners p ON p.shared_by_id = a.owner_id"
			    " AND p.shared_with_id = '%s'"
			    " WHERE a.owner_id = '%s' AND a.deleted_at IS NULL AND ('%s' = '%s'"
			    " AND a.visibility IN ('timeline', 'archive') OR p.shared_by_id IS NOT NULL"
			    " AND a.visibility = 'timeline' AND (p.start_date IS NULL"
			    " OR DATE(a.local_date_time) >= p.start_date)) GROUP BY m) x",
			    users[u], users[o], users[u], users[o]);
			CU_ASSERT_EQUAL_FATAL(db_root_value(sql, want, sizeof(want)), 0);
			memcpy(got, "months:", 7);
			months_by_counters(db, users[u], users[o], got + 7, sizeof(got) - 7);
			if (strcmp(want, got) != 0)
				fprintf(stderr, "viewer %d, owner %d:\n recount  %s\n counters %s\n",
				    u, o, want, got);
			CU_ASSERT_STRING_EQUAL(got, want);
			pairs++;
		}
	CU_ASSERT_EQUAL(pairs, NUSERS * NUSERS);
	CU_ASSERT(start_months_read > 0);
	/* The mix left some dated shares to check. */
	CU_ASSERT_EQUAL(db_root_value("SELECT COUNT(*) > 0 FROM " DBNAME ".partners"
	    " WHERE start_date IS NOT NULL", out, sizeof(out)), 0);
	dated = strcmp(out, "1") == 0;
	CU_ASSERT_TRUE(dated);
	/* Some of them begin in a month with assets from their day on: the
	 * kept start-month counts (sql/059) were read, not empty. */
	CU_ASSERT_EQUAL(db_root_value("SELECT COUNT(*) > 0 FROM " DBNAME
	    ".partner_start_counts", out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "1");
	db_close(db);
}

static void
test_asset_timeline_never_drifts_after_random_changes(void)
{
	char	 out[64];

	CU_ASSERT_EQUAL(random_changes(), 0);
	/* Each row equals its definition (EXCEPT compares every column, NULLs
	 * as equal), and every asset has one: nothing missing, extra or stale. */
	CU_ASSERT_EQUAL(db_root_value("SELECT " DRIFT("asset_timeline"), out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "0");
	/* The EXIF edits reached it: some rows carry a latitude. */
	CU_ASSERT_EQUAL(db_root_value("SELECT COUNT(*) > 10 FROM " DBNAME
	    ".asset_timeline WHERE latitude IS NOT NULL", out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "1");
}

/* A mark's moves of the month counts, recounted from the marks (sql/050). */
#define MARK_RECOUNT \
	"SELECT v, o, t, vis, shown, f, mo, SUM(n) FROM (" \
	" SELECT m.viewer_id v, a.owner_id o, a.deleted_at IS NOT NULL t, a.visibility vis," \
	"  a.visibility shown, 0 f, DATE_FORMAT(a.local_date_time, '%Y-%m-01') mo, -1 n" \
	"  FROM " DBNAME ".asset_marks m JOIN " DBNAME ".assets a ON a.id = m.asset_id" \
	" UNION ALL SELECT m.viewer_id, a.owner_id, a.deleted_at IS NOT NULL, a.visibility," \
	"  IF(m.archived = 1 AND a.visibility = 'timeline', 'archive', a.visibility)," \
	"  m.favorite, DATE_FORMAT(a.local_date_time, '%Y-%m-01'), 1" \
	"  FROM " DBNAME ".asset_marks m JOIN " DBNAME ".assets a ON a.id = m.asset_id) x" \
	" GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(n) <> 0"
/* Every row: the recount has none at 0, so a row left at 0 (sql/058
 * deletes them) is drift. */
#define MARK_COUNTS \
	"SELECT viewer_id, owner_id, trashed, visibility, shown, favorite, month, n" \
	" FROM " DBNAME ".asset_mark_counts"

static void
test_mark_counts_never_drift_after_random_changes(void)
{
	char	 out[64];

	CU_ASSERT_EQUAL(random_changes(), 0);
	CU_ASSERT_EQUAL(db_root_value("SELECT (SELECT COUNT(*) FROM (" MARK_COUNTS
	    " EXCEPT " MARK_RECOUNT ") x) + (SELECT COUNT(*) FROM (" MARK_RECOUNT
	    " EXCEPT " MARK_COUNTS ") y)", out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "0");
	/* The marks were many, of both kinds, and some assets moved under them. */
	CU_ASSERT_EQUAL(db_root_value("SELECT SUM(favorite) > 20 AND SUM(archived) > 20 FROM "
	    DBNAME ".asset_marks", out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "1");
	CU_ASSERT_EQUAL(db_root_value("SELECT COUNT(*) > 10 FROM " DBNAME ".asset_marks m"
	    " JOIN " DBNAME ".assets a ON a.id = m.asset_id WHERE a.deleted_at IS NOT NULL"
	    " OR a.visibility NOT IN ('timeline', 'hidden')", out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "1");
}

/* "YYYY-MM n,..." of a timeline's months, from the counts or the rows. */
struct tl_months {
	int		 n[12 * 10];	/* 2016-01 .. 2025-12 */
	int		 bad;
	char		 owners[256];
	char		 dated[8][37];	/* owners whose share begins mid-month */
	int		 ndated;
};

static void
tl_months_add(struct tl_months *m, const char *s)
{
	int		 y, mo, used;
	long long	 k;

	while (sscanf(s, "%4d-%2d-%*2d %lld%n", &y, &mo, &k, &used) == 3) {
		if (y < 2016 || y > 2025 || mo < 1 || mo > 12)
			m->bad = 1;
		else
			m->n[(y - 2016) * 12 + mo - 1] += (int)k;
		s += used;
		if (*s != ',')
			break;
		s++;
	}
}

static int
tl_owner_row(void *arg, const struct db_row *row)
{
	struct tl_months *m = arg;
	size_t		 len = strlen(m->owners);

	snprintf(m->owners + len, sizeof(m->owners) - len, "%s\"%s\"",
	    len > 1 ? "," : "", row->val[0]);
	if (row->val[1] != NULL)
		tl_months_add(m, row->val[1]);
	if (row->val[2] != NULL && m->ndated == 8)	/* a dated share's first day */
		m->bad = 1;
	else if (row->val[2] != NULL)
		snprintf(m->dated[m->ndated++], sizeof(m->dated[0]), "%s", row->val[0]);
	return 0;
}

/* STMT_TIMELINE_START_MONTH's row: that share's first month. */
static int
tl_start_row(void *arg, const struct db_row *row)
{
	if (row->val[0] != NULL)
		tl_months_add(arg, row->val[0]);
	return 0;
}

static int
tl_direct_row(void *arg, const struct db_row *row)
{
	char	 s[64];

	snprintf(s, sizeof(s), "%s %s", row->val[0], row->val[1]);
	tl_months_add(arg, s);
	return 0;
}

/*
 * The months of viewer u's view of user uid's timeline with partners p
 * (1: Show in timeline ones, 2: all, my archive's), visibility shown and
 * isFavorite fav (-1: either): c from the kept counts (the shape of
 * STMT_TIMELINE_OWNERS the handler picks, then the months dated shares
 * begin in, its owner set in c->owners), d from the rows (the direct statement); a
 * is left holding the timeline statements' ten parameters, month NULL.
 * 0, or -1 when a statement failed.
 */
static int
tl_months_of(struct db *db, const char *u, const char *uid, int p, const char *shown,
    int fav, struct tl_months *c, struct tl_months *d, struct dbv a[10])
{
	int	 i;

	memset(c, 0, sizeof(*c));
	memset(d, 0, sizeof(*d));
	snprintf(c->owners, sizeof(c->owners), "[");
	a[0] = DBV_STR(u); a[1] = DBV_STR(uid); a[2] = DBV_INT(p);
	a[3] = DBV_INT(0); a[4] = DBV_STR(shown); a[5] = fav < 0 ? DBV_NULL : DBV_INT(fav);
	if (db_failed(db_query(db, stmt_timeline_owners(1, 0, shown, fav >= 0), a, 6,
	    tl_owner_row, c)))
		return -1;
	for (i = 0; i < c->ndated; i++) {
		a[6] = DBV_STR(c->dated[i]);
		if (db_failed(db_query(db, STMT_TIMELINE_START_MONTH, a, 7, tl_start_row, c)))
			return -1;
	}
	strcat(c->owners, "]");
	a[0] = DBV_STR(u); a[1] = DBV_STR(c->owners); a[2] = DBV_NULL; a[3] = DBV_INT(0);
	a[4] = DBV_STR(shown); a[5] = fav < 0 ? DBV_NULL : DBV_INT(fav); a[6] = DBV_INT(0);
	a[7] = DBV_NULL; a[8] = DBV_STR("asc"); a[9] = DBV_NULL;
	if (db_failed(db_query(db, STMT_TIMELINE_BUCKETS_DIRECT, a, 10, tl_direct_row, d)))
		return -1;
	return 0;
}

/*
 * The month counts (the triggers' counts and the marks' moves, summed as
 * h_timeline.c sums them) equal the months of the rows a bucket shows (the
 * direct statement over asset_timeline), for viewer u of user uid's
 * timeline with partners p (1: Show in timeline ones, 2: all, my
 * archive's), visibility shown and isFavorite fav (-1: either). 0 when
 * they agree; the rows shown are added to *shown_rows.
 */
static int
tl_counts_agree(struct db *db, const char *u, const char *uid, int p, const char *shown,
    int fav, long *shown_rows)
{
	struct tl_months c, d;
	struct dbv	 a[10];
	long		 rows = 0;
	int		 i;

	if (tl_months_of(db, u, uid, p, shown, fav, &c, &d, a) != 0)
		return -1;
	for (i = 0; i < 12 * 10; i++) {	/* the C lists no month at 0 or less */
		if ((c.n[i] > 0 ? c.n[i] : 0) != d.n[i])
			return 1;
		rows += d.n[i];
	}
	*shown_rows += rows;
	return c.bad || d.bad;
}

static void
test_month_counts_agree_with_the_rows_every_viewer_is_shown(void)
{
	struct db	*db;
	long		 rows = 0;
	int		 i;

	CU_ASSERT_EQUAL(random_changes(), 0);
	db = db_open(&conf, migrations_latest());
	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	for (i = 0; i < NUSERS; i++) {
		const char *u = drift_users[i];

		CU_ASSERT_EQUAL(tl_counts_agree(db, u, u, 1, "timeline", -1, &rows), 0);
		CU_ASSERT_EQUAL(tl_counts_agree(db, u, u, 0, "timeline", 1, &rows), 0);
		CU_ASSERT_EQUAL(tl_counts_agree(db, u, u, 0, "timeline", 0, &rows), 0);
		CU_ASSERT_EQUAL(tl_counts_agree(db, u, u, 2, "archive", -1, &rows), 0);
		CU_ASSERT_EQUAL(tl_counts_agree(db, u, u, 2, "archive", 1, &rows), 0);
		CU_ASSERT_EQUAL(tl_counts_agree(db, u, u, 1, "hidden", -1, &rows), 0);
	}
	/* A partner's library as its recipients see it, my favourites of it too. */
	for (i = 1; i < NUSERS; i++) {
		CU_ASSERT_EQUAL(tl_counts_agree(db, drift_users[i], drift_users[0], 0,
		    "timeline", -1, &rows), 0);
		CU_ASSERT_EQUAL(tl_counts_agree(db, drift_users[i], drift_users[0], 0,
		    "timeline", 1, &rows), 0);
		CU_ASSERT_EQUAL(tl_counts_agree(db, drift_users[i], drift_users[0], 0,
		    "hidden", 0, &rows), 0);
	}
	db_close(db);
}

/* A bucket's rows as text, one "favorite|sort key|visibility|wire" each. */
struct tl_rows {
	char	**r;
	size_t	  n, cap;
};

static int
tl_rows_row(void *arg, const struct db_row *row)
{
	struct tl_rows	*t = arg;
	char		*line;

	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->r = realloc(t->r, t->cap * sizeof(*t->r));
	}
	if (asprintf(&line, "%s|%s|%s|%s", row->val[0], row->val[1], row->val[3],
	    row->val[2]) < 0)
		return -1;
	t->r[t->n++] = line;
	return 0;
}

static int
tl_rows_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
tl_rows_free(struct tl_rows *t)
{
	while (t->n > 0)
		free(t->r[--t->n]);
	free(t->r);
	t->r = NULL;
	t->cap = 0;
}

/*
 * Every month of viewer u's timeline with partners p (as tl_months_of),
 * visibility shown and isFavorite fav: the month's own statement (which
 * asks first whether u has a mark or a hidden copy in that month, and
 * probes for neither without one) answers the same rows as the direct
 * statement (which always probes). Both on one connection, month after
 * month: a prepared statement keeps nothing of the month before. 0 when
 * they agree; the months compared are added to *months.
 */
static int
tl_buckets_agree(struct db *db, const char *u, int p, const char *shown, int fav,
    int *months)
{
	struct tl_months c, d;
	struct tl_rows	 x = { NULL, 0, 0 }, y = { NULL, 0, 0 };
	struct dbv	 a[10], b[7];
	char		 month[16];
	int		 i, bad = 0;
	size_t		 k;

	if (tl_months_of(db, u, u, p, shown, fav, &c, &d, a) != 0)
		return -1;
	/* The month's own statement makes the owner set itself (me, user,
	 * with_partners, trashed, vis, fav, month), as h_timeline.c asks. */
	b[0] = DBV_STR(u); b[1] = DBV_STR(u); b[2] = DBV_INT(p); b[3] = DBV_INT(0);
	b[4] = DBV_STR(shown); b[5] = fav < 0 ? DBV_NULL : DBV_INT(fav);
	for (i = 0; i < 12 * 10 && !bad; i++) {
		if (d.n[i] == 0 && i % 12 != 0)	/* the empty months: one a year */
			continue;
		snprintf(month, sizeof(month), "%d-%02d-01", 2016 + i / 12, i % 12 + 1);
		a[7] = b[6] = DBV_STR(month);
		if (db_failed(db_query(db, STMT_TIMELINE_BUCKET, b, 7, tl_rows_row, &x)) ||
		    db_failed(db_query(db, STMT_TIMELINE_BUCKET_DIRECT, a, 10, tl_rows_row, &y)))
			bad = -1;
		else if (x.n != y.n || (int)x.n != d.n[i])
			bad = 1;
		else if (x.n > 0) {	/* qsort of no rows: a NULL array */
			qsort(x.r, x.n, sizeof(*x.r), tl_rows_cmp);
			qsort(y.r, y.n, sizeof(*y.r), tl_rows_cmp);
			for (k = 0; k < x.n && !bad; k++)
				bad = strcmp(x.r[k], y.r[k]) != 0;
		}
		if (bad > 0)
			fprintf(stderr, "bucket %s of %s (%s, favourite %d): %zu rows, "
			    "the direct statement %zu\n", month, u, shown, fav, x.n, y.n);
		tl_rows_free(&x);
		tl_rows_free(&y);
		++*months;
	}
	return bad || c.bad || d.bad;
}

static void
test_a_months_bucket_equals_the_direct_one_after_random_changes(void)
{
	struct db	*db;
	char		 out[64];
	int		 i, months = 0;

	CU_ASSERT_EQUAL(random_changes(), 0);
	/* The mix left marks and hidden copies in some months, not in all. */
	CU_ASSERT_EQUAL(db_root_value("SELECT (SELECT COUNT(DISTINCT month) FROM " DBNAME
	    ".asset_mark_counts) BETWEEN 1 AND 119 AND (SELECT COUNT(DISTINCT month) FROM "
	    DBNAME ".asset_dup_counts) BETWEEN 1 AND 119", out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "1");
	db = db_open(&conf, migrations_latest());
	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	for (i = 0; i < NUSERS; i++) {
		const char *u = drift_users[i];

		CU_ASSERT_EQUAL(tl_buckets_agree(db, u, 1, "timeline", -1, &months), 0);
		CU_ASSERT_EQUAL(tl_buckets_agree(db, u, 0, "timeline", 1, &months), 0);
		CU_ASSERT_EQUAL(tl_buckets_agree(db, u, 2, "archive", -1, &months), 0);
	}
	CU_ASSERT(months > 50);
	db_close(db);
}

static void
test_map_and_search_copies_never_drift_after_random_changes(void)
{
	char	 out[64];

	CU_ASSERT_EQUAL(random_changes(), 0);
	CU_ASSERT_EQUAL(copies_drift(), 0);
	/* The place edits reached both: positions on the map, cities found,
	 * and cells of several assets, of the owners' archives too. */
	CU_ASSERT_EQUAL(db_root_value("SELECT (SELECT COUNT(*) > 10 FROM " DBNAME
	    ".asset_map) + (SELECT COUNT(*) > 10 FROM " DBNAME ".asset_search WHERE"
	    " city IS NOT NULL) + (SELECT COUNT(*) > 10 FROM " DBNAME ".asset_map_cells"
	    " WHERE n > 1) + (SELECT COUNT(*) > 0 FROM " DBNAME ".asset_map_cells"
	    " WHERE archived = 1)", out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "4");
}

static void
test_duplicates_hidden_never_drift_after_random_changes(void)
{
	char	 out[64];

	CU_ASSERT_EQUAL(random_changes(), 0);
	CU_ASSERT_EQUAL(db_root_value("SELECT " DUP_DRIFT, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "0");
	/* The mix made duplicates (files in more than one library), and some
	 * copies are hidden at its end. */
	CU_ASSERT_EQUAL(db_root_value("SELECT CONCAT(x.files > 20 AND y.hidden > 0, ' (', x.files,"
	    " ' files in more than one library, ', y.hidden, ' copies hidden)')"
	    " FROM (SELECT COUNT(*) files FROM (SELECT checksum FROM " DBNAME ".assets"
	    "  GROUP BY checksum HAVING COUNT(*) > 1) c) x,"
	    " (SELECT COUNT(*) hidden FROM " DBNAME ".asset_dup_hidden) y", out, sizeof(out)), 0);
	if (out[0] != '1')
		fprintf(stderr, "duplicates: %s\n", out);
	CU_ASSERT_EQUAL(out[0], '1');
}

/* Give asset the checksum hex (a file's SHA-1), as an edit of its file
 * would: 0, or -1. */
static int
set_checksum(const char *asset, const char *hex)
{
	char	 sql[256];

	snprintf(sql, sizeof(sql), "UPDATE " DBNAME ".assets SET checksum = UNHEX('%s')"
	    " WHERE id = '%s'", hex, asset);
	return db_root_sql(sql);
}

/* The expression `what` of viewer's row of asset_dup_hidden for asset into
 * out (an aggregate answers with no row too): 0, or -1. */
static int
hidden_row(const char *what, const char *viewer, const char *asset, char *out,
    size_t outsz)
{
	char	 sql[512];

	snprintf(sql, sizeof(sql), "SELECT %s FROM " DBNAME ".asset_dup_hidden"
	    " WHERE viewer_id = '%s' AND asset_id = '%s'", what, viewer, asset);
	return db_root_value(sql, out, outsz);
}

/*
 * A copy hidden from me (a partner's copy of a file of mine) given the
 * checksum of another file of mine: it leaves its old group before it
 * joins the new one (sql/060; sql/057 joined the new group first and the
 * UPDATE failed on the row the old group still held), and the hidden
 * copies and their counts are still their definition's.
 */
static void
test_a_hidden_copy_given_another_checksum_moves_groups(void)
{
	char	 pick[512], out[64], viewer[37], asset[37], other[41];

	CU_ASSERT_EQUAL_FATAL(random_changes(), 0);
	CU_ASSERT_EQUAL_FATAL(db_root_value("SELECT CONCAT_WS(' ', h.viewer_id, h.asset_id,"
	    " HEX(y.checksum)) FROM " DBNAME ".asset_dup_hidden h JOIN " DBNAME ".assets y"
	    " ON y.owner_id = h.viewer_id AND y.deleted_at IS NULL AND y.checksum <> h.checksum"
	    " WHERE NOT EXISTS (SELECT 1 FROM " DBNAME ".assets z WHERE z.owner_id = h.owner_id"
	    " AND z.checksum = y.checksum) ORDER BY h.asset_id, y.id LIMIT 1", pick,
	    sizeof(pick)), 0);
	CU_ASSERT_EQUAL_FATAL(sscanf(pick, "%36s %36s %40s", viewer, asset, other), 3);
	CU_ASSERT_EQUAL_FATAL(set_checksum(asset, other), 0);
	/* Still hidden from me, now in the other file's group. */
	CU_ASSERT_EQUAL(hidden_row("HEX(checksum)", viewer, asset, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, other);
	CU_ASSERT_EQUAL(db_root_value("SELECT " DUP_DRIFT, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "0");
}

/* Suggestion rows as one string: "v1|v2|" (NULL as "<null>"). */
static int
suggestion_text(void *arg, const struct db_row *row)
{
	char	*out = arg;
	size_t	 len = strlen(out);

	snprintf(out + len, 4096 - len, "%s|", row->val[0] != NULL ? row->val[0] : "<null>");
	return 0;
}

/* A narrowing of the suggestions: the place or camera value at `at` in
 * SEARCH_PLACE_CAMERA's order (city, state, country, make, model, lens;
 * -1: none), "" for "not known". */
struct narrow {
	int		 at;
	const char	*value;
};

/*
 * What viewer me is suggested of kind, narrowed by nw: from the counts
 * (counted 1, sql/062) or from every asset (0), in out (4096).
 */
static int
suggestions_of(struct db *db, const char *me, const char *kind, struct narrow nw,
    int counted, char *out)
{
	struct dbv	 a[46];
	size_t		 i, n = 11 + 12;

	out[0] = '\0';
	for (i = 0; i < 46; i++)
		a[i] = DBV_NULL;
	/* SEARCH_PARAMS (11), then the 6 place and camera values twice
	 * (NULL: none); all of it twice for the counts (their dated half) */
	a[0] = DBV_STR(me);
	a[1] = DBV_STR(kind);
	if (nw.at >= 0)
		a[11 + 2 * nw.at] = a[12 + 2 * nw.at] = DBV_STR(nw.value);
	if (counted) {
		memcpy(a + n, a, n * sizeof(a[0]));
		n *= 2;
	}
	return db_query(db, counted ? STMT_SEARCH_SUGGESTIONS : STMT_SEARCH_SUGGESTIONS_LIVE,
	    a, n, suggestion_text, out) == DB_OK ? 0 : -1;
}

/*
 * The test's own account of what a partner's counted cells (sql/038) hold
 * and a viewer does not see: (viewer, owner, gy, gx, mark) of each asset
 * on the map in the timeline and not in the trash that the viewer archived
 * for themselves (mark 1, sql/050) or that is a copy hidden from the
 * viewer (0, sql/057).
 */
#define HIDDEN_ON_MAP \
	"(SELECT h.viewer_id, m.owner_id, m.gy, m.gx, 1 AS mark FROM " DBNAME ".asset_marks h" \
	" JOIN " DBNAME ".asset_map m ON m.id = h.asset_id WHERE h.archived = 1" \
	" AND m.deleted_at IS NULL AND m.visibility = 'timeline'" \
	" UNION ALL SELECT h.viewer_id, m.owner_id, m.gy, m.gx, 0 FROM " DBNAME ".asset_dup_hidden h" \
	" JOIN " DBNAME ".asset_map m ON m.id = h.asset_id" \
	" WHERE m.deleted_at IS NULL AND m.visibility = 'timeline')"

/* Cluster rows as one string, in the statement's order (cy, cx): room for
 * thousands of cells (one per asset of the workload at the finest levels). */
#define CLUSTERS_MAX	(4 << 20)
/* Cluster rows as one string, in the statement's order (cy, cx). */
static int
cluster_text(void *arg, const struct db_row *row)
{
	char	*out = arg;
	size_t	 len = strlen(out);

	snprintf(out + len, CLUSTERS_MAX - len, "%s\n", row->val[0]);
	return 0;
}

/*
 * The clusters viewer me is shown at cells of level l (shift 24 - l) in
 * grid rows gy[0..1] and columns gx[0..3] (two ranges), from the counted
 * cells at level (sql/038) or, level 0, from the assets alone, in out
 * (CLUSTERS_MAX; "" for none). 0, or -1 on an error.
 */
static int
clusters_of(struct db *db, const char *me, int with_partners, int archived, int l,
    const long gy[2], const long gx[4], int level, char *out)
{
	struct dbv	 a[15];
	size_t		 i;

	out[0] = '\0';
	a[0] = DBV_STR(me);
	a[1] = DBV_INT(with_partners);
	a[2] = DBV_INT(archived);
	a[3] = a[4] = a[5] = DBV_NULL;		/* fav, since, until */
	a[6] = DBV_INT(gy[0]); a[7] = DBV_INT(gy[1]);
	for (i = 0; i < 4; i++)
		a[8 + i] = DBV_INT(gx[i]);
	a[12] = DBV_NULL;			/* bbox */
	a[13] = DBV_INT(24 - l);		/* shift */
	a[14] = level ? DBV_INT(level) : DBV_NULL;
	switch (db_query(db, STMT_MAP_CLUSTERS, a, 15, cluster_text, out)) {
	case DB_OK:
	case DB_NOTFOUND:	/* no cluster: out is "" */
		return 0;
	default:
		return -1;
	}
}

/* The levels the handler reads (h_map.c) are the levels counted. */
static void
test_map_reads_only_the_levels_counted(void)
{
	char	 out[256], want[256] = "";
	int	 l, level, prev = 0;

	CU_ASSERT_EQUAL_FATAL(db_root_value("SELECT GROUP_CONCAT(level ORDER BY level) FROM "
	    DBNAME ".asset_map_levels", out, sizeof(out)), 0);
	for (l = 0; l <= 24; l++) {
		level = map_counted_level(l);
		if (level == 0)
			continue;
		CU_ASSERT(level >= l);
		if (level != prev)
			snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s%d",
			    prev ? "," : "", level);
		prev = level;
	}
	/* Every level counted is read, and the finest cells read the assets. */
	CU_ASSERT_STRING_EQUAL(out, want);
	CU_ASSERT_EQUAL(map_counted_level(24), 0);
}

/*
 * For every viewer of the drift workload (partners with dated shares and
 * archive marks of their own among them), with and without partners and
 * archived assets, at every level of cells, over the world, an area cut
 * out of it and one across the antimeridian: the clusters from the
 * counted cells are the clusters from the assets, byte for byte.
 */
static void
test_counted_clusters_equal_the_live_ones_for_every_viewer(void)
{
	static char	 counted[CLUSTERS_MAX], live[CLUSTERS_MAX];
	struct db	*db;
	char		 box[128];
	long		 gy[2], gx[4], bounds[4], unit;
	int		 i, wp, ar, l, area, nonempty = 0, compared = 0;

	CU_ASSERT_EQUAL_FATAL(random_changes(), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(db = db_open(&conf, migrations_latest()));
	/* Where the assets are: the rows and columns of asset_map's grid. */
	CU_ASSERT_EQUAL_FATAL(db_root_value("SELECT CONCAT_WS(' ', MIN(gy), MAX(gy), MIN(gx),"
	    " MAX(gx)) FROM " DBNAME ".asset_map", box, sizeof(box)), 0);
	CU_ASSERT_EQUAL_FATAL(sscanf(box, "%ld %ld %ld %ld", &bounds[0], &bounds[1],
	    &bounds[2], &bounds[3]), 4);
	for (i = 0; i < NUSERS; i++)
	for (wp = 0; wp < 2; wp++)
	for (ar = 0; ar < 2; ar++)
	for (l = 2; l <= 24; l++)
	for (area = 0; area < 3; area++) {
		unit = 1L << (24 - l);
		if (area == 0) {	/* the world */
			gy[0] = 0, gy[1] = (1L << 24) - 1;
			gx[0] = gx[2] = 0, gx[1] = gx[3] = (1L << 24) - 1;
		} else if (area == 1) {	/* the northern half of the assets, whole cells */
			gy[0] = bounds[0] / unit * unit;
			gy[1] = ((bounds[0] + bounds[1]) / 2) / unit * unit + unit - 1;
			gx[0] = gx[2] = bounds[2] / unit * unit;
			gx[1] = gx[3] = bounds[3] / unit * unit + unit - 1;
		} else {		/* 90 degrees either side of the antimeridian */
			gy[0] = 0, gy[1] = (1L << 24) - 1;
			gx[0] = (3L << 22) / unit * unit, gx[1] = (1L << 24) - 1;
			gx[2] = 0, gx[3] = (1L << 22) / unit * unit + unit - 1;
		}
		if (map_counted_level(l) == 0)
			continue;
		CU_ASSERT_EQUAL(clusters_of(db, drift_users[i], wp, ar, l, gy, gx,
		    map_counted_level(l), counted), 0);
		CU_ASSERT_EQUAL(clusters_of(db, drift_users[i], wp, ar, l, gy, gx, 0, live), 0);
		if (strcmp(counted, live) != 0)
			fprintf(stderr, "clusters for user %d (partners %d, archived %d) at level %d,"
			    " area %d: counted\n%s live\n%s", i, wp, ar, l, area, counted, live);
		CU_ASSERT_STRING_EQUAL(counted, live);
		nonempty += counted[0] != '\0';
		compared++;
	}
	/* Most of them show something. */
	CU_ASSERT(nonempty > compared / 2);
	/* And the workload put what the counts cannot know into the partners'
	 * cells the statement reads counted (an undated share in the
	 * timeline): my archive marks (the copies hidden from me: below). */
	CU_ASSERT_EQUAL(db_root_value("SELECT CONCAT(SUM(x.mark), ' ', SUM(1 - x.mark)) FROM "
	    HIDDEN_ON_MAP " x JOIN " DBNAME ".partners p ON p.shared_by_id = x.owner_id"
	    " AND p.shared_with_id = x.viewer_id AND p.in_timeline = 1 AND p.start_date IS NULL",
	    box, sizeof(box)), 0);
	if (sscanf(box, "%d %d", &i, &l) != 2 || i < 1)
		fprintf(stderr, "clusters: marked / hidden in counted partners' cells: %s\n", box);
	CU_ASSERT(sscanf(box, "%d %d", &i, &l) == 2 && i > 0);
	db_close(db);
}

/*
 * A partner's asset on the map (of a live sharer, not archived by my own
 * mark: either would make it no candidate) made a copy of a file of mine
 * (its checksum, through the triggers of sql/057): hidden from me, and the
 * clusters from the counted cells are still those from the assets at
 * every level, archived shown or not.
 */
static void
test_counted_clusters_equal_the_live_ones_with_a_hidden_copy(void)
{
	static char	 counted[CLUSTERS_MAX], live[CLUSTERS_MAX];
	struct db	*db;
	char		 pick[512], sql[512], viewer[37], asset[37], was[41], copy[41];
	long		 gy[2] = { 0, (1L << 24) - 1 };
	long		 gx[4] = { 0, (1L << 24) - 1, 0, (1L << 24) - 1 };
	int		 ar, l;

	CU_ASSERT_EQUAL_FATAL(random_changes(), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(db = db_open(&conf, migrations_latest()));
	CU_ASSERT_EQUAL_FATAL(db_root_value("SELECT CONCAT_WS(' ', p.shared_with_id, m.id,"
	    " HEX(x.checksum), HEX(y.checksum)) FROM " DBNAME ".partners p JOIN " DBNAME
	    ".asset_map m ON m.owner_id = p.shared_by_id AND m.visibility = 'timeline'"
	    " AND m.deleted_at IS NULL JOIN " DBNAME ".assets x ON x.id = m.id JOIN " DBNAME
	    ".assets y ON y.owner_id = p.shared_with_id AND y.deleted_at IS NULL"
	    " JOIN " DBNAME ".users s ON s.id = p.shared_by_id AND s.deleted_at IS NULL"
	    " WHERE p.in_timeline = 1 AND p.start_date IS NULL AND NOT EXISTS (SELECT 1 FROM "
	    DBNAME ".assets z WHERE z.owner_id = p.shared_by_id AND z.checksum = y.checksum)"
	    /* a photo I archived for myself is no candidate: nothing to hide */
	    " AND NOT EXISTS (SELECT 1 FROM " DBNAME ".asset_marks k WHERE k.viewer_id ="
	    " p.shared_with_id AND k.asset_id = m.id AND k.archived = 1)"
	    " ORDER BY m.id, y.id LIMIT 1", pick, sizeof(pick)), 0);
	CU_ASSERT_EQUAL_FATAL(sscanf(pick, "%36s %36s %40s %40s", viewer, asset, was, copy), 4);
	CU_ASSERT_EQUAL_FATAL(set_checksum(asset, copy), 0);
	CU_ASSERT_EQUAL(hidden_row("COUNT(*)", viewer, asset, pick, sizeof(pick)), 0);
	CU_ASSERT_STRING_EQUAL(pick, "1");
	for (ar = 0; ar < 2; ar++)
		for (l = 2; l <= 20; l++) {
			CU_ASSERT_EQUAL(clusters_of(db, viewer, 1, ar, l, gy, gx,
			    map_counted_level(l), counted), 0);
			CU_ASSERT_EQUAL(clusters_of(db, viewer, 1, ar, l, gy, gx, 0, live), 0);
			CU_ASSERT(live[0] != '\0');
			CU_ASSERT_STRING_EQUAL(counted, live);
		}
	snprintf(sql, sizeof(sql), "UPDATE " DBNAME ".assets SET checksum = UNHEX('%s')"
	    " WHERE id = '%s'", was, asset);
	CU_ASSERT_EQUAL(db_root_sql(sql), 0);
	CU_ASSERT_EQUAL(copies_drift(), 0);
	db_close(db);
}

/* The sum of the counts of a clusters answer (cluster_text's). */
static long
clusters_total(const char *text)
{
	const char	*p = text;
	long		 n = 0;

	while ((p = strstr(p, "\"count\":")) != NULL) {
		p += strlen("\"count\":");
		n += strtol(p, NULL, 10);
	}
	return n;
}

/*
 * A partner with an asset I archived for myself or a copy hidden from me
 * keeps the rest of its cells counted: only the cells holding one are read
 * from the assets. Shown by a count moved in asset_map_cells by hand: the
 * answer moves with a cell without one, not with the cell holding one.
 */
static void
test_map_reads_only_a_partners_marked_cells_live(void)
{
	static char	 out[CLUSTERS_MAX];
	struct db	*db;
	char		 pick[512], sql[1024], viewer[37], owner[37];
	long		 cell[2][2];
	int		 k;

	CU_ASSERT_EQUAL_FATAL(random_changes(), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(db = db_open(&conf, migrations_latest()));
	/* A viewer, a partner read counted with a level-20 cell holding what
	 * the viewer does not see (cell 0) and one without (cell 1). */
	CU_ASSERT_EQUAL_FATAL(db_root_value("SELECT CONCAT_WS(' ', x.viewer_id, x.owner_id,"
	    " x.cy, x.cx, c.cy, c.cx) FROM (SELECT DISTINCT viewer_id, owner_id, gy >> 4 AS cy,"
	    " gx >> 4 AS cx FROM " HIDDEN_ON_MAP " h) x JOIN " DBNAME ".partners p"
	    " ON p.shared_by_id = x.owner_id AND p.shared_with_id = x.viewer_id"
	    " AND p.in_timeline = 1 AND p.start_date IS NULL"
	    " JOIN " DBNAME ".asset_map_cells c ON c.owner_id = x.owner_id AND c.level = 20"
	    " AND c.archived = 0 WHERE NOT EXISTS (SELECT 1 FROM " HIDDEN_ON_MAP " y"
	    " WHERE y.viewer_id = x.viewer_id AND y.owner_id = x.owner_id"
	    " AND y.gy >> 4 = c.cy AND y.gx >> 4 = c.cx) ORDER BY 1 LIMIT 1",
	    pick, sizeof(pick)), 0);
	CU_ASSERT_EQUAL_FATAL(sscanf(pick, "%36s %36s %ld %ld %ld %ld", viewer, owner,
	    &cell[0][0], &cell[0][1], &cell[1][0], &cell[1][1]), 6);
	for (k = 0; k < 2; k++) {
		/* The view of that one cell at zoom 18 (level 20). */
		long	 gy[2] = { cell[k][0] << 4, (cell[k][0] << 4) + 15 };
		long	 gx[4] = { cell[k][1] << 4, (cell[k][1] << 4) + 15,
			    cell[k][1] << 4, (cell[k][1] << 4) + 15 };
		long	 before;

		CU_ASSERT_EQUAL(clusters_of(db, viewer, 1, 0, 20, gy, gx, 20, out), 0);
		before = clusters_total(out);
		CU_ASSERT(before > 0 || k == 0);
		snprintf(sql, sizeof(sql), "UPDATE " DBNAME ".asset_map_cells SET n = n + 1000"
		    " WHERE owner_id = '%s' AND level = 20 AND cy = %ld AND cx = %ld"
		    " AND archived = 0", owner, cell[k][0], cell[k][1]);
		CU_ASSERT_EQUAL(db_root_sql(sql), 0);
		/* The marked cell is read from the assets: as it was; the
		 * other from its count: 1,000 more. */
		CU_ASSERT_EQUAL(clusters_of(db, viewer, 1, 0, 20, gy, gx, 20, out), 0);
		CU_ASSERT_EQUAL(clusters_total(out), before + (k == 0 ? 0 : 1000));
		snprintf(sql, sizeof(sql), "UPDATE " DBNAME ".asset_map_cells SET n = n - 1000"
		    " WHERE owner_id = '%s' AND level = 20 AND cy = %ld AND cx = %ld"
		    " AND archived = 0", owner, cell[k][0], cell[k][1]);
		CU_ASSERT_EQUAL(db_root_sql(sql), 0);
	}
	CU_ASSERT_EQUAL(copies_drift(), 0);
	db_close(db);
}

static void
test_counted_suggestions_equal_the_live_ones_for_every_viewer(void)
{
	/* Each kind with nothing to narrow it, and narrowed by a value of its
	 * own facet, null ("") among them, as the filter panels ask. */
	static const struct {
		const char	*kind;
		struct narrow	 nw;
	} asks[] = {
		{ "country", { -1, NULL } }, { "state", { -1, NULL } }, { "city", { -1, NULL } },
		{ "camera-make", { -1, NULL } }, { "camera-model", { -1, NULL } },
		{ "camera-lens-model", { -1, NULL } },
		{ "state", { 2, "France" } }, { "state", { 2, "" } },
		{ "city", { 2, "France" } }, { "city", { 1, "\xc3\x8ele-de-France" } },
		{ "city", { 1, "" } }, { "country", { 0, "Paris" } }, { "country", { 0, "" } },
		{ "camera-model", { 3, "Canon" } }, { "camera-lens-model", { 3, "Nikon" } },
		{ "camera-make", { 4, "" } },
	};
	struct db	*db;
	char		 counted[4096], live[4096];
	size_t		 i, k;
	int		 nonempty = 0;

	CU_ASSERT_EQUAL_FATAL(random_changes(), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(db = db_open(&conf, migrations_latest()));
	/* Every viewer (partners with marks of their own among them) and ask:
	 * the counts' answer is the walk over every asset's. */
	for (i = 0; i < NUSERS; i++)
		for (k = 0; k < sizeof(asks) / sizeof(asks[0]); k++) {
			CU_ASSERT_EQUAL(suggestions_of(db, drift_users[i], asks[k].kind, asks[k].nw,
			    1, counted), 0);
			CU_ASSERT_EQUAL(suggestions_of(db, drift_users[i], asks[k].kind, asks[k].nw,
			    0, live), 0);
			if (strcmp(counted, live) != 0)
				fprintf(stderr, "suggestions of %s (ask %zu) for user %zu: counted"
				    " \"%s\", live \"%s\"\n", asks[k].kind, k, i, counted, live);
			CU_ASSERT_STRING_EQUAL(counted, live);
			nonempty += strchr(counted, '|') != strrchr(counted, '|');
		}
	/* More than one value (not only null) for many of them. */
	CU_ASSERT(nonempty >= 12);
	db_close(db);
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
	struct dbv	 x[13];
	int		 i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	for (i = 0; i < 3; i++) {	/* u0 shares with u1; u2 is a stranger */
		uuid_v4(tag);
		snprintf(email, sizeof(email), "tlv%d-%s@example.com", i, tag);
		CU_ASSERT_EQUAL_FATAL(add_user(db, u[i], email), DB_OK);
	}
	x[0] = DBV_STR(u[0]); x[1] = DBV_STR(u[1]); x[2] = DBV_NULL;
	b = tl_version(u[1]);
	CU_ASSERT_EQUAL(db_exec(db, STMT_PARTNER_INSERT, x, 3, NULL), DB_OK);
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
	x[4] = DBV_STR("48.85"); x[5] = DBV_STR("2.29");
	x[6] = DBV_NULL; x[7] = DBV_NULL; x[8] = DBV_NULL;
	x[9] = DBV_INT(0); x[10] = DBV_NULL; x[11] = DBV_INT(0); x[12] = DBV_NULL;
	CU_ASSERT_EQUAL(db_exec(db, STMT_EXIF_UPDATE_MANY, x, 13, NULL), DB_OK);
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

static void
test_a_mark_moves_only_its_viewers_counter(void)
{
	struct db	*db = db_open(&conf, migrations_latest());
	char		 u[3][37], asset[37], tag[37], email[80], list[64];
	long long	 a, b, c;
	unsigned char	 cs[20] = { 9 };
	struct dbv	 x[5];
	int		 i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	for (i = 0; i < 3; i++) {	/* u0 shares with u1 and u2 */
		uuid_v4(tag);
		snprintf(email, sizeof(email), "mark%d-%s@example.com", i, tag);
		CU_ASSERT_EQUAL_FATAL(add_user(db, u[i], email), DB_OK);
		if (i > 0) {
			x[0] = DBV_STR(u[0]); x[1] = DBV_STR(u[i]); x[2] = DBV_NULL;
			CU_ASSERT_EQUAL(db_exec(db, STMT_PARTNER_INSERT, x, 3, NULL), DB_OK);
		}
	}
	CU_ASSERT_EQUAL(add_asset(db, asset, u[0], cs, "2022-03-01 10:00:00", 0,
	    "timeline"), DB_OK);
	snprintf(list, sizeof(list), "[\"%s\"]", asset);
	a = tl_version(u[0]); b = tl_version(u[1]); c = tl_version(u[2]);
	x[0] = DBV_STR(list); x[1] = DBV_STR(u[1]); x[2] = DBV_INT(1); x[3] = DBV_NULL;
	x[4] = DBV_STR(u[1]);
	CU_ASSERT_EQUAL(db_exec(db, STMT_ASSET_MARK_MANY, x, 5, NULL), DB_OK);
	CU_ASSERT_EQUAL(tl_version(u[0]), a);
	CU_ASSERT(tl_version(u[1]) > b);
	CU_ASSERT_EQUAL(tl_version(u[2]), c);
	/* The owner may not mark their own asset: nothing is written. */
	b = tl_version(u[1]);
	x[1] = DBV_STR(u[0]); x[4] = DBV_STR(u[0]);
	CU_ASSERT_EQUAL(db_exec(db, STMT_ASSET_MARK_MANY, x, 5, NULL), DB_OK);
	CU_ASSERT_EQUAL(tl_version(u[0]), a);
	CU_ASSERT_EQUAL(tl_version(u[1]), b);
	db_close(db);
}

/* ---- the access rule and the change counters ----------------------------- */

/*
 * Every table.column the access rule reads, derived from its one
 * definition: the asset.read statement (stmts.c, THE ACCESS RULE) is
 * scanned for alias.column references. An alias the map does not know
 * fails the test, so a rule that grows must teach it its table.
 */
static const struct {
	const char	*alias, *table;
} rule_aliases[] = {
	{ "a", "assets" }, { "p", "partners" }, { "s", "users" },
	{ "aa", "album_assets" }, { "al", "albums" }, { "au", "album_users" },
	{ "j", NULL }, { "me", NULL },	/* the ids asked about, the viewer */
	{ NULL, NULL },
};

static size_t
rule_columns(char cols[][64], size_t max)
{
	const char	*sql = stmt_sql[STMT_ACCESS_ASSET_READ], *p = sql;
	char		 alias[16], col[48], tc[64];
	size_t		 n = 0, i, k, q;
	int		 quoted = 0, known;

	for (; *p != '\0'; p++) {
		if (*p == '\'')
			quoted = !quoted;
		if (quoted || !isalpha((unsigned char)*p) || (p > sql &&
		    (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.')))
			continue;
		for (i = 0; (isalnum((unsigned char)p[i]) || p[i] == '_') && i < 15; i++)
			alias[i] = p[i];
		alias[i] = '\0';
		if (p[i] != '.')
			continue;
		for (k = 0, q = i + 1; (isalnum((unsigned char)p[q]) || p[q] == '_') &&
		    k < sizeof(col) - 1; q++)
			col[k++] = p[q];
		col[k] = '\0';
		for (k = 0, known = 0; rule_aliases[k].alias != NULL; k++)
			if (strcmp(rule_aliases[k].alias, alias) == 0) {
				known = 1;
				if (rule_aliases[k].table == NULL)
					break;
				snprintf(tc, sizeof(tc), "%s.%s", rule_aliases[k].table, col);
				for (q = 0; q < n && strcmp(cols[q], tc) != 0; q++)
					;
				if (q == n && n < max)
					snprintf(cols[n++], 64, "%s", tc);
				break;
			}
		if (!known) {
			fprintf(stderr, "access rule: unknown alias \"%s\"\n", alias);
			CU_FAIL("the access rule uses an alias this test does not know");
		}
		p += i;
	}
	return n;
}

/* The viewers of the fixture, by role. */
enum { V_OWNER, V_PARTNER, V_STRANGER, V_MEMBER, V_NOT_SHOWN, V__MAX };
static const char *const v_names[V__MAX] = {
	"owner", "partner", "stranger", "album member", "member of a partner's album",
};

struct rule_fixture {
	struct db	*db;
	char		 v[V__MAX][37];
	char		 asset[37], other[37], album[37], album2[37];
};

static void
rule_versions(struct rule_fixture *f, long long out[V__MAX])
{
	int	 i;

	for (i = 0; i < V__MAX; i++)
		out[i] = tl_version(f->v[i]);
}

static int
count_row(void *arg, const struct db_row *row)
{
	(void)row;
	(*(int *)arg)++;
	return 0;
}

/* Who may read asset now, by the rule itself (its asset.read statement). */
static void
rule_readers(struct rule_fixture *f, const char *asset, int out[V__MAX])
{
	char		 ids[64];
	struct dbv	 a[2];
	int		 i;

	snprintf(ids, sizeof(ids), "[\"%s\"]", asset);
	for (i = 0; i < V__MAX; i++) {
		out[i] = 0;
		a[0] = DBV_STR(ids);
		a[1] = DBV_STR(f->v[i]);
		CU_ASSERT_FALSE(db_failed(db_query(f->db, STMT_ACCESS_ASSET_READ, a, 2,
		    count_row, &out[i])));
	}
}

/* The viewer who owns asset, or -1. */
static int
rule_owner(struct rule_fixture *f, const char *asset)
{
	char	 sql[160], out[40];
	int	 i;

	snprintf(sql, sizeof(sql), "SELECT owner_id FROM " DBNAME ".assets WHERE id = '%s'",
	    asset);
	if (db_root_value(sql, out, sizeof(out)) != 0)
		return -1;
	for (i = 0; i < V__MAX; i++)
		if (strcmp(out, f->v[i]) == 0)
			return i;
	return -1;
}

/* Run sql with {asset}, {owner}, {partner}, {stranger}, {member},
 * {album} and {other} replaced by the fixture's ids. */
static int
rule_sql(const char *sql, const struct rule_fixture *f)
{
	const struct {
		const char	*name, *value;
	} ids[] = {
		{ "{asset}", f->asset }, { "{owner}", f->v[V_OWNER] },
		{ "{partner}", f->v[V_PARTNER] }, { "{stranger}", f->v[V_STRANGER] },
		{ "{member}", f->v[V_MEMBER] }, { "{album}", f->album },
		{ "{other}", f->other },
	};
	char	 out[2048];
	size_t	 n = 0, i, k;

	for (i = 0; sql[i] != '\0' && n < sizeof(out) - 40; ) {
		for (k = 0; k < sizeof(ids) / sizeof(ids[0]); k++)
			if (strncmp(sql + i, ids[k].name, strlen(ids[k].name)) == 0)
				break;
		if (k < sizeof(ids) / sizeof(ids[0])) {
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%s", ids[k].value);
			i += strlen(ids[k].name);
		} else
			out[n++] = sql[i++];
	}
	out[n] = '\0';
	return db_root_sql(out);
}

/*
 * A change, the columns of the rule it changes, and whether it is an edit
 * of one asset (whose counters must move for exactly its owner and the
 * viewers who could see it before or after) or a change of who may see
 * (whose counters must move for every viewer whose view changed).
 */
static const struct rule_case {
	const char	*what;
	const char	*sql;
	const char	*covers;	/* table.column list, space-separated */
	int		 edit;	/* 1: the asset {asset}; 2: the asset {other} */
} rule_cases[] = {
	{ "edit in the timeline", "UPDATE " DBNAME ".asset_exif SET description = 'a' WHERE asset_id = '{asset}'", "", 1 },
	{ "archive", "UPDATE " DBNAME ".assets SET visibility = 'archive' WHERE id = '{asset}'", "assets.visibility", 1 },
	{ "edit while archived", "UPDATE " DBNAME ".asset_exif SET description = 'b' WHERE asset_id = '{asset}'", "", 1 },
	{ "favourite while archived", "UPDATE " DBNAME ".assets SET is_favorite = 1 WHERE id = '{asset}'", "", 1 },
	{ "lock", "UPDATE " DBNAME ".assets SET visibility = 'locked' WHERE id = '{asset}'", "assets.visibility", 1 },
	{ "edit while locked", "UPDATE " DBNAME ".asset_exif SET description = 'c' WHERE asset_id = '{asset}'", "", 1 },
	{ "back to the timeline", "UPDATE " DBNAME ".assets SET visibility = 'timeline' WHERE id = '{asset}'", "assets.visibility", 1 },
	{ "hide", "UPDATE " DBNAME ".assets SET visibility = 'hidden' WHERE id = '{asset}'", "assets.visibility", 1 },
	{ "trash", "UPDATE " DBNAME ".assets SET deleted_at = UTC_TIMESTAMP(3), status = 'trashed' WHERE id = '{asset}'", "assets.deleted_at", 1 },
	{ "edit while trashed", "UPDATE " DBNAME ".asset_exif SET description = 'd' WHERE asset_id = '{asset}'", "", 1 },
	{ "restore", "UPDATE " DBNAME ".assets SET deleted_at = NULL, status = 'active' WHERE id = '{asset}'", "assets.deleted_at", 1 },
	{ "given to the stranger", "UPDATE " DBNAME ".assets SET owner_id = '{stranger}' WHERE id = '{asset}'", "assets.owner_id", 1 },
	{ "given back", "UPDATE " DBNAME ".assets SET owner_id = '{owner}' WHERE id = '{asset}'", "assets.owner_id", 1 },
	{ "share ends", "DELETE FROM " DBNAME ".partners WHERE shared_by_id = '{owner}' AND shared_with_id = '{partner}'", "partners.shared_by_id partners.shared_with_id", 0 },
	{ "share made", "INSERT INTO " DBNAME ".partners (shared_by_id, shared_with_id) VALUES ('{owner}', '{partner}')", "partners.shared_by_id partners.shared_with_id", 0 },
	/* A share from a date on (sql/055): the asset was taken 2022-01-01. */
	{ "shared from the next day on", "UPDATE " DBNAME ".partners SET start_date = '2022-01-02' WHERE shared_by_id = '{owner}' AND shared_with_id = '{partner}'", "partners.start_date", 0 },
	{ "edit before the share's date", "UPDATE " DBNAME ".asset_exif SET description = 'e' WHERE asset_id = '{asset}'", "", 1 },
	{ "retaken on the start day", "UPDATE " DBNAME ".assets SET local_date_time = '2022-01-02 00:00:00' WHERE id = '{asset}'", "assets.local_date_time", 1 },
	{ "retaken the day before", "UPDATE " DBNAME ".assets SET local_date_time = '2022-01-01 23:59:59.999' WHERE id = '{asset}'", "assets.local_date_time", 1 },
	{ "shared whole again", "UPDATE " DBNAME ".partners SET start_date = NULL WHERE shared_by_id = '{owner}' AND shared_with_id = '{partner}'", "partners.start_date", 0 },
	{ "sharer deleted", "UPDATE " DBNAME ".users SET deleted_at = UTC_TIMESTAMP(3) WHERE id = '{owner}'", "users.id users.deleted_at", 0 },
	{ "sharer restored", "UPDATE " DBNAME ".users SET deleted_at = NULL WHERE id = '{owner}'", "users.id users.deleted_at", 0 },
	{ "album deleted", "UPDATE " DBNAME ".albums SET deleted_at = UTC_TIMESTAMP(3) WHERE id = '{album}'", "albums.id albums.deleted_at", 0 },
	{ "album restored", "UPDATE " DBNAME ".albums SET deleted_at = NULL WHERE id = '{album}'", "albums.id albums.deleted_at", 0 },
	{ "member leaves", "DELETE FROM " DBNAME ".album_users WHERE album_id = '{album}' AND user_id = '{member}'", "album_users.album_id album_users.user_id", 0 },
	{ "member joins", "INSERT INTO " DBNAME ".album_users (album_id, user_id, role) VALUES ('{album}', '{member}', 'viewer')", "album_users.album_id album_users.user_id", 0 },
	{ "asset leaves the album", "DELETE FROM " DBNAME ".album_assets WHERE album_id = '{album}' AND asset_id = '{asset}'", "album_assets.album_id album_assets.asset_id", 0 },
	{ "a partner puts it back", "INSERT INTO " DBNAME ".album_assets (album_id, asset_id, added_by_id) VALUES ('{album}', '{asset}', '{partner}')", "album_assets.album_id album_assets.asset_id album_assets.added_by_id", 0 },
	{ "counted as the owner's", "UPDATE " DBNAME ".album_assets SET added_by_id = '{owner}' WHERE album_id = '{album}' AND asset_id = '{asset}'", "album_assets.added_by_id", 0 },
	{ "a new asset", NULL, "assets.id", 2 },	/* by add_asset */
	{ "deleted for good", "DELETE FROM " DBNAME ".assets WHERE id = '{asset}'", "assets.id", 1 },
	{ NULL, NULL, NULL, 0 },
};

static void
rule_fixture_make(struct rule_fixture *f)
{
	unsigned char	 cs[20] = { 9, 9 };
	char		 tag[37], email[80];
	int		 i;

	for (i = 0; i < V__MAX; i++) {
		uuid_v4(tag);
		snprintf(email, sizeof(email), "rule%d-%s@example.com", i, tag);
		CU_ASSERT_EQUAL_FATAL(add_user(f->db, f->v[i], email), DB_OK);
	}
	cs[2] = (unsigned char)tag[0];
	cs[3] = (unsigned char)tag[1];
	CU_ASSERT_EQUAL_FATAL(add_asset(f->db, f->asset, f->v[V_OWNER], cs,
	    "2022-01-01 10:00:00", 0, "timeline"), DB_OK);
	uuid_v4(f->other);	/* no such asset yet: add_asset gives it its id */
	uuid_v4(f->album);
	uuid_v4(f->album2);
	CU_ASSERT_EQUAL_FATAL(rule_sql("INSERT INTO " DBNAME ".partners (shared_by_id,"
	    " shared_with_id) VALUES ('{owner}', '{partner}')", f), 0);
	/* The owner's album, with the asset the owner put in, and a member. */
	CU_ASSERT_EQUAL_FATAL(rule_sql("INSERT INTO " DBNAME ".albums (id, owner_id,"
	    " description) VALUES ('{album}', '{owner}', '');"
	    " INSERT INTO " DBNAME ".album_users (album_id, user_id, role) VALUES"
	    " ('{album}', '{owner}', 'owner'), ('{album}', '{member}', 'viewer');"
	    " INSERT INTO " DBNAME ".album_assets (album_id, asset_id, added_by_id)"
	    " VALUES ('{album}', '{asset}', '{owner}')", f), 0);
	/* A place and a camera, so that the asset is on the map and found by
	 * search: their copies are checked after every change. */
	CU_ASSERT_EQUAL_FATAL(rule_sql("UPDATE " DBNAME ".asset_exif SET latitude = 48.85,"
	    " longitude = 2.29, city = 'Paris', country = 'France', make = 'Canon'"
	    " WHERE asset_id = '{asset}'", f), 0);
	/* The partner's album, with the asset the partner put in, and a member
	 * who must never see it (albums pass on only what owners put in). */
	{
		char	 sql[1024];

		snprintf(sql, sizeof(sql), "INSERT INTO " DBNAME ".albums (id, owner_id,"
		    " description) VALUES ('%s', '%s', '');"
		    " INSERT INTO " DBNAME ".album_users (album_id, user_id, role) VALUES"
		    " ('%s', '%s', 'owner'), ('%s', '%s', 'viewer');"
		    " INSERT INTO " DBNAME ".album_assets (album_id, asset_id, added_by_id)"
		    " VALUES ('%s', '%s', '%s')", f->album2, f->v[V_PARTNER], f->album2,
		    f->v[V_PARTNER], f->album2, f->v[V_NOT_SHOWN], f->album2, f->asset,
		    f->v[V_PARTNER]);
		CU_ASSERT_EQUAL_FATAL(db_root_sql(sql), 0);
	}
}

static void
test_change_counters_follow_the_access_rule_column_by_column(void)
{
	struct rule_fixture	 f;
	const struct rule_case	*c;
	char			 cols[32][64], covered[2048] = " ", want[80];
	long long		 before[V__MAX], after[V__MAX], drift;
	int			 rb[V__MAX], ra[V__MAX], ob, oa, i, expect;
	size_t			 n, k;

	memset(&f, 0, sizeof(f));
	f.db = db_open(&conf, migrations_latest());
	CU_ASSERT_PTR_NOT_NULL_FATAL(f.db);
	rule_fixture_make(&f);

	/* Every column the rule reads is changed by some case below. */
	for (c = rule_cases; c->what != NULL; c++)
		snprintf(covered + strlen(covered), sizeof(covered) - strlen(covered),
		    "%s ", c->covers);
	n = rule_columns(cols, 32);
	CU_ASSERT(n >= 10);	/* the scan found the rule */
	for (k = 0; k < n; k++) {
		snprintf(want, sizeof(want), " %s ", cols[k]);
		if (strstr(covered, want) == NULL) {
			fprintf(stderr, "access rule: no case changes %s\n", cols[k]);
			CU_FAIL("a column the access rule reads is changed by no case");
		}
	}

	for (c = rule_cases; c->what != NULL; c++) {
		const char	*asset = c->edit == 2 ? f.other : f.asset;

		rule_readers(&f, asset, rb);
		ob = rule_owner(&f, asset);
		rule_versions(&f, before);
		if (c->sql != NULL) {
			CU_ASSERT_EQUAL_FATAL(rule_sql(c->sql, &f), 0);
		} else {
			unsigned char	 cs[20] = { 8, 8, 8 };

			CU_ASSERT_EQUAL_FATAL(add_asset(f.db, f.other, f.v[V_OWNER], cs,
			    "2022-02-02 10:00:00", 0, "timeline"), DB_OK);
		}
		rule_versions(&f, after);
		/* The copies of the rule's columns that search and the map read
		 * (sql/035, sql/036) follow every change, in the same statement. */
		drift = copies_drift();
		if (drift != 0)
			fprintf(stderr, "access rule: \"%s\": asset_map, asset_search or its counts are"
			    " out of step (%lld rows)\n", c->what, drift);
		CU_ASSERT_EQUAL(drift, 0);
		rule_readers(&f, asset, ra);
		oa = rule_owner(&f, asset);
		for (i = 0; i < V__MAX; i++) {
			int	 moved = after[i] > before[i];

			if (c->edit) {
				/* Exactly its owners and whoever could see it. */
				expect = i == ob || i == oa || rb[i] || ra[i];
				if (moved != expect)
					fprintf(stderr, "access rule: \"%s\": the %s's counter %s\n",
					    c->what, v_names[i], moved ? "moved" : "did not move");
				CU_ASSERT_EQUAL(moved, expect);
			} else if (rb[i] != ra[i]) {
				/* Whoever's view changed. */
				if (!moved)
					fprintf(stderr, "access rule: \"%s\": the %s's view changed,"
					    " its counter did not move\n", c->what, v_names[i]);
				CU_ASSERT_TRUE(moved);
			}
		}
	}
	/* The case, said plainly: the partner saw none of the edits
	 * of the archived, locked or trashed asset (checked above), and the
	 * member of the partner's album never moved with the asset. */
	db_close(f.db);
}

/* A statement run from inside another's row callback is refused. */
struct reenter {
	struct db	*db;
	int		 inner;
};

static int
reenter_row(void *arg, const struct db_row *row)
{
	struct reenter	*r = arg;
	char		 v[32];

	(void)row;
	r->inner = db_query_str(r->db, STMT_SERVER_NOW, NULL, 0, v, sizeof(v));
	return 0;
}

static void
test_db_refuses_a_statement_inside_another_s_rows(void)
{
	struct reenter	 r = { db_open(&conf, migrations_latest()), DB_OK };
	char		 v[32];

	CU_ASSERT_PTR_NOT_NULL_FATAL(r.db);
	CU_ASSERT_EQUAL(db_query(r.db, STMT_SERVER_NOW, NULL, 0, reenter_row, &r), DB_OK);
	CU_ASSERT_EQUAL(r.inner, DB_ERROR);
	/* The connection is fine afterwards. */
	CU_ASSERT_EQUAL(db_query_str(r.db, STMT_SERVER_NOW, NULL, 0, v, sizeof(v)), DB_OK);
	db_close(r.db);
}

/*
 * PATH READS (access.h) through the gate in-process, on this suite's
 * database: Alice shares with Bob, not with Carol; photo T is in her
 * timeline, A archived. Bob signs in with a session and with an API key.
 */
static struct {
	struct db	*db;
	char		 alice[37], bob[37], carol[37], t[37], a[37];
} pr;

#define PR_BOB_TOKEN	"path-read-bob-session-token"
#define PR_BOB_KEY	"path-read-bob-api-key"
#define PR_CAROL_TOKEN	"path-read-carol-session-token"

static int
pr_setup(void)
{
	unsigned char	 cs[20], h[TOKEN_HASH_LEN];
	char		 id[37];
	struct dbv	 a[5];
	int		 bad = 0;

	if (pr.db != NULL)
		return 0;
	if ((pr.db = db_open(&conf, migrations_latest())) == NULL)
		return -1;
	bad |= add_user(pr.db, pr.alice, "pr-alice@example.com") != DB_OK;
	bad |= add_user(pr.db, pr.bob, "pr-bob@example.com") != DB_OK;
	bad |= add_user(pr.db, pr.carol, "pr-carol@example.com") != DB_OK;
	memset(cs, 0x71, sizeof(cs));
	bad |= add_asset(pr.db, pr.t, pr.alice, cs, "2024-05-01 10:00:00.000", 0,
	    "timeline") != DB_OK;
	cs[0] = 0x72;
	bad |= add_asset(pr.db, pr.a, pr.alice, cs, "2024-05-02 10:00:00.000", 0,
	    "archive") != DB_OK;
	a[0] = DBV_STR(pr.alice); a[1] = DBV_STR(pr.bob); a[2] = DBV_NULL;
	bad |= db_exec(pr.db, STMT_PARTNER_INSERT, a, 3, NULL) != DB_OK;
	token_hash(PR_BOB_TOKEN, h);
	uuid_v4(id);
	a[0] = DBV_STR(id); a[1] = DBV_BLOB(h, sizeof(h)); a[2] = DBV_STR(pr.bob);
	a[3] = DBV_STR("test"); a[4] = DBV_STR("test");
	bad |= db_exec(pr.db, STMT_SESSION_INSERT, a, 5, NULL) != DB_OK;
	token_hash(PR_CAROL_TOKEN, h);
	uuid_v4(id);
	a[2] = DBV_STR(pr.carol);
	bad |= db_exec(pr.db, STMT_SESSION_INSERT, a, 5, NULL) != DB_OK;
	token_hash(PR_BOB_KEY, h);
	uuid_v4(id);
	a[0] = DBV_STR(id); a[1] = DBV_STR("test"); a[2] = DBV_BLOB(h, sizeof(h));
	a[3] = DBV_STR(pr.bob); a[4] = DBV_STR("all");
	bad |= db_exec(pr.db, STMT_APIKEY_INSERT, a, 5, NULL) != DB_OK;
	return bad ? -1 : 0;
}

/*
 * GET path as the holder of credential (a session token, or an API key
 * when key is set), with the answers cache c (NULL: answer_cache = 0).
 * Fills r; returns the statements the request sent.
 */
static unsigned
pr_get(const char *path, const char *credential, int key,
    struct answer_cache *c, struct resp *r)
{
	struct fake_req	 f;
	char		 bearer[128];
	unsigned	 before = db_statement_count(pr.db);

	memset(&f, 0, sizeof(f));
	memset(r, 0, sizeof(*r));
	snprintf(bearer, sizeof(bearer), "Bearer %s", credential);
	f.params[0] = "REQUEST_METHOD";
	f.params[1] = "GET";
	f.params[2] = "REQUEST_URI";
	f.params[3] = path;
	f.params[4] = key ? "HTTP_X_API_KEY" : "HTTP_AUTHORIZATION";
	f.params[5] = key ? credential : bearer;
	fake_run_cache(&f, r, pr.db, c);
	return db_statement_count(pr.db) - before;
}

/* The body's "id", or its "message" when it has no id. */
static const char *
pr_said(const struct resp *r, char *buf, size_t sz)
{
	struct json_object	*o = resp_body_json(r), *v;

	buf[0] = '\0';
	if (o != NULL && (json_object_object_get_ex(o, "id", &v) ||
	    json_object_object_get_ex(o, "message", &v)))
		snprintf(buf, sz, "%s", json_object_get_string(v));
	json_object_put(o);
	return buf;
}

/* Does GET path answer status with said (its id or message; NULL: any)?
 * *sent: the statements it took. */
static int
pr_answers(const char *path, const char *credential, int key,
    struct answer_cache *c, int status, const char *said, unsigned *sent)
{
	struct resp	 r;
	char		 v[256];
	int		 ok;

	*sent = pr_get(path, credential, key, c, &r);
	ok = r.status == status &&
	    (said == NULL || strcmp(pr_said(&r, v, sizeof(v)), said) == 0);
	resp_free(&r);
	return ok;
}

/* With the cache off, an asset route's access and its row are the
 * credential's one statement, for a session and for an API key. */
static void
test_path_read_is_one_statement_with_the_cache_off(void)
{
	struct resp	 r;
	char		 path[128];
	unsigned	 sent;

	CU_ASSERT_EQUAL_FATAL(pr_setup(), 0);
	snprintf(path, sizeof(path), "/api/assets/%s", pr.t);
	CU_ASSERT(pr_answers(path, PR_BOB_TOKEN, 0, NULL, 200, pr.t, &sent));
	CU_ASSERT_EQUAL(sent, 1);
	CU_ASSERT(pr_answers(path, PR_BOB_KEY, 1, NULL, 200, pr.t, &sent));
	CU_ASSERT_EQUAL(sent, 1);
	snprintf(path, sizeof(path), "/api/assets/%s/original", pr.t);
	CU_ASSERT_EQUAL(pr_get(path, PR_BOB_TOKEN, 0, NULL, &r), 1);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.headers.data, "X-Accel-Redirect: /_partnerd_media/x\r\n"));
	resp_free(&r);
}

/* The rule decides what the path read hands on, cache or not: Bob is
 * refused Alice's archived photo, Carol every photo of hers, and nobody
 * an id that is no asset. */
static void
test_path_read_refuses_what_the_rule_hides(void)
{
	struct answer_cache	*c = cache_new(1 << 20), *on;
	char			 a[128], t[128], thumb[128], none[128], id[37];
	unsigned		 sent;
	int			 i;

	CU_ASSERT_EQUAL_FATAL(pr_setup(), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	uuid_v4(id);
	snprintf(a, sizeof(a), "/api/assets/%s", pr.a);
	snprintf(t, sizeof(t), "/api/assets/%s", pr.t);
	snprintf(thumb, sizeof(thumb), "/api/assets/%s/thumbnail", pr.t);
	snprintf(none, sizeof(none), "/api/assets/%s/original", id);
	for (i = 0; i < 2; i++) {
		on = i ? c : NULL;
		CU_ASSERT(pr_answers(a, PR_BOB_TOKEN, 0, on, 400,
		    "Not found or no asset.read access", &sent));
		CU_ASSERT(pr_answers(t, PR_CAROL_TOKEN, 0, on, 400,
		    "Not found or no asset.read access", &sent));
		CU_ASSERT(pr_answers(thumb, PR_CAROL_TOKEN, 0, on, 400,
		    "Not found or no asset.view access", &sent));
		CU_ASSERT(pr_answers(none, PR_BOB_TOKEN, 0, on, 400,
		    "Not found or no asset.download access", &sent));
	}
	cache_free(c);
}

/* Does GET path answer 200 with exactly body? *sent: the statements. */
static int
pr_lists(const char *path, const char *credential, int key,
    struct answer_cache *c, const char *body, unsigned *sent)
{
	struct resp	 r;
	int		 ok;

	*sent = pr_get(path, credential, key, c, &r);
	ok = r.status == 200 && r.body.len == strlen(body) &&
	    memcmp(r.body.data, body, r.body.len) == 0;
	if (!ok)
		fprintf(stderr, "%s: %d %.*s\n", path, r.status, (int)r.body.len,
		    r.body.data ? r.body.data : "");
	resp_free(&r);
	return ok;
}

#define PR_MONTHS	"/api/timeline/buckets?visibility=timeline"
#define PR_ALICES_MAY	"[{\"timeBucket\":\"2024-05-01\",\"count\":1}]"

/* With the cache off, my own timeline's months list is the credential's
 * one statement (access.h, the timeline read), for a session and for an
 * API key, and lists what the two statements of a cache miss list: Alice's
 * photo with withPartners, nothing of hers without. */
static void
test_timeline_read_is_one_statement_with_the_cache_off(void)
{
	struct answer_cache	*c = cache_new(1 << 20);
	struct dbv		 a[3];
	unsigned		 sent;

	CU_ASSERT_EQUAL_FATAL(pr_setup(), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	a[0] = DBV_INT(1); a[1] = DBV_STR(pr.alice); a[2] = DBV_STR(pr.bob);
	CU_ASSERT_EQUAL_FATAL(db_exec(pr.db, STMT_PARTNER_UPDATE, a, 3, NULL), DB_OK);
	CU_ASSERT(pr_lists(PR_MONTHS "&withPartners=true", PR_BOB_TOKEN, 0, NULL,
	    PR_ALICES_MAY, &sent));
	CU_ASSERT_EQUAL(sent, 1);
	CU_ASSERT(pr_lists(PR_MONTHS "&withPartners=true", PR_BOB_KEY, 1, NULL,
	    PR_ALICES_MAY, &sent));
	CU_ASSERT_EQUAL(sent, 1);
	CU_ASSERT(pr_lists(PR_MONTHS "&withPartners=true", PR_BOB_TOKEN, 0, c,
	    PR_ALICES_MAY, &sent));
	CU_ASSERT_EQUAL(sent, 2);
	CU_ASSERT(pr_lists(PR_MONTHS "&withPartners=false", PR_BOB_TOKEN, 0, NULL,
	    "[]", &sent));
	CU_ASSERT_EQUAL(sent, 1);
	CU_ASSERT(pr_lists(PR_MONTHS, PR_CAROL_TOKEN, 0, NULL, "[]", &sent));
	CU_ASSERT_EQUAL(sent, 1);
	cache_free(c);
}

/* A dated share that begins after a month's first day: the month it
 * begins in is counted from that day by one more statement, for that
 * sharer alone (STMT_TIMELINE_START_MONTH); whole months need none. */
static int
pr_share_from(const char *day)
{
	struct dbv	 a[3];

	a[0] = day != NULL ? DBV_STR(day) : DBV_NULL;
	a[1] = DBV_STR(pr.alice); a[2] = DBV_STR(pr.bob);
	return db_exec(pr.db, STMT_PARTNER_SET_START, a, 3, NULL);
}

static void
test_timeline_read_counts_a_dated_shares_first_month_apart(void)
{
	struct dbv	 a[3];
	unsigned	 sent;

	CU_ASSERT_EQUAL_FATAL(pr_setup(), 0);
	a[0] = DBV_INT(1); a[1] = DBV_STR(pr.alice); a[2] = DBV_STR(pr.bob);
	CU_ASSERT_EQUAL_FATAL(db_exec(pr.db, STMT_PARTNER_UPDATE, a, 3, NULL), DB_OK);
	/* From April 20th: April shows nothing of Alice's, May all of it. */
	CU_ASSERT_EQUAL_FATAL(pr_share_from("2024-04-20"), DB_OK);
	CU_ASSERT(pr_lists(PR_MONTHS "&withPartners=true", PR_BOB_TOKEN, 0, NULL,
	    PR_ALICES_MAY, &sent));
	CU_ASSERT_EQUAL(sent, 2);
	/* From May 2nd: the photo of May 1st is before it. */
	CU_ASSERT_EQUAL(pr_share_from("2024-05-02"), DB_OK);
	CU_ASSERT(pr_lists(PR_MONTHS "&withPartners=true", PR_BOB_TOKEN, 0, NULL,
	    "[]", &sent));
	CU_ASSERT_EQUAL(sent, 2);
	/* From May 1st: whole months, the one statement. */
	CU_ASSERT_EQUAL(pr_share_from("2024-05-01"), DB_OK);
	CU_ASSERT(pr_lists(PR_MONTHS "&withPartners=true", PR_BOB_TOKEN, 0, NULL,
	    PR_ALICES_MAY, &sent));
	CU_ASSERT_EQUAL(sent, 1);
	CU_ASSERT_EQUAL(pr_share_from(NULL), DB_OK);
}

/* What the timeline read does not cover goes the usual way: another
 * user's timeline is decided by timeline.read, the favourites read their
 * own statement, a bad query is the validation's 400 after the
 * credential, and a bad credential is a 401. */
static void
test_timeline_read_leaves_other_requests_as_they_were(void)
{
	char		 path[160];
	unsigned	 sent;

	CU_ASSERT_EQUAL_FATAL(pr_setup(), 0);
	snprintf(path, sizeof(path), PR_MONTHS "&userId=%s", pr.alice);
	CU_ASSERT(pr_lists(path, PR_BOB_TOKEN, 0, NULL, PR_ALICES_MAY, &sent));
	CU_ASSERT(sent > 1);
	CU_ASSERT(pr_answers(path, PR_CAROL_TOKEN, 0, NULL, 400,
	    "Not found or no timeline.read access", &sent));
	CU_ASSERT(pr_lists(PR_MONTHS "&isFavorite=false", PR_BOB_TOKEN, 0,
	    NULL, "[]", &sent));
	CU_ASSERT(sent > 1);
	CU_ASSERT(pr_answers(PR_MONTHS "&withPartners=maybe", PR_BOB_TOKEN, 0, NULL, 400,
	    NULL, &sent));
	CU_ASSERT_EQUAL(sent, 1);
	CU_ASSERT(pr_answers(PR_MONTHS "&withPartners=true", "not-a-session", 0, NULL, 401,
	    "Invalid user token", &sent));
}

/* With the cache on, a miss is the credential and then the path read; the
 * kept answer is the credential alone. */
static void
test_path_read_is_two_statements_on_a_cache_miss(void)
{
	struct answer_cache	*c = cache_new(1 << 20);
	char			 path[128];
	unsigned		 sent;

	CU_ASSERT_EQUAL_FATAL(pr_setup(), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	snprintf(path, sizeof(path), "/api/assets/%s", pr.t);
	CU_ASSERT(pr_answers(path, PR_BOB_TOKEN, 0, c, 200, pr.t, &sent));
	CU_ASSERT_EQUAL(sent, 2);
	CU_ASSERT(pr_answers(path, PR_BOB_TOKEN, 0, c, 200, pr.t, &sent));
	CU_ASSERT_EQUAL(sent, 1);
	cache_free(c);
	db_close(pr.db);
	pr.db = NULL;
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
	ADD_TEST(s, test_mark_counts_never_drift_after_random_changes);
	ADD_TEST(s, test_month_counts_agree_with_the_rows_every_viewer_is_shown);
	ADD_TEST(s, test_a_months_bucket_equals_the_direct_one_after_random_changes);
	ADD_TEST(s, test_map_and_search_copies_never_drift_after_random_changes);
	ADD_TEST(s, test_duplicates_hidden_never_drift_after_random_changes);
	ADD_TEST(s, test_a_hidden_copy_given_another_checksum_moves_groups);
	ADD_TEST(s, test_counted_suggestions_equal_the_live_ones_for_every_viewer);
	ADD_TEST(s, test_map_reads_only_the_levels_counted);
	ADD_TEST(s, test_counted_clusters_equal_the_live_ones_for_every_viewer);
	ADD_TEST(s, test_map_reads_only_a_partners_marked_cells_live);
	ADD_TEST(s, test_counted_clusters_equal_the_live_ones_with_a_hidden_copy);
	ADD_TEST(s, test_dated_share_month_counts_equal_a_recount);
	ADD_TEST(s, test_timeline_version_moves_for_every_viewer_who_can_see_a_change);
	ADD_TEST(s, test_change_counters_follow_the_access_rule_column_by_column);
	ADD_TEST(s, test_a_mark_moves_only_its_viewers_counter);
	ADD_TEST(s, test_db_refuses_a_statement_inside_another_s_rows);
	ADD_TEST(s, test_path_read_is_one_statement_with_the_cache_off);
	ADD_TEST(s, test_path_read_refuses_what_the_rule_hides);
	ADD_TEST(s, test_timeline_read_is_one_statement_with_the_cache_off);
	ADD_TEST(s, test_timeline_read_counts_a_dated_shares_first_month_apart);
	ADD_TEST(s, test_timeline_read_leaves_other_requests_as_they_were);
	ADD_TEST(s, test_path_read_is_two_statements_on_a_cache_miss);
}
