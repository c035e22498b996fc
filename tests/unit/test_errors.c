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
}
