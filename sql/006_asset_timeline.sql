-- 006: what a timeline bucket shows of each asset, stored together and
-- clustered by owner and month. A bucket of the owner set is then one
-- contiguous range per owner, with no join to asset_exif and no random
-- reads of the assets table (read through assets_owner_month_idx, a month
-- of 1,000 assets cost about 8 ms in MariaDB; from here about 1 ms).
-- Derived data, like asset_month_counts: triggers keep it in the same
-- statement as every change to assets and asset_exif, and deleting an
-- asset (or, by cascade, its owner) deletes its row.

CREATE TABLE IF NOT EXISTS asset_timeline (
  owner_id UUID NOT NULL COMMENT 'assets.owner_id',
  local_month DATE NOT NULL COMMENT 'assets.local_month: first day of the local month of capture',
  id UUID NOT NULL COMMENT 'the asset',
  local_date_time DATETIME(3) NOT NULL COMMENT 'assets.local_date_time: the day it sorts under',
  file_created_at DATETIME(3) NOT NULL COMMENT 'assets.file_created_at: fileCreatedAt, and the order within a day',
  created_at DATETIME(3) NOT NULL COMMENT 'assets.created_at: createdAt',
  ratio DECIMAL(12,3) NOT NULL COMMENT 'width / height to 3 places; 1 when either is unknown',
  is_favorite TINYINT(1) NOT NULL COMMENT 'assets.is_favorite (shown to the owner only)',
  visibility ENUM('timeline', 'archive', 'hidden', 'locked') NOT NULL COMMENT 'assets.visibility',
  deleted_at DATETIME(3) DEFAULT NULL COMMENT 'assets.deleted_at: in the trash when set',
  status ENUM('active', 'trashed', 'deleted') NOT NULL COMMENT 'assets.status',
  is_image TINYINT(1) NOT NULL COMMENT 'assets.type is IMAGE',
  thumbhash VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin DEFAULT NULL COMMENT 'assets.thumbhash in base64, as sent',
  offset_seconds INT NOT NULL COMMENT 'local_date_time - file_created_at: the capture zone offset',
  duration_ms INT UNSIGNED DEFAULT NULL COMMENT 'assets.duration_ms',
  live_photo_video_id UUID DEFAULT NULL COMMENT 'assets.live_photo_video_id',
  projection_type VARCHAR(32) DEFAULT NULL COMMENT 'asset_exif.projection_type',
  city VARCHAR(255) DEFAULT NULL COMMENT 'asset_exif.city',
  country VARCHAR(255) DEFAULT NULL COMMENT 'asset_exif.country',
  latitude DOUBLE DEFAULT NULL COMMENT 'asset_exif.latitude',
  longitude DOUBLE DEFAULT NULL COMMENT 'asset_exif.longitude',
  PRIMARY KEY (owner_id, local_month, id)
    COMMENT 'a month of one owner is one range of the clustered index',
  UNIQUE KEY asset_timeline_id_uq (id)
    COMMENT 'one row per asset; the triggers find it by id',
  CONSTRAINT asset_timeline_asset_fk FOREIGN KEY (id) REFERENCES assets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='the timeline''s copy of each asset, kept by triggers on assets and asset_exif';

-- The one definition of a row, from assets and asset_exif: the triggers
-- refresh through it, the backfill below reads it, and the drift test in
-- make check compares the table with it.
CREATE OR REPLACE SQL SECURITY INVOKER VIEW asset_timeline_source AS
  SELECT a.owner_id, a.local_month, a.id, a.local_date_time, a.file_created_at, a.created_at,
    IF(COALESCE(a.width, 0) = 0 OR COALESCE(a.height, 0) = 0, 1,
      ROUND(a.width / a.height, 3)) AS ratio,
    a.is_favorite, a.visibility, a.deleted_at, a.status, a.type = 'IMAGE' AS is_image,
    TO_BASE64(a.thumbhash) AS thumbhash,
    TIMESTAMPDIFF(SECOND, a.file_created_at, a.local_date_time) AS offset_seconds,
    a.duration_ms, a.live_photo_video_id, e.projection_type, e.city, e.country,
    e.latitude, e.longitude
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
