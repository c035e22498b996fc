/*
 * routes.c: the route table, as data. The gate matches path, then method;
 * flags, the API-key permission and the validation specs are enforced by
 * the gate before any handler runs.
 */
#include "config.h"

#include <stddef.h>

#include "partnerd.h"
#include "handlers.h"
#include "valid.h"

const struct route routes[] = {
	{ METHOD_GET, "/api/server/ping", h_server_ping, ROUTE_PUBLIC, NULL, NULL, NULL },
	{ METHOD_GET, "/api/server/version", h_server_version, ROUTE_PUBLIC, NULL, NULL, NULL },
	{ METHOD_GET, "/api/server/about", h_server_about, 0, "server.about", NULL, NULL },
};

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
