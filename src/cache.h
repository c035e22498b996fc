/*
 * cache.h: recent answers (answers.h), per worker process, checked against
 * the caller's change counter (sql/007).
 *
 * An answer is stored under a key (caller, path, query string) with the
 * version the caller's counter had before it was computed; it is served
 * only to a request that reads the same version, so a change to anything
 * the caller may see makes it unreachable at once. Bounded by a byte
 * budget, least recently used out first. Safe to share between threads.
 */
#ifndef CACHE_H
#define CACHE_H

#include <stddef.h>
#include <stdint.h>

struct pbuf;
struct answer_cache;

/* A cache of at most budget bytes of keys and bodies; NULL (no cache, every
 * call below a miss) for budget 0 or out of memory. */
struct answer_cache	*cache_new(size_t budget);
void		 cache_free(struct answer_cache *);

/* On a hit, append the body stored for key at version to out and return 1;
 * 0 on a miss (or if out cannot grow). */
int		 cache_get(struct answer_cache *, const char *key, uint64_t version,
		    struct pbuf *out);

/* Store a copy of body for key at version, replacing what key held.
 * Bodies over a quarter of the budget are not kept. */
void		 cache_put(struct answer_cache *, const char *key, uint64_t version,
		    const char *body, size_t len);

/* Bytes held now (keys and bodies), for tests and the bench. */
size_t		 cache_bytes(struct answer_cache *);

#endif
