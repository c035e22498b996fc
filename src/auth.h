/*
 * auth.h: who is asking. Step 3 of the gate, and the cookies login sets.
 */
#ifndef AUTH_H
#define AUTH_H

struct ctx;

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
int	 auth_check(struct ctx *);

/* Does the comma-separated list grant perm ("all" grants everything)? */
int	 perm_granted(const char *list, const char *perm);

/* Set (token != NULL) or clear the three login cookies on the response. */
void	 auth_cookies(struct ctx *, const char *token);

#endif
