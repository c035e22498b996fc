/*
 * test_cli.c: the administrator's commands as an admin types them:
 * partnerctl against the test stack's configuration and database (as the
 * worker's user where it writes the media tree, as the README says), and
 * partnerd --check-config on good and bad files.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "harness.h"

static char	 sharer[128], recipient[128], recipient_id[37], sharer_id[37];

static int
cli_init(void)
{
	unique_email("cli-sharer", sharer, sizeof(sharer));
	unique_email("cli-recipient", recipient, sizeof(recipient));
	return make_user(sharer, "pw-cli-12", sharer_id) != 0 ||
	    make_user(recipient, "pw-cli-12", recipient_id) != 0 ? -1 : 0;
}

/* Run a shell command; its exit status, its output (both streams) in out. */
static int
run(char *out, size_t outsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int
run(char *out, size_t outsz, const char *fmt, ...)
{
	char	 cmd[4096];
	va_list	 ap;
	size_t	 n;
	FILE	*p;
	int	 st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	n = fread(out, 1, outsz - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* partnerctl with the stack's configuration, as the worker's user. */
#define CTL	"sh '%s' ctl"
#define STACKCTL	test_env("PARTNERD_TEST_STACK")

static void
test_partnerctl_help_needs_no_database(void)
{
	char	 out[8192];

	/* A configuration that does not exist: help must not read it. */
	CU_ASSERT_EQUAL(run(out, sizeof(out), "PARTNERD_CONF=/nonexistent '%s/partnerctl' --help",
	    test_env("PARTNERD_TEST_SBIN")), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "partner add SHARER RECIPIENT"));
	CU_ASSERT_EQUAL(run(out, sizeof(out), "PARTNERD_CONF=/nonexistent '%s/partnerctl' help",
	    test_env("PARTNERD_TEST_SBIN")), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "usage: partnerctl"));
}

static void
test_partnerctl_refuses_unknown_options_and_arguments(void)
{
	char	 out[8192];

	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " user list --bogus", STACKCTL), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "usage: partnerctl"));
	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " user list extra", STACKCTL), 2);
	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " frobnicate", STACKCTL), 2);
	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " partner timeline a b maybe", STACKCTL), 2);
}

static void
test_partnerctl_refuses_a_password_the_api_refuses(void)
{
	char	 out[8192], email[128];

	unique_email("cli-short", email, sizeof(email));
	CU_ASSERT_EQUAL(run(out, sizeof(out), "printf 'x\\n' | " CTL " user add --email %s",
	    STACKCTL, email), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "at least 8 characters"));
	/* Nothing was created. */
	CU_ASSERT_PTR_NULL(login_token(email, "x"));
	CU_ASSERT_EQUAL(run(out, sizeof(out), "printf 'long-enough-1\\n' | " CTL
	    " user add --email %s", STACKCTL, email), 0);
}

/* The partner list as the API shows it to who: 1 when with_id is in it,
 * with its inTimeline and its startDate (JSON text: "null" or the day). */
static int
api_lists_with(const char *who, const char *direction, const char *id, int *in_timeline,
    char *start, size_t startsz)
{
	struct http	 h;
	char		 path[128];
	char		*token = login_token(who, "pw-cli-12");
	size_t		 i;
	int		 found = 0;

	if (token == NULL)
		return -1;
	snprintf(path, sizeof(path), "/api/partners?direction=%s", direction);
	api(token, "GET", path, NULL, &h);
	for (i = 0; h.json != NULL && i < json_object_array_length(h.json); i++) {
		struct json_object *p = json_object_array_get_idx(h.json, i);

		if (strcmp(json_object_get_string(json_object_object_get(p, "id")), id) == 0) {
			found = 1;
			if (in_timeline != NULL)
				*in_timeline = json_object_get_boolean(
				    json_object_object_get(p, "inTimeline"));
			if (start != NULL) {
				struct json_object *d = json_object_object_get(p, "startDate");

				snprintf(start, startsz, "%s", d != NULL ?
				    json_object_get_string(d) : "null");
			}
		}
	}
	http_free(&h);
	free(token);
	return found;
}

static int
api_lists(const char *who, const char *direction, const char *id, int *in_timeline)
{
	return api_lists_with(who, direction, id, in_timeline, NULL, 0);
}

/* The startDate of who's share with id, as who lists it: 0 when found. */
static int
api_start_date(const char *who, const char *id, char *out, size_t outsz)
{
	return api_lists_with(who, "shared-by", id, NULL, out, outsz) == 1 ? 0 : -1;
}

static void
test_partnerctl_partner_commands_follow_the_api(void)
{
	char	 out[8192];
	int	 on = -1;

	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " partner add %s %s", STACKCTL,
	    sharer, recipient), 0);
	CU_ASSERT_EQUAL(api_lists(sharer, "shared-by", recipient_id, NULL), 1);
	/* The API's own errors. */
	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " partner add %s %s", STACKCTL,
	    sharer, recipient), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Partner already exists"));
	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " partner add %s %s", STACKCTL,
	    sharer, sharer), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Cannot share with yourself"));
	/* The recipient decides about their timeline. */
	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " partner timeline %s %s on", STACKCTL,
	    recipient, sharer), 0);
	CU_ASSERT_EQUAL(api_lists(recipient, "shared-with", sharer_id, &on), 1);
	CU_ASSERT_EQUAL(on, 1);
	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " partner timeline %s %s on", STACKCTL,
	    sharer, recipient), 1);	/* no share that way round */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Partner not found"));
	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " partner list %s", STACKCTL, sharer), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, recipient));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "photos from all"));
	/* A share from a day on, as PATCH /api/partners/:id; "all" undoes it. */
	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " partner from %s %s 2024-03-01", STACKCTL,
	    sharer, recipient), 0);
	CU_ASSERT_EQUAL(api_start_date(sharer, recipient_id, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "2024-03-01");
	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " partner list %s", STACKCTL, sharer), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "photos from 2024-03-01"));
	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " partner from %s %s 2024-02-30", STACKCTL,
	    sharer, recipient), 2);	/* not a day: refused before anything */
	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " partner from %s %s 2024-01-01", STACKCTL,
	    recipient, sharer), 1);	/* only the sharer dates a share */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Partner not found"));
	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " partner from %s %s all", STACKCTL,
	    sharer, recipient), 0);
	CU_ASSERT_EQUAL(api_start_date(sharer, recipient_id, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "null");
	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " partner remove %s %s", STACKCTL,
	    sharer, recipient), 0);
	CU_ASSERT_EQUAL(api_lists(sharer, "shared-by", recipient_id, NULL), 0);
	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " partner remove %s %s", STACKCTL,
	    sharer, recipient), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Partner not found"));
	/* Shared again, from a day on at once. */
	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " partner add %s %s --from 2023-06-15",
	    STACKCTL, sharer, recipient), 0);
	CU_ASSERT_EQUAL(api_start_date(sharer, recipient_id, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "2023-06-15");
	CU_ASSERT_EQUAL(run(out, sizeof(out), CTL " partner remove %s %s", STACKCTL,
	    sharer, recipient), 0);
}

static void
test_partnerctl_import_as_another_user_is_refused(void)
{
	const char	*st = test_env("PARTNERD_TEST_STATE");
	char		 out[8192], media[1024];
	long		 before;

	/* Only root can run the stack as separate users, as a server does. */
	CU_ASSERT_EQUAL_FATAL(getuid(), 0);
	snprintf(media, sizeof(media), "%s/media", st);
	before = count_files(media);
	CU_ASSERT_EQUAL(run(out, sizeof(out), "'%s/partnerctl' -c '%s/partnerd.conf' import "
	    "--owner %s '%s'", test_env("PARTNERD_TEST_SBIN"), st, sharer,
	    fixture_dir(41, 2)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "belongs to uid"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "runuser -u partnerd"));
	CU_ASSERT_EQUAL(count_files(media), before);
}

static void
test_check_config_names_the_bad_line(void)
{
	const char	*st = test_env("PARTNERD_TEST_STATE");
	char		 out[8192], path[1024];
	FILE		*f;

	snprintf(path, sizeof(path), "%s/typo.conf", st);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "# a typo on line 3\nthreads = 2\nmedia_sendfile = xsendfile\n");
	fclose(f);
	CU_ASSERT_EQUAL(run(out, sizeof(out), "'%s/partnerd' --check-config -c '%s'",
	    test_env("PARTNERD_TEST_SBIN"), path), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "typo.conf:3: media_sendfile must be"));
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "media_dir = relative/media\n");
	fclose(f);
	CU_ASSERT_EQUAL(run(out, sizeof(out), "'%s/partnerd' --check-config -c '%s'",
	    test_env("PARTNERD_TEST_SBIN"), path), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "typo.conf:1: media_dir must be an absolute path"));
	/* The stack's own file is fine. */
	snprintf(path, sizeof(path), "%s/partnerd.conf", st);
	CU_ASSERT_EQUAL(run(out, sizeof(out), "'%s/partnerd' --check-config -c '%s'",
	    test_env("PARTNERD_TEST_SBIN"), path), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "configuration OK"));
}

void
suite_cli(void)
{
	CU_pSuite s = CU_add_suite("e2e: partnerctl and partnerd's own commands",
	    cli_init, NULL);

	ADD_TEST(s, test_partnerctl_help_needs_no_database);
	ADD_TEST(s, test_partnerctl_refuses_unknown_options_and_arguments);
	ADD_TEST(s, test_partnerctl_refuses_a_password_the_api_refuses);
	ADD_TEST(s, test_partnerctl_partner_commands_follow_the_api);
	ADD_TEST(s, test_partnerctl_import_as_another_user_is_refused);
	ADD_TEST(s, test_check_config_names_the_bad_line);
}
