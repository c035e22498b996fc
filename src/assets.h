/*
 * assets.h: bringing photos and videos in (the one code path that upload
 * and partnerctl import share), and the JSON Immich clients expect.
 */
#ifndef ASSETS_H
#define ASSETS_H

#include "partnerd.h"
#include "store.h"

struct conf;
struct db;
struct db_row;
struct json_object;

/* Column order of ASSET_COLS in stmts.c. */
enum acol {
	AC_ID = 0, AC_OWNER, AC_TYPE, AC_PATH, AC_NAME, AC_MIME, AC_THUMBHASH,
	AC_FILE_CREATED, AC_FILE_MODIFIED, AC_LOCAL, AC_UPDATED, AC_CREATED,
	AC_FAVORITE, AC_VISIBILITY, AC_TRASHED, AC_STATUS, AC_DURATION,
	AC_WIDTH, AC_HEIGHT, AC_LIVE, AC_CHECKSUM,
	AC_MAKE, AC_MODEL, AC_LENS, AC_EXPOSURE, AC_FNUMBER, AC_FOCAL, AC_ISO,
	AC_TAKEN, AC_ZONE, AC_LAT, AC_LON, AC_CITY, AC_STATE, AC_COUNTRY,
	AC_DESCRIPTION, AC_SIZE, AC_PROJECTION, AC_ORIENTATION, AC_RATING,
	AC__MAX
};

extern const char *const visibilities[];	/* NULL-terminated */

/* A received file, already in media_dir/tmp with its SHA-1. */
struct ingest {
	const char	*owner_id;
	char		 tmp_path[STORE_PATH_MAX];
	unsigned char	 sha1[SHA1_LEN];
	unsigned long long size;
	char		 file_name[256];
	long long	 created_ms;	/* fileCreatedAt, UTC */
	int		 created_off;	/* its offset in minutes */
	long long	 modified_ms;
	int		 is_favorite;
	const char	*visibility;	/* NULL: timeline */
	long long	 duration_ms;	/* -1: none */
	const char	*live_photo_video_id;
};

/*
 * Take a received file into the library: check for a duplicate, read its
 * metadata, make its thumbnail and preview, commit the rows, then rename
 * the files into place. On every failure nothing stays behind, neither
 * row nor file (the temporary file is gone either way). *dup is set when
 * the owner has this file already (id is then the existing asset).
 */
enum perr	 asset_ingest(struct db *, const struct conf *, struct ingest *,
		    char id[37], int *dup, const char **msg);

/* The owner's asset with this checksum: 0 and its id, or -1. */
int		 asset_find_checksum(struct db *, const char *owner,
		    const unsigned char sha1[SHA1_LEN], char id[37]);

/* AssetResponseDto from a row of ASSET_COLS_OF(me): as the row's viewer
 * sees it (stmts.c, MY MARKS). */
struct json_object *dto_asset(const struct db_row *);

/* Remove an asset's files (after its row was deleted); logs failures. */
void		 asset_unlink_files(const struct conf *, const char *original,
		    const char *thumb, const char *preview);

#endif
