/*
 * multipart.h: a streaming multipart/form-data parser (RFC 7578). Bytes go
 * in as they arrive, in chunks of any size; parts come out through
 * callbacks, so a 4 GB upload never sits in memory. Memory is bounded:
 * part headers are capped at MP_MAX_HEADER bytes, and at most one chunk
 * plus the boundary is buffered.
 *
 * Debian packages no standalone streaming multipart parser for C (only
 * whole frameworks), so this is partnerd's own, fuzzed with the rest.
 */
#ifndef MULTIPART_H
#define MULTIPART_H

#include <stddef.h>

#define MP_MAX_BOUNDARY	70	/* RFC 2046 */
#define MP_MAX_HEADER	8192

struct mp_callbacks {
	/* A part starts; filename and content_type may be NULL. */
	int	(*begin)(void *arg, const char *name, const char *filename,
		    const char *content_type);
	/* Some bytes of the current part. */
	int	(*data)(void *arg, const char *p, size_t n);
	/* The current part ended. */
	int	(*end)(void *arg);
};
/* A callback returning non-zero stops the parser (mp_feed returns -1). */

struct mp_parser;

/* The boundary parameter of a multipart/form-data Content-Type; 0 or -1. */
int		 mp_boundary(const char *content_type, char *out, size_t outsz);
/* A parser for boundary; NULL on out-of-memory. */
struct mp_parser *mp_new(const char *boundary, const struct mp_callbacks *,
		    void *arg);
/* Feed bytes; -1 on malformed input or when a callback stopped it. */
int		 mp_feed(struct mp_parser *, const char *p, size_t n);
/* 0 when the closing boundary was seen, else -1 (truncated body). */
int		 mp_done(const struct mp_parser *);
void		 mp_free(struct mp_parser *);

#endif
