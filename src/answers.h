/*
 * answers.h: the front door of the read routes whose answers depend only
 * on what the caller may see (the timelines, the partner list, an asset).
 * One round trip reads the credential
 * and the caller's change counter (viewer_versions, sql/007); the counter
 * is the weak ETag, and the key to the worker's cache of recent answers
 * (cache.h). Triggers move the counter with every change that can alter
 * such an answer, so a kept answer is never stale.
 */
#ifndef ANSWERS_H
#define ANSWERS_H

#include <stdint.h>

struct ctx;
struct pbuf;

struct answer {
	char		 key[1024];	/* the cache's key; "" when not kept */
	char		 etag[40];
	uint64_t	 version;
};

/*
 * Authenticate (ROUTE_SELF_AUTH) and read the caller's counter. Answers
 * 304 when If-None-Match holds the ETag (caller, path, query, counter), or
 * the body the cache holds for them at that counter: *done is then set and
 * the handler returns. Otherwise the handler computes its answer and calls
 * answers_keep. PERR_NONE or the credential's error.
 */
enum perr	 answers_open(struct ctx *, struct answer *, int *done);

/* Tag a 200 answer with the ETag and keep it under the counter read by
 * answers_open (computed after it was read, so never older than it). */
void		 answers_keep(struct ctx *, const struct answer *);

/*
 * For answers that are not a JSON body (a file the web server sends): the
 * same round trip, no ETag; on a hit (*hit set) the text kept for this
 * request at the caller's counter is appended to out. The handler keeps
 * its own text with answers_put.
 */
enum perr	 answers_peek(struct ctx *, struct answer *, struct pbuf *out,
		    int *hit);
void		 answers_put(struct ctx *, const struct answer *, const char *text,
		    size_t len);

#endif
