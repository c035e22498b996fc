/* harness.c: see harness.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ftw.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "harness.h"

static const char *
fake_param(void *io, const char *name)
{
	struct fake_req	*f = io;
	size_t		 i;

	for (i = 0; f->params[i] != NULL; i += 2)
		if (strcmp(f->params[i], name) == 0)
			return f->params[i + 1];
	return NULL;
}

static ssize_t
fake_read(void *io, char *buf, size_t n)
{
	struct fake_req	*f = io;
	size_t		 left;

	if (f->body == NULL)
		return 0;
	left = strlen(f->body) - f->off;
	if (n > left)
		n = left;
	memcpy(buf, f->body + f->off, n);
	f->off += n;
	return (ssize_t)n;
}

void
fake_run(struct fake_req *f, struct resp *resp, struct db *db)
{
	fake_run_limits(f, resp, db, NULL);
}

static void
fake_run_app(struct fake_req *f, struct resp *resp, struct db *db,
    struct limits *limits, struct answer_cache *cache)
{
	struct conf	 conf;
	struct app	 app;
	struct req	 req = { .param = fake_param, .read = fake_read, .io = f };

	memset(&app, 0, sizeof(app));
	app.limits = limits;
	app.cache = cache;
	conf_defaults(&conf);
	conf.max_json_body = 1024;
	app.conf = &conf;
	app.version = "test";
	gate_handle(&app, db, &req, resp);
	conf_free(&conf);
}

void
fake_run_limits(struct fake_req *f, struct resp *resp, struct db *db,
    struct limits *limits)
{
	fake_run_app(f, resp, db, limits, NULL);
}

void
fake_run_cache(struct fake_req *f, struct resp *resp, struct db *db,
    struct answer_cache *cache)
{
	fake_run_app(f, resp, db, NULL, cache);
}

struct json_object *
resp_body_json(const struct resp *r)
{
	return r->body.data ? json_tokener_parse(r->body.data) : NULL;
}

const char *
test_env(const char *name)
{
	const char	*v = getenv(name);

	if (v == NULL || *v == '\0') {
		fprintf(stderr, "partnerd-tests: %s is not set; run the tests "
		    "with 'make check', which starts the stack\n", name);
		exit(2);
	}
	return v;
}

static size_t
collect(char *p, size_t sz, size_t n, void *arg)
{
	struct pbuf	*b = arg;

	return pbuf_add(b, p, sz * n) == 0 ? sz * n : 0;
}

/* Perform a prepared request, collecting status, body and headers into h. */
static int
curl_run(CURL *c, struct curl_slist *hl, struct http *h)
{
	struct pbuf	 bb = { NULL, 0, 0 }, hb = { NULL, 0, 0 };
	const char	*ca = getenv("PARTNERD_TEST_TLS_CA");
	CURLcode	 rc;

	/* https: the stack's own certificate, checked (HTTP/2 by ALPN). */
	if (ca != NULL && *ca != '\0')
		curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &bb);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &hb);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &h->status);
		curl_easy_getinfo(c, CURLINFO_HTTP_VERSION, &h->version);
	}
	h->body = bb.data ? bb.data : strdup("");
	h->len = bb.len;
	h->headers = hb.data ? hb.data : strdup("");
	h->json = h->len ? json_tokener_parse(h->body) : NULL;
	return rc == CURLE_OK ? 0 : -1;
}

const char	*http_base;

int
http_do(struct http *h, const char *method, const char *path,
    const char *body, const char *const *headers)
{
	struct curl_slist	*hl = NULL;
	char			 url[1024];
	int			 has_ct = 0;
	CURL			*c;
	CURLcode		 rc;
	size_t			 i;

	memset(h, 0, sizeof(*h));
	snprintf(url, sizeof(url), "%s%s", http_base ? http_base :
	    test_env("PARTNERD_TEST_URL"), path);
	if ((c = curl_easy_init()) == NULL)
		return -1;
	for (i = 0; headers != NULL && headers[i] != NULL; i++) {
		hl = curl_slist_append(hl, headers[i]);
		if (strncasecmp(headers[i], "Content-Type:", 13) == 0)
			has_ct = 1;
	}
	if (body != NULL && !has_ct)
		hl = curl_slist_append(hl, "Content-Type: application/json");
	hl = curl_slist_append(hl, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	rc = curl_run(c, hl, h);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	return rc;
}

void
http_free(struct http *h)
{
	free(h->body);
	free(h->headers);
	if (h->json != NULL)
		json_object_put(h->json);
	memset(h, 0, sizeof(*h));
}

const char *
http_header(const struct http *h, const char *name, char *buf, size_t bufsz)
{
	const char	*p = h->headers, *e;
	size_t		 n = strlen(name), vl;

	while (p != NULL && *p != '\0') {
		e = strstr(p, "\r\n");
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			while (*p == ' ')
				p++;
			vl = e ? (size_t)(e - p) : strlen(p);
			if (vl >= bufsz)
				vl = bufsz - 1;
			memcpy(buf, p, vl);
			buf[vl] = '\0';
			return buf;
		}
		p = e ? e + 2 : NULL;
	}
	return NULL;
}

const char *
http_message(const struct http *h)
{
	struct json_object	*m;

	if (h->json == NULL || !json_object_object_get_ex(h->json, "message", &m) ||
	    !json_object_is_type(m, json_type_string))
		return "";
	return json_object_get_string(m);
}

int
stack_ctl(const char *action)
{
	char	 cmd[2048];
	int	 st;

	snprintf(cmd, sizeof(cmd), "sh '%s' %s >/dev/null 2>&1",
	    test_env("PARTNERD_TEST_STACK"), action);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * The mariadb client as root, for db_root_sql and db_root_value (%s: the
 * socket). It takes its character set from the locale when not told
 * (latin1 where none is set, as under a bare CI runner), and would store
 * the tests' UTF-8 place names as latin1 read as UTF-8.
 */
#define ROOT_CLIENT	"mariadb --no-defaults --default-character-set=utf8mb4" \
	" --socket='%s' -uroot"

int
db_root_sql(const char *sql)
{
	char	 path[1024];
	FILE	*p;
	int	 st;

	snprintf(path, sizeof(path), ROOT_CLIENT " >/dev/null",
	    test_env("PARTNERD_TEST_DB_SOCKET"));
	if ((p = popen(path, "w")) == NULL)
		return -1;
	fputs(sql, p);
	st = pclose(p);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int
db_root_value(const char *sql, char *out, size_t outsz)
{
	char	 cmd[4096];
	FILE	*p;
	int	 st;

	snprintf(cmd, sizeof(cmd), ROOT_CLIENT " -N -B",
	    test_env("PARTNERD_TEST_DB_SOCKET"));
	out[0] = '\0';
	/* The statement goes through a temporary file: popen is one-way. */
	{
		char	 tmp[] = "/tmp/partnerd-sql-XXXXXX";
		int	 fd = mkstemp(tmp);
		FILE	*f;

		if (fd < 0 || (f = fdopen(fd, "w")) == NULL)
			return -1;
		fprintf(f, "%s;\n", sql);
		fclose(f);
		snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), " < %s", tmp);
		p = popen(cmd, "r");
		if (p != NULL && fgets(out, (int)outsz, p) != NULL)
			out[strcspn(out, "\n")] = '\0';
		st = p ? pclose(p) : -1;
		unlink(tmp);
	}
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 && out[0] != '\0' ? 0 : -1;
}

long
db_count(const char *sql)
{
	char	 out[64];

	return db_root_value(sql, out, sizeof(out)) == 0 ? strtol(out, NULL, 10) : -1;
}

void
test_conf(struct conf *c, const char *dbname)
{
	char	 err[256];

	conf_defaults(c);
	conf_set(c, "db_socket", test_env("PARTNERD_TEST_DB_SOCKET"), err, sizeof(err));
	conf_set(c, "db_user", test_env("PARTNERD_TEST_DB_USER"), err, sizeof(err));
	conf_set(c, "db_password", test_env("PARTNERD_TEST_DB_PASSWORD"), err, sizeof(err));
	conf_set(c, "db_name", dbname, err, sizeof(err));
	conf_set(c, "log_level", "error", err, sizeof(err));
}

void
secret_note(const char *s)
{
	char	 path[1024];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/secrets.txt", test_env("PARTNERD_TEST_STATE"));
	if ((f = fopen(path, "a")) != NULL) {
		fprintf(f, "%s\n", s);
		fclose(f);
	}
}

const char *
bearer(char *buf, size_t bufsz, const char *token)
{
	snprintf(buf, bufsz, "Authorization: Bearer %s", token);
	return buf;
}

long
api(const char *token, const char *method, const char *path, const char *body,
    struct http *h)
{
	char		 auth[256];
	const char	*hl[2] = { bearer(auth, sizeof(auth), token), NULL };

	http_do(h, method, path, body, hl);
	return h->status;
}

long
api_status(const char *token, const char *method, const char *path, const char *body)
{
	struct http	 h;
	long		 st = api(token, method, path, body, &h);

	http_free(&h);
	return st;
}

char *
login_token(const char *email, const char *password)
{
	struct http		 h;
	struct json_object	*t;
	char			 body[512];
	char			*tok = NULL;

	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
	    email, password);
	if (http_do(&h, "POST", "/api/auth/login", body, NULL) == 0 &&
	    h.status == 201 && json_object_object_get_ex(h.json, "accessToken", &t)) {
		tok = strdup(json_object_get_string(t));
		secret_note(tok);
	}
	http_free(&h);
	return tok;
}

const char *
admin_token(void)
{
	static char	*tok;
	struct http	 h;

	if (tok != NULL)
		return tok;
	secret_note(ADMIN_PASSWORD);
	/* Signs up the admin the first time; later calls find one. */
	http_do(&h, "POST", "/api/auth/admin-sign-up",
	    "{\"email\":\"" ADMIN_EMAIL "\",\"password\":\"" ADMIN_PASSWORD
	    "\",\"name\":\"Admin\"}", NULL);
	http_free(&h);
	tok = login_token(ADMIN_EMAIL, ADMIN_PASSWORD);
	return tok;
}

int
make_user(const char *email, const char *password, char *id)
{
	struct http		 h;
	struct json_object	*v;
	char			 body[512], auth[256];
	const char		*hdr[2] = { bearer(auth, sizeof(auth), admin_token()), NULL };
	int			 rc = -1;

	secret_note(password);
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\","
	    "\"name\":\"%s\"}", email, password, email);
	if (http_do(&h, "POST", "/api/admin/users", body, hdr) == 0 &&
	    h.status == 201 && json_object_object_get_ex(h.json, "id", &v)) {
		snprintf(id, 37, "%s", json_object_get_string(v));
		rc = 0;
	}
	http_free(&h);
	return rc;
}

char *
new_user_token(const char *prefix, const char *pw, char *email, size_t esz,
    char *id)
{
	unique_email(prefix, email, esz);
	if (make_user(email, pw, id) != 0)
		return NULL;
	return login_token(email, pw);
}

const char *
unique_email(const char *prefix, char *buf, size_t bufsz)
{
	static unsigned	 n;

	snprintf(buf, bufsz, "%s-%ld-%u@example.com", prefix, (long)getpid(), ++n);
	return buf;
}

int
http_upload(struct http *h, const char *token, const char *path, const char *name,
    const char *const *fields, const char *const *headers)
{
	struct curl_slist	*hl = NULL;
	curl_mime		*mime;
	curl_mimepart		*part;
	char			 url[1024], auth[512], fname[128];
	CURL			*c;
	CURLcode		 rc;
	size_t			 i;

	memset(h, 0, sizeof(*h));
	snprintf(url, sizeof(url), "%s/api/assets", http_base ? http_base :
	    test_env("PARTNERD_TEST_URL"));
	if ((c = curl_easy_init()) == NULL)
		return -1;
	mime = curl_mime_init(c);
	part = curl_mime_addpart(mime);
	curl_mime_name(part, "assetData");
	curl_mime_filedata(part, path);
	curl_mime_filename(part, name);
	part = curl_mime_addpart(mime);
	curl_mime_name(part, "fileCreatedAt");
	curl_mime_data(part, "2023-06-01T12:00:00.000Z", CURL_ZERO_TERMINATED);
	part = curl_mime_addpart(mime);
	curl_mime_name(part, "fileModifiedAt");
	curl_mime_data(part, "2023-06-01T12:00:00.000Z", CURL_ZERO_TERMINATED);
	for (i = 0; fields != NULL && fields[i] != NULL; i++) {
		const char *eq = strchr(fields[i], '=');

		snprintf(fname, sizeof(fname), "%.*s", (int)(eq - fields[i]), fields[i]);
		part = curl_mime_addpart(mime);
		curl_mime_name(part, fname);
		curl_mime_data(part, eq + 1, CURL_ZERO_TERMINATED);
	}
	if (token != NULL) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		hl = curl_slist_append(hl, auth);
	}
	for (i = 0; headers != NULL && headers[i] != NULL; i++)
		hl = curl_slist_append(hl, headers[i]);
	hl = curl_slist_append(hl, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	rc = curl_run(c, hl, h);
	curl_slist_free_all(hl);
	curl_mime_free(mime);
	curl_easy_cleanup(c);
	return rc;
}

int
upload_id(const char *token, const char *path, char *id)
{
	struct http		 h;
	struct json_object	*v;
	const char		*name = strrchr(path, '/');
	int			 rc = -1;

	if (http_upload(&h, token, path, name ? name + 1 : path, NULL, NULL) == 0 &&
	    h.status == 201 && json_object_object_get_ex(h.json, "id", &v)) {
		snprintf(id, 37, "%s", json_object_get_string(v));
		rc = 0;
	}
	http_free(&h);
	return rc;
}

const char *
fixture_dir(unsigned seed, unsigned count)
{
	static char	 dir[1024];
	char		 cmd[2048];

	/* By seed and count: a suite asking for more photos of a seed than
	 * another made must not find that one's shorter directory. */
	snprintf(dir, sizeof(dir), "%s/fixtures/%u-%u", test_env("PARTNERD_TEST_STATE"),
	    seed, count);
	if (access(dir, F_OK) != 0) {
		snprintf(cmd, sizeof(cmd), "'%s/partnerd-mkphotos' '%s' %u %u 'f%u_'",
		    test_env("PARTNERD_TEST_BUILDDIR"), dir, count, seed, seed);
		if (system(cmd) != 0)
			return NULL;
	}
	return dir;
}

static long	 nfiles;

static int
count_cb(const char *p, const struct stat *st, int type, struct FTW *f)
{
	(void)p;
	(void)st;
	(void)f;
	if (type == FTW_F)
		nfiles++;
	return 0;
}

long
count_files(const char *dir)
{
	nfiles = 0;
	if (access(dir, F_OK) != 0)
		return 0;
	nftw(dir, count_cb, 16, FTW_PHYS);
	return nfiles;
}

/* Does the worker's log mention what? */
int
worker_logged(const char *what)
{
	char	 path[1024], line[1024];
	FILE	*f;
	int	 found = 0;

	snprintf(path, sizeof(path), "%s/log/partnerd.log", test_env("PARTNERD_TEST_STATE"));
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, what) != NULL;
	fclose(f);
	return found;
}
