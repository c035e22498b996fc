/* valid.c: the declarative field walker; see valid.h. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "partnerd.h"
#include "valid.h"

static const char *const vtype_expected[VT__MAX] = {
	[VT_STRING] = "string", [VT_BOOL] = "boolean", [VT_INT] = "number",
	[VT_UUID] = "string", [VT_EMAIL] = "string", [VT_ENUM] = "string",
	[VT_UUID_ARRAY] = "array", [VT_ENUM_ARRAY] = "array", [VT_NUMBER] = "number",
	[VT_DATE] = "string",
};

/* The name zod gives a received value's type. */
static const char *
received(struct json_object *v)
{
	if (v == NULL)
		return "undefined";
	switch (json_object_get_type(v)) {
	case json_type_null:	return "null";
	case json_type_boolean:	return "boolean";
	case json_type_double:
	case json_type_int:	return "number";
	case json_type_object:	return "object";
	case json_type_array:	return "array";
	case json_type_string:	return "string";
	}
	return "unknown";
}

int
valid_uuid4(const char *s)
{
	size_t	 i;

	if (s == NULL || strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i]))
			return 0;
	}
	return s[14] == '4' && strchr("89abAB", s[19]) != NULL;
}

int
valid_utf8(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s, *e = p + n;
	unsigned		 c, need, min;

	while (p < e) {
		c = *p++;
		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, min = 0x80, c &= 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, min = 0x800, c &= 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, min = 0x10000, c &= 0x07;
		else
			return 0;
		if ((size_t)(e - p) < need)
			return 0;
		for (; need > 0; need--, p++) {
			if ((*p & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (*p & 0x3f);
		}
		/* Overlong forms, UTF-16 surrogates and beyond U+10FFFF. */
		if (c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
			return 0;
	}
	return 1;
}

void
valid_uuid_lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Validate a UUID JSON string and store it lower-case, once, for every handler. */
static int
uuid_normalise(struct json_object *v)
{
	char	 u[37];

	if (!json_object_is_type(v, json_type_string) ||
	    !valid_uuid4(json_object_get_string(v)))
		return -1;
	memcpy(u, json_object_get_string(v), sizeof(u));
	valid_uuid_lower(u);
	return json_object_set_string(v, u) ? 0 : -1;
}

int
valid_email(const char *s)
{
	const char	*at, *dot;
	size_t		 i;

	if (s == NULL || (at = strchr(s, '@')) == NULL || at == s ||
	    strchr(at + 1, '@') != NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return 0;
	dot = strrchr(at + 1, '.');
	return dot != NULL && dot > at + 1 && dot[1] != '\0';
}

int
valid_date(const char *s)
{
	static const int	 mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int			 y, m, d, n = 0;

	if (s == NULL || strlen(s) != 10 || strspn(s, "0123456789") != 4 ||
	    s[4] != '-' || strspn(s + 5, "0123456789") != 2 || s[7] != '-' ||
	    strspn(s + 8, "0123456789") != 2 ||
	    sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return 0;
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	return !(m == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0)));
}

static int
issue_type(struct ctx *ctx, const struct vfield *f, struct json_object *v)
{
	char	 msg[128];

	snprintf(msg, sizeof(msg), "Invalid input: expected %s, received %s",
	    vtype_expected[f->type], received(v));
	return ctx_invalid(ctx, f->name, "invalid_type", msg);
}

/* Convert a query-string value to the JSON type the field wants. */
static int
query_convert(struct ctx *ctx, const struct vfield *f, struct json_object *obj,
    struct json_object **v)
{
	const char		*s = json_object_get_string(*v);
	struct json_object	*nv = NULL;
	long long		 n;
	char			*end;

	if (f->type == VT_BOOL) {
		/* Immich v3 accepts exactly "true" and "false". */
		if (strcmp(s, "true") == 0)
			nv = json_object_new_boolean(1);
		else if (strcmp(s, "false") == 0)
			nv = json_object_new_boolean(0);
		else
			return issue_type(ctx, f, *v);
	} else if (f->type == VT_INT) {
		errno = 0;
		n = strtoll(s, &end, 10);
		if (*s == '\0' || *end != '\0' || errno != 0)
			return issue_type(ctx, f, *v);
		nv = json_object_new_int64(n);
	} else
		return PERR_NONE;
	if (nv == NULL)
		return PERR_INTERNAL;
	json_object_object_add(obj, f->name, nv);
	*v = nv;
	return PERR_NONE;
}

static int
check_string(struct ctx *ctx, const struct vfield *f, struct json_object *v)
{
	const char	*s;
	char		 msg[256];
	size_t		 len, i, n;

	if (!json_object_is_type(v, json_type_string))
		return issue_type(ctx, f, v);
	s = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (strlen(s) != len)
		return ctx_invalid(ctx, f->name, "invalid_format",
		    "Invalid input: string contains NUL");
	/* MariaDB's strict mode would answer a 500 for these bytes. */
	if (!valid_utf8(s, len))
		return ctx_invalid(ctx, f->name, "invalid_format",
		    "Invalid input: string is not valid UTF-8");
	switch (f->type) {
	case VT_UUID:
		if (uuid_normalise(v) != 0)
			return ctx_invalid(ctx, f->name, "invalid_format", "Invalid UUID");
		return PERR_NONE;
	case VT_EMAIL:
		if (!valid_email(s))
			return ctx_invalid(ctx, f->name, "invalid_format",
			    "Invalid email address");
		break;
	case VT_DATE:
		if (!valid_date(s))
			return ctx_invalid(ctx, f->name, "invalid_format",
			    "Invalid ISO date: expected YYYY-MM-DD");
		return PERR_NONE;
	case VT_ENUM:
		for (i = 0; f->choices[i] != NULL; i++)
			if (strcmp(s, f->choices[i]) == 0)
				return PERR_NONE;
		n = (size_t)snprintf(msg, sizeof(msg), "Invalid option: expected one of ");
		for (i = 0; f->choices[i] != NULL && n < sizeof(msg); i++)
			n += (size_t)snprintf(msg + n, sizeof(msg) - n, "%s\"%s\"",
			    i ? "|" : "", f->choices[i]);
		return ctx_invalid(ctx, f->name, "invalid_value", msg);
	default:
		break;
	}
	if (len < f->min) {
		snprintf(msg, sizeof(msg),
		    "Too small: expected string to have >=%zu characters", f->min);
		return ctx_invalid(ctx, f->name, "too_small", msg);
	}
	if (f->max > 0 && len > f->max) {
		snprintf(msg, sizeof(msg),
		    "Too big: expected string to have <=%zu characters", f->max);
		return ctx_invalid(ctx, f->name, "too_big", msg);
	}
	return PERR_NONE;
}

static int
check_field(struct ctx *ctx, const struct vfield *f, struct json_object *v)
{
	char	 msg[128];
	size_t	 i, n;

	switch (f->type) {
	case VT_BOOL:
		if (!json_object_is_type(v, json_type_boolean))
			return issue_type(ctx, f, v);
		return PERR_NONE;
	case VT_INT: {
		/* No field takes a negative; json-c clamps overflow to INT64_MAX. */
		int64_t	 x, top = f->max > 0 ? (int64_t)f->max : INT64_MAX - 1;

		if (!json_object_is_type(v, json_type_int))
			return issue_type(ctx, f, v);
		x = json_object_get_int64(v);
		if (x < 0)
			return ctx_invalid(ctx, f->name, "too_small",
			    "Too small: expected number to be >=0");
		if (x > top) {
			snprintf(msg, sizeof(msg),
			    "Too big: expected number to be <=%lld", (long long)top);
			return ctx_invalid(ctx, f->name, "too_big", msg);
		}
		return PERR_NONE;
	}
	case VT_UUID_ARRAY:
		if (!json_object_is_type(v, json_type_array))
			return issue_type(ctx, f, v);
		n = json_object_array_length(v);
		if (f->max > 0 && n > f->max) {
			snprintf(msg, sizeof(msg),
			    "Too big: expected array to have <=%zu items", f->max);
			return ctx_invalid(ctx, f->name, "too_big", msg);
		}
		for (i = 0; i < n; i++)
			if (uuid_normalise(json_object_array_get_idx(v, i)) != 0)
				return ctx_invalid(ctx, f->name, "invalid_format",
				    "Invalid UUID");
		return PERR_NONE;
	case VT_NUMBER:
		if (!json_object_is_type(v, json_type_int) &&
		    !json_object_is_type(v, json_type_double))
			return issue_type(ctx, f, v);
		return PERR_NONE;
	case VT_ENUM_ARRAY:
		if (!json_object_is_type(v, json_type_array))
			return issue_type(ctx, f, v);
		n = json_object_array_length(v);
		if (n < f->min) {
			snprintf(msg, sizeof(msg),
			    "Too small: expected array to have >=%zu items", f->min);
			return ctx_invalid(ctx, f->name, "too_small", msg);
		}
		for (i = 0; i < n; i++) {
			struct vfield	 ef = *f;

			ef.type = VT_ENUM;
			if (check_string(ctx, &ef,
			    json_object_array_get_idx(v, i)) != PERR_NONE)
				return PERR_VALIDATION;
		}
		return PERR_NONE;
	default:
		return check_string(ctx, f, v);
	}
}

int
valid_object(struct ctx *ctx, const struct vfield *spec, struct json_object *obj,
    int query_mode)
{
	const struct vfield	*f;
	struct json_object	*v;
	char			 msg[160];
	int			 e, rc = PERR_NONE;

	if (obj == NULL || !json_object_is_type(obj, json_type_object)) {
		snprintf(msg, sizeof(msg),
		    "Invalid input: expected object, received %s", received(obj));
		return ctx_invalid(ctx, NULL, "invalid_type", msg);
	}
	/* Unknown fields are refused, not silently dropped. */
	json_object_object_foreach(obj, key, val) {
		(void)val;
		for (f = spec; f->name != NULL; f++)
			if (strcmp(f->name, key) == 0)
				break;
		if (f->name == NULL) {
			snprintf(msg, sizeof(msg), "Unrecognized key: \"%.100s\"", key);
			rc = ctx_invalid(ctx, NULL, "unrecognized_keys", msg);
		}
	}
	for (f = spec; f->name != NULL; f++) {
		if (!json_object_object_get_ex(obj, f->name, &v)) {
			if (f->required)
				rc = issue_type(ctx, f, NULL);
			continue;
		}
		if (query_mode) {
			if (!json_object_is_type(v, json_type_string)) {
				rc = issue_type(ctx, f, v);
				continue;
			}
			if ((e = query_convert(ctx, f, obj, &v)) != PERR_NONE) {
				if (e == PERR_INTERNAL)
					return e;
				rc = e;
				continue;
			}
		}
		if (v == NULL && f->nullable)
			continue;	/* JSON null, where the field allows it */
		if (v == NULL) {	/* present, and null: not "undefined" */
			snprintf(msg, sizeof(msg), "Invalid input: expected %s, "
			    "received null", vtype_expected[f->type]);
			rc = ctx_invalid(ctx, f->name, "invalid_type", msg);
			continue;
		}
		if ((e = check_field(ctx, f, v)) != PERR_NONE)
			rc = e;
	}
	return rc;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Percent-decode [s, s+n) into a new string; NULL on malformed escapes. */
static char *
url_decode(const char *s, size_t n)
{
	char	*out, *o;
	size_t	 i;
	int	 hi, lo;

	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0, o = out; i < n; i++) {
		if (s[i] == '+')
			*o++ = ' ';
		else if (s[i] == '%') {
			if (i + 2 >= n)
				goto bad;
			if ((hi = hexval((unsigned char)s[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)s[i + 2])) < 0)
				goto bad;
			if (hi == 0 && lo == 0)
				goto bad;	/* no NUL inside strings */
			*o++ = (char)(hi << 4 | lo);
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

struct json_object *
valid_parse_query(struct ctx *ctx, const char *qs)
{
	struct json_object	*obj, *old;
	const char		*p = qs, *amp, *eq;
	char			*k, *v;
	size_t			 count = 0;

	if ((obj = json_object_new_object()) == NULL)
		return NULL;
	while (p != NULL && *p != '\0') {
		amp = strchr(p, '&');
		if (amp == NULL)
			amp = p + strlen(p);
		if (amp == p) {
			p++;
			continue;
		}
		if (++count > 64) {
			ctx_invalid(ctx, NULL, "too_big", "Too many query parameters");
			goto fail;
		}
		eq = memchr(p, '=', (size_t)(amp - p));
		k = url_decode(p, (size_t)((eq ? eq : amp) - p));
		v = eq ? url_decode(eq + 1, (size_t)(amp - eq - 1)) : strdup("");
		if (k == NULL || v == NULL) {
			free(k);
			free(v);
			ctx_invalid(ctx, NULL, "invalid_format",
			    "Malformed query string");
			goto fail;
		}
		if (json_object_object_get_ex(obj, k, &old)) {
			/* A repeated key is an array to Immich; no field takes one. */
			char msg[160];

			snprintf(msg, sizeof(msg),
			    "Invalid input: expected string, received array");
			ctx_invalid(ctx, k, "invalid_type", msg);
			free(k);
			free(v);
			goto fail;
		}
		json_object_object_add(obj, k, json_object_new_string(v));
		free(k);
		free(v);
		p = *amp ? amp + 1 : amp;
	}
	return obj;
fail:
	json_object_put(obj);
	return NULL;
}

const char *
valid_get_str(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int
valid_get_bool(struct json_object *o, const char *key, int def)
{
	struct json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_boolean))
		return def;
	return json_object_get_boolean(v);
}

int
valid_has(struct json_object *o, const char *key)
{
	return o != NULL && json_object_object_get_ex(o, key, NULL);
}

int
valid_bbox(struct ctx *ctx, const char *s, double v[4], char *box, size_t boxsz)
{
	char	*end, buf[256];
	char	*p, *save = NULL;
	int	 n = 0;

	snprintf(buf, sizeof(buf), "%s", s);
	for (p = strtok_r(buf, ",", &save); p != NULL; p = strtok_r(NULL, ",", &save)) {
		if (n == 4)
			return ctx_fail(ctx, PERR_BAD_REQUEST,
			    "bbox must have 4 comma-separated numbers: west,south,east,north");
		errno = 0;
		v[n] = strtod(p, &end);
		if (*p == '\0' || *end != '\0' || errno != 0 || !isfinite(v[n]))
			return ctx_fail(ctx, PERR_BAD_REQUEST, "bbox parts must be valid numbers");
		n++;
	}
	if (n != 4)
		return ctx_fail(ctx, PERR_BAD_REQUEST,
		    "bbox must have 4 comma-separated numbers: west,south,east,north");
	if (fabs(v[0]) > 180 || fabs(v[2]) > 180 || fabs(v[1]) > 90 || fabs(v[3]) > 90)
		return ctx_fail(ctx, PERR_BAD_REQUEST, "bbox longitudes must be "
		    "within -180..180 and latitudes within -90..90");
	/* Across the antimeridian (west > east) the box is two ranges. */
	snprintf(box, boxsz, "[%.17g,%.17g,%.17g,%.17g,%.17g,%.17g]",
	    v[1], v[3], v[0], v[0] <= v[2] ? v[2] : 180.0,
	    v[0] <= v[2] ? v[0] : -180.0, v[2]);
	return PERR_NONE;
}
