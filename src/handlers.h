/*
 * handlers.h: every route handler, one file per resource (h_*.c), and the
 * validation spec of each body and query. A handler takes the request
 * context, fills ctx->resp on success and returns PERR_NONE, or returns an
 * error (ctx_fail for a specific message). Handlers never repeat routing,
 * authentication, validation or the route's access requirements: the gate
 * did those (gate.c).
 */
#ifndef HANDLERS_H
#define HANDLERS_H

#include "partnerd.h"
#include "stmts.h"
#include "valid.h"

/* h_server.c */
enum perr	 h_server_ping(struct ctx *);
enum perr	 h_server_version(struct ctx *);
enum perr	 h_server_about(struct ctx *);
enum perr	 h_server_config(struct ctx *);

/* h_auth.c */
extern const struct vfield spec_sign_up[], spec_login[], spec_change_password[];
enum perr	 h_auth_admin_sign_up(struct ctx *);
enum perr	 h_auth_login(struct ctx *);
enum perr	 h_auth_logout(struct ctx *);
enum perr	 h_auth_validate_token(struct ctx *);
enum perr	 h_auth_change_password(struct ctx *);

/* h_users.c */
extern const struct vfield spec_update_me[];
enum perr	 h_users_me(struct ctx *);
enum perr	 h_users_update_me(struct ctx *);
enum perr	 h_users_list(struct ctx *);
enum perr	 h_users_get(struct ctx *);
/* h_sessions.c: delete the caller's own row params[0] with s (bound: id,
 * user id); 204, or 400 with not_found when they have no such row. */
enum perr	 h_delete_mine(struct ctx *, enum stmt s, const char *not_found);

/* Answer status with the user id (UserAdminResponseDto when admin),
 * looked up with s (STMT_USER_GET skips deleted users); 400 "User not
 * found" when there is none. */
enum perr	 h_respond_user_stmt(struct ctx *, enum stmt s, const char *id,
		    int admin, int status);
enum perr	 h_respond_user(struct ctx *, const char *id, int admin, int status);

/* h_admin_users.c */
extern const struct vfield spec_admin_user_create[], spec_admin_user_update[];
extern const struct vfield spec_admin_user_delete[], spec_admin_user_search[];
enum perr	 h_admin_users_create(struct ctx *);
enum perr	 h_admin_users_list(struct ctx *);
enum perr	 h_admin_users_get(struct ctx *);
enum perr	 h_admin_users_update(struct ctx *);
enum perr	 h_admin_users_delete(struct ctx *);

/* h_api_keys.c */
extern const struct vfield spec_api_key_create[];
enum perr	 h_api_keys_create(struct ctx *);
enum perr	 h_api_keys_list(struct ctx *);
enum perr	 h_api_keys_get(struct ctx *);
enum perr	 h_api_keys_delete(struct ctx *);

/* h_assets.c */
/* {"ids": [...]}: the body of several asset and album routes. */
struct in_asset_ids {
	struct vuuids	 ids;
};
extern const struct vfield spec_asset_ids[], spec_asset_delete[];
extern const struct vfield spec_asset_bulk_update[], spec_asset_update[];
extern const struct vfield spec_thumbnail_query[];
enum perr	 h_assets_upload(struct ctx *);
enum perr	 h_assets_get(struct ctx *);
enum perr	 h_assets_original(struct ctx *);
enum perr	 h_assets_thumbnail(struct ctx *);
enum perr	 h_assets_playback(struct ctx *);
enum perr	 h_assets_update_many(struct ctx *);
enum perr	 h_assets_update(struct ctx *);
/* Route conditions (routes.c, MARKS): is the update body my own marks alone? */
int		 asset_marks_only(const struct ctx *);
int		 asset_not_marks_only(const struct ctx *);
enum perr	 h_assets_delete(struct ctx *);
enum perr	 h_trash_restore(struct ctx *);
enum perr	 h_trash_restore_assets(struct ctx *);
enum perr	 h_trash_empty(struct ctx *);

/* h_albums.c */
extern const struct vfield spec_album_create[], spec_album_update[];
extern const struct vfield spec_album_list_query[], spec_album_get_query[];
extern const struct vfield spec_albums_add_assets[];
enum perr	 h_albums_create(struct ctx *);
enum perr	 h_albums_list(struct ctx *);
enum perr	 h_albums_get(struct ctx *);
enum perr	 h_albums_update(struct ctx *);
enum perr	 h_albums_delete(struct ctx *);
enum perr	 h_albums_add_assets(struct ctx *);
enum perr	 h_albums_remove_assets(struct ctx *);
enum perr	 h_albums_add_assets_many(struct ctx *);

/* h_partners.c */
extern const struct vfield spec_partner_list_query[], spec_partner_create[];
extern const struct vfield spec_partner_update[], spec_partner_start[];
enum perr	 h_partners_list(struct ctx *);
enum perr	 h_partners_create(struct ctx *);
enum perr	 h_partners_create_legacy(struct ctx *);
enum perr	 h_partners_update(struct ctx *);
enum perr	 h_partners_set_start(struct ctx *);
enum perr	 h_partners_delete(struct ctx *);
enum perr	 h_partners_leave(struct ctx *);

/* h_timeline.c */
extern const struct vfield spec_timeline_buckets[], spec_timeline_bucket[];
enum perr	 h_timeline_buckets(struct ctx *);
enum perr	 h_timeline_bucket(struct ctx *);
/* The routes' check: a locked timeline is refused (401), an album's is
 * not kept. */
enum perr	 tl_check(struct ctx *);
/* The timeline read (access.h): does the query ask for my own timeline's
 * months? Then 1, and *arg is the read's parameter. */
struct dbv;
int		 tl_my_timeline_read(struct ctx *, struct dbv *arg);

/* h_map.c: markers and clusters of me and the partners in my timeline */
extern const struct vfield spec_map_markers[], spec_map_clusters[];
enum perr	 h_map_markers(struct ctx *);
enum perr	 h_map_clusters(struct ctx *);
int		 map_counted_level(int);

/* h_admin_restore.c */
enum perr	 h_admin_users_restore(struct ctx *);

/* h_sessions.c */
enum perr	 h_sessions_list(struct ctx *);
enum perr	 h_sessions_delete(struct ctx *);
enum perr	 h_sessions_delete_others(struct ctx *);

/* h_download.c: zips of assets, streamed */
enum perr	 h_download_info(struct ctx *);
enum perr	 h_download_archive(struct ctx *);
extern const struct vfield spec_download_info[], spec_download_archive[];

/* h_search.c */
extern const struct vfield spec_search_metadata[], spec_search_suggestions[];
enum perr	 search_check(struct ctx *);
enum perr	 h_search_metadata(struct ctx *);
enum perr	 h_search_suggestions(struct ctx *);
enum perr	 h_search_cities(struct ctx *);
enum perr	 h_search_smart(struct ctx *);

#endif
