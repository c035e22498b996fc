/* test_conf.c: the configuration file. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static char *
write_tmp(const char *text)
{
	static char	 path[64];
	int		 fd;

	snprintf(path, sizeof(path), "/tmp/partnerd-conf-XXXXXX");
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void
test_conf_defaults_are_sane(void)
{
	struct conf	 c;

	CU_ASSERT_EQUAL_FATAL(conf_defaults(&c), 0);
	CU_ASSERT_STRING_EQUAL(c.db_name, "partnerd");
	CU_ASSERT_EQUAL(c.db_port, 3306);
	CU_ASSERT_EQUAL(c.threads, 8);
	CU_ASSERT_EQUAL(c.max_json_body, 1048576);
	CU_ASSERT_EQUAL(c.log_level, LOG_LVL_INFO);
	CU_ASSERT_STRING_EQUAL(c.listen, "");
	conf_free(&c);
}

static void
test_conf_file_overrides_defaults(void)
{
	struct conf	 c;
	char		 err[256];
	char		*p = write_tmp("# comment\n\n db_name = photos \n"
	    "threads=8\nlog_level = debug\ndb_password = a b=c\n");

	conf_defaults(&c);
	CU_ASSERT_EQUAL(conf_load(&c, p, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(c.db_name, "photos");
	CU_ASSERT_EQUAL(c.threads, 8);
	CU_ASSERT_EQUAL(c.log_level, LOG_LVL_DEBUG);
	CU_ASSERT_STRING_EQUAL(c.db_password, "a b=c");
	conf_free(&c);
	unlink(p);
}

static void
test_conf_unknown_key_names_line(void)
{
	struct conf	 c;
	char		 err[256];
	char		*p = write_tmp("threads = 2\ndb_nmae = x\n");

	conf_defaults(&c);
	CU_ASSERT_EQUAL(conf_load(&c, p, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, ":2: unknown key \"db_nmae\""));
	conf_free(&c);
	unlink(p);
}

static void
test_conf_rejects_bad_numbers(void)
{
	struct conf	 c;
	char		 err[256];

	conf_defaults(&c);
	CU_ASSERT_EQUAL(conf_set(&c, "threads", "0", err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(conf_set(&c, "threads", "-1", err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(conf_set(&c, "threads", "4x", err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(conf_set(&c, "db_port", "70000", err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(conf_set(&c, "log_level", "loud", err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(c.threads, 8);
	conf_free(&c);
}

static void
test_conf_line_without_equals_is_error(void)
{
	struct conf	 c;
	char		 err[256];
	char		*p = write_tmp("threads 2\n");

	conf_defaults(&c);
	CU_ASSERT_EQUAL(conf_load(&c, p, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, ":1:"));
	conf_free(&c);
	unlink(p);
}

static void
test_conf_example_file_loads(void)
{
	struct conf	 c;
	char		 err[256], path[1024];

	snprintf(path, sizeof(path), "%s/conf/partnerd.conf.example",
	    test_env("PARTNERD_SRCDIR"));
	conf_defaults(&c);
	CU_ASSERT_EQUAL(conf_load(&c, path, err, sizeof(err)), 0);
	conf_free(&c);
}

static void
test_conf_db_host_lists_nodes_with_ports(void)
{
	struct conf	 c;
	char		 err[256], host[64];
	unsigned	 port;

	conf_defaults(&c);
	CU_ASSERT_EQUAL(conf_set(&c, "db_host", "10.0.0.1:3307, db2 ,db3:3309",
	    err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(conf_db_host_count(c.db_host), 3);
	CU_ASSERT_EQUAL(conf_db_host(c.db_host, 0, 3306, host, sizeof(host), &port), 0);
	CU_ASSERT_STRING_EQUAL(host, "10.0.0.1");
	CU_ASSERT_EQUAL(port, 3307);
	CU_ASSERT_EQUAL(conf_db_host(c.db_host, 1, 3306, host, sizeof(host), &port), 0);
	CU_ASSERT_STRING_EQUAL(host, "db2");
	CU_ASSERT_EQUAL(port, 3306);
	CU_ASSERT_EQUAL(conf_db_host(c.db_host, 2, 3306, host, sizeof(host), &port), 0);
	CU_ASSERT_EQUAL(port, 3309);
	CU_ASSERT_EQUAL(conf_db_host(c.db_host, 3, 3306, host, sizeof(host), &port), -1);
	conf_free(&c);
}

static void
test_conf_db_host_rejects_bad_entries(void)
{
	struct conf	 c;
	char		 err[256];

	conf_defaults(&c);
	CU_ASSERT_EQUAL(conf_set(&c, "db_host", "db1,,db2", err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "entry 2"));
	CU_ASSERT_EQUAL(conf_set(&c, "db_host", "db1:0", err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(conf_set(&c, "db_host", "db1:70000", err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(conf_set(&c, "db_host", "db1:33x", err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(conf_set(&c, "db_host", "db1:-1", err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(conf_set(&c, "db_causal_reads", "maybe", err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(conf_set(&c, "db_causal_reads", "on", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(conf_set(&c, "db_causal_reads", "every", err, sizeof(err)), 0);
	conf_free(&c);
}

void
suite_conf(void)
{
	CU_pSuite s = CU_add_suite("unit: conf", NULL, NULL);

	ADD_TEST(s, test_conf_defaults_are_sane);
	ADD_TEST(s, test_conf_file_overrides_defaults);
	ADD_TEST(s, test_conf_unknown_key_names_line);
	ADD_TEST(s, test_conf_rejects_bad_numbers);
	ADD_TEST(s, test_conf_line_without_equals_is_error);
	ADD_TEST(s, test_conf_example_file_loads);
	ADD_TEST(s, test_conf_db_host_lists_nodes_with_ports);
	ADD_TEST(s, test_conf_db_host_rejects_bad_entries);
}
