/*
 * main.c: partnerd's test program. Every suite, one CUnit run, one summary.
 * "--unit" runs only the suites that need no server.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <curl/curl.h>
#include <mysql.h>

#include "crypto.h"
#include "media.h"
#include "harness.h"

int
main(int argc, char *argv[])
{
	unsigned	 failed;
	const char	*only;
	CU_pSuite	 suite;
	int		 unit_only = argc > 1 && strcmp(argv[1], "--unit") == 0;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	mysql_library_init(0, NULL, NULL);
	log_set_level(LOG_LVL_ERROR);
	if (crypto_init() != 0 || media_init(argv[0]) != 0)
		return 2;

	suite_conf();
	suite_errors();
	suite_valid();
	suite_valid_into();
	suite_gate();
	suite_cache();
	suite_sendfile_rules();
	if (!unit_only) {
		suite_db();
		suite_schema();
		suite_geodata_db();
		suite_http();
		suite_accounts();
		suite_assets();
		suite_partners();
		suite_beyond();
		suite_timeline();
		suite_search();
		suite_geodata();
		suite_map();
		suite_download();
		suite_deploy();
		suite_cli();
		suite_video();
		suite_sendfile();
		suite_modes();
		suite_hostile();
		suite_retry();
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	/* PARTNERD_TEST_SUITE="e2e: ...": that suite alone, while developing. */
	if ((only = getenv("PARTNERD_TEST_SUITE")) != NULL && *only != '\0') {
		if ((suite = CU_get_suite(only)) == NULL)
			return 2;
		CU_basic_run_suite(suite);
	} else
		CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed() +
	    CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	mysql_library_end();
	curl_global_cleanup();
	return failed ? 1 : 0;
}
