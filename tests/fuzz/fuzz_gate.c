/*
 * fuzz_gate.c: libFuzzer target for the real gate, in-process: the bytes
 * become one request (method, URI, Content-Type, Cookie, Origin, then the
 * body) and go through gate_handle() exactly as fcgi.c hands them over,
 * with the route table, limits, path matching, the cross-site check, the
 * JSON body parse and the error writer. There is no database (db NULL:
 * every statement answers "gone"), so the target also runs each route's
 * declared body and query specs (the real valid_into) over the same
 * bytes, which the gate reaches only after authentication.
 *
 * Input: "METHOD\nURI\nCONTENT_TYPE\nCOOKIE\nORIGIN\nBODY..." (missing
 * lines are absent parameters). Every response must be complete: a status
 * and, for errors, a JSON body.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "partnerd.h"
#include "valid.h"

struct fz {
	const char	*p[16];	/* name, value, ..., NULL */
	const char	*body;
	size_t		 len, off;
};

static const char *
fz_param(void *io, const char *name)
{
	struct fz	*f = io;
	size_t		 i;

	for (i = 0; f->p[i] != NULL; i += 2)
		if (strcmp(f->p[i], name) == 0)
			return f->p[i + 1];
	return NULL;
}

static ssize_t
fz_read(void *io, char *buf, size_t n)
{
	struct fz	*f = io;

	if (n > f->len - f->off)
		n = f->len - f->off;
	if (n > 7)	/* arrive in pieces, as a socket's would */
		n = n / 2 + 1;
	memcpy(buf, f->body + f->off, n);
	f->off += n;
	return (ssize_t)n;
}

static struct conf	 conf;
static struct app	 app;

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	conf_defaults(&conf);
	conf.max_json_body = 65536;
	log_set_level(LOG_LVL_ERROR);
	app.conf = &conf;
	app.version = "fuzz";
	return 0;
}

/* Each route's declared specs over the body and the query string. */
static void
specs(const char *query, const char *body, size_t len)
{
	struct json_object	*o, *q;
	struct ctx		 ctx;
	size_t			 i;

	for (i = 0; i < nroutes; i++) {
		if (routes[i].body == NULL && routes[i].query == NULL)
			continue;
		memset(&ctx, 0, sizeof(ctx));
		o = len > 0 ? json_tokener_parse(body) : NULL;
		if (routes[i].body != NULL && o != NULL)
			(void)valid_into(&ctx, routes[i].body, o, 0,
			    ctx_alloc(&ctx, valid_spec_size(routes[i].body)));
		if (routes[i].query != NULL &&
		    (q = valid_parse_query(&ctx, query)) != NULL) {
			(void)valid_into(&ctx, routes[i].query, q, 1,
			    ctx_alloc(&ctx, valid_spec_size(routes[i].query)));
			json_object_put(q);
		}
		ctx_mem_free(&ctx);
		if (o != NULL)
			json_object_put(o);
		if (ctx.errors != NULL)
			json_object_put(ctx.errors);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[5] = {
		"REQUEST_METHOD", "REQUEST_URI", "CONTENT_TYPE", "HTTP_COOKIE",
		"HTTP_ORIGIN",
	};
	struct fz	 f;
	struct req	 req = { .param = fz_param, .read = fz_read, .io = &f };
	struct resp	 resp;
	struct json_object *o;
	char		*s, *line[5], *rest, len[32];
	const char	*q;
	size_t		 i, np = 0;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	memset(&f, 0, sizeof(f));
	rest = s;
	for (i = 0; i < 5; i++) {
		line[i] = NULL;
		if (rest == NULL)
			continue;
		line[i] = rest;
		if ((rest = strchr(rest, '\n')) != NULL)
			*rest++ = '\0';
	}
	for (i = 0; i < 5; i++)
		if (line[i] != NULL) {
			f.p[np++] = names[i];
			f.p[np++] = line[i];
		}
	f.body = rest ? rest : "";
	f.len = rest ? size - (size_t)(rest - s) : 0;
	snprintf(len, sizeof(len), "%zu", f.len);
	f.p[np++] = "CONTENT_LENGTH";
	f.p[np++] = len;
	f.p[np++] = "HTTP_HOST";
	f.p[np++] = "photos.example";
	f.p[np] = NULL;

	memset(&resp, 0, sizeof(resp));
	gate_handle(&app, NULL, &req, &resp);
	if (resp.status < 100 || resp.status > 599)
		abort();
	if (resp.status >= 400 && resp.body.len > 0) {
		/* The one error writer always writes JSON. */
		if ((o = json_tokener_parse(resp.body.data)) == NULL)
			abort();
		json_object_put(o);
	}
	resp_free(&resp);

	q = line[1] != NULL && (q = strchr(line[1], '?')) != NULL ? q + 1 : "";
	specs(q, f.body, f.len);
	free(s);
	return 0;
}
