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
	VT_STRING = 0,	/* const char * */
	VT_BOOL,	/* int: 1, 0, or VB_UNSET when absent or null */
	VT_INT,		/* int64_t, 0..max; max bounds it */
	VT_UUID,	/* const char *: a version-4 UUID, lower-cased */
	VT_EMAIL,	/* const char * */
	VT_ENUM,	/* int: index into choices, or VE_UNSET */
	VT_UUID_ARRAY,	/* struct vuuids; max = most items */
	VT_ENUM_ARRAY,	/* struct venums from choices, at least min items */
	VT_NUMBER,	/* double: any JSON number, min..max when range is set */
	VT_DATE,	/* struct vdate: an ISO 8601 date-time (store.h iso_parse) */
	VT_DAY,		/* const char *: a calendar day "YYYY-MM-DD", years 1000 to 9999 */
	VT__MAX
};

/* A bool or enum field that was absent or null. */
#define VB_UNSET	(-1)
#define VE_UNSET	(-1)

/* A UUID array: n lower-cased ids into the parsed body (per request). */
struct vuuids {
	size_t		  n;
	const char	**v;
};

/* An enum array: n indexes into the field's choices (per request). */
struct venums {
	size_t		 n;
	int		*v;
};

/* An ISO 8601 date-time: its text, UTC milliseconds and offset. */
struct vdate {
	const char	*s;	/* NULL when absent or null */
	long long	 ms;
	int		 offset_min;
};

/*
 * One field of a spec. Every spec is written with designated initializers
 * and names, through VF_AT, where the field's typed value goes in the
 * route's input struct (the gate fills it before the handler runs; the
 * handler reads ctx->in). Absent and null fields leave strings NULL,
 * bools VB_UNSET, enums VE_UNSET, numbers 0 and arrays empty; VF_SET names
 * an int made 1 when the key was present (even as null), for fields where
 * absence means "leave as it is", and VF_NULL an int made 1 when it was
 * null (a nullable field: "clear it"). The gate's struct starts zeroed, so a
 * struct shared by several specs is read only through fields every one of
 * them lists (or their zero-safe VF_SET flags). The spec ends with VF_END(struct type).
 */
struct vfield {
	const char		*name;	/* NULL ends the spec */
	enum vtype		 type;
	int			 required;
	size_t			 max;	/* string length, array size or int bound; 0 = none */
	const char *const	*choices;	/* VT_ENUM, NULL-terminated */
	size_t			 min;	/* least string length or array size */
	int			 nullable;	/* JSON null is accepted */
	double			 lo, hi;	/* VT_NUMBER's range, when range */
	int			 range;
	const char		*range_msg;	/* the 400's message outside it */
	int			 day_ok;	/* VT_DATE: "YYYY-MM-DD" is its midnight UTC */
	/* A string's own rule (the validator): nonzero when s is good; else
	 * an invalid_format issue with check_msg. */
	int			(*check)(const char *s);
	const char		*check_msg;
	size_t			 off;	/* offset of the typed value */
	size_t			 size;	/* its size; in the end entry the struct's */
	int			 has_set;	/* set_off names a presence flag */
	size_t			 set_off;
	int			 has_null;	/* null_off names a "was null" flag */
	size_t			 null_off;
};

#define VF_AT(type, member) \
	.off = offsetof(type, member), .size = sizeof(((type *)0)->member)
#define VF_SET(type, member) \
	.has_set = 1, .set_off = offsetof(type, member)
#define VF_NULL(type, member) \
	.has_null = 1, .null_off = offsetof(type, member)
#define VF_END(type)	{ .name = NULL, .size = sizeof(type) }

/* The ids as a JSON array text, as the statements take lists (per-request
 * memory); NULL when out of memory. */
const char	*valid_uuids_json(struct ctx *, const struct vuuids *);

/* The size a field of type t takes in an input struct. */
size_t	 valid_type_size(enum vtype t);

/*
 * Check obj against spec and, when out is not NULL, write each field's
 * typed value into out (a struct of the spec's VF_END size; values point
 * into obj, which must outlive them; arrays come from ctx_alloc). In query
 * mode values arrive as strings and "true"/"false" and decimal integers are
 * converted. Adds issues to ctx; returns PERR_NONE, PERR_VALIDATION, or
 * PERR_INTERNAL when out of memory.
 */
int	 valid_into(struct ctx *, const struct vfield *spec,
	    struct json_object *obj, int query_mode, void *out);

/* The end entry's struct size: what valid_into writes. */
size_t	 valid_spec_size(const struct vfield *spec);

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

#endif
