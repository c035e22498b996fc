/*
 * routes.c: the route table, as data. The gate matches path, then method;
 * flags, the API-key permission and the validation specs are enforced by
 * the gate before any handler runs. Permissions are Immich's names.
 */
#include "config.h"

#include <stddef.h>

#include "partnerd.h"
#include "handlers.h"
#include "valid.h"

#define PUBLIC	ROUTE_PUBLIC
#define ADMIN	ROUTE_ADMIN

const struct route routes[] = {
	/* method, pattern, handler, flags, API-key permission, body, query */
	{ METHOD_GET, "/api/server/ping", h_server_ping, PUBLIC, NULL, NULL, NULL },
	{ METHOD_GET, "/api/server/version", h_server_version, PUBLIC, NULL, NULL, NULL },
	{ METHOD_GET, "/api/server/about", h_server_about, 0, "server.about", NULL, NULL },

	{ METHOD_POST, "/api/auth/admin-sign-up", h_auth_admin_sign_up, PUBLIC, NULL, spec_sign_up, NULL },
	{ METHOD_POST, "/api/auth/login", h_auth_login, PUBLIC, NULL, spec_login, NULL },
	{ METHOD_POST, "/api/auth/logout", h_auth_logout, 0, NULL, NULL, NULL },
	{ METHOD_POST, "/api/auth/validateToken", h_auth_validate_token, 0, NULL, NULL, NULL },
	{ METHOD_POST, "/api/auth/change-password", h_auth_change_password, 0, "auth.changePassword", spec_change_password, NULL },

	{ METHOD_GET, "/api/users/me", h_users_me, 0, "user.read", NULL, NULL },
	{ METHOD_PUT, "/api/users/me", h_users_update_me, 0, "user.update", spec_update_me, NULL },
	{ METHOD_GET, "/api/users", h_users_list, 0, "user.read", NULL, NULL },
	{ METHOD_GET, "/api/users/:id", h_users_get, 0, "user.read", NULL, NULL },

	{ METHOD_POST, "/api/admin/users", h_admin_users_create, ADMIN, "adminUser.create", spec_admin_user_create, NULL },
	{ METHOD_GET, "/api/admin/users", h_admin_users_list, ADMIN, "adminUser.read", NULL, spec_admin_user_search },
	{ METHOD_GET, "/api/admin/users/:id", h_admin_users_get, ADMIN, "adminUser.read", NULL, NULL },
	{ METHOD_PUT, "/api/admin/users/:id", h_admin_users_update, ADMIN, "adminUser.update", spec_admin_user_update, NULL },
	{ METHOD_DELETE, "/api/admin/users/:id", h_admin_users_delete, ADMIN, "adminUser.delete", spec_admin_user_delete, NULL },

	{ METHOD_POST, "/api/api-keys", h_api_keys_create, 0, "apiKey.create", spec_api_key_create, NULL },
	{ METHOD_GET, "/api/api-keys", h_api_keys_list, 0, "apiKey.read", NULL, NULL },
	{ METHOD_GET, "/api/api-keys/:id", h_api_keys_get, 0, "apiKey.read", NULL, NULL },
	{ METHOD_DELETE, "/api/api-keys/:id", h_api_keys_delete, 0, "apiKey.delete", NULL, NULL },
};

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
