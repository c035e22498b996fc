-- 035: the map's copy of each asset that has a position, clustered by
-- owner and grid cell. The grid is Web Mercator's tile grid (the one the
-- map's tiles are cut on) at zoom 24: gx and gy are the cell at that zoom,
-- 0 .. 2^24 - 1 from the west and from the north. The cell at zoom z < 24
-- is (gx >> (24 - z), gy >> (24 - z)), so one column serves every zoom:
-- a map view of an owner is one range of gy in the clustered key, and its
-- clusters are a GROUP BY of shifted cells (src/h_map.c).
-- Derived data, like asset_timeline (sql/006): triggers keep it in the same
-- statement as every change to assets and asset_exif (upload, import,
-- location edit, archive, trash), and deleting an asset (or, by cascade,
-- its owner) deletes its row. The column names are the assets table's, so
-- the access rule's pieces (stmts.c) read a row of it as they read an asset.

CREATE TABLE IF NOT EXISTS asset_map (
  owner_id UUID NOT NULL COMMENT 'assets.owner_id',
  gy INT UNSIGNED NOT NULL COMMENT 'Web Mercator tile row at zoom 24 (0 = north), latitude clamped to +-85.0511',
  gx INT UNSIGNED NOT NULL COMMENT 'Web Mercator tile column at zoom 24 (0 = 180 degrees west)',
  id UUID NOT NULL COMMENT 'the asset',
  latitude DOUBLE NOT NULL COMMENT 'asset_exif.latitude',
  longitude DOUBLE NOT NULL COMMENT 'asset_exif.longitude',
  is_favorite TINYINT(1) NOT NULL COMMENT 'assets.is_favorite (the owner''s flag)',
  visibility ENUM('timeline', 'archive', 'hidden', 'locked') NOT NULL COMMENT 'assets.visibility',
  deleted_at DATETIME(3) DEFAULT NULL COMMENT 'assets.deleted_at: in the trash when set',
  status ENUM('active', 'trashed', 'deleted') NOT NULL COMMENT 'assets.status',
  local_month DATE DEFAULT NULL COMMENT 'assets.local_month',
  local_date_time DATETIME(3) NOT NULL COMMENT 'assets.local_date_time',
  file_created_at DATETIME(3) NOT NULL COMMENT 'assets.file_created_at: fileCreatedAfter/Before filter on it',
  created_at DATETIME(3) NOT NULL COMMENT 'assets.created_at',
  city VARCHAR(255) DEFAULT NULL COMMENT 'asset_exif.city',
  state VARCHAR(255) DEFAULT NULL COMMENT 'asset_exif.state',
  country VARCHAR(255) DEFAULT NULL COMMENT 'asset_exif.country',
  PRIMARY KEY (owner_id, gy, gx, id)
    COMMENT 'a map view of one owner is one range of gy here',
  UNIQUE KEY asset_map_id_uq (id)
    COMMENT 'one row per asset; the triggers find it by id',
  CONSTRAINT asset_map_asset_fk FOREIGN KEY (id) REFERENCES assets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='the map''s copy of each asset with a position, kept by triggers on assets and asset_exif';

-- The one definition of a row, from assets and asset_exif; assets without
-- both coordinates have none.
CREATE OR REPLACE SQL SECURITY INVOKER VIEW asset_map_source AS
  SELECT a.owner_id,
    LEAST(16777215, GREATEST(0, FLOOR((1 - LN(TAN(RADIANS(LEAST(85.0511287798,
      GREATEST(-85.0511287798, e.latitude)))) + 1 / COS(RADIANS(LEAST(85.0511287798,
      GREATEST(-85.0511287798, e.latitude))))) / PI()) / 2 * 16777216))) AS gy,
    LEAST(16777215, GREATEST(0, FLOOR((e.longitude + 180) / 360 * 16777216))) AS gx,
    a.id, e.latitude, e.longitude, a.is_favorite, a.visibility, a.deleted_at, a.status,
    a.local_month, a.local_date_time, a.file_created_at, a.created_at,
    e.city, e.state, e.country
  FROM assets a JOIN asset_exif e ON e.asset_id = a.id
  WHERE e.latitude IS NOT NULL AND e.longitude IS NOT NULL;

-- Rewrite one asset's row (none when it has no position any more).
DELIMITER $$
CREATE OR REPLACE PROCEDURE asset_map_refresh(asset UUID)
  COMMENT 'asset_map row of one asset, from asset_map_source'
BEGIN
  DELETE FROM asset_map WHERE id = asset;
  INSERT INTO asset_map SELECT * FROM asset_map_source WHERE id = asset;
END$$
DELIMITER ;

CREATE TRIGGER IF NOT EXISTS assets_map_update AFTER UPDATE ON assets FOR EACH ROW
  CALL asset_map_refresh(NEW.id);
CREATE TRIGGER IF NOT EXISTS asset_exif_map_insert AFTER INSERT ON asset_exif FOR EACH ROW
  CALL asset_map_refresh(NEW.asset_id);
CREATE TRIGGER IF NOT EXISTS asset_exif_map_update AFTER UPDATE ON asset_exif FOR EACH ROW
  CALL asset_map_refresh(NEW.asset_id);

-- The rows of the assets there already.
INSERT IGNORE INTO asset_map SELECT * FROM asset_map_source;
