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
 * access requirement (NULL when the statement checks none).
 */
#define AUTHED_PAIR(name)	name, name##__KEY
#define AUTH_NCOL		6

enum stmt {
	STMT_SCHEMA_VERSION = 0,
	STMT_SERVER_NOW,
	STMT_CONNECTION_ID,
	/* users: the USER_COLS column order is enum ucol in users.h */
	STMT_USER_GET,
	STMT_USER_GET_ANY,
	STMT_USER_LIST,
	STMT_USER_LIST_ADMIN,
	STMT_USER_LOGIN,
	STMT_USER_EMAIL_TAKEN,
	STMT_USER_ADMIN_EXISTS,
	STMT_USER_INSERT,
	STMT_USER_UPDATE,
	STMT_USER_PASSWORD_HASH,
	STMT_USER_REHASH,
	STMT_USER_SOFT_DELETE,
	/* sessions and API keys; STMT_AUTH is the credential alone,
	 * STMT_AUTH_ASSET_READ the credential and asset.read of one id */
	AUTHED_PAIR(STMT_AUTH),
	AUTHED_PAIR(STMT_AUTH_ASSET_READ),
	STMT_SESSION_INSERT,
	STMT_SESSION_TOUCH,
	STMT_SESSION_DELETE,
	STMT_SESSION_DELETE_OTHERS,
	STMT_SESSION_DELETE_USER,
	STMT_SESSION_LIST,
	STMT_USER_RESTORE,
	STMT_SESSION_DELETE_MINE,
	STMT_APIKEY_INSERT,
	STMT_APIKEY_GET,
	STMT_APIKEY_LIST,
	STMT_APIKEY_DELETE,
	/* the access rule: (ids as a JSON array, me...) -> granted ids */
	STMT_ACCESS_ASSET_READ,
	STMT_ACCESS_ASSET_SHARE,
	STMT_ACCESS_ASSET_OWNER,
	STMT_ACCESS_ALBUM_READ,
	STMT_ACCESS_ALBUM_OWNER,
	STMT_ACCESS_ALBUM_EDIT,
	STMT_ACCESS_PARTNER_UPDATE,
	STMT_ACCESS_TIMELINE_READ,
	STMT_TIMELINE_OWNERS,
	/* assets: ASSET_COLS order is enum acol in assets.h */
	STMT_ASSET_BY_CHECKSUM,
	STMT_ASSET_INSERT,
	STMT_ASSET_LIVE_VIDEO,
	STMT_ASSET_HIDE_LIVE_VIDEO,
	STMT_EXIF_INSERT,
	STMT_ASSET_GET,
	STMT_ASSET_FILES,
	STMT_ASSET_FILES_MANY,
	STMT_DOWNLOAD_FILES,
	STMT_ASSET_DELETE_MANY,
	STMT_ASSET_UPDATE_MANY,
	STMT_EXIF_UPDATE_MANY,
	STMT_ASSET_TRASH_MANY,
	STMT_ASSET_RESTORE_MANY,
	STMT_ASSET_RESTORE_ALL,
	STMT_ASSET_TRASHED_FILES,
	STMT_ASSET_DELETE_TRASHED,
	/* albums */
	STMT_ALBUM_INSERT,
	STMT_ALBUM_USER_INSERT,
	STMT_ALBUM_GET,
	STMT_ALBUM_LIST,
	STMT_ALBUM_UPDATE,
	STMT_ALBUM_DELETE,
	STMT_ALBUM_ASSET_INSERT,
	STMT_ALBUM_ASSET_DELETE,
	STMT_ALBUM_TOUCH,
	STMT_ALBUM_ASSETS_OF,
	/* partners: USER_COLS of the other user, then in_timeline */
	STMT_PARTNER_LIST_BY,
	STMT_PARTNER_LIST_WITH,
	STMT_PARTNER_EXISTS,
	STMT_PARTNER_INSERT,
	STMT_PARTNER_UPDATE,
	STMT_PARTNER_DELETE,
	STMT_PARTNER_LEAVE,
	STMT_PARTNER_SHARER,
	STMT_PARTNER_LIST_OF,
	/* timeline */
	STMT_TIMELINE_BUCKET,
	STMT_TIMELINE_BUCKETS_DIRECT,
	STMT_TIMELINE_BUCKET_DIRECT,
	/* place names (geodata.c): the lookup, the loader, the backfill */
	STMT_GEO_NEAREST,
	STMT_GEO_SOURCE,
	STMT_GEO_CLEAR_PLACES,
	STMT_GEO_CLEAR_ADMIN1,
	STMT_GEO_CLEAR_COUNTRIES,
	STMT_GEO_COUNTRIES_LOAD,
	STMT_GEO_ADMIN1_LOAD,
	STMT_GEO_PLACES_LOAD,
	STMT_GEO_SOURCE_SET,
	STMT_GEO_BACKFILL_COUNT,
	STMT_GEO_BACKFILL_BATCH,
	STMT_EXIF_SET_PLACES,
	/* search (h_search.c): SEARCH_PARAMS first */
	STMT_SEARCH_ASSETS_DESC,
	STMT_SEARCH_ASSETS_ASC,
	STMT_SEARCH_SUGGESTIONS,
	STMT_SEARCH_CITIES,
	/* the map (h_map.c): MAP_PARAMS -> one JSON object per row */
	STMT_MAP_MARKERS,
	STMT_MAP_CLUSTERS,
	STMT__MAX
};

extern const char *const stmt_sql[STMT__MAX];
/* Each statement's enum name ("STMT_ASSET_GET"), for logs; NULL if unnamed. */
extern const char *const stmt_names[STMT__MAX];

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
