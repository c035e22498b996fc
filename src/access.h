/*
 * access.h: the one place that decides who may do what to an asset, an
 * album or a timeline. Routes declare their requirements and the gate
 * applies them here (access_route); handlers that answer per id (bulk
 * results) filter here. The SQL behind each permission is derived from
 * the one rule in the statement table (stmts.c, "THE ACCESS RULE").
 */
#ifndef ACCESS_H
#define ACCESS_H

#include <stddef.h>

#include "partnerd.h"
#include "stmts.h"

enum perm {
	PERM_ASSET_READ = 0,
	PERM_ASSET_VIEW,
	PERM_ASSET_DOWNLOAD,
	PERM_ASSET_SHARE,
	PERM_ASSET_UPDATE,
	PERM_ASSET_DELETE,
	PERM_ASSET_MARK,	/* my own marks (sql/050): my asset or a partner's */
	PERM_ALBUM_READ,
	PERM_ALBUM_UPDATE,
	PERM_ALBUM_DELETE,
	PERM_ALBUM_ASSET_CREATE,
	PERM_ALBUM_ASSET_DELETE,
	PERM_PARTNER_UPDATE,	/* ids are sharers; the caller is the recipient */
	PERM_TIMELINE_READ,	/* ids are users: me, or a live sharer of mine */
	PERM__MAX
};

/* Where a route's ids come from. */
enum access_from {
	FROM_PATH = 0,	/* the path's :id */
	FROM_BODY,	/* a body field: a UUID or an array of them */
	FROM_QUERY,	/* a query-string field: a UUID */
};

/*
 * What the credential statement reads besides the credential, where a
 * route's answers are not kept (the answers cache is off, or the route is
 * not cached), so that the request costs one round trip:
 *
 * A path read: what a route reads of the asset its path names, read with
 * the decision of the route's first requirement (an asset.read, asset.view
 * or asset.download of the path's id); the handler gets the row as
 * ctx->path_row (the columns of STMT_PATH_FILES or STMT_PATH_ASSET). Like
 * CanCanCan's load_and_authorize_resource: the handler neither looks the
 * asset up nor decides whether the caller may have it.
 *
 * The timeline read: my own timeline's owners and their months (the rows
 * of STMT_TIMELINE_OWNERS_VIEW), declared on a timeline.read of userId and
 * done when the query names no user (my own timeline needs no access
 * decision: its owners are me and my live sharers) and asks for the view
 * those rows count (tl_my_timeline_read). The rows are ctx->read_rows;
 * the handler takes them only where its checked input asks for exactly
 * them, else reads its own.
 */
enum auth_read {
	AUTH_READ_NONE = 0,
	AUTH_READ_FILES,	/* the files the web server sends */
	AUTH_READ_ASSET,	/* the asset with its EXIF row and my mark */
	AUTH_READ_MY_TIMELINE,	/* my timeline's owners and months */
	AUTH_READ__MAX
};

/*
 * One access requirement of a route (routes.c): perm on the ids found at
 * from (field names the body or query field), when when(ctx) says so (NULL:
 * always) on the validated request. An absent optional field requires
 * nothing. A route's list ends with { PERM__MAX }. read: the first
 * requirement's path read, or a timeline.read's timeline read, if any
 * (the unit suite holds routes to the forms above).
 */
struct access_need {
	enum perm		 perm;
	enum access_from	 from;
	const char		*field;
	int			(*when)(const struct ctx *);
	enum auth_read		 read;
};

/*
 * The credential statement for the request (auth_check) and its one
 * parameter after the credential, *arg: STMT_AUTH (no parameter), or the
 * statement of the route's read (above) when the request asks for it.
 * Records the read in ctx->auth_read.
 */
struct dbv;
enum stmt	 access_auth_stmt(struct ctx *, struct dbv *arg);

/*
 * Each row of the credential statement (auth_check): a path read's
 * decision (ctx->path_decided) and its columns as ctx->path_row when
 * granted; the timeline read's owner rows into ctx->read_rows. 0, or -1
 * when out of memory.
 */
struct db_row;
int		 access_auth_row(struct ctx *, const struct db_row *);

/*
 * The gate's access step: every requirement of ctx->route, in order, on
 * the validated path, body and query, and the route's path read into
 * ctx->path_row if the credential statement did not do both. PERR_NONE,
 * 400 "Not found or no <perm> access", or a database error.
 */
enum perr	 access_route(struct ctx *);

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
/* The spec field (valid.h) a body or query requirement of r takes its ids
 * from: a UUID or UUID array; NULL when r's specs have none by that name. */
const struct vfield *access_need_field(const struct route *r,
		    const struct access_need *n);

#endif
