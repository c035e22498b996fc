/*
 * cache.h: recent timeline answers, per worker process, checked against
 * the viewer's timeline version (sql/007).
 *
 * An answer is stored under a key (viewer, route, query string) with the
 * version the viewer's timelines had before it was computed; it is served
 * only to a request that reads the same version, so a change anywhere in
 * the viewer's owner set makes it unreachable at once. Bounded by a byte
 * budget, least recently used out first. Safe to share between threads.
 */
#ifndef CACHE_H
#define CACHE_H

#include <stddef.h>
#include <stdint.h>

struct pbuf;
struct tl_cache;

/* A cache of at most budget bytes of keys and bodies; NULL (no cache, every
 * call below a miss) for budget 0 or out of memory. */
struct tl_cache	*cache_new(size_t budget);
void		 cache_free(struct tl_cache *);

/* On a hit, append the body stored for key at version to out and return 1;
 * 0 on a miss (or if out cannot grow). */
int		 cache_get(struct tl_cache *, const char *key, uint64_t version,
		    struct pbuf *out);

/* Store a copy of body for key at version, replacing what key held.
 * Bodies over a quarter of the budget are not kept. */
void		 cache_put(struct tl_cache *, const char *key, uint64_t version,
		    const char *body, size_t len);

/* Bytes held now (keys and bodies), for tests and the bench. */
size_t		 cache_bytes(struct tl_cache *);

#endif
