/*
 * routes.c: the route table, as data: each route's whole policy. The gate
 * matches path, then method, and enforces the rest before any handler
 * runs: flags (public, admin, slots, cacheable), the API-key permission
 * (Immich's names), the validation specs and check, and the access
 * requirements (which permission, on ids from where).
 */
#include "config.h"

#include <stddef.h>

#include "partnerd.h"
#include "access.h"
#include "handlers.h"
#include "valid.h"

#define PUBLIC	ROUTE_PUBLIC
#define ADMIN	ROUTE_ADMIN
#define HASH	ROUTE_HASH	/* computes Argon2: a bounded number at once */
#define CACHE	ROUTE_CACHE	/* kept under the caller's counter, ETag */
#define CFILE	ROUTE_CACHE_FILE	/* the same for a file the web server sends */

/* Access requirements: perm on the path's id, or on a body or query field. */
#define NONE		AUTH_READ_NONE
#define END		{ PERM__MAX, FROM_PATH, NULL, NULL, NONE }
#define PATH(p)		((const struct access_need[]){ { p, FROM_PATH, NULL, NULL, NONE }, END })
/* perm on the path's asset, which the gate reads with it (access.h). */
#define PATH_READ(p, r)	((const struct access_need[]){ { p, FROM_PATH, NULL, NULL, r }, END })
#define BODY(p, f)	((const struct access_need[]){ { p, FROM_BODY, f, NULL, NONE }, END })
#define PATH_BODY(p, q, f) \
	((const struct access_need[]){ { p, FROM_PATH, NULL, NULL, NONE }, { q, FROM_BODY, f, NULL, NONE }, END })
/*
 * An asset update: a body of my own marks alone (asset_marks_only: isFavorite,
 * visibility archive or timeline) may name my assets or partners' (sql/050,
 * README "Beyond Immich"); any other body needs asset.update, my assets only.
 */
#define MARKS(from, f) \
	((const struct access_need[]){ { PERM_ASSET_MARK, from, f, asset_marks_only, NONE }, \
	    { PERM_ASSET_UPDATE, from, f, asset_not_marks_only, NONE }, END })
/* A timeline's album, then its user (Immich's order); r: with no user, the
 * credential's timeline read (access.h), or NONE. */
#define TIMELINE(r) \
	((const struct access_need[]){ { PERM_ALBUM_READ, FROM_QUERY, "albumId", NULL, NONE }, \
	    { PERM_TIMELINE_READ, FROM_QUERY, "userId", NULL, r }, END })

const struct route routes[] = {
	/* method, pattern, handler, flags, API-key permission, body, query,
	 * check, access */
	{ METHOD_GET, "/api/server/ping", h_server_ping, PUBLIC, NULL, NULL, NULL, NULL, NULL },
	{ METHOD_GET, "/api/server/version", h_server_version, PUBLIC, NULL, NULL, NULL, NULL, NULL },
	{ METHOD_GET, "/api/server/about", h_server_about, 0, "server.about", NULL, NULL, NULL, NULL },
	{ METHOD_GET, "/api/server/config", h_server_config, PUBLIC, NULL, NULL, NULL, NULL, NULL },

	{ METHOD_POST, "/api/auth/admin-sign-up", h_auth_admin_sign_up, PUBLIC | HASH, NULL, spec_sign_up, NULL, NULL, NULL },
	{ METHOD_POST, "/api/auth/login", h_auth_login, PUBLIC | HASH, NULL, spec_login, NULL, NULL, NULL },
	{ METHOD_POST, "/api/auth/logout", h_auth_logout, 0, NULL, NULL, NULL, NULL, NULL },
	{ METHOD_POST, "/api/auth/validateToken", h_auth_validate_token, 0, NULL, NULL, NULL, NULL, NULL },
	{ METHOD_POST, "/api/auth/change-password", h_auth_change_password, HASH, "auth.changePassword", spec_change_password, NULL, NULL, NULL },

	{ METHOD_GET, "/api/users/me", h_users_me, 0, "user.read", NULL, NULL, NULL, NULL },
	{ METHOD_PUT, "/api/users/me", h_users_update_me, HASH, "user.update", spec_update_me, NULL, NULL, NULL },
	{ METHOD_GET, "/api/users", h_users_list, 0, "user.read", NULL, NULL, NULL, NULL },
	{ METHOD_GET, "/api/users/:id", h_users_get, 0, "user.read", NULL, NULL, NULL, NULL },

	{ METHOD_POST, "/api/admin/users", h_admin_users_create, ADMIN | HASH, "adminUser.create", spec_admin_user_create, NULL, NULL, NULL },
	{ METHOD_GET, "/api/admin/users", h_admin_users_list, ADMIN, "adminUser.read", NULL, spec_admin_user_search, NULL, NULL },
	{ METHOD_GET, "/api/admin/users/:id", h_admin_users_get, ADMIN, "adminUser.read", NULL, NULL, NULL, NULL },
	{ METHOD_PUT, "/api/admin/users/:id", h_admin_users_update, ADMIN | HASH, "adminUser.update", spec_admin_user_update, NULL, NULL, NULL },
	{ METHOD_POST, "/api/admin/users/:id/restore", h_admin_users_restore, ADMIN, "adminUser.delete", NULL, NULL, NULL, NULL },
	{ METHOD_DELETE, "/api/admin/users/:id", h_admin_users_delete, ADMIN, "adminUser.delete", spec_admin_user_delete, NULL, NULL, NULL },

	{ METHOD_POST, "/api/api-keys", h_api_keys_create, 0, "apiKey.create", spec_api_key_create, NULL, NULL, NULL },
	{ METHOD_GET, "/api/api-keys", h_api_keys_list, 0, "apiKey.read", NULL, NULL, NULL, NULL },
	{ METHOD_GET, "/api/api-keys/:id", h_api_keys_get, 0, "apiKey.read", NULL, NULL, NULL, NULL },
	{ METHOD_DELETE, "/api/api-keys/:id", h_api_keys_delete, 0, "apiKey.delete", NULL, NULL, NULL, NULL },

	{ METHOD_GET, "/api/sessions", h_sessions_list, 0, "session.read", NULL, NULL, NULL, NULL },
	{ METHOD_DELETE, "/api/sessions", h_sessions_delete_others, 0, "session.delete", NULL, NULL, NULL, NULL },
	{ METHOD_DELETE, "/api/sessions/:id", h_sessions_delete, 0, "session.delete", NULL, NULL, NULL, NULL },

	{ METHOD_POST, "/api/assets", h_assets_upload, ROUTE_STREAM, "asset.upload", NULL, NULL, NULL, NULL },
	{ METHOD_PUT, "/api/assets", h_assets_update_many, 0, "asset.update", spec_asset_bulk_update, NULL, NULL, MARKS(FROM_BODY, "ids") },
	{ METHOD_PATCH, "/api/assets", h_assets_update_many, 0, "asset.update", spec_asset_bulk_update, NULL, NULL, MARKS(FROM_BODY, "ids") },
	{ METHOD_DELETE, "/api/assets", h_assets_delete, 0, "asset.delete", spec_asset_delete, NULL, NULL, BODY(PERM_ASSET_DELETE, "ids") },
	{ METHOD_GET, "/api/assets/:id", h_assets_get, CACHE, "asset.read", NULL, NULL, NULL, PATH_READ(PERM_ASSET_READ, AUTH_READ_ASSET) },
	{ METHOD_PUT, "/api/assets/:id", h_assets_update, 0, "asset.update", spec_asset_update, NULL, NULL, MARKS(FROM_PATH, NULL) },
	{ METHOD_GET, "/api/assets/:id/original", h_assets_original, CFILE, "asset.download", NULL, NULL, NULL, PATH_READ(PERM_ASSET_DOWNLOAD, AUTH_READ_FILES) },
	{ METHOD_GET, "/api/assets/:id/thumbnail", h_assets_thumbnail, CFILE, "asset.view", NULL, spec_thumbnail_query, NULL, PATH_READ(PERM_ASSET_VIEW, AUTH_READ_FILES) },
	{ METHOD_GET, "/api/assets/:id/video/playback", h_assets_playback, CFILE, "asset.view", NULL, NULL, NULL, PATH_READ(PERM_ASSET_VIEW, AUTH_READ_FILES) },
	{ METHOD_POST, "/api/trash/restore", h_trash_restore, 0, "asset.delete", NULL, NULL, NULL, NULL },
	{ METHOD_POST, "/api/trash/restore/assets", h_trash_restore_assets, 0, "asset.delete", spec_asset_ids, NULL, NULL, BODY(PERM_ASSET_DELETE, "ids") },
	{ METHOD_POST, "/api/trash/empty", h_trash_empty, 0, "asset.delete", NULL, NULL, NULL, NULL },

	{ METHOD_GET, "/api/partners", h_partners_list, CACHE, "partner.read", NULL, spec_partner_list_query, NULL, NULL },
	{ METHOD_POST, "/api/partners", h_partners_create, 0, "partner.create", spec_partner_create, NULL, NULL, NULL },
	{ METHOD_POST, "/api/partners/:id", h_partners_create_legacy, 0, "partner.create", NULL, NULL, NULL, NULL },
	{ METHOD_PUT, "/api/partners/:id", h_partners_update, 0, "partner.update", spec_partner_update, NULL, NULL, PATH(PERM_PARTNER_UPDATE) },
	/* partnerd's own: the sharer sets the share's start date (README) */
	{ METHOD_PATCH, "/api/partners/:id", h_partners_set_start, 0, "partner.update", spec_partner_start, NULL, NULL, NULL },
	{ METHOD_DELETE, "/api/partners/:id", h_partners_delete, 0, "partner.delete", NULL, NULL, NULL, NULL },
	/* partnerd's own: the recipient ends a share with them (README) */
	{ METHOD_POST, "/api/partners/:id/leave", h_partners_leave, 0, "partner.delete", NULL, NULL, NULL, NULL },

	{ METHOD_GET, "/api/timeline/buckets", h_timeline_buckets, CACHE, "asset.read", NULL, spec_timeline_buckets, tl_check, TIMELINE(AUTH_READ_MY_TIMELINE) },
	{ METHOD_GET, "/api/timeline/bucket", h_timeline_bucket, CACHE, "asset.read", NULL, spec_timeline_bucket, tl_check, TIMELINE(NONE) },

	/* Search: the owner set and the access rule are in the statements
	 * (stmts.c, "Search"), as for the timeline's lists; no ids to check. */
	{ METHOD_POST, "/api/search/metadata", h_search_metadata, 0, "asset.read", spec_search_metadata, NULL, search_check, NULL },
	{ METHOD_GET, "/api/search/suggestions", h_search_suggestions, 0, "asset.read", NULL, spec_search_suggestions, NULL, NULL },
	{ METHOD_GET, "/api/search/cities", h_search_cities, 0, "asset.read", NULL, NULL, NULL, NULL },
	{ METHOD_POST, "/api/search/smart", h_search_smart, 0, "asset.read", NULL, NULL, NULL, NULL },
	{ METHOD_GET, "/api/map/markers", h_map_markers, CACHE, "map.read", NULL, spec_map_markers, NULL, NULL },
	{ METHOD_GET, "/api/map/clusters", h_map_clusters, CACHE, "map.read", NULL, spec_map_clusters, NULL, NULL },

	{ METHOD_POST, "/api/download/info", h_download_info, 0, "asset.download", spec_download_info, NULL, NULL, BODY(PERM_ASSET_DOWNLOAD, "assetIds") },
	{ METHOD_POST, "/api/download/archive", h_download_archive, 0, "asset.download", spec_download_archive, NULL, NULL, BODY(PERM_ASSET_DOWNLOAD, "assetIds") },

	{ METHOD_POST, "/api/albums", h_albums_create, 0, "album.create", spec_album_create, NULL, NULL, NULL },
	{ METHOD_GET, "/api/albums", h_albums_list, 0, "album.read", NULL, spec_album_list_query, NULL, NULL },
	{ METHOD_PUT, "/api/albums/assets", h_albums_add_assets_many, 0, "albumAsset.create", spec_albums_add_assets, NULL, NULL, NULL },
	{ METHOD_GET, "/api/albums/:id", h_albums_get, 0, "album.read", NULL, spec_album_get_query, NULL, PATH(PERM_ALBUM_READ) },
	{ METHOD_PATCH, "/api/albums/:id", h_albums_update, 0, "album.update", spec_album_update, NULL, NULL, PATH_BODY(PERM_ALBUM_UPDATE, PERM_ASSET_SHARE, "albumThumbnailAssetId") },
	{ METHOD_DELETE, "/api/albums/:id", h_albums_delete, 0, "album.delete", NULL, NULL, NULL, PATH(PERM_ALBUM_DELETE) },
	{ METHOD_PUT, "/api/albums/:id/assets", h_albums_add_assets, 0, "albumAsset.create", spec_asset_ids, NULL, NULL, PATH(PERM_ALBUM_ASSET_CREATE) },
	{ METHOD_DELETE, "/api/albums/:id/assets", h_albums_remove_assets, 0, "albumAsset.delete", spec_asset_ids, NULL, NULL, PATH(PERM_ALBUM_ASSET_DELETE) },
};

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
