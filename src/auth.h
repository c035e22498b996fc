/*
 * auth.h: who is asking. Step 3 of the gate, and the cookies login sets.
 */
#ifndef AUTH_H
#define AUTH_H

#include "partnerd.h"
#include "db.h"

/* Which credential the request carries (ctx->cred). */
enum cred { CRED_NONE = 0, CRED_SESSION, CRED_KEY };

/* Parameters an authenticated statement may take besides the credential. */
#define AUTH_MAX_ARGS	16

/* Every permission an API key may carry (Immich's names); NULL-ended. */
extern const char *const permissions[];

/*
 * Authenticate the request for ctx->route. Public routes pass. Otherwise
 * the first credential found, in Immich's order (x-immich-user-token,
 * x-immich-session-token, Authorization: Bearer, cookie
 * immich_access_token, then x-api-key), must be valid; an API key must
 * carry the route's permission ("all" grants every one); admin routes need
 * an admin. Fills ctx->user_id, is_admin, session_id. Returns PERR_NONE,
 * PERR_UNAUTHENTICATED, PERR_FORBIDDEN or PERR_UNAVAILABLE.
 */
enum perr auth_check(struct ctx *);

/*
 * Find the credential, in the order above, and keep its SHA-256 in ctx (no
 * database yet). PERR_UNAUTHENTICATED "Authentication required" if none.
 */
enum perr auth_credential(struct ctx *);

/*
 * Run the authenticated statement pair st (stmts.h, AUTHED_PAIR) with args
 * after the credential: one round trip checks the credential and reads the
 * request's rows. The credential's rules are those of auth_check, applied
 * before any row reaches fn; fn gets each row without the credential
 * columns, and no row whose first request column is NULL. Returns
 * PERR_NONE (ctx->user_id set), PERR_UNAUTHENTICATED, PERR_FORBIDDEN,
 * PERR_UNAVAILABLE or PERR_INTERNAL (fn returned non-zero, or a database
 * error); rows fn saw before a failure are the caller's to discard.
 */
enum perr auth_query(struct ctx *, enum stmt st, const struct dbv *args,
	    size_t n, db_row_fn fn, void *arg);

/*
 * An error found before the credential was checked: the credential's own
 * failure comes first, as in Immich (guards before pipes). Returns the
 * authentication error, or e.
 */
enum perr auth_first(struct ctx *, enum perr e);

/* Does the comma-separated list grant perm ("all" grants everything)? */
int	 perm_granted(const char *list, const char *perm);

/* Set (token != NULL) or clear the three login cookies on the response. */
void	 auth_cookies(struct ctx *, const char *token);

#endif
