/*
 * test_deploy.c: the same end-to-end smoke (login, partners, timeline, an
 * upload, the original downloaded through the web server, the web server's
 * own errors as JSON) against each shipped configuration: nginx, Apache +
 * mod_fcgid and Apache + mod_proxy_fcgi, started by tests/stack.sh from the
 * files in conf/ with only paths and ports substituted, and nginx's site over
 * HTTPS with its commented TLS lines turned on (HTTP/2, where the browser's
 * Origin and the host come from the request's :authority). And a worker
 * killed under load: mod_fcgid starts another, and no request after that
 * fails.
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "harness.h"

struct server {
	const char	*name;
	const char	*env;	/* its base URL's variable */
};

static const struct server servers[] = {
	{ "nginx", "PARTNERD_TEST_URL" },
	{ "Apache + mod_fcgid", "PARTNERD_APACHE_FCGID_URL" },
	{ "Apache + mod_proxy_fcgi", "PARTNERD_APACHE_PROXY_URL" },
	{ "nginx over HTTPS", "PARTNERD_TEST_TLS_URL" },
};

static char	 sharer_email[128], sharer_id[37], viewer_id[37], viewer_email[128];
static const char *photos;

static int
deploy_init(void)
{
	unique_email("smoke-sharer", sharer_email, sizeof(sharer_email));
	unique_email("smoke-viewer", viewer_email, sizeof(viewer_email));
	if (make_user(sharer_email, "pw-smoke-1", sharer_id) != 0 ||
	    make_user(viewer_email, "pw-smoke-1", viewer_id) != 0)
		return -1;
	return (photos = fixture_dir(17, 6)) == NULL ? -1 : 0;
}

static void
cell(int ok, const char *server, const char *what)
{
	char	 msg[256];

	snprintf(msg, sizeof(msg), "%s: %s", server, what);
	CU_assertImplementation(ok, __LINE__, msg, __FILE__, "", CU_FALSE);
}

/* The whole smoke against one server. */
static void
smoke(const struct server *sv, int n)
{
	struct http	 h;
	char		 auth[256], path[1024], id[37] = "", body[128];
	const char	*hl[2];
	char		*token;
	FILE		*f;
	char		*data;
	long		 len;

	http_base = test_env(sv->env);
	http_do(&h, "GET", "/api/server/ping", NULL, NULL);
	cell(h.status == 200 && strcmp(h.body, "{\"res\":\"pong\"}") == 0, sv->name, "ping");
	http_free(&h);
	token = login_token(sharer_email, "pw-smoke-1");
	cell(token != NULL, sv->name, "login");
	if (token == NULL) {
		http_base = NULL;
		return;
	}
	hl[0] = bearer(auth, sizeof(auth), token);
	hl[1] = NULL;
	/* Share with the viewer (once: later servers find it there). */
	snprintf(body, sizeof(body), "{\"sharedWithId\":\"%s\"}", viewer_id);
	http_do(&h, "POST", "/api/partners", body, hl);
	cell(h.status == 201 || (h.status == 400 &&
	    strcmp(http_message(&h), "Partner already exists") == 0), sv->name, "share");
	http_free(&h);
	http_do(&h, "GET", "/api/partners?direction=shared-by", NULL, hl);
	cell(h.status == 200 && strstr(h.body, viewer_id) != NULL, sv->name, "list partners");
	http_free(&h);
	/* An upload streamed through this server. */
	snprintf(path, sizeof(path), "%s/f17_%04d.jpg", photos, n);
	cell(upload_id(token, path, id) == 0, sv->name, "upload");
	http_do(&h, "GET", "/api/timeline/buckets", NULL, hl);
	cell(h.status == 200 && json_object_is_type(h.json, json_type_array) &&
	    json_object_array_length(h.json) > 0, sv->name, "timeline");
	http_free(&h);
	/* The original, sent by the web server itself. */
	snprintf(body, sizeof(body), "/api/assets/%s/original", id);
	http_do(&h, "GET", body, NULL, hl);
	if ((f = fopen(path, "rb")) == NULL) {
		cell(0, sv->name, "the upload's photo is there to compare");
		http_free(&h);
		free(token);
		http_base = NULL;
		return;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	data = malloc((size_t)len);
	cell(fread(data, 1, (size_t)len, f) == (size_t)len && h.status == 200 &&
	    h.len == (size_t)len && memcmp(h.body, data, (size_t)len) == 0,
	    sv->name, "download the original through the web server");
	fclose(f);
	free(data);
	http_free(&h);
	/* The worker's errors and the web server's own, as JSON. */
	http_do(&h, "GET", "/api/no/such/thing", NULL, hl);
	cell(h.status == 404 && strcmp(http_message(&h), "Cannot GET /api/no/such/thing") == 0,
	    sv->name, "the worker's 404");
	http_free(&h);
	http_do(&h, "GET", "/assets/no-such-file.js", NULL, NULL);
	cell(h.status == 404 && h.json != NULL && strcmp(http_message(&h), "Not Found") == 0,
	    sv->name, "the web server's 404 as JSON");
	http_free(&h);
	/* The web app: its own paths answer its index page. */
	http_do(&h, "GET", "/partners/someone", NULL, NULL);
	cell(h.status == 200 && h.body != NULL && strstr(h.body, "<div id=\"app\">") != NULL,
	    sv->name, "the web app's index for its own paths");
	http_free(&h);
	free(token);
	http_base = NULL;
}

static void test_smoke_nginx(void) { smoke(&servers[0], 1); }
static void test_smoke_apache_mod_fcgid(void) { smoke(&servers[1], 2); }
static void test_smoke_apache_mod_proxy_fcgi(void) { smoke(&servers[2], 3); }
static void test_smoke_nginx_https(void) { smoke(&servers[3], 4); }

static void
test_https_speaks_http2(void)
{
	struct http	 h;

	http_base = test_env("PARTNERD_TEST_TLS_URL");
	http_do(&h, "GET", "/api/server/ping", NULL, NULL);
	CU_ASSERT_EQUAL(h.status, 200);
	CU_ASSERT_EQUAL(h.version, CURL_HTTP_VERSION_2_0);
	http_free(&h);
	http_do(&h, "GET", "/photos", NULL, NULL);
	CU_ASSERT_EQUAL(h.version, CURL_HTTP_VERSION_2_0);
	CU_ASSERT_PTR_NOT_NULL(strstr(h.body, "<div id=\"app\">"));
	http_free(&h);
	http_base = NULL;
}

/*
 * The web app's writes are cookie-authenticated and checked against their
 * Origin; over HTTP/2 the host the check compares with comes from the
 * request's :authority. The viewer turns Show in timeline on and off.
 */
static long
cookie_put_in_timeline(const char *token, const char *origin, int on)
{
	struct http	 h;
	char		 cookie[512], org[300], path[128];
	const char	*hl[3] = { cookie, org, NULL };
	long		 st;

	snprintf(cookie, sizeof(cookie), "Cookie: immich_access_token=%s", token);
	snprintf(org, sizeof(org), "Origin: %s", origin);
	snprintf(path, sizeof(path), "/api/partners/%s", sharer_id);
	http_do(&h, "PUT", path, on ? "{\"inTimeline\":true}" : "{\"inTimeline\":false}", hl);
	st = h.status;
	http_free(&h);
	return st;
}

static long
in_timeline_rows(void)
{
	char	 sql[256];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM partnerd.partners WHERE "
	    "shared_by_id = '%s' AND shared_with_id = '%s' AND in_timeline = 1",
	    sharer_id, viewer_id);
	return db_count(sql);
}

static void
test_https_cookie_writes_check_origin(void)
{
	const char	*tls = test_env("PARTNERD_TEST_TLS_URL");
	char		*token;

	http_base = tls;
	token = login_token(viewer_email, "pw-smoke-1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(token);
	/* The smoke above shared the sharer's library with the viewer. */
	CU_ASSERT_EQUAL(cookie_put_in_timeline(token, tls, 1), 200);
	CU_ASSERT_EQUAL(in_timeline_rows(), 1);
	/* Another site, and the same host over plain HTTP: other origins. */
	CU_ASSERT_EQUAL(cookie_put_in_timeline(token, "https://evil.example", 0), 403);
	CU_ASSERT_EQUAL(cookie_put_in_timeline(token, test_env("PARTNERD_TEST_URL"), 0), 403);
	CU_ASSERT_EQUAL(in_timeline_rows(), 1);
	CU_ASSERT_EQUAL(cookie_put_in_timeline(token, tls, 0), 200);
	CU_ASSERT_EQUAL(in_timeline_rows(), 0);
	free(token);
	http_base = NULL;
}

/* ---- a worker killed under load ---------------------------------------- */

struct load {
	volatile int	 stop;
	long		 sent, failed_after;
	volatile int	 killed;
};

static void *
load_loop(void *arg)
{
	struct load	*l = arg;
	struct http	 h;

	while (!l->stop) {
		http_do(&h, "GET", "/api/server/version", NULL, NULL);
		l->sent++;
		/* A request cut off by the kill itself may fail; after it, none. */
		if (l->killed > 1 && h.status != 200)
			l->failed_after++;
		http_free(&h);
	}
	return NULL;
}

static void
test_mod_fcgid_replaces_a_killed_worker(void)
{
	struct load	 l;
	pthread_t	 t[4];
	char		 cmd[1024];
	int		 i, st;

	memset(&l, 0, sizeof(l));
	http_base = test_env("PARTNERD_APACHE_FCGID_URL");
	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, load_loop, &l);
	sleep(1);
	/* kill -9 one worker mod_fcgid started (they run without arguments). */
	snprintf(cmd, sizeof(cmd), "pkill -9 -o -f '^%s/partnerd$'",
	    test_env("PARTNERD_TEST_SBIN"));
	st = system(cmd);
	l.killed = 1;
	sleep(2);	/* mod_fcgid notices, and starts another when needed */
	l.killed = 2;
	sleep(3);
	l.stop = 1;
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	http_base = NULL;
	CU_ASSERT_EQUAL(st, 0);	/* there was a worker to kill */
	CU_ASSERT(l.sent > 100);
	CU_ASSERT_EQUAL(l.failed_after, 0);
	/* And the workers serve on. */
	http_base = test_env("PARTNERD_APACHE_FCGID_URL");
	{
		struct http h;

		http_do(&h, "GET", "/api/server/ping", NULL, NULL);
		CU_ASSERT_EQUAL(h.status, 200);
		http_free(&h);
	}
	http_base = NULL;
}

static int
sh_status(const char *cmd)
{
	int	 st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
test_partnerctl_creates_a_row_only_database_account(void)
{
	const char	*st = test_env("PARTNERD_TEST_STATE");
	const char	*sock = test_env("PARTNERD_TEST_DB_SOCKET");
	char		 conf[1024], cmd[4096], line[256], pw[128] = "";
	FILE		*f, *p;

	/* As the database's root (the migration account's role). */
	snprintf(conf, sizeof(conf), "%s/root.conf", st);
	f = fopen(conf, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "db_socket = %s\ndb_user = root\ndb_name = partnerd\nlog_level = error\n", sock);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "'%s/partnerctl' -c '%s' db-user partnerd_rt",
	    test_env("PARTNERD_TEST_BUILDDIR"), conf);
	p = popen(cmd, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	while (fgets(line, sizeof(line), p) != NULL)
		if (sscanf(line, "db_password = %127s", pw) == 1)
			secret_note(pw);
	CU_ASSERT_EQUAL(pclose(p), 0);
	CU_ASSERT_EQUAL_FATAL(strlen(pw), 43);
	/* Rows: yes. Schema: no. */
	snprintf(cmd, sizeof(cmd), "MYSQL_PWD='%s' mariadb --no-defaults --socket='%s' "
	    "-u partnerd_rt -e 'SELECT COUNT(*) FROM partnerd.users' >/dev/null 2>&1", pw, sock);
	CU_ASSERT_EQUAL(sh_status(cmd), 0);
	snprintf(cmd, sizeof(cmd), "MYSQL_PWD='%s' mariadb --no-defaults --socket='%s' "
	    "-u partnerd_rt -e 'CREATE TABLE partnerd.x (a INT)' >/dev/null 2>&1", pw, sock);
	CU_ASSERT_NOT_EQUAL(sh_status(cmd), 0);
	snprintf(cmd, sizeof(cmd), "MYSQL_PWD='%s' mariadb --no-defaults --socket='%s' "
	    "-u partnerd_rt -e 'DROP TABLE partnerd.users' >/dev/null 2>&1", pw, sock);
	CU_ASSERT_NOT_EQUAL(sh_status(cmd), 0);
	/* Names that could break out of the statement are refused. */
	snprintf(cmd, sizeof(cmd), "'%s/partnerctl' -c '%s' db-user \"x'; DROP USER root; --\" "
	    ">/dev/null 2>&1", test_env("PARTNERD_TEST_BUILDDIR"), conf);
	CU_ASSERT_EQUAL(sh_status(cmd), 2);
}

void
suite_deploy(void)
{
	CU_pSuite s = CU_add_suite("e2e: the shipped nginx and Apache configurations",
	    deploy_init, NULL);

	ADD_TEST(s, test_smoke_nginx);
	ADD_TEST(s, test_smoke_apache_mod_fcgid);
	ADD_TEST(s, test_smoke_apache_mod_proxy_fcgi);
	ADD_TEST(s, test_smoke_nginx_https);
	ADD_TEST(s, test_https_speaks_http2);
	ADD_TEST(s, test_https_cookie_writes_check_origin);
	ADD_TEST(s, test_mod_fcgid_replaces_a_killed_worker);
	ADD_TEST(s, test_partnerctl_creates_a_row_only_database_account);
}
