/*
 * access.h: the one place that decides who may do what to an asset or an
 * album. Every handler that touches an id asks here; the SQL behind each
 * permission is in the statement table (stmts.c, "THE ACCESS RULE").
 */
#ifndef ACCESS_H
#define ACCESS_H

#include <stddef.h>

#include "partnerd.h"

enum perm {
	PERM_ASSET_READ = 0,
	PERM_ASSET_VIEW,
	PERM_ASSET_DOWNLOAD,
	PERM_ASSET_SHARE,
	PERM_ASSET_UPDATE,
	PERM_ASSET_DELETE,
	PERM_ALBUM_READ,
	PERM_ALBUM_UPDATE,
	PERM_ALBUM_DELETE,
	PERM_ALBUM_ASSET_CREATE,
	PERM_ALBUM_ASSET_DELETE,
	PERM_PARTNER_UPDATE,	/* ids are sharers; the caller is the recipient */
	PERM__MAX
};

/* Immich's name of a permission, e.g. "asset.read". */
const char	*perm_name(enum perm);

/*
 * Which of ids[0..n) may the caller do p to? Sets granted[i] to 1 or 0.
 * Returns PERR_NONE or a database error (PERR_UNAVAILABLE, PERR_INTERNAL).
 */
enum perr	 access_filter(struct ctx *, enum perm p, const char *const *ids,
		    size_t n, int *granted);
/* All of them, or 400 "Not found or no <perm> access". */
enum perr	 access_require(struct ctx *, enum perm p, const char *const *ids,
		    size_t n);
/* The same for one id. */
enum perr	 access_require1(struct ctx *, enum perm p, const char *id);

#endif
