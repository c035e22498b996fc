/*
 * stmts.h: every SQL statement partnerd runs, by name. The text lives in
 * stmts.c, a parallel array sized by STMT__MAX, with '?' placeholders only.
 */
#ifndef STMTS_H
#define STMTS_H

/*
 * A credential statement (auth.c): the session form, then the API-key form
 * as the next entry. Its AUTH_NCOL columns are the credential's (session
 * id, user id, admin, the key's permissions, session touch due, the
 * viewer's change counter), then whether the path's id passes the route's
 * access requirement (NULL when the statement checks none), then the
 * columns of the path's asset the route reads (NULLs when it does not
 * pass); or, for STMT_AUTH_MY_TIMELINE, 1 and then one row per owner of
 * my timeline, the credential's columns repeated on each.
 */
#define AUTH_NCOL		6

/*
 * Every statement, in order: STMT_LIST(X) makes enum stmt and the names
 * logs use (stmt_names), so neither is kept by hand.
 */
#define STMT_LIST(X) \
	X(STMT_SCHEMA_VERSION)                                              \
	X(STMT_SERVER_NOW)                                                  \
	X(STMT_CONNECTION_ID)                                               \
	/* users: the USER_COLS column order is enum ucol in users.h */     \
	X(STMT_USER_GET)                                                    \
	X(STMT_USER_GET_ANY)                                                \
	X(STMT_USER_LIST)                                                   \
	X(STMT_USER_LIST_ADMIN)                                             \
	X(STMT_USER_LOGIN)                                                  \
	X(STMT_USER_EMAIL_TAKEN)                                            \
	X(STMT_USER_ADMIN_EXISTS)                                           \
	X(STMT_USER_INSERT)                                                 \
	X(STMT_USER_UPDATE)                                                 \
	X(STMT_USER_PASSWORD_HASH)                                          \
	X(STMT_USER_REHASH)                                                 \
	X(STMT_USER_SOFT_DELETE)                                            \
	/* sessions and API keys; STMT_AUTH is the credential alone,        \
	 * STMT_AUTH_PATH_* the credential and the path's asset as a route  \
	 * reads it, if asset.read allows (access.h, path reads),           \
	 * STMT_AUTH_MY_TIMELINE the credential and my own timeline's       \
	 * owners with their months (access.h, the timeline read) */        \
	X(STMT_AUTH) X(STMT_AUTH__KEY)                                      \
	X(STMT_AUTH_PATH_FILES) X(STMT_AUTH_PATH_FILES__KEY)                \
	X(STMT_AUTH_PATH_ASSET) X(STMT_AUTH_PATH_ASSET__KEY)                \
	X(STMT_AUTH_MY_TIMELINE) X(STMT_AUTH_MY_TIMELINE__KEY)              \
	X(STMT_SESSION_INSERT)                                              \
	X(STMT_SESSION_TOUCH)                                               \
	X(STMT_SESSION_DELETE)                                              \
	X(STMT_SESSION_DELETE_OTHERS)                                       \
	X(STMT_SESSION_DELETE_USER)                                         \
	X(STMT_SESSION_LIST)                                                \
	X(STMT_USER_RESTORE)                                                \
	X(STMT_SESSION_DELETE_MINE)                                         \
	X(STMT_APIKEY_INSERT)                                               \
	X(STMT_APIKEY_GET)                                                  \
	X(STMT_APIKEY_LIST)                                                 \
	X(STMT_APIKEY_DELETE)                                               \
	/* the access rule: (ids as a JSON array, me...) -> granted ids */  \
	X(STMT_ACCESS_ASSET_READ)                                           \
	X(STMT_ACCESS_ASSET_SHARE)                                          \
	X(STMT_ACCESS_ASSET_OWNER)                                          \
	X(STMT_ACCESS_ALBUM_READ)                                           \
	X(STMT_ACCESS_ALBUM_OWNER)                                          \
	X(STMT_ACCESS_ALBUM_EDIT)                                           \
	X(STMT_ACCESS_PARTNER_UPDATE)                                       \
	X(STMT_ACCESS_TIMELINE_READ)                                        \
	X(STMT_TIMELINE_OWNER_SET)                                          \
	X(STMT_TIMELINE_OWNERS_VIEW)                                        \
	X(STMT_TIMELINE_START_MONTH)                                        \
	X(STMT_TIMELINE_OWNERS)                                             \
	/* assets: ASSET_COLS order is enum acol in assets.h */             \
	X(STMT_ASSET_BY_CHECKSUM)                                           \
	X(STMT_ASSET_INSERT)                                                \
	X(STMT_ASSET_LIVE_VIDEO)                                            \
	X(STMT_ASSET_HIDE_LIVE_VIDEO)                                       \
	X(STMT_EXIF_INSERT)                                                 \
	X(STMT_ASSET_GET)                                                   \
	X(STMT_PATH_FILES)                                                  \
	X(STMT_PATH_ASSET)                                                  \
	X(STMT_ASSET_FILES_MANY)                                            \
	X(STMT_DOWNLOAD_FILES)                                              \
	X(STMT_ASSET_DELETE_MANY)                                           \
	X(STMT_ASSET_UPDATE_MANY)                                           \
	X(STMT_EXIF_UPDATE_MANY)                                            \
	X(STMT_ASSET_MARK_MANY)                                             \
	X(STMT_ASSET_TRASH_MANY)                                            \
	X(STMT_ASSET_RESTORE_MANY)                                          \
	X(STMT_ASSET_RESTORE_ALL)                                           \
	X(STMT_ASSET_TRASHED_FILES)                                         \
	X(STMT_ASSET_DELETE_TRASHED)                                        \
	/* albums */                                                        \
	X(STMT_ALBUM_INSERT)                                                \
	X(STMT_ALBUM_USER_INSERT)                                           \
	X(STMT_ALBUM_GET)                                                   \
	X(STMT_ALBUM_LIST)                                                  \
	X(STMT_ALBUM_UPDATE)                                                \
	X(STMT_ALBUM_DELETE)                                                \
	X(STMT_ALBUM_ASSET_INSERT)                                          \
	X(STMT_ALBUM_ASSET_DELETE)                                          \
	X(STMT_ALBUM_TOUCH)                                                 \
	X(STMT_ALBUM_ASSETS_OF)                                             \
	/* partners: USER_COLS of the other user, then in_timeline */       \
	X(STMT_PARTNER_LIST_BY)                                             \
	X(STMT_PARTNER_LIST_WITH)                                           \
	X(STMT_PARTNER_EXISTS)                                              \
	X(STMT_PARTNER_INSERT)                                              \
	X(STMT_PARTNER_UPDATE)                                              \
	X(STMT_PARTNER_DELETE)                                              \
	X(STMT_PARTNER_LEAVE)                                               \
	X(STMT_PARTNER_SHARER)                                              \
	X(STMT_PARTNER_RECIPIENT)                                           \
	X(STMT_PARTNER_SET_START)                                           \
	X(STMT_PARTNER_LIST_OF)                                             \
	/* timeline */                                                      \
	X(STMT_TIMELINE_BUCKET)                                             \
	X(STMT_TIMELINE_BUCKETS_DIRECT)                                     \
	X(STMT_TIMELINE_BUCKET_DIRECT)                                      \
	/* place names (geodata.c): the lookup, the loader, the backfill */ \
	X(STMT_GEO_NEAREST)                                                 \
	X(STMT_GEO_SOURCE)                                                  \
	X(STMT_GEO_CLEAR_PLACES)                                            \
	X(STMT_GEO_CLEAR_ADMIN1)                                            \
	X(STMT_GEO_CLEAR_COUNTRIES)                                         \
	X(STMT_GEO_COUNTRIES_LOAD)                                          \
	X(STMT_GEO_ADMIN1_LOAD)                                             \
	X(STMT_GEO_PLACES_LOAD)                                             \
	X(STMT_GEO_SOURCE_SET)                                              \
	X(STMT_GEO_BACKFILL_COUNT)                                          \
	X(STMT_GEO_BACKFILL_BATCH)                                          \
	X(STMT_EXIF_SET_PLACES)                                             \
	X(STMT_GEO_BACKFILL_ANALYZE)                                        \
	/* search (h_search.c): SEARCH_PARAMS first */                      \
	X(STMT_SEARCH_ASSETS_DESC)                                          \
	X(STMT_SEARCH_ASSETS_ASC)                                           \
	X(STMT_SEARCH_ASSETS_BY_DESC)                                       \
	X(STMT_SEARCH_ASSETS_BY_ASC)                                        \
	X(STMT_SEARCH_SUGGESTIONS_LIVE)                                     \
	X(STMT_SEARCH_SUGGESTIONS)                                          \
	X(STMT_SEARCH_SUGGESTIONS_BY)                                       \
	X(STMT_SEARCH_CITIES)                                               \
	/* the map (h_map.c): MAP_PARAMS -> one JSON object per row */      \
	X(STMT_MAP_MARKERS)                                                 \
	X(STMT_MAP_CLUSTERS)                                                \
	/* end of STMT_LIST */

enum stmt {
#define STMT_ENUM(name) name,
	STMT_LIST(STMT_ENUM)
#undef STMT_ENUM
	STMT__MAX
};

extern const char *const stmt_sql[STMT__MAX];
/* Each statement's enum name ("STMT_ASSET_GET"), for logs (from STMT_LIST). */
extern const char *const stmt_names[STMT__MAX];

/* Which shape of STMT_TIMELINE_OWNERS answers a timeline ask: the owner
 * set alone (counts 0), the timeline view's (not trashed, visibility
 * "timeline", isFavorite unset) or any other's. */
enum stmt stmt_timeline_owners(int counts, int trashed, const char *vis, int fav_set);

/*
 * The migration runner's own statements: they manage the table of applied
 * migrations, which must exist before the main table can be checked.
 */
enum mstmt {
	MSTMT_CREATE_TABLE = 0,
	MSTMT_APPLIED,
	MSTMT_RECORD,
	MSTMT__MAX
};

extern const char *const mstmt_sql[MSTMT__MAX];

/*
 * Account statements for partnerctl db-user. MariaDB takes no placeholders
 * for account names or passwords here, so these are formats: the name is
 * checked against [a-z_][a-z0-9_]{0,31} and the password is partnerd's own
 * random [A-Za-z0-9] text, and the database name the same way, before use.
 */
enum gstmt {
	GSTMT_CREATE_USER = 0,
	GSTMT_GRANT,
	GSTMT__MAX
};

extern const char *const gstmt_fmt[GSTMT__MAX];

#endif
