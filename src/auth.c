/* auth.c: credentials; see auth.h. */
#include "config.h"

#include "partnerd.h"
#include "auth.h"

int
auth_check(struct ctx *ctx)
{
	if (ctx->route->flags & ROUTE_PUBLIC)
		return PERR_NONE;
	return ctx_fail(ctx, PERR_UNAUTHENTICATED, "Authentication required");
}
