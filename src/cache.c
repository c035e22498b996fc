/*
 * cache.c: see cache.h. A hash table of entries chained per bucket, and a
 * doubly linked list from most to least recently used; one mutex. Lookups
 * copy the body into the response under the lock (a bucket of 1,000 assets
 * is about 200 KB: tens of microseconds), so an entry is never used after
 * it is evicted.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "partnerd.h"
#include "cache.h"

#define NSLOTS	1024	/* hash slots; chains stay short at any budget */

struct entry {
	struct entry	*next;		/* in its slot */
	struct entry	*newer, *older;	/* in the LRU list */
	uint64_t	 hash;
	uint64_t	 version;
	size_t		 len;		/* body bytes */
	size_t		 size;		/* what it counts against the budget */
	char		*body;
	char		 key[];
};

struct answer_cache {
	pthread_mutex_t	 lock;
	size_t		 budget, bytes;
	struct entry	*slots[NSLOTS];
	struct entry	*newest, *oldest;
};

/* FNV-1a, 64 bits. */
static uint64_t
key_hash(const char *s)
{
	uint64_t	 h = 14695981039346656037ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

struct answer_cache *
cache_new(size_t budget)
{
	struct answer_cache	*c;

	if (budget == 0 || (c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if (pthread_mutex_init(&c->lock, NULL) != 0) {
		free(c);
		return NULL;
	}
	c->budget = budget;
	return c;
}

static void
lru_unlink(struct answer_cache *c, struct entry *e)
{
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void
lru_push(struct answer_cache *c, struct entry *e)
{
	e->older = c->newest;
	e->newer = NULL;
	if (c->newest != NULL)
		c->newest->newer = e;
	c->newest = e;
	if (c->oldest == NULL)
		c->oldest = e;
}

/* The entry for key, or NULL; *pp is set to the link that points at it. */
static struct entry *
find(struct answer_cache *c, const char *key, uint64_t h, struct entry ***pp)
{
	struct entry	**p = &c->slots[h % NSLOTS];

	for (; *p != NULL; p = &(*p)->next)
		if ((*p)->hash == h && strcmp((*p)->key, key) == 0)
			break;
	if (pp != NULL)
		*pp = p;
	return *p;
}

static void
drop(struct answer_cache *c, struct entry *e)
{
	struct entry	**p;

	(void)find(c, e->key, e->hash, &p);
	*p = e->next;
	lru_unlink(c, e);
	c->bytes -= e->size;
	free(e->body);
	free(e);
}

int
cache_get(struct answer_cache *c, const char *key, uint64_t version, struct pbuf *out)
{
	struct entry	*e;
	uint64_t	 h;
	int		 hit = 0;

	if (c == NULL)
		return 0;
	h = key_hash(key);
	pthread_mutex_lock(&c->lock);
	if ((e = find(c, key, h, NULL)) != NULL && e->version == version &&
	    pbuf_add(out, e->body, e->len) == 0) {
		lru_unlink(c, e);
		lru_push(c, e);
		hit = 1;
	}
	pthread_mutex_unlock(&c->lock);
	return hit;
}

void
cache_put(struct answer_cache *c, const char *key, uint64_t version,
    const char *body, size_t len)
{
	struct entry	*e, *old;
	size_t		 klen, size;
	uint64_t	 h;

	if (c == NULL)
		return;
	klen = strlen(key);
	size = sizeof(*e) + klen + 1 + len;
	if (size > c->budget / 4)
		return;
	if ((e = calloc(1, sizeof(*e) + klen + 1)) == NULL)
		return;
	if ((e->body = malloc(len ? len : 1)) == NULL) {
		free(e);
		return;
	}
	memcpy(e->key, key, klen + 1);
	if (len > 0)
		memcpy(e->body, body, len);
	e->len = len;
	e->size = size;
	e->version = version;
	e->hash = h = key_hash(key);
	pthread_mutex_lock(&c->lock);
	if ((old = find(c, key, h, NULL)) != NULL)
		drop(c, old);
	while (c->oldest != NULL && c->bytes + size > c->budget)
		drop(c, c->oldest);
	e->next = c->slots[h % NSLOTS];
	c->slots[h % NSLOTS] = e;
	lru_push(c, e);
	c->bytes += size;
	pthread_mutex_unlock(&c->lock);
}

size_t
cache_bytes(struct answer_cache *c)
{
	size_t	 n;

	if (c == NULL)
		return 0;
	pthread_mutex_lock(&c->lock);
	n = c->bytes;
	pthread_mutex_unlock(&c->lock);
	return n;
}

void
cache_free(struct answer_cache *c)
{
	if (c == NULL)
		return;
	while (c->oldest != NULL)
		drop(c, c->oldest);
	pthread_mutex_destroy(&c->lock);
	free(c);
}
