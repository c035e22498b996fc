/*
 * auth.h: who is asking. Step 3 of the gate, and the cookies login sets.
 */
#ifndef AUTH_H
#define AUTH_H

#include "partnerd.h"
#include "db.h"

/* Which credential the request carries (ctx->cred). */
enum cred { CRED_NONE = 0, CRED_SESSION, CRED_KEY };

/* Every permission an API key may carry (Immich's names); NULL-ended. */
extern const char *const permissions[];

/*
 * The gate's credential step. Public routes pass. Otherwise the first
 * credential found, in Immich's order (x-immich-user-token,
 * x-immich-session-token, Authorization: Bearer, cookie
 * immich_access_token, then x-api-key), must be valid: one credential
 * statement st (STMT_AUTH, or a credential read's with its parameter
 * *arg: access_auth_stmt) fills ctx->user_id, is_admin, session_id,
 * key_perms, version (the caller's change counter) and what the read
 * reads (access_auth_row: path_decided, 1 when st decided the path's
 * access, and path_row, the path read's row when granted; or read_rows).
 * Returns PERR_NONE, PERR_UNAUTHENTICATED, PERR_UNAVAILABLE or
 * PERR_INTERNAL.
 */
struct dbv;
enum perr auth_check(struct ctx *, enum stmt st, const struct dbv *arg);

/*
 * The gate's permission step: an API key must carry the route's
 * permission ("all" grants every one); admin routes need an admin.
 * PERR_NONE or PERR_FORBIDDEN.
 */
enum perr auth_permission(struct ctx *);

/* Does the comma-separated list grant perm ("all" grants everything)? */
int	 perm_granted(const char *list, const char *perm);

/* Set (token != NULL) or clear the three login cookies on the response. */
void	 auth_cookies(struct ctx *, const char *token);

#endif
