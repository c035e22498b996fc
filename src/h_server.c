/* h_server.c: the /api/server routes: liveness, API level, about and the public config. */
#include "config.h"

#include <stdio.h>

#include <json-c/json.h>

#include "partnerd.h"
#include "handlers.h"
#include "db.h"
#include "users.h"

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

/*
 * ServerConfigDto, public as in Immich: the web app reads it before
 * sign-in. isInitialized says whether an admin exists (else the app offers
 * the admin sign-up). The map style URLs stay empty (partnerd serves no
 * MapLibre style); mapTileUrl, partnerd's own, is map_tile_url from
 * partnerd.conf, the raster tiles the web app's map draws ("" = none).
 */
enum perr
h_server_config(struct ctx *ctx)
{
	struct json_object	*o;
	const char		*tiles = ctx->app->conf->map_tile_url;
	char			 id[64];
	int			 rc;

	rc = db_query_str(ctx->db, STMT_USER_ADMIN_EXISTS, NULL, 0, id, sizeof(id));
	if (db_failed(rc))
		return perr_from_db(rc);
	o = json_object_new_object();
	json_object_object_add(o, "loginPageMessage", json_object_new_string(""));
	json_object_object_add(o, "trashDays", json_object_new_int(30));
	json_object_object_add(o, "userDeleteDelay", json_object_new_int(7));
	json_object_object_add(o, "oauthButtonText", json_object_new_string(""));
	json_object_object_add(o, "isInitialized", json_object_new_boolean(rc == DB_OK));
	json_object_object_add(o, "isOnboarded", json_object_new_boolean(rc == DB_OK));
	json_object_object_add(o, "externalDomain", json_object_new_string(""));
	json_object_object_add(o, "publicUsers", json_object_new_boolean(1));
	json_object_object_add(o, "mapDarkStyleUrl", json_object_new_string(""));
	json_object_object_add(o, "mapLightStyleUrl", json_object_new_string(""));
	json_object_object_add(o, "maintenanceMode", json_object_new_boolean(0));
	json_object_object_add(o, "minFaces", json_object_new_int(3));
	json_object_object_add(o, "mapTileUrl",
	    json_object_new_string(tiles ? tiles : ""));
	return resp_json(ctx->resp, 200, o) ? PERR_INTERNAL : PERR_NONE;
}
