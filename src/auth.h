/*
 * auth.h: who is asking. Step 3 of the gate.
 */
#ifndef AUTH_H
#define AUTH_H

struct ctx;

/*
 * Authenticate the request for ctx->route: public routes pass; otherwise
 * the first credential found (Immich's order) must be valid, and an API key
 * must carry the route's permission. Fills ctx->user_id. Returns PERR_NONE,
 * PERR_UNAUTHENTICATED, PERR_FORBIDDEN or PERR_UNAVAILABLE.
 */
int	 auth_check(struct ctx *);

#endif
