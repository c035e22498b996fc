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
struct limits;

/* ---- in-process requests ---------------------------------------------- */

struct fake_req {
	const char	*params[32];	/* name, value, name, value, ..., NULL */
	const char	*body;
	size_t		 off;
};

/* Run one request through gate_handle with conf defaults; fills resp. */
void	 fake_run(struct fake_req *, struct resp *, struct db *);
/* The same with the worker's shared slots (limits.h). */
void	 fake_run_limits(struct fake_req *, struct resp *, struct db *,
	    struct limits *);
/* The same with an answers cache (cache.h), as answer_cache > 0 makes. */
struct answer_cache;
void	 fake_run_cache(struct fake_req *, struct resp *, struct db *,
	    struct answer_cache *);
/* Parse resp's body as JSON (NULL if it is not); caller puts it. */
struct json_object *resp_body_json(const struct resp *);

/* ---- HTTP through nginx ------------------------------------------------ */

/* The base URL requests go to: NULL means PARTNERD_TEST_URL (nginx). */
extern const char *http_base;

struct http {
	long			 status;
	char			*body;
	size_t			 len;
	char			*headers;	/* raw header block */
	struct json_object	*json;	/* parsed body or NULL */
	long			 version;	/* CURL_HTTP_VERSION_1_1, _2_0 */
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
/* Run a query as root; its first value into out. 0 on success. */
int		 db_root_value(const char *sql, char *out, size_t outsz);
/* The same value as a number (a COUNT(*)), or -1 when there is none. */
long		 db_count(const char *sql);
/* A conf pointing at database name on the test server; caller frees. */
void		 test_conf(struct conf *, const char *dbname);

/* ---- assets -------------------------------------------------------------- */

/*
 * POST /api/assets as multipart with the file at path (sent as name), the
 * two required dates and NULL-terminated "field=value" extras.
 */
int		 http_upload(struct http *, const char *token, const char *path,
		    const char *name, const char *const *fields,
		    const char *const *headers);
/* Upload and return the new asset's id in id (37 bytes); 0 on 201. */
int		 upload_id(const char *token, const char *path, char *id);
/* A directory of COUNT fresh JPEGs with EXIF (made once per seed and count). */
const char	*fixture_dir(unsigned seed, unsigned count);
/* Regular files below dir (recursively). */
long		 count_files(const char *dir);

/* ---- accounts ---------------------------------------------------------- */

/* Remember a secret the suites used; check.sh greps every log for them. */
void		 secret_note(const char *);
/* "Authorization: Bearer TOKEN" in buf. */
const char	*bearer(char *buf, size_t bufsz, const char *token);
/* method path [body] as the holder of token; returns the status. */
long		 api(const char *token, const char *method, const char *path,
		    const char *body, struct http *);
/* The same when only the status matters. */
long		 api_status(const char *token, const char *method, const char *path,
		    const char *body);
/* Log in; returns a new token (caller frees) or NULL. */
char		*login_token(const char *email, const char *password);
/* The admin's token: signs the admin up on first use. Do not free. */
const char	*admin_token(void);
/* Create a user as admin; fills id (37 bytes). 0 on success. */
int		 make_user(const char *email, const char *password, char *id);
/* A new user (email from prefix, password pw) signed in: the token
 * (caller frees), or NULL. Fills email and id (37 bytes). */
char		*new_user_token(const char *prefix, const char *pw, char *email,
		    size_t esz, char *id);
/* A fresh unique email with prefix, e.g. "dave-17-3@example.com". */
const char	*unique_email(const char *prefix, char *buf, size_t bufsz);
/* Does a line of the worker's log (the test stack's) contain what? */
int		 worker_logged(const char *what);

#define ADMIN_EMAIL	"admin@example.com"
#define ADMIN_PASSWORD	"admin-secret-pw"

/* ---- suite registration ----------------------------------------------- */

void	 suite_conf(void);
void	 suite_errors(void);
void	 suite_valid(void);
void	 suite_valid_into(void);
void	 suite_gate(void);
void	 suite_cache(void);
void	 suite_sendfile_rules(void);
void	 suite_db(void);
void	 suite_schema(void);
void	 suite_cli(void);
void	 suite_video(void);
void	 suite_sendfile(void);
void	 suite_http(void);
void	 suite_accounts(void);
void	 suite_modes(void);
void	 suite_assets(void);
void	 suite_partners(void);
void	 suite_beyond(void);
void	 suite_timeline(void);
void	 suite_search(void);
void	 suite_download(void);
void	 suite_deploy(void);
void	 suite_hostile(void);
void	 suite_retry(void);
void	 suite_geodata_db(void);
void	 suite_geodata(void);
void	 suite_map(void);

#define ADD_TEST(s, f)	CU_add_test((s), #f, (f))

#endif
