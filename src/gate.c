/*
 * gate.c: the one path every request takes (STYLE.md, practice 1), each
 * step driven by the route's entry in the table (routes.c):
 *
 *   gate_route        size limits 413, path then method 404 / 405
 *   auth_check        the credential 401: one statement that also reads
 *                     the caller's change counter (and, where the route
 *                     reads the asset its path names, that access and
 *                     that row, or my timeline's owners and months:
 *                     access.h, credential reads)
 *   auth_permission   the API key's permission, admin routes 403
 *   gate_csrf         a cookie's cross-site write 403
 *   gate_body         the JSON body 400 / 413 / 415
 *   gate_validate     path, query and body against the route's specs 400
 *   route->check      what the specs cannot say
 *   access_route      the route's declared access requirements 400 (and
 *                     its path read, if the credential's did not)
 *   answers_open      cached routes: 304, or the kept answer
 *   gate_slots        shared slots 503 (uploads, password hashes)
 *   route->handler    typed input, plain statements, the DTO
 *   answers_keep      cached routes: the ETag, and the answer kept
 *
 * Error bodies and the common headers are written here and nowhere else.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include <json-c/json.h>

#include "partnerd.h"
#include "access.h"
#include "answers.h"
#include "auth.h"
#include "db.h"
#include "slots.h"
#include "valid.h"

const char *const method_names[METHOD__MAX] = {
	"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
};

enum perr
ctx_fail(struct ctx *ctx, enum perr err, const char *fmt, ...)
{
	va_list	 ap;

	ctx->err = err;
	va_start(ap, fmt);
	vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

/* A block of per-request memory: the list ctx_mem_free walks. */
struct ctx_mem {
	struct ctx_mem	*next;
	max_align_t	 data[];
};

void *
ctx_alloc(struct ctx *ctx, size_t n)
{
	struct ctx_mem	*m;

	if (n > SIZE_MAX - sizeof(*m) || (m = calloc(1, sizeof(*m) + n)) == NULL)
		return NULL;
	m->next = ctx->mem;
	ctx->mem = m;
	return m->data;
}

const struct db_row *
ctx_keep_row(struct ctx *ctx, const struct db_row *row, size_t skip)
{
	struct db_row	*r;
	const char	**val;
	unsigned long	*len;
	char		*p;
	size_t		 i, n, bytes = 0;

	if (skip > row->ncol)
		return NULL;
	n = row->ncol - skip;
	for (i = skip; i < row->ncol; i++)
		if (row->val[i] != NULL)
			bytes += row->len[i] + 1;
	if ((r = ctx_alloc(ctx, sizeof(*r) + n * (sizeof(*val) + sizeof(*len)) +
	    bytes)) == NULL)
		return NULL;
	val = (const char **)(r + 1);
	len = (unsigned long *)(val + n);
	p = (char *)(len + n);
	for (i = 0; i < n; i++) {
		len[i] = row->len[skip + i];
		if (row->val[skip + i] == NULL)
			continue;
		memcpy(p, row->val[skip + i], len[i]);
		p[len[i]] = '\0';
		val[i] = p;
		p += len[i] + 1;
	}
	r->ncol = n;
	r->val = val;
	r->len = len;
	return r;
}

void
ctx_mem_free(struct ctx *ctx)
{
	struct ctx_mem	*m;

	while ((m = ctx->mem) != NULL) {
		ctx->mem = m->next;
		free(m);
	}
	ctx->in = NULL;
}

enum perr
ctx_invalid(struct ctx *ctx, const char *field, const char *code,
    const char *message)
{
	struct json_object	*issue, *path;

	if (ctx->errors == NULL)
		ctx->errors = json_object_new_array();
	issue = json_object_new_object();
	path = json_object_new_array();
	if (field != NULL)
		json_object_array_add(path, json_object_new_string(field));
	json_object_object_add(issue, "code", json_object_new_string(code));
	json_object_object_add(issue, "path", path);
	json_object_object_add(issue, "message", json_object_new_string(message));
	json_object_array_add(ctx->errors, issue);
	return PERR_VALIDATION;
}

/* A correlation id: the web server's request id if sane, else 128 random bits. */
static void
make_cid(struct ctx *ctx)
{
	const char	*rid = req_param(ctx->req, "PARTNERD_REQUEST_ID");
	unsigned char	 rnd[16];
	size_t		 i, n;

	if (rid != NULL && (n = strlen(rid)) > 0 && n < sizeof(ctx->cid) &&
	    strspn(rid, "0123456789abcdefABCDEF-") == n) {
		memcpy(ctx->cid, rid, n + 1);
		return;
	}
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		memset(rnd, 0, sizeof(rnd));
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(ctx->cid + 2 * i, 3, "%02x", rnd[i]);
}

static int
parse_method(const char *s)
{
	int	 i;

	for (i = 0; s != NULL && i < METHOD__MAX; i++)
		if (strcmp(s, method_names[i]) == 0)
			return i;
	return -1;
}

/* Does path match pattern? Fills ctx->params with ":x" segments. */
static int
route_match(struct ctx *ctx, const char *pattern, const char *path)
{
	const char	*p = pattern, *s = path, *pe, *se;
	size_t		 np = 0, n;

	for (;;) {
		if (*p == '\0' || *s == '\0')
			return *p == *s && (ctx->nparams = np, 1);
		if (*p != '/' || *s != '/')
			return 0;
		p++, s++;
		pe = p + strcspn(p, "/");
		se = s + strcspn(s, "/");
		if (*p == ':') {
			n = (size_t)(se - s);
			if (n == 0 || n >= sizeof(ctx->params[0]) || np >= CTX_MAX_PARAMS)
				return 0;
			memcpy(ctx->params[np], s, n);
			ctx->params[np++][n] = '\0';
		} else if (pe - p != se - s || strncmp(p, s, (size_t)(pe - p)) != 0)
			return 0;
		p = pe, s = se;
	}
}

/* Steps 1 and 2: limits, path, method. */
static enum perr
gate_route(struct ctx *ctx, long long *clen)
{
	const struct conf	*c = ctx->app->conf;
	const char		*uri, *q, *cl, *m;
	char			 allow[128] = "";
	size_t			 i, n;
	int			 method, any = 0;
	char			*end;

	m = req_param(ctx->req, "REQUEST_METHOD");
	method = parse_method(m);
	cl = req_param(ctx->req, "CONTENT_LENGTH");
	*clen = 0;
	if (cl != NULL && *cl != '\0') {
		errno = 0;
		*clen = strtoll(cl, &end, 10);
		if (errno != 0 || *end != '\0' || *clen < 0)
			return ctx_fail(ctx, PERR_BAD_REQUEST, "Invalid Content-Length");
	}
	if ((unsigned long long)*clen > (c->max_upload > c->max_json_body ?
	    c->max_upload : c->max_json_body))
		return PERR_TOO_LARGE;

	uri = req_param(ctx->req, "REQUEST_URI");
	if (uri == NULL)
		uri = "/";
	q = strchr(uri, '?');
	n = q ? (size_t)(q - uri) : strlen(uri);
	ctx->query = q ? q + 1 : "";
	if (n >= sizeof(ctx->path))
		return ctx_fail(ctx, PERR_NOT_FOUND, "Cannot %s %s",
		    m ? m : "GET", "(path too long)");
	memcpy(ctx->path, uri, n);
	ctx->path[n] = '\0';
	/* Trailing slash is the same route, as in Express. */
	if (n > 1 && ctx->path[n - 1] == '/')
		ctx->path[n - 1] = '\0';

	for (i = 0; i < nroutes; i++) {
		if (!route_match(ctx, routes[i].pattern, ctx->path))
			continue;
		any = 1;
		if ((int)routes[i].method == method ||
		    (method == METHOD_HEAD && routes[i].method == METHOD_GET)) {
			ctx->route = &routes[i];
			ctx->method = (enum method)method;
			return PERR_NONE;
		}
		if (strstr(allow, method_names[routes[i].method]) == NULL)
			snprintf(allow + strlen(allow), sizeof(allow) - strlen(allow),
			    "%s%s", allow[0] ? ", " : "",
			    method_names[routes[i].method]);
	}
	if (!any) {
		/* The message is JSON: bytes that are not UTF-8 become '?'. */
		char	 shown[sizeof(ctx->path)];

		snprintf(shown, sizeof(shown), "%s", ctx->path);
		if (!valid_utf8(shown, strlen(shown)))
			for (i = 0; shown[i] != '\0'; i++)
				if ((unsigned char)shown[i] >= 0x80)
					shown[i] = '?';
		return ctx_fail(ctx, PERR_NOT_FOUND, "Cannot %s %s",
		    method >= 0 ? method_names[method] : "GET", shown);
	}
	resp_header(ctx->resp, "Allow", allow);
	return PERR_METHOD;
}

/* Is the content type JSON (application/json or anything +json)? */
static int
is_json_type(const char *ct)
{
	size_t	 n;

	if (ct == NULL)
		return 0;
	n = strcspn(ct, ";");
	while (n > 0 && ct[n - 1] == ' ')
		n--;
	return (n == 16 && strncasecmp(ct, "application/json", 16) == 0) ||
	    (n > 5 && strncasecmp(ct + n - 5, "+json", 5) == 0);
}

/* Step 4a: read and parse a JSON body, bounded in size and depth. */
static enum perr
gate_body(struct ctx *ctx, long long clen)
{
	const struct conf	*c = ctx->app->conf;
	const char		*ct = req_param(ctx->req, "CONTENT_TYPE");
	struct json_tokener	*tok;
	enum json_tokener_error	 jerr;
	struct pbuf		 buf = { NULL, 0, 0 };
	char			 chunk[8192];
	ssize_t			 got;
	size_t			 i;
	enum perr		 rc = PERR_NONE;

	if (clen == 0)
		return PERR_NONE;
	ctx->body_sent = 1;
	if ((size_t)clen > c->max_json_body)
		return PERR_TOO_LARGE;
	while (buf.len < (size_t)clen) {
		got = ctx->req->read(ctx->req->io, chunk, sizeof(chunk));
		if (got <= 0)
			break;
		if (buf.len + (size_t)got > c->max_json_body) {
			pbuf_free(&buf);
			return PERR_TOO_LARGE;
		}
		if (pbuf_add(&buf, chunk, (size_t)got) == -1) {
			pbuf_free(&buf);
			return PERR_INTERNAL;
		}
	}
	if (buf.len != (size_t)clen) {
		pbuf_free(&buf);
		return ctx_fail(ctx, PERR_BAD_REQUEST, "Incomplete request body");
	}
	/*
	 * Like Express's JSON parser, a JSON body is parsed on every route;
	 * other media types are refused where a route wants a body.
	 */
	if (!is_json_type(ct)) {
		pbuf_free(&buf);
		return ctx->route->body != NULL ? ctx_fail(ctx, PERR_MEDIA_TYPE,
		    "Content-Type must be application/json") : PERR_NONE;
	}
	if ((tok = json_tokener_new_ex((int)c->json_max_depth)) == NULL) {
		pbuf_free(&buf);
		return PERR_INTERNAL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	ctx->body = json_tokener_parse_ex(tok, buf.data, (int)buf.len);
	jerr = json_tokener_get_error(tok);
	if (ctx->body == NULL || jerr != json_tokener_success)
		rc = ctx_fail(ctx, PERR_BAD_REQUEST, "%s",
		    jerr == json_tokener_error_depth ?
		    "JSON body is nested too deeply" : "Malformed JSON body");
	else
		for (i = json_tokener_get_parse_end(tok); i < buf.len; i++)
			if (strchr(" \t\r\n", buf.data[i]) == NULL) {
				rc = ctx_fail(ctx, PERR_BAD_REQUEST,
				    "Malformed JSON body");
				break;
			}
	json_tokener_free(tok);
	pbuf_free(&buf);
	return rc;
}

/* Step 4b: path parameters, query string and body against the route's specs. */
static enum perr
gate_validate(struct ctx *ctx)
{
	const struct route	*r = ctx->route;
	enum perr		 rc = PERR_NONE;
	size_t			 i, size;
	int			 e;

	/* Every ":x" parameter in partnerd's API is a version-4 UUID. */
	for (i = 0; i < ctx->nparams; i++)
		if (!valid_uuid4(ctx->params[i]))
			rc = ctx_invalid(ctx, "id", "invalid_format", "Invalid UUID");
		else
			valid_uuid_lower(ctx->params[i]);
	if ((ctx->qs = valid_parse_query(ctx, ctx->query)) == NULL)
		return ctx->errors ? PERR_VALIDATION : PERR_INTERNAL;
	/* The route's input struct: both specs write into the one struct. */
	size = r->query != NULL ? valid_spec_size(r->query) : 0;
	if (r->body != NULL && valid_spec_size(r->body) > size)
		size = valid_spec_size(r->body);
	if (size > 0 && (ctx->in = ctx_alloc(ctx, size)) == NULL)
		return PERR_INTERNAL;
	if (r->query != NULL &&
	    (e = valid_into(ctx, r->query, ctx->qs, 1, ctx->in)) != PERR_NONE) {
		if (e == PERR_INTERNAL)
			return e;
		rc = PERR_VALIDATION;
	}
	if (r->body != NULL) {
		/* No body at all is an empty object, as Express hands it on. */
		if (ctx->body == NULL && !ctx->body_sent)
			ctx->body = json_object_new_object();
		if ((e = valid_into(ctx, r->body, ctx->body, 0, ctx->in)) != PERR_NONE) {
			if (e == PERR_INTERNAL)
				return e;
			rc = PERR_VALIDATION;
		}
	}
	return rc;
}

/* Does the authority (host[:port]) equal the header value's first item? */
static int
same_authority(const char *authority, size_t n, const char *header)
{
	size_t	 hl;

	if (header == NULL)
		return 0;
	while (*header == ' ')
		header++;
	hl = strcspn(header, ", ");
	return hl == n && strncasecmp(authority, header, n) == 0;
}

/*
 * Step 3b. The browser sends the cookie with every request to this server,
 * whichever page made it: a state-changing request authenticated by the
 * cookie must come from this server's own pages. Origin names the page's
 * origin, compared with the Host the client asked for (PARTNERD_HOST from
 * nginx, whose Debian fastcgi_params drop the port from HTTP_HOST; or the
 * forwarded host a proxy in front passes); without Origin, Sec-Fetch-Site must say
 * same-origin or none (typed or bookmarked). A request with neither is
 * refused: every browser that matters sends one. Header tokens and API keys
 * are never attached by a browser on its own, so they are unaffected.
 */
static enum perr
gate_csrf(struct ctx *ctx)
{
	const char	*o, *a, *site;
	size_t		 n;

	if (!ctx->cred_cookie || ctx->method == METHOD_GET ||
	    ctx->method == METHOD_HEAD || ctx->method == METHOD_OPTIONS)
		return PERR_NONE;
	if ((o = req_param(ctx->req, "HTTP_ORIGIN")) != NULL) {
		if ((a = strstr(o, "://")) != NULL) {
			a += 3;
			n = strcspn(a, "/");
			if (a[n] == '\0' && n > 0 &&
			    (same_authority(a, n, req_param(ctx->req, "PARTNERD_HOST")) ||
			    same_authority(a, n, req_param(ctx->req, "HTTP_HOST")) ||
			    same_authority(a, n,
			    req_param(ctx->req, "HTTP_X_FORWARDED_HOST"))))
				return PERR_NONE;
		}
	} else if ((site = req_param(ctx->req, "HTTP_SEC_FETCH_SITE")) != NULL &&
	    (strcmp(site, "same-origin") == 0 || strcmp(site, "none") == 0))
		return PERR_NONE;
	return ctx_fail(ctx, PERR_FORBIDDEN, "Cross-site request refused");
}

/* Step 5: the shared slots the route needs; refused at once when taken. */
static enum perr
gate_slots(struct ctx *ctx)
{
	struct limits	*l = ctx->app->limits;

	if (ctx->route->flags & ROUTE_STREAM) {
		if (limits_upload_enter(l, ctx->user_id) != 0)
			return ctx_fail(ctx, PERR_UNAVAILABLE,
			    "Too many uploads in progress; try again shortly");
		ctx->held |= ROUTE_STREAM;
	}
	if (ctx->route->flags & ROUTE_HASH) {
		if (limits_hash_enter(l) != 0)
			return ctx_fail(ctx, PERR_UNAVAILABLE,
			    "Too many sign-ins in progress; try again shortly");
		ctx->held |= ROUTE_HASH;
	}
	return PERR_NONE;
}

static void
gate_release(struct ctx *ctx)
{
	if (ctx->held & ROUTE_STREAM)
		limits_upload_leave(ctx->app->limits, ctx->user_id);
	if (ctx->held & ROUTE_HASH)
		limits_hash_leave(ctx->app->limits);
	ctx->held = 0;
}

/*
 * The handler. A deadlock victim or a Galera certification conflict
 * (DB_BUSY) rolled its transaction back whole. The handler is then run
 * again, after a pause and a few times at most (db_retry_pause), before
 * its 503 reaches the client, when that is safe: nothing was sent yet and
 * the body is still here (not a streamed route or answer), and either the
 * request is idempotent (PUT, PATCH, DELETE) or nothing of it was applied
 * (no commit since the handler began: a POST that creates an album or a
 * partner is run again whole). The contract this relies on: a handler has
 * no effect outside the database before its first commit. Uploads, whose
 * body is streamed to disk, run their own transaction again (asset_ingest).
 */
static enum perr
gate_handler(struct ctx *ctx)
{
	unsigned	 busy, writes;
	enum perr	 rc;
	int		 idempotent, tries = 0;

	idempotent = ctx->method == METHOD_PUT || ctx->method == METHOD_PATCH ||
	    ctx->method == METHOD_DELETE;
	for (;;) {
		busy = db_busy_count(ctx->db);
		writes = db_write_count(ctx->db);
		rc = ctx->route->handler(ctx);
		if (rc != PERR_UNAVAILABLE || db_busy_count(ctx->db) == busy ||
		    (ctx->route->flags & ROUTE_STREAM) || ctx->resp->streamed ||
		    (!idempotent && db_write_count(ctx->db) != writes) ||
		    !db_retry_pause(ctx->db, ++tries))
			return rc;
		log_warn("request cid=%s: a transaction lost a conflict; run again",
		    ctx->cid);
		resp_reset(ctx->resp);
		ctx->err = PERR_NONE;
		ctx->errmsg[0] = '\0';
		if (ctx->errors != NULL) {
			json_object_put(ctx->errors);
			ctx->errors = NULL;
		}
	}
}

static enum perr
gate_run(struct ctx *ctx)
{
	const struct route	*r;
	struct answer		 kept;
	struct dbv		 arg = DBV_NULL;
	long long		 clen;
	enum perr		 rc;
	int			 cached, done = 0;

	if ((rc = gate_route(ctx, &clen)) != PERR_NONE)
		return rc;
	r = ctx->route;
	/*
	 * With the answers cache on, a cacheable route authenticates with the
	 * plain credential statement and decides access only on a miss: an
	 * answer kept at the viewer's current change counter was made with
	 * access granted, and the counter moves whenever anything the viewer
	 * may see changes (sql/010, tested column by column), so a hit or a
	 * 304 is one round trip. Without the cache, the credential statement
	 * of a route with a path read also decides its access and reads its
	 * row, and my timeline's months list reads its owners' months with
	 * the credential (access_auth_stmt): one round trip as well; on a
	 * miss, the path read is the access step's one statement.
	 */
	cached = (r->flags & (ROUTE_CACHE | ROUTE_CACHE_FILE)) && ctx->app->cache != NULL;
	if ((rc = auth_check(ctx, cached ? STMT_AUTH : access_auth_stmt(ctx, &arg),
	    &arg)) != PERR_NONE ||
	    (rc = auth_permission(ctx)) != PERR_NONE ||
	    (rc = gate_csrf(ctx)) != PERR_NONE)
		return rc;
	if (!(r->flags & ROUTE_STREAM) && (rc = gate_body(ctx, clen)) != PERR_NONE)
		return rc;
	if ((rc = gate_validate(ctx)) != PERR_NONE ||
	    (r->check != NULL && (rc = r->check(ctx)) != PERR_NONE))
		return rc;
	cached = cached && !ctx->no_cache;
	if (cached && (answers_open(ctx, &kept, &done), done))
		return PERR_NONE;
	if ((rc = access_route(ctx)) != PERR_NONE ||
	    (rc = gate_slots(ctx)) != PERR_NONE ||
	    (rc = gate_handler(ctx)) != PERR_NONE)
		return rc;
	if (cached)
		answers_keep(ctx, &kept);
	return PERR_NONE;
}

/* The only writer of error bodies: {"message"} and, for 400s, "errors". */
static void
gate_error(struct ctx *ctx, enum perr e)
{
	struct json_object	*o;
	const char		*msg;

	if ((unsigned)e >= PERR__MAX)
		e = PERR_INTERNAL;
	/* Internal failures never carry detail, whatever was recorded. */
	msg = ctx->err == e && ctx->errmsg[0] != '\0' && e != PERR_INTERNAL ?
	    ctx->errmsg : perr_message(e);
	pbuf_reset(&ctx->resp->body);
	o = json_object_new_object();
	json_object_object_add(o, "message", json_object_new_string(msg));
	if (e == PERR_VALIDATION && ctx->errors != NULL) {
		json_object_object_add(o, "errors", ctx->errors);
		ctx->errors = NULL;
	}
	if (e == PERR_UNAVAILABLE)
		resp_header(ctx->resp, "Retry-After", "5");
	resp_json(ctx->resp, perr_status(e), o);
}

static void
gate_log(const struct ctx *ctx)
{
	struct timespec	 now;
	double		 ms;
	char		 path[80];
	size_t		 i;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(now.tv_sec - ctx->start.tv_sec) * 1e3 +
	    (double)(now.tv_nsec - ctx->start.tv_nsec) / 1e6;
	/* The route pattern, never the raw URI (query strings may hold keys). */
	if (ctx->route == NULL) {
		snprintf(path, sizeof(path), "%.79s", ctx->path);
		for (i = 0; path[i] != '\0'; i++)
			if ((unsigned char)path[i] < 0x21 || path[i] == '"' ||
			    (unsigned char)path[i] > 0x7e)
				path[i] = '?';
	}
	log_info("request cid=%s method=%s route=\"%s\" status=%d ms=%.3f user=%s",
	    ctx->cid, ctx->route ? method_names[ctx->method] : "-",
	    ctx->route ? ctx->route->pattern : path, ctx->resp->status, ms,
	    ctx->user_id[0] ? ctx->user_id : "-");
}

/* Headers every response carries, written here only. */
static void
gate_headers(struct ctx *ctx)
{
	resp_header(ctx->resp, "X-Correlation-ID", ctx->cid);
	resp_header(ctx->resp, "X-Content-Type-Options", "nosniff");
}

/*
 * Send the response's status and headers now, with those every response
 * carries, so that its body can follow as it is made (req->stream_body).
 * PERR_INTERNAL where the transport cannot stream.
 */
enum perr
resp_stream_begin(struct ctx *ctx)
{
	if (ctx->req->stream_head == NULL || ctx->req->stream_body == NULL)
		return PERR_INTERNAL;
	gate_headers(ctx);
	ctx->resp->streamed = 1;
	ctx->resp->no_length = 1;
	if (ctx->req->stream_head(ctx->req->io, ctx->resp) != 0)
		return PERR_BAD_REQUEST;	/* the client is gone: nothing more is sent */
	return PERR_NONE;
}

void
gate_handle(const struct app *app, struct db *db, const struct req *req,
    struct resp *resp)
{
	struct ctx	 ctx;
	enum perr	 rc;

	memset(&ctx, 0, sizeof(ctx));
	clock_gettime(CLOCK_MONOTONIC, &ctx.start);
	ctx.app = app;
	ctx.db = db;
	ctx.req = req;
	ctx.resp = resp;
	resp_reset(resp);
	make_cid(&ctx);
	db_request_begin(db);	/* causal reads: this request sees all before it */

	rc = gate_run(&ctx);
	gate_release(&ctx);
	if (rc == PERR_NONE && resp->status == 0)
		rc = PERR_INTERNAL;	/* a handler that forgot to answer */
	/* A streamed answer is on its way: an error now only ends it (logged). */
	if (rc != PERR_NONE && !resp->streamed)
		gate_error(&ctx, rc);
	if (!resp->streamed)
		gate_headers(&ctx);
	if (ctx.method == METHOD_HEAD)
		pbuf_reset(&resp->body);
	gate_log(&ctx);

	if (ctx.body != NULL)
		json_object_put(ctx.body);
	if (ctx.qs != NULL)
		json_object_put(ctx.qs);
	if (ctx.errors != NULL)
		json_object_put(ctx.errors);
	ctx_mem_free(&ctx);
}
