-- 002: the library. Assets (photos and videos), their EXIF, albums.
-- Files live under media_dir; the paths here are relative to it, so the
-- media directory can move without touching the database.

CREATE TABLE IF NOT EXISTS assets (
  id UUID NOT NULL
    COMMENT 'version-4 UUID, the id clients see',
  owner_id UUID NOT NULL
    COMMENT 'whose library the asset is in',
  type ENUM('IMAGE', 'VIDEO', 'AUDIO', 'OTHER') NOT NULL
    COMMENT 'from the file name extension, as Immich does',
  original_path VARCHAR(1024) NOT NULL
    COMMENT 'the original file, relative to media_dir',
  original_file_name VARCHAR(255) NOT NULL
    COMMENT 'the name the file was uploaded or imported with',
  mime_type VARCHAR(100) CHARACTER SET ascii NOT NULL
    COMMENT 'Content-Type the web server sends the original with',
  checksum BINARY(20) NOT NULL
    COMMENT 'SHA-1 of the original, as Immich computes it; unique per owner',
  file_created_at DATETIME(3) NOT NULL
    COMMENT 'capture instant in UTC (EXIF with its offset, else the client''s fileCreatedAt)',
  file_modified_at DATETIME(3) NOT NULL
    COMMENT 'the file''s modification instant in UTC',
  local_date_time DATETIME(3) NOT NULL
    COMMENT 'capture time on the wall clock where it was taken; timeline months follow it',
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    COMMENT 'upload or import time (UTC)',
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
    COMMENT 'last change of the row',
  is_favorite TINYINT(1) NOT NULL DEFAULT 0
    COMMENT 'the owner''s favourite flag; never shown to anyone else',
  visibility ENUM('timeline', 'archive', 'hidden', 'locked') NOT NULL DEFAULT 'timeline'
    COMMENT 'Immich visibility: hidden is the video half of a live photo',
  deleted_at DATETIME(3) NULL
    COMMENT 'when it went to the trash; NULL when not trashed',
  status ENUM('active', 'trashed', 'deleted') NOT NULL DEFAULT 'active'
    COMMENT 'Immich asset status',
  duration_ms INT UNSIGNED NULL
    COMMENT 'video length in milliseconds',
  width INT UNSIGNED NULL
    COMMENT 'pixels, after EXIF orientation',
  height INT UNSIGNED NULL
    COMMENT 'pixels, after EXIF orientation',
  thumbhash VARBINARY(32) NULL
    COMMENT 'ThumbHash of the image, the placeholder clients draw first',
  thumbnail_path VARCHAR(1024) NULL
    COMMENT '250 px WebP, relative to media_dir',
  preview_path VARCHAR(1024) NULL
    COMMENT '1440 px JPEG, relative to media_dir',
  live_photo_video_id UUID NULL
    COMMENT 'the video half of a live photo',
  stack_id UUID NULL
    COMMENT 'stack the asset belongs to (stacks are not built yet)',
  PRIMARY KEY (id),
  UNIQUE KEY assets_owner_checksum_uq (owner_id, checksum)
    COMMENT 'duplicate detection on upload and import',
  KEY assets_owner_local_idx (owner_id, local_date_time)
    COMMENT 'an owner''s assets in capture order',
  CONSTRAINT assets_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='photos and videos';

CREATE TABLE IF NOT EXISTS asset_exif (
  asset_id UUID NOT NULL
    COMMENT 'the asset; every asset has exactly one row',
  make VARCHAR(255) NULL COMMENT 'camera maker',
  model VARCHAR(255) NULL COMMENT 'camera model',
  lens_model VARCHAR(255) NULL COMMENT 'lens',
  exposure_time VARCHAR(32) NULL COMMENT 'as a fraction, e.g. 1/250',
  f_number DOUBLE NULL COMMENT 'aperture',
  focal_length DOUBLE NULL COMMENT 'millimetres',
  iso INT UNSIGNED NULL COMMENT 'sensitivity',
  date_time_original DATETIME(3) NULL
    COMMENT 'EXIF DateTimeOriginal as an instant in UTC',
  time_zone VARCHAR(16) NULL
    COMMENT 'EXIF OffsetTimeOriginal, e.g. +02:00',
  latitude DOUBLE NULL COMMENT 'GPS, degrees north',
  longitude DOUBLE NULL COMMENT 'GPS, degrees east',
  city VARCHAR(255) NULL COMMENT 'place name, when known',
  state VARCHAR(255) NULL COMMENT 'region, when known',
  country VARCHAR(255) NULL COMMENT 'country, when known',
  description TEXT NULL COMMENT 'the owner''s description',
  file_size_bytes BIGINT UNSIGNED NOT NULL COMMENT 'size of the original',
  projection_type VARCHAR(32) NULL COMMENT 'e.g. EQUIRECTANGULAR for panoramas',
  orientation VARCHAR(8) NULL COMMENT 'EXIF orientation',
  rating TINYINT NULL COMMENT 'stars, -1 to 5',
  PRIMARY KEY (asset_id),
  CONSTRAINT asset_exif_asset_fk FOREIGN KEY (asset_id) REFERENCES assets (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='camera data and place of each asset';

CREATE TABLE IF NOT EXISTS albums (
  id UUID NOT NULL COMMENT 'version-4 UUID',
  owner_id UUID NOT NULL COMMENT 'who made it',
  album_name VARCHAR(255) NOT NULL DEFAULT '' COMMENT 'title',
  description TEXT NOT NULL COMMENT 'free text',
  thumbnail_asset_id UUID NULL COMMENT 'cover; the first asset added when unset',
  is_activity_enabled TINYINT(1) NOT NULL DEFAULT 1 COMMENT 'comments and likes allowed',
  sort_order ENUM('asc', 'desc') NOT NULL DEFAULT 'desc' COMMENT 'order of assets',
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) COMMENT 'creation',
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
    COMMENT 'last change, including assets added',
  deleted_at DATETIME(3) NULL COMMENT 'soft deletion',
  PRIMARY KEY (id),
  KEY albums_owner_idx (owner_id) COMMENT 'an owner''s albums',
  CONSTRAINT albums_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id)
    ON DELETE CASCADE,
  CONSTRAINT albums_thumbnail_fk FOREIGN KEY (thumbnail_asset_id) REFERENCES assets (id)
    ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='albums';

CREATE TABLE IF NOT EXISTS album_assets (
  album_id UUID NOT NULL COMMENT 'the album',
  asset_id UUID NOT NULL COMMENT 'an asset in it',
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) COMMENT 'when it was added',
  PRIMARY KEY (album_id, asset_id),
  KEY album_assets_asset_idx (asset_id) COMMENT 'the albums an asset is in (access checks)',
  CONSTRAINT album_assets_album_fk FOREIGN KEY (album_id) REFERENCES albums (id)
    ON DELETE CASCADE,
  CONSTRAINT album_assets_asset_fk FOREIGN KEY (asset_id) REFERENCES assets (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='which assets are in which album';

CREATE TABLE IF NOT EXISTS album_users (
  album_id UUID NOT NULL COMMENT 'the album',
  user_id UUID NOT NULL COMMENT 'a member',
  role ENUM('owner', 'editor', 'viewer') NOT NULL COMMENT 'the owner is a member with role owner, as in Immich v3',
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) COMMENT 'when they joined',
  PRIMARY KEY (album_id, user_id),
  KEY album_users_user_idx (user_id) COMMENT 'the albums a user is in',
  CONSTRAINT album_users_album_fk FOREIGN KEY (album_id) REFERENCES albums (id)
    ON DELETE CASCADE,
  CONSTRAINT album_users_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='album members and their roles';
