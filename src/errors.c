/*
 * errors.c: the one mapping from enum perr to an HTTP status and a default
 * message. Bodies are written by gate.c alone, in Immich v3's shape
 * {"message": "..."}; no SQL or errno text ever reaches them.
 */
#include "config.h"

#include <stddef.h>

#include "partnerd.h"
#include "db.h"

static const struct {
	int		 status;
	const char	*message;
} perrs[PERR__MAX] = {
	[PERR_NONE]		= { 200, "OK" },
	[PERR_BAD_REQUEST]	= { 400, "Bad Request" },
	[PERR_VALIDATION]	= { 400, "Validation failed" },
	[PERR_UNAUTHENTICATED]	= { 401, "Authentication required" },
	[PERR_FORBIDDEN]	= { 403, "Forbidden" },
	[PERR_NOT_FOUND]	= { 404, "Not Found" },
	[PERR_METHOD]		= { 405, "Method Not Allowed" },
	[PERR_TIMEOUT]		= { 408, "Request body too slow" },
	[PERR_CONFLICT]		= { 409, "Conflict" },
	[PERR_TOO_LARGE]	= { 413, "Payload Too Large" },
	[PERR_MEDIA_TYPE]	= { 415, "Unsupported Media Type" },
	[PERR_RANGE]		= { 416, "Range Not Satisfiable" },
	[PERR_INTERNAL]		= { 500, "Internal server error" },
	[PERR_UNAVAILABLE]	= { 503, "Service Unavailable" },
};

enum perr
perr_from_db(enum db_res rc)
{
	switch (rc) {
	case DB_GONE:
	case DB_BUSY:	/* a deadlock victim: 503 with Retry-After, try again */
		return PERR_UNAVAILABLE;
	case DB_CONFLICT:
		return PERR_CONFLICT;
	default:
		return PERR_INTERNAL;
	}
}

int
perr_status(enum perr e)
{
	return (unsigned)e < PERR__MAX ? perrs[e].status : 500;
}

const char *
perr_message(enum perr e)
{
	return (unsigned)e < PERR__MAX ? perrs[e].message : perrs[PERR_INTERNAL].message;
}

const char *
http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 206: return "Partial Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 416: return "Range Not Satisfiable";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default:  return "Unknown";
	}
}
