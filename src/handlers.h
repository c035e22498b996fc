/*
 * handlers.h: every route handler, one file per resource (h_*.c). Each takes
 * the request context, fills ctx->resp on success and returns PERR_NONE, or
 * returns an error (with ctx_fail for a specific message). Handlers never
 * repeat routing, authentication or validation: the gate did those.
 */
#ifndef HANDLERS_H
#define HANDLERS_H

#include "partnerd.h"

/* h_server.c */
enum perr	 h_server_ping(struct ctx *);
enum perr	 h_server_version(struct ctx *);
enum perr	 h_server_about(struct ctx *);

#endif
