/*
 * harness.h: shared helpers for partnerd's CUnit suites.
 *
 * Unit suites drive the gate in-process with a fake request (no web
 * server). Database suites get a throwaway schema on the private MariaDB
 * that tests/check.sh started. End-to-end suites speak HTTP through the
 * real nginx to the real worker (PARTNERD_TEST_URL).
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <stddef.h>

#include <CUnit/CUnit.h>

#include "partnerd.h"

struct json_object;

/* ---- in-process requests ---------------------------------------------- */

struct fake_req {
	const char	*params[32];	/* name, value, name, value, ..., NULL */
	const char	*body;
	size_t		 off;
};

/* Run one request through gate_handle with conf defaults; fills resp. */
void	 fake_run(struct fake_req *, struct resp *, struct db *);
/* Parse resp's body as JSON (NULL if it is not); caller puts it. */
struct json_object *resp_body_json(const struct resp *);

/* ---- HTTP through nginx ------------------------------------------------ */

struct http {
	long			 status;
	char			*body;
	size_t			 len;
	char			*headers;	/* raw header block */
	struct json_object	*json;	/* parsed body or NULL */
};

/*
 * method path [body] with extra "Name: value" headers (NULL-terminated).
 * Content-Type is application/json when body is given and no header sets it.
 */
int	 http_do(struct http *, const char *method, const char *path,
	    const char *body, const char *const *headers);
void	 http_free(struct http *);
/* A response header's value (copied into buf), or NULL. */
const char *http_header(const struct http *, const char *name, char *buf,
	    size_t bufsz);
/* The "message" string of a JSON error body, or "". */
const char *http_message(const struct http *);

/* ---- the private stack ------------------------------------------------- */

const char	*test_env(const char *name);	/* required; aborts if unset */
/* Run "tests/stack.sh ACTION" against the running test stack; 0 on success. */
int		 stack_ctl(const char *action);
/* Run SQL as the test stack's MariaDB root; 0 on success. */
int		 db_root_sql(const char *sql);
/* A conf pointing at database name on the test server; caller frees. */
void		 test_conf(struct conf *, const char *dbname);

/* ---- suite registration ----------------------------------------------- */

void	 suite_conf(void);
void	 suite_errors(void);
void	 suite_valid(void);
void	 suite_gate(void);
void	 suite_db(void);
void	 suite_http(void);

#define ADD_TEST(s, f)	CU_add_test((s), #f, (f))

#endif
