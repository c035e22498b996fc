/* test_errors.c: every error has one mapping to HTTP. */
#include "config.h"

#include <string.h>

#include "harness.h"

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
}
