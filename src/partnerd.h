/*
 * partnerd.h: the transport-free core shared by every module: errors, the
 * request context, buffers, the route table and logging.
 *
 * Only fcgi.c knows about libfcgi; everything here works in-process so unit
 * tests can drive the gate without a web server (STYLE.md, practice 11).
 */
#ifndef PARTNERD_H
#define PARTNERD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

struct json_object;
struct db;

/* ---- growable byte buffer (pbuf_*) ---------------------------------- */

struct pbuf {
	char	*data;	/* NUL-terminated while len < cap; owned */
	size_t	 len;
	size_t	 cap;
};

/* Append; return 0 or -1 on allocation failure (the buffer is unchanged). */
int	 pbuf_add(struct pbuf *, const void *, size_t);
int	 pbuf_adds(struct pbuf *, const char *);
int	 pbuf_printf(struct pbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 pbuf_reset(struct pbuf *);	/* keeps the allocation */
void	 pbuf_free(struct pbuf *);

/*
 * Id lists are handled in O(n log n), never by comparing every pair: the
 * indices 0..n-1 ordered by ids[i] (lower-case UUIDs, as validation left
 * them), then by i; a new array the caller frees, or NULL. ids_find gives
 * the first position in ix whose id is >= id (n if none).
 */
size_t	*ids_sorted(const char *const *ids, size_t n);
size_t	 ids_find(const char *const *ids, const size_t *ix, size_t n,
	    const char *id);

/* free(*p) and set *p to NULL. */
void	 x_free(void *pp);

/* ---- errors: one enum, one mapping to HTTP (errors.c) ---------------- */

enum perr {
	PERR_NONE = 0,
	PERR_BAD_REQUEST,	/* 400, handler-supplied message */
	PERR_VALIDATION,	/* 400 "Validation failed" + errors[] */
	PERR_UNAUTHENTICATED,	/* 401 */
	PERR_FORBIDDEN,		/* 403 */
	PERR_NOT_FOUND,		/* 404: no such route */
	PERR_METHOD,		/* 405: route exists, method does not */
	PERR_TIMEOUT,		/* 408: the body came too slowly */
	PERR_CONFLICT,		/* 409: a duplicate no handler claimed */
	PERR_TOO_LARGE,		/* 413 */
	PERR_MEDIA_TYPE,	/* 415 */
	PERR_RANGE,		/* 416: a Range outside the file */
	PERR_INTERNAL,		/* 500, never with detail */
	PERR_UNAVAILABLE,	/* 503: database gone, try again */
	PERR__MAX
};

/* HTTP status and default message of an error; never NULL for < PERR__MAX. */
int		 perr_status(enum perr);
const char	*perr_message(enum perr);
const char	*http_reason(int status);

/* ---- the request, as the transport hands it over ---------------------- */

enum method {
	METHOD_GET = 0,
	METHOD_HEAD,
	METHOD_POST,
	METHOD_PUT,
	METHOD_PATCH,
	METHOD_DELETE,
	METHOD_OPTIONS,
	METHOD__MAX
};

extern const char *const method_names[METHOD__MAX];

struct resp;

struct req {
	/*
	 * CGI parameter lookup (REQUEST_METHOD, HTTP_COOKIE, ...). The
	 * returned string lives until the request ends: copy what you keep.
	 */
	const char	*(*param)(void *io, const char *name);
	/* Read up to n body bytes; 0 at end, -1 on error. */
	ssize_t		 (*read)(void *io, char *buf, size_t n);
	/* Has the client gone away (the web server closed the request)? May be NULL. */
	int		 (*gone)(void *io);
	/*
	 * Streamed answers (a zip written as it is made): write the status
	 * and headers of the response, without a length, then body bytes as
	 * they come. Each returns 0, or -1 once the client has gone. NULL
	 * where the transport cannot stream.
	 */
	int		 (*stream_head)(void *io, const struct resp *);
	int		 (*stream_body)(void *io, const char *buf, size_t n);
	void		*io;
};

/* Convenience: a parameter or NULL. */
const char	*req_param(const struct req *, const char *);
/* 1 when the transport knows the client is gone, else 0. */
int		 req_gone(const struct req *);

/* ---- the response the core fills; the transport writes it ------------ */

struct resp {
	int		 status;	/* 0 until set */
	struct pbuf	 headers;	/* "Name: value\r\n" lines */
	struct pbuf	 body;
	const char	*content_type;	/* static string, ctype_buf, or NULL */
	char		 ctype_buf[128];	/* a content type that is not static */
	int		 no_length;	/* the web server sends the body (sendfile) */
	/*
	 * A file the transport sends after the headers, len bytes from off
	 * (media_sendfile = worker, sendfile.h); open == 0 when there is none.
	 * The response owns fd: resp_reset and resp_free close it.
	 */
	struct {
		int	 open;
		int	 fd;
		off_t	 off, len;
		char	 cid[65];	/* the request's correlation id, for the log */
	}		 file;
	int		 streamed;	/* head and body already sent (resp_stream_begin) */
};

int	 resp_header(struct resp *, const char *name, const char *value);
/* Serialise obj as the body with status; takes ownership of obj. */
int	 resp_json(struct resp *, int status, struct json_object *obj);
/* Answer status with a JSON body the caller then writes into r->body. */
void	 resp_json_raw(struct resp *, int status);
void	 resp_reset(struct resp *);	/* closes the file, if any */
void	 resp_file_close(struct resp *);
void	 resp_free(struct resp *);

/* ---- configuration (conf.c) -------------------------------------------- */

enum log_level { LOG_LVL_ERROR = 0, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

struct conf {
	char		*db_host;	/* host[:port], or several comma-separated */
	unsigned	 db_port;
	char		*db_socket;
	char		*db_user;
	char		*db_password;
	char		*db_name;
	char		*db_causal_reads;	/* Galera: "on" (per request), "every" */
	char		*media_dir;
	char		*listen;	/* "" = fd 0 or systemd */
	unsigned	 threads;
	enum log_level	 log_level;
	size_t		 max_json_body;
	unsigned	 json_max_depth;
	size_t		 max_upload;
	char		*media_sendfile;	/* x-accel-redirect, x-sendfile or worker */
	char		*media_uri;	/* nginx internal location for media_dir */
	size_t		 answer_cache;	/* bytes of recent answers kept (cache.h); 0 = none */
	unsigned	 max_uploads;	/* uploads at once in all; 0 = half the threads */
	unsigned	 max_uploads_per_user;
	unsigned	 upload_idle_timeout;	/* seconds a read may wait for body bytes */
	size_t		 upload_min_rate;	/* bytes/s an upload must average after that */
	unsigned	 max_password_hashes;	/* Argon2 computations at once (64 MiB each) */
	char		*map_tile_url;	/* the web app's map tiles, {z}/{x}/{y}; "" = none */
};

/* Fill every key with its default. Returns 0 or -1 (out of memory). */
int	 conf_defaults(struct conf *);
/*
 * Read "key = value" lines from path over the defaults. On error returns -1
 * and writes a message naming the file, line and key to err.
 */
int	 conf_load(struct conf *, const char *path, char *err, size_t errsz);
/* Set one key from text; -1 with a message on an unknown key or bad value. */
int	 conf_set(struct conf *, const char *key, const char *value,
	    char *err, size_t errsz);
void	 conf_free(struct conf *);
/*
 * db_host is a comma-separated list of host[:port] (the nodes of a Galera
 * cluster, or one server). The count of its entries; the n-th (from 0)
 * into host (NUL-terminated), its port or defport into *port. Returns 0, or
 * -1 past the end or on an entry that is not host[:port] or does not fit.
 */
size_t	 conf_db_host_count(const char *list);
int	 conf_db_host(const char *list, size_t n, unsigned defport, char *host,
	    size_t hsz, unsigned *port);
/*
 * Defaults, then the configuration file: path when given (-c), else
 * $PARTNERD_CONF, else PARTNERD_CONF_DEFAULT when that file exists (a missing
 * default file means the built-in defaults). *used is the file read, or NULL.
 * Returns 0, or -1 with a message in err (the file named, and its line).
 */
int	 conf_init(struct conf *, const char *path, const char **used,
	    char *err, size_t errsz);
#define PARTNERD_CONF_DEFAULT	PARTNERD_SYSCONFDIR "/partnerd/partnerd.conf"

/* ---- logging (log.c): one line per event to stderr ------------------- */

void	 log_set_level(enum log_level);
void	 log_msg(enum log_level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
#define log_err(...)	log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

/* ---- the application and per-request context ------------------------- */

struct answer_cache;
struct limits;
struct ctx_mem;
struct db_row;	/* db.h */

struct app {
	const struct conf	*conf;
	const char		*version;
	struct answer_cache	*cache;	/* recent answers (cache.h); may be NULL */
	struct limits		*limits;	/* shared slots (limits.h); may be NULL */
};

#define CTX_MAX_PARAMS	2

struct ctx {
	const struct app	*app;
	struct db		*db;	/* this thread's connection; may be NULL in unit tests */
	const struct req	*req;
	struct resp		*resp;
	const struct route	*route;
	enum method		 method;
	char			 cid[65];	/* correlation id */
	char			 path[512];	/* decoded path without query */
	const char		*query;	/* raw QUERY_STRING or "" */
	char			 params[CTX_MAX_PARAMS][64];	/* :id segments */
	size_t			 nparams;
	struct json_object	*body;	/* parsed JSON body or NULL; owned */
	int			 body_sent;	/* the request had a body */
	struct json_object	*qs;	/* parsed query string; owned */
	/* The route's input struct (valid.h), filled from qs and body by
	 * the gate before the check and the handler; owned. */
	void			*in;
	struct ctx_mem		*mem;	/* ctx_alloc's blocks; owned */
	int			 cred;	/* CRED_SESSION or CRED_KEY once found */
	int			 cred_cookie;	/* the session token came from the cookie */
	int			 held;	/* limits.h slots this request holds */
	unsigned char		 cred_hash[32];	/* its SHA-256 */
	char			 user_id[37];	/* authenticated user, "" if none */
	int			 is_admin;
	char			 session_id[37];	/* "" unless a session token */
	int			 via_api_key;
	char			 key_perms[4096];	/* the API key's permissions */
	uint64_t		 version;	/* the caller's change counter (sql/007) */
	int			 path_decided;	/* the credential statement decided the path's access:
					 * granted when path_row is set */
	/* The route's path read (access.h): the row of the asset its path
	 * names, read with the access decision; NULL for other routes. */
	const struct db_row	*path_row;
	int			 auth_read;	/* enum auth_read the credential statement did */
	/* The timeline read's owner rows (access.h), in ctx_alloc's memory. */
	const struct db_row	**read_rows;
	size_t			 nread_rows, capread_rows;
	int			 read_with_partners;	/* the timeline read's withPartners */
	int			 no_cache;	/* the route's check found this answer not keepable */
	enum perr		 err;
	char			 errmsg[256];	/* overrides the default message */
	struct json_object	*errors;	/* validation issues; owned */
	struct timespec		 start;
};

/*
 * A streamed answer: send ctx->resp's status and headers now (gate.c adds
 * those every response carries); the body follows through
 * req->stream_body. PERR_NONE, or an error when it cannot be sent.
 */
enum perr resp_stream_begin(struct ctx *);
/* Record an error with a specific message; returns err for tail calls. */
enum perr ctx_fail(struct ctx *, enum perr err, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Zeroed memory that lives until the request ends (ctx_mem_free); NULL
 * when out of memory. */
void	*ctx_alloc(struct ctx *, size_t);
/* A copy of row's columns from skip on, in ctx_alloc's memory; NULL when
 * out of memory. */
const struct db_row *ctx_keep_row(struct ctx *, const struct db_row *, size_t skip);
/* Free what ctx_alloc gave. */
void	 ctx_mem_free(struct ctx *);
/* Add one zod-shaped validation issue; returns PERR_VALIDATION. */
enum perr ctx_invalid(struct ctx *, const char *field, const char *code,
	    const char *message);

/* ---- the route table and the gate (gate.c) --------------------------- */

typedef enum perr (*handler_fn)(struct ctx *);

struct vfield;

enum route_flag {
	ROUTE_PUBLIC	= 1u << 0,	/* no authentication */
	ROUTE_ADMIN	= 1u << 1,	/* admin only */
	ROUTE_STREAM	= 1u << 2,	/* the handler reads the body itself (an upload slot) */
	/*
	 * The answer depends only on what the caller may see: kept under the
	 * caller's change counter (answers.h), tagged with it as a weak ETag
	 * (304 on If-None-Match), and answered from the cache while the
	 * counter stays.
	 */
	ROUTE_CACHE	= 1u << 3,
	/* The handler computes a password hash: it takes a hash slot. */
	ROUTE_HASH	= 1u << 4,
	/* As ROUTE_CACHE, for a file the web server sends: kept, no ETag
	 * (the web server tags the file itself). */
	ROUTE_CACHE_FILE = 1u << 5,
};

struct access_need;	/* access.h */

struct route {
	enum method		 method;
	const char		*pattern;	/* "/api/partners/:id" */
	handler_fn		 handler;
	unsigned		 flags;
	const char		*perm;	/* API-key permission, NULL = "all" */
	const struct vfield	*body;	/* JSON body spec or NULL */
	const struct vfield	*query;	/* query-string spec or NULL */
	/* What the spec cannot say (400s, and refusals such as a locked
	 * timeline's 401), after validation, before access; or NULL. */
	handler_fn		 check;
	/* The access requirements, in order, ended by one whose perm is
	 * PERM__MAX; or NULL for none (access.h). */
	const struct access_need *access;
};

extern const struct route routes[];
extern const size_t nroutes;

/*
 * Run one request through the fixed order of gate.c. Always leaves a complete response in resp
 * and writes the access-log line. Never fails.
 */
void	 gate_handle(const struct app *, struct db *, const struct req *,
	    struct resp *);

#endif /* PARTNERD_H */
