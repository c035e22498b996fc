/*
 * auth.c: credentials; see auth.h.
 *
 * Tokens and API secrets are 256 bits from the OS; only their SHA-256 is
 * stored, so the lookup is by hash and a database leak yields no usable
 * credential. Shared-link keys and query-string credentials (sessionKey,
 * apiKey) are not accepted: they end up in web server access logs.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "partnerd.h"
#include "access.h"
#include "auth.h"
#include "crypto.h"
#include "db.h"
#include "valid.h"

const char *const permissions[] = {
	"all",
	"activity.create", "activity.read", "activity.update", "activity.delete",
	"activity.statistics",
	"apiKey.create", "apiKey.read", "apiKey.update", "apiKey.delete",
	"asset.read", "asset.update", "asset.delete", "asset.statistics",
	"asset.share", "asset.view", "asset.download", "asset.upload",
	"asset.replace", "asset.copy",
	"album.create", "album.read", "album.update", "album.delete",
	"album.statistics", "album.share", "album.download",
	"albumAsset.create", "albumAsset.delete",
	"albumUser.create", "albumUser.update", "albumUser.delete",
	"archive.read", "auth.changePassword", "map.read",
	"partner.create", "partner.read", "partner.update", "partner.delete",
	"server.about", "server.apkLinks", "server.storage", "server.statistics",
	"server.versionCheck",
	"session.create", "session.read", "session.update", "session.delete",
	"session.lock",
	"timeline.read", "timeline.download",
	"user.read", "user.update",
	"userProfileImage.read", "userProfileImage.update",
	"userProfileImage.delete",
	"adminUser.create", "adminUser.read", "adminUser.update",
	"adminUser.delete",
	NULL,
};

/* The value of cookie name in a Cookie header, copied into out. */
static const char *
cookie_get(const char *header, const char *name, char *out, size_t outsz)
{
	const char	*p = header, *e;
	size_t		 n = strlen(name), vl;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == ';')
			p++;
		e = strchr(p, ';');
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			p += n + 1;
			vl = e ? (size_t)(e - p) : strlen(p);
			if (vl >= outsz)
				return NULL;
			memcpy(out, p, vl);
			out[vl] = '\0';
			return out;
		}
		p = e;
	}
	return NULL;
}

int
perm_granted(const char *list, const char *perm)
{
	const char	*p = list, *e;
	size_t		 n;

	while (p != NULL && *p != '\0') {
		e = strchr(p, ',');
		n = e ? (size_t)(e - p) : strlen(p);
		if ((n == 3 && strncmp(p, "all", 3) == 0) ||
		    (perm != NULL && n == strlen(perm) && strncmp(p, perm, n) == 0))
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

/* Find the session token, in Immich's order; NULL if none is given. */
static const char *
session_token(struct ctx *ctx, char *buf, size_t bufsz)
{
	const char	*v;

	if ((v = req_param(ctx->req, "HTTP_X_IMMICH_USER_TOKEN")) != NULL)
		return v;
	if ((v = req_param(ctx->req, "HTTP_X_IMMICH_SESSION_TOKEN")) != NULL)
		return v;
	if ((v = req_param(ctx->req, "HTTP_AUTHORIZATION")) != NULL &&
	    strncasecmp(v, "Bearer ", 7) == 0) {
		for (v += 7; *v == ' '; v++)
			;
		return v;
	}
	if ((v = req_param(ctx->req, "HTTP_COOKIE")) != NULL &&
	    (v = cookie_get(v, "immich_access_token", buf, bufsz)) != NULL) {
		ctx->cred_cookie = 1;	/* the gate's cross-site check applies */
		return v;
	}
	return NULL;
}

/* Find the credential, in Immich's order, and keep its SHA-256 in ctx. */
static enum perr
auth_credential(struct ctx *ctx)
{
	const char	*tok, *key;
	char		 cbuf[256];

	if ((tok = session_token(ctx, cbuf, sizeof(cbuf))) != NULL) {
		token_hash(tok, ctx->cred_hash);
		ctx->cred = CRED_SESSION;
	} else if ((key = req_param(ctx->req, "HTTP_X_API_KEY")) != NULL) {
		token_hash(key, ctx->cred_hash);
		ctx->cred = CRED_KEY;
	} else
		return ctx_fail(ctx, PERR_UNAUTHENTICATED, "Authentication required");
	sodium_memzero(cbuf, sizeof(cbuf));
	return PERR_NONE;
}

struct cred_row {
	struct ctx	*ctx;
	int		 seen;	/* the credential row arrived */
	int		 touch;	/* the session's last use is due to be written */
};

static int
cred_row(void *arg, const struct db_row *row)
{
	struct cred_row	*c = arg;
	struct ctx	*ctx = c->ctx;

	if (c->seen++)	/* a read's further rows (the timeline read's) */
		return access_auth_row(ctx, row);
	snprintf(ctx->user_id, sizeof(ctx->user_id), "%s", row->val[1]);
	ctx->is_admin = row->val[2][0] == '1';
	if (ctx->cred == CRED_SESSION)
		snprintf(ctx->session_id, sizeof(ctx->session_id), "%s", row->val[0]);
	else {
		ctx->via_api_key = 1;
		snprintf(ctx->key_perms, sizeof(ctx->key_perms), "%s",
		    row->val[3] ? row->val[3] : "");
	}
	c->touch = row->val[4] != NULL && row->val[4][0] == '1';
	ctx->version = strtoull(row->val[5], NULL, 10);
	/* The access column and the read's columns (access.h). */
	return access_auth_row(ctx, row);
}

enum perr
auth_check(struct ctx *ctx, enum stmt st, const struct dbv *arg)
{
	struct cred_row	 c = { ctx, 0, 0 };
	struct dbv	 a[2];
	int		 rc;

	ctx->path_decided = 0;
	if (ctx->route->flags & ROUTE_PUBLIC)
		return PERR_NONE;
	if (auth_credential(ctx) != PERR_NONE)
		return PERR_UNAUTHENTICATED;
	a[0] = DBV_BLOB(ctx->cred_hash, sizeof(ctx->cred_hash));
	if (st != STMT_AUTH)
		a[1] = *arg;
	rc = db_query(ctx->db, ctx->cred == CRED_KEY ? st + 1 : st, a,
	    st == STMT_AUTH ? 1 : 2, cred_row, &c);
	if (db_failed(rc)) {
		ctx->user_id[0] = '\0';
		return perr_from_db(rc);
	}
	if (!c.seen)
		return ctx_fail(ctx, PERR_UNAUTHENTICATED, ctx->cred == CRED_KEY ?
		    "Invalid API key" : "Invalid user token");
	if (c.touch) {
		struct dbv	 t[1] = { DBV_STR(ctx->session_id) };

		(void)db_exec(ctx->db, STMT_SESSION_TOUCH, t, 1, NULL);
	}
	return PERR_NONE;
}

enum perr
auth_permission(struct ctx *ctx)
{
	const struct route	*r = ctx->route;

	if (r->flags & ROUTE_PUBLIC)
		return PERR_NONE;
	/* A route with no declared permission needs "all" from a key. */
	if (ctx->via_api_key && !perm_granted(ctx->key_perms, r->perm))
		return ctx_fail(ctx, PERR_FORBIDDEN, "Missing required permission: %s",
		    r->perm ? r->perm : "all");
	if ((r->flags & ROUTE_ADMIN) && !ctx->is_admin)
		return ctx_fail(ctx, PERR_FORBIDDEN, "Forbidden");
	return PERR_NONE;
}

void
auth_cookies(struct ctx *ctx, const char *token)
{
	/* Immich's attributes: path /, SameSite Lax, 400 days, HttpOnly but
	 * for immich_is_authenticated, Secure over HTTPS. */
	static const char	 age[] = "Max-Age=34560000";
	static const char	 gone[] = "Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
	const char		*https = req_param(ctx->req, "HTTPS");
	const char		*sec = https && strcasecmp(https, "on") == 0 ?
				    "; Secure" : "";
	char			 c[256];

	snprintf(c, sizeof(c), "immich_access_token=%s; %s; Path=/; HttpOnly; "
	    "SameSite=Lax%s", token ? token : "", token ? age : gone, sec);
	resp_header(ctx->resp, "Set-Cookie", c);
	snprintf(c, sizeof(c), "immich_auth_type=%s; %s; Path=/; HttpOnly; "
	    "SameSite=Lax%s", token ? "password" : "", token ? age : gone, sec);
	resp_header(ctx->resp, "Set-Cookie", c);
	snprintf(c, sizeof(c), "immich_is_authenticated=%s; %s; Path=/; "
	    "SameSite=Lax%s", token ? "true" : "", token ? age : gone, sec);
	resp_header(ctx->resp, "Set-Cookie", c);
	sodium_memzero(c, sizeof(c));
}
