/*
 * answers.h: the gate's cache step, for routes declared ROUTE_CACHE or
 * ROUTE_CACHE_FILE: answers that depend only on what the caller may see
 * (the timelines, the partner list, an asset and its files). The
 * credential statement read the caller's change counter (viewer_versions,
 * sql/007) into ctx->version; the counter is the weak ETag, and the key to
 * the worker's cache of recent answers (cache.h). Triggers move the
 * counter with every change that can alter such an answer, so a kept
 * answer is never stale.
 */
#ifndef ANSWERS_H
#define ANSWERS_H

#include <stdint.h>

struct ctx;

struct answer {
	char		 key[1024];	/* the cache's key; "" when not kept */
	char		 etag[40];	/* "" when the route has none */
};

/*
 * Answer 304 when If-None-Match holds the ETag (caller, path, query,
 * counter; ROUTE_CACHE only), or the answer the cache holds for them at
 * that counter: *done is then set and the handler does not run. Otherwise
 * the answer is the handler's, and answers_keep keeps it.
 */
void	 answers_open(struct ctx *, struct answer *, int *done);

/* Tag a 200 answer with the ETag and keep it under the counter read by the
 * credential statement (the answer was computed after it was read, so it
 * is never older than it). */
void	 answers_keep(struct ctx *, const struct answer *);

#endif
