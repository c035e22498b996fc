/*
 * valid.h: declarative validation of JSON bodies, query strings and path
 * parameters (STYLE.md, practice 4). A spec is an array of struct vfield
 * ended by a zeroed entry. The walker never coerces: a JSON string is not a
 * boolean. Failures are zod-shaped issues, as Immich v3 answers them.
 */
#ifndef VALID_H
#define VALID_H

#include <stddef.h>

struct ctx;
struct json_object;

enum vtype {
	VT_STRING = 0,
	VT_BOOL,
	VT_INT,		/* JSON integer; max bounds it */
	VT_UUID,	/* version-4 UUID string */
	VT_EMAIL,
	VT_ENUM,	/* string from choices */
	VT_UUID_ARRAY,	/* array of version-4 UUIDs, max = most items */
	VT_ENUM_ARRAY,	/* array of strings from choices, at least min items */
	VT_NUMBER,	/* any JSON number */
	VT_DATE,	/* a calendar day "YYYY-MM-DD", years 1000 to 9999 */
	VT__MAX
};

struct vfield {
	const char		*name;	/* NULL ends the spec */
	enum vtype		 type;
	int			 required;
	size_t			 max;	/* string length, array size or int bound; 0 = none */
	const char *const	*choices;	/* VT_ENUM, NULL-terminated */
	size_t			 min;	/* least string length or array size */
	int			 nullable;	/* JSON null is accepted */
};

/*
 * Check obj against spec. In query mode values arrive as strings and
 * "true"/"false" and decimal integers are converted in place to typed JSON,
 * so handlers read both kinds the same way. Adds issues to ctx; returns
 * PERR_NONE or PERR_VALIDATION.
 */
int	 valid_object(struct ctx *, const struct vfield *spec,
	    struct json_object *obj, int query_mode);

/* Parse an application/x-www-form-urlencoded string into a new object of
 * strings. Returns NULL and adds an issue on malformed input. */
struct json_object *valid_parse_query(struct ctx *, const char *qs);

int	 valid_uuid4(const char *);
/* Lower-case a UUID in place: ids are compared as the database does. */
void	 valid_uuid_lower(char *);
/* Is [s, s+n) well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF)? */
int	 valid_utf8(const char *s, size_t n);
int	 valid_email(const char *);
/* Is s a calendar day "YYYY-MM-DD" of the years 1000 to 9999 (MariaDB's
 * DATE range)? */
int	 valid_date(const char *s);

/*
 * A bbox "west,south,east,north" in degrees (Immich's timeline and map):
 * its four numbers into v, and into box the JSON [south, north, west1,
 * east1, west2, east2] the statements take (two longitude ranges across
 * the antimeridian, where west > east). PERR_NONE, or a 400 added to ctx.
 */
int	 valid_bbox(struct ctx *, const char *s, double v[4], char *box, size_t boxsz);

/* Typed getters for values the walker accepted. */
const char	*valid_get_str(struct json_object *, const char *key);
int		 valid_get_bool(struct json_object *, const char *key, int def);
int		 valid_has(struct json_object *, const char *key);

#endif
