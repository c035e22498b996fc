/*
 * sendfile.h: media files sent by the worker itself (media_sendfile =
 * worker), for hosts whose web server has neither X-Accel-Redirect nor
 * X-Sendfile (shared hosting). The access decision is the caller's, made
 * before; this module answers the conditional and Range parts of HTTP as
 * nginx does for a static file, and the transport then streams the file in
 * SENDFILE_CHUNK pieces, never holding it in memory.
 */
#ifndef SENDFILE_H
#define SENDFILE_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "partnerd.h"

/* Bytes read and written at a time while streaming. */
#define SENDFILE_CHUNK	(64 * 1024)

/*
 * Answer a GET or HEAD for the file at path (absolute): 200, 206 with one
 * range, 304 when If-None-Match (else If-Modified-Since) matches, 416 when
 * the range lies outside the file; with ETag, Last-Modified, Content-Type
 * mime, Content-Disposition disposition (NULL for none), Accept-Ranges and
 * Content-Length. On 200/206 for GET the response holds the open file
 * (resp->file) for the transport to stream with sendfile_copy. A file that
 * cannot be opened is logged and answered 500. Returns PERR_NONE or the
 * error for the gate to write.
 */
enum perr	 sendfile_answer(struct ctx *, const char *path, const char *mime,
		    const char *disposition);

/*
 * Stream resp->file through put (0 on success, -1 when the connection
 * failed) in SENDFILE_CHUNK pieces; stop early when put fails or gone(io)
 * says the client went away (gone may be NULL), logging how far it came.
 * Closes the file. Returns the bytes written.
 */
typedef int	(*sendfile_put_fn)(void *io, const char *buf, size_t n);
off_t		 sendfile_copy(struct resp *, sendfile_put_fn put,
		    int (*gone)(void *io), void *io);

/* ---- the parts, exported for the unit tests ---------------------------- */

enum sendfile_range {
	SENDFILE_WHOLE = 0,	/* no usable Range: send the whole file (200) */
	SENDFILE_PART,		/* one satisfiable range: *off, *len (206) */
	SENDFILE_UNSATISFIABLE,	/* a range outside the file (416) */
};

/*
 * A Range header (NULL for none) against a file of size bytes. Only one
 * "bytes=" range is honoured: several ranges, other units and malformed
 * values mean the whole file, as RFC 9110 allows.
 */
enum sendfile_range sendfile_range_parse(const char *hdr, off_t size,
		    off_t *off, off_t *len);
/* 1 when an If-None-Match list (or "*") matches etag, by weak comparison. */
int		 sendfile_etag_match(const char *list, const char *etag);
/* An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"): 0 and *t, or -1. */
int		 http_date_parse(const char *, time_t *t);
/* t as an IMF-fixdate into out (at least 30 bytes). */
void		 http_date_format(time_t t, char *out, size_t outsz);

#endif
