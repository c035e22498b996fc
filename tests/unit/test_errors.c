/* test_errors.c: every error has one mapping to HTTP. */
#include "config.h"

#include <string.h>

#include "harness.h"
#include "db.h"

static void
test_every_error_maps_to_an_http_error(void)
{
	int	 e;

	for (e = PERR_NONE + 1; e < PERR__MAX; e++) {
		CU_ASSERT(perr_status((enum perr)e) >= 400);
		CU_ASSERT(perr_status((enum perr)e) < 600);
		CU_ASSERT_PTR_NOT_NULL(perr_message((enum perr)e));
		CU_ASSERT(strlen(perr_message((enum perr)e)) > 0);
		CU_ASSERT_STRING_NOT_EQUAL(http_reason(perr_status((enum perr)e)),
		    "Unknown");
	}
}

static void
test_internal_error_has_immich_text(void)
{
	CU_ASSERT_EQUAL(perr_status(PERR_INTERNAL), 500);
	CU_ASSERT_STRING_EQUAL(perr_message(PERR_INTERNAL), "Internal server error");
	CU_ASSERT_STRING_EQUAL(perr_message(PERR_VALIDATION), "Validation failed");
	CU_ASSERT_STRING_EQUAL(perr_message(PERR_UNAUTHENTICATED),
	    "Authentication required");
}

static void
test_database_results_map_to_their_errors(void)
{
	CU_ASSERT_EQUAL(perr_from_db(DB_GONE), PERR_UNAVAILABLE);
	CU_ASSERT_EQUAL(perr_from_db(DB_CONFLICT), PERR_CONFLICT);
	CU_ASSERT_EQUAL(perr_status(perr_from_db(DB_CONFLICT)), 409);
	CU_ASSERT_EQUAL(perr_from_db(DB_ERROR), PERR_INTERNAL);
	CU_ASSERT_FALSE(db_failed(DB_NOTFOUND));
	CU_ASSERT_TRUE(db_failed(DB_ERROR));
}

/* Logs name statements: every statement has its enum name. */
static void
test_every_statement_has_a_name(void)
{
	size_t	 i;

	for (i = 0; i < STMT__MAX; i++) {
		CU_ASSERT_PTR_NOT_NULL(stmt_names[i]);
		CU_ASSERT_PTR_NOT_NULL(stmt_sql[i]);
	}
	CU_ASSERT_STRING_EQUAL(stmt_names[STMT_ASSET_GET], "STMT_ASSET_GET");
	CU_ASSERT_STRING_EQUAL(stmt_names[STMT_AUTH__KEY], "STMT_AUTH__KEY");
}

/*
 * Statements stay readable: one with more than 8 parameters names each
 * ("? AS me" in a derived table, bound once) or is an INSERT whose
 * VALUES list follows its column list; no positional soup of "(me,
 * owners, owners, me, ...)" explained by a comment. Where SQL wants a
 * placeholder itself (LIMIT, OFFSET, AGAINST's constant), or the plan
 * needs a constant to make an index range of (search's place and camera
 * filters, "? IS NULL OR col <=> NULLIF(?, '')"), it may stay.
 */
static int
unnamed_params(const char *sql)
{
	static const char *const own[] = { "LIMIT ", "OFFSET ", "AGAINST (", "NULLIF(" };
	const char	*p, *values;
	size_t		 k, len;
	int		 n = 0, named;

	values = strstr(sql, " VALUES (");
	if (strncmp(sql, "INSERT", 6) == 0 && values != NULL)
		sql = strchr(values, ')');	/* past the column-ordered list */
	for (p = sql; (p = strchr(p, '?')) != NULL; p++) {
		named = strncmp(p + 1, " AS ", 4) == 0 ||
		    strncmp(p + 1, " IS NULL OR ", 12) == 0;
		for (k = 0; k < sizeof(own) / sizeof(own[0]); k++) {
			len = strlen(own[k]);
			if ((size_t)(p - sql) >= len && strncmp(p - len, own[k], len) == 0)
				named = 1;
		}
		n += !named;
	}
	return n;
}

static void
test_long_statements_name_their_parameters(void)
{
	size_t	 i;
	int	 total;
	const char *p;

	/* the check itself sees an unnamed parameter, and passes a named one */
	CU_ASSERT_EQUAL(unnamed_params("SELECT 1 FROM t WHERE a = ? AND b = ?"), 2);
	CU_ASSERT_EQUAL(unnamed_params("SELECT 1 FROM (SELECT ? AS a) q LIMIT ?"), 0);
	CU_ASSERT_EQUAL(unnamed_params("INSERT INTO t (a, b) VALUES (?, ?)"), 0);
	for (i = 0; i < STMT__MAX; i++) {
		for (total = 0, p = stmt_sql[i]; (p = strchr(p, '?')) != NULL; p++)
			total++;
		if (total > 8 && unnamed_params(stmt_sql[i]) > 0) {
			fprintf(stderr, "%s: %d parameters, %d unnamed\n",
			    stmt_names[i], total, unnamed_params(stmt_sql[i]));
			CU_FAIL("a long statement with unnamed parameters");
		}
	}
}

static void
test_out_of_range_error_is_500(void)
{
	CU_ASSERT_EQUAL(perr_status(PERR__MAX), 500);
	CU_ASSERT_EQUAL(perr_status((enum perr)-1), 500);
}

void
suite_errors(void)
{
	CU_pSuite s = CU_add_suite("unit: errors", NULL, NULL);

	ADD_TEST(s, test_every_error_maps_to_an_http_error);
	ADD_TEST(s, test_internal_error_has_immich_text);
	ADD_TEST(s, test_out_of_range_error_is_500);
	ADD_TEST(s, test_database_results_map_to_their_errors);
	ADD_TEST(s, test_every_statement_has_a_name);
	ADD_TEST(s, test_long_statements_name_their_parameters);
}
