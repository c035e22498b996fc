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
#define SELF	ROUTE_SELF_AUTH	/* the busiest reads: one round trip */
#define HASH	ROUTE_HASH	/* computes Argon2: a bounded number at once */

const struct route routes[] = {
	/* method, pattern, handler, flags, API-key permission, body, query */
	{ METHOD_GET, "/api/server/ping", h_server_ping, PUBLIC, NULL, NULL, NULL },
	{ METHOD_GET, "/api/server/version", h_server_version, PUBLIC, NULL, NULL, NULL },
	{ METHOD_GET, "/api/server/about", h_server_about, 0, "server.about", NULL, NULL },
	{ METHOD_GET, "/api/server/config", h_server_config, PUBLIC, NULL, NULL, NULL },

	{ METHOD_POST, "/api/auth/admin-sign-up", h_auth_admin_sign_up, PUBLIC | HASH, NULL, spec_sign_up, NULL },
	{ METHOD_POST, "/api/auth/login", h_auth_login, PUBLIC | HASH, NULL, spec_login, NULL },
	{ METHOD_POST, "/api/auth/logout", h_auth_logout, 0, NULL, NULL, NULL },
	{ METHOD_POST, "/api/auth/validateToken", h_auth_validate_token, 0, NULL, NULL, NULL },
	{ METHOD_POST, "/api/auth/change-password", h_auth_change_password, HASH, "auth.changePassword", spec_change_password, NULL },

	{ METHOD_GET, "/api/users/me", h_users_me, 0, "user.read", NULL, NULL },
	{ METHOD_PUT, "/api/users/me", h_users_update_me, HASH, "user.update", spec_update_me, NULL },
	{ METHOD_GET, "/api/users", h_users_list, 0, "user.read", NULL, NULL },
	{ METHOD_GET, "/api/users/:id", h_users_get, 0, "user.read", NULL, NULL },

	{ METHOD_POST, "/api/admin/users", h_admin_users_create, ADMIN | HASH, "adminUser.create", spec_admin_user_create, NULL },
	{ METHOD_GET, "/api/admin/users", h_admin_users_list, ADMIN, "adminUser.read", NULL, spec_admin_user_search },
	{ METHOD_GET, "/api/admin/users/:id", h_admin_users_get, ADMIN, "adminUser.read", NULL, NULL },
	{ METHOD_PUT, "/api/admin/users/:id", h_admin_users_update, ADMIN | HASH, "adminUser.update", spec_admin_user_update, NULL },
	{ METHOD_POST, "/api/admin/users/:id/restore", h_admin_users_restore, ADMIN, "adminUser.delete", NULL, NULL },
	{ METHOD_DELETE, "/api/admin/users/:id", h_admin_users_delete, ADMIN, "adminUser.delete", spec_admin_user_delete, NULL },

	{ METHOD_POST, "/api/api-keys", h_api_keys_create, 0, "apiKey.create", spec_api_key_create, NULL },
	{ METHOD_GET, "/api/api-keys", h_api_keys_list, 0, "apiKey.read", NULL, NULL },
	{ METHOD_GET, "/api/api-keys/:id", h_api_keys_get, 0, "apiKey.read", NULL, NULL },
	{ METHOD_DELETE, "/api/api-keys/:id", h_api_keys_delete, 0, "apiKey.delete", NULL, NULL },

	{ METHOD_GET, "/api/sessions", h_sessions_list, 0, "session.read", NULL, NULL },
	{ METHOD_DELETE, "/api/sessions", h_sessions_delete_others, 0, "session.delete", NULL, NULL },
	{ METHOD_DELETE, "/api/sessions/:id", h_sessions_delete, 0, "session.delete", NULL, NULL },

	{ METHOD_POST, "/api/assets", h_assets_upload, ROUTE_STREAM, "asset.upload", NULL, NULL },
	{ METHOD_PUT, "/api/assets", h_assets_update_many, 0, "asset.update", spec_asset_bulk_update, NULL },
	{ METHOD_PATCH, "/api/assets", h_assets_update_many, 0, "asset.update", spec_asset_bulk_update, NULL },
	{ METHOD_DELETE, "/api/assets", h_assets_delete, 0, "asset.delete", spec_asset_delete, NULL },
	{ METHOD_GET, "/api/assets/:id", h_assets_get, SELF, "asset.read", NULL, NULL },
	{ METHOD_PUT, "/api/assets/:id", h_assets_update, 0, "asset.update", spec_asset_update, NULL },
	{ METHOD_GET, "/api/assets/:id/original", h_assets_original, SELF, "asset.download", NULL, NULL },
	{ METHOD_GET, "/api/assets/:id/thumbnail", h_assets_thumbnail, SELF, "asset.view", NULL, spec_thumbnail_query },
	{ METHOD_GET, "/api/assets/:id/video/playback", h_assets_playback, SELF, "asset.view", NULL, NULL },
	{ METHOD_POST, "/api/trash/restore", h_trash_restore, 0, "asset.delete", NULL, NULL },
	{ METHOD_POST, "/api/trash/restore/assets", h_trash_restore_assets, 0, "asset.delete", spec_asset_ids, NULL },
	{ METHOD_POST, "/api/trash/empty", h_trash_empty, 0, "asset.delete", NULL, NULL },

	{ METHOD_GET, "/api/partners", h_partners_list, SELF, "partner.read", NULL, spec_partner_list_query },
	{ METHOD_POST, "/api/partners", h_partners_create, 0, "partner.create", spec_partner_create, NULL },
	{ METHOD_POST, "/api/partners/:id", h_partners_create_legacy, 0, "partner.create", NULL, NULL },
	{ METHOD_PUT, "/api/partners/:id", h_partners_update, 0, "partner.update", spec_partner_update, NULL },
	{ METHOD_DELETE, "/api/partners/:id", h_partners_delete, 0, "partner.delete", NULL, NULL },

	{ METHOD_GET, "/api/timeline/buckets", h_timeline_buckets, SELF, "asset.read", NULL, spec_timeline_buckets },
	{ METHOD_GET, "/api/timeline/bucket", h_timeline_bucket, SELF, "asset.read", NULL, spec_timeline_bucket },

	{ METHOD_POST, "/api/download/info", h_download_info, 0, "asset.download", spec_download_info, NULL },
	{ METHOD_POST, "/api/download/archive", h_download_archive, 0, "asset.download", spec_download_archive, NULL },

	{ METHOD_POST, "/api/albums", h_albums_create, 0, "album.create", spec_album_create, NULL },
	{ METHOD_GET, "/api/albums", h_albums_list, 0, "album.read", NULL, spec_album_list_query },
	{ METHOD_PUT, "/api/albums/assets", h_albums_add_assets_many, 0, "albumAsset.create", spec_albums_add_assets, NULL },
	{ METHOD_GET, "/api/albums/:id", h_albums_get, 0, "album.read", NULL, spec_album_get_query },
	{ METHOD_PATCH, "/api/albums/:id", h_albums_update, 0, "album.update", spec_album_update, NULL },
	{ METHOD_DELETE, "/api/albums/:id", h_albums_delete, 0, "album.delete", NULL, NULL },
	{ METHOD_PUT, "/api/albums/:id/assets", h_albums_add_assets, 0, "albumAsset.create", spec_asset_ids, NULL },
	{ METHOD_DELETE, "/api/albums/:id/assets", h_albums_remove_assets, 0, "albumAsset.delete", spec_asset_ids, NULL },
};

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
