-- 006: what a timeline bucket shows of each asset, stored ready to send
-- and clustered by owner and month. A bucket of the owner set is then one
-- contiguous range per owner, with no join to asset_exif, no random reads
-- of the assets table and one column to transfer per asset instead of
-- nineteen (for a month of 1,000 assets, about 8 ms in MariaDB through
-- assets_owner_month_idx; from here well under 1 ms).
-- Derived data, like asset_month_counts: triggers keep it in the same
-- statement as every change to assets and asset_exif, and deleting an
-- asset (or, by cascade, its owner) deletes its row.

CREATE TABLE IF NOT EXISTS asset_timeline (
  owner_id UUID NOT NULL COMMENT 'assets.owner_id',
  local_month DATE NOT NULL COMMENT 'assets.local_month: first day of the local month of capture',
  id UUID NOT NULL COMMENT 'the asset',
  is_favorite TINYINT(1) NOT NULL COMMENT 'assets.is_favorite (shown to the owner only, so not in wire)',
  visibility ENUM('timeline', 'archive', 'hidden', 'locked') NOT NULL COMMENT 'assets.visibility',
  deleted_at DATETIME(3) DEFAULT NULL COMMENT 'assets.deleted_at: in the trash when set',
  status ENUM('active', 'trashed', 'deleted') NOT NULL COMMENT 'assets.status',
  local_date_time DATETIME(3) NOT NULL COMMENT 'assets.local_date_time (months by upload time, bbox and album views filter on these)',
  file_created_at DATETIME(3) NOT NULL COMMENT 'assets.file_created_at',
  created_at DATETIME(3) NOT NULL COMMENT 'assets.created_at',
  latitude DOUBLE DEFAULT NULL COMMENT 'asset_exif.latitude, for bbox',
  longitude DOUBLE DEFAULT NULL COMMENT 'asset_exif.longitude, for bbox',
  sort_key CHAR(33) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
    COMMENT 'local day then file_created_at as text: Immich''s order within a bucket',
  wire VARCHAR(4000) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
    COMMENT 'the bucket columns but isFavorite, as JSON values in Immich''s order, separated by CHAR(31) (VARCHAR: InnoDB reads it inline; TEXT cost 40% more per bucket)',
  PRIMARY KEY (owner_id, local_month, id)
    COMMENT 'a month of one owner is one range of the clustered index',
  UNIQUE KEY asset_timeline_id_uq (id)
    COMMENT 'one row per asset; the triggers find it by id',
  CONSTRAINT asset_timeline_asset_fk FOREIGN KEY (id) REFERENCES assets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='the timeline''s copy of each asset, kept by triggers on assets and asset_exif';

-- The one definition of a row, from assets and asset_exif: the triggers
-- refresh through it, the backfill below reads it, and the drift test in
-- make check compares the table with it. wire holds, in this order: id,
-- ownerId, ratio, visibility, isTrashed, isImage, thumbhash, fileCreatedAt,
-- createdAt, localOffsetHours, duration, livePhotoVideoId, projectionType,
-- status, city, country, latitude, longitude. JSON_QUOTE escapes CHAR(31)
-- inside strings, and every NULL is written as null (CONCAT_WS would skip
-- it); times are Postgres' text, fractions only if any; numbers without
-- trailing zeros.
CREATE OR REPLACE SQL SECURITY INVOKER VIEW asset_timeline_source AS
  SELECT a.owner_id, a.local_month, a.id, a.is_favorite, a.visibility, a.deleted_at, a.status,
    a.local_date_time, a.file_created_at, a.created_at, e.latitude, e.longitude,
    CONCAT(DATE(a.local_date_time), a.file_created_at) AS sort_key,
    CONCAT_WS(CHAR(31),
      JSON_QUOTE(a.id), JSON_QUOTE(a.owner_id),
      IF(COALESCE(a.width, 0) = 0 OR COALESCE(a.height, 0) = 0, '1',
        TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM CAST(ROUND(a.width / a.height, 3) AS CHAR)))),
      JSON_QUOTE(a.visibility),
      IF(a.deleted_at IS NULL, 'false', 'true'),
      IF(a.type = 'IMAGE', 'true', 'false'),
      COALESCE(JSON_QUOTE(TO_BASE64(a.thumbhash)), 'null'),
      JSON_QUOTE(TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM
        DATE_FORMAT(a.file_created_at, '%Y-%m-%dT%H:%i:%s.%f')))),
      JSON_QUOTE(TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM
        DATE_FORMAT(a.created_at, '%Y-%m-%dT%H:%i:%s.%f')))),
      TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM CAST(
        TIMESTAMPDIFF(SECOND, a.file_created_at, a.local_date_time) / 3600 AS CHAR))),
      COALESCE(a.duration_ms, 'null'),
      COALESCE(JSON_QUOTE(a.live_photo_video_id), 'null'),
      COALESCE(JSON_QUOTE(e.projection_type), 'null'),
      JSON_QUOTE(a.status),
      COALESCE(JSON_QUOTE(e.city), 'null'),
      COALESCE(JSON_QUOTE(e.country), 'null'),
      COALESCE(e.latitude, 'null'),
      COALESCE(e.longitude, 'null')) AS wire
  FROM assets a LEFT JOIN asset_exif e ON e.asset_id = a.id;

-- Rewrite one asset's row; REPLACE goes by id too, so a new owner or
-- month moves it.
CREATE OR REPLACE PROCEDURE asset_timeline_refresh(asset UUID)
  COMMENT 'asset_timeline row of one asset, from asset_timeline_source'
  REPLACE INTO asset_timeline SELECT * FROM asset_timeline_source WHERE id = asset;

CREATE TRIGGER IF NOT EXISTS assets_timeline_insert AFTER INSERT ON assets FOR EACH ROW
  CALL asset_timeline_refresh(NEW.id);
CREATE TRIGGER IF NOT EXISTS assets_timeline_update AFTER UPDATE ON assets FOR EACH ROW
  CALL asset_timeline_refresh(NEW.id);
CREATE TRIGGER IF NOT EXISTS asset_exif_timeline_insert AFTER INSERT ON asset_exif FOR EACH ROW
  CALL asset_timeline_refresh(NEW.asset_id);
CREATE TRIGGER IF NOT EXISTS asset_exif_timeline_update AFTER UPDATE ON asset_exif FOR EACH ROW
  CALL asset_timeline_refresh(NEW.asset_id);

-- The rows of the assets there already.
INSERT IGNORE INTO asset_timeline SELECT * FROM asset_timeline_source;
