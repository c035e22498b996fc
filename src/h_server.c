/* h_server.c: the /api/server routes: liveness, API level and about. */
#include "config.h"

#include <stdio.h>

#include <json-c/json.h>

#include "partnerd.h"
#include "handlers.h"

/* The Immich API level partnerd speaks. */
#define IMMICH_MAJOR	3
#define IMMICH_MINOR	1
#define IMMICH_PATCH	0

enum perr
h_server_ping(struct ctx *ctx)
{
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "res", json_object_new_string("pong"));
	return resp_json(ctx->resp, 200, o) ? PERR_INTERNAL : PERR_NONE;
}

enum perr
h_server_version(struct ctx *ctx)
{
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "major", json_object_new_int(IMMICH_MAJOR));
	json_object_object_add(o, "minor", json_object_new_int(IMMICH_MINOR));
	json_object_object_add(o, "patch", json_object_new_int(IMMICH_PATCH));
	return resp_json(ctx->resp, 200, o) ? PERR_INTERNAL : PERR_NONE;
}

enum perr
h_server_about(struct ctx *ctx)
{
	struct json_object	*o = json_object_new_object();
	char			 v[32];

	snprintf(v, sizeof(v), "v%d.%d.%d", IMMICH_MAJOR, IMMICH_MINOR,
	    IMMICH_PATCH);
	/* ServerAboutResponseDto's required fields, then partnerd's own. */
	json_object_object_add(o, "version", json_object_new_string(v));
	json_object_object_add(o, "versionUrl", json_object_new_string(""));
	json_object_object_add(o, "licensed", json_object_new_boolean(0));
	json_object_object_add(o, "repository", json_object_new_string("partnerd"));
	json_object_object_add(o, "sourceRef",
	    json_object_new_string(ctx->app->version));
	json_object_object_add(o, "partnerd",
	    json_object_new_string(ctx->app->version));
	return resp_json(ctx->resp, 200, o) ? PERR_INTERNAL : PERR_NONE;
}
