-- 036: search's copy of each asset (src/h_search.c), kept by triggers, so
-- that a search by place or camera is one index range per owner of the
-- searched set instead of a walk over every asset of those owners with an
-- EXIF lookup for each (729 ms p50 by camera at a million assets).
-- The owner, the columns the access rule reads (visibility, deleted_at)
-- and the capture time that orders results are copied from assets beside
-- the place and camera columns from asset_exif, and the indexes start with
-- the owner: a search by city of me and three partners reads four short
-- ranges of asset_search_city_idx, already in capture order, and only the
-- page found joins assets and asset_exif. The column names are the assets
-- table's, so the access rule's pieces (stmts.c) read a row of it as they
-- read an asset (as asset_map's, sql/035).
-- Derived data, like asset_map: the triggers rewrite an asset's row in the
-- same statement as every change to assets and asset_exif, and deleting
-- an asset (or, by cascade, its owner) deletes its row. The db suite
-- checks the copy against its source after every change the access rule
-- cares about.

CREATE TABLE IF NOT EXISTS asset_search (
  id UUID NOT NULL COMMENT 'the asset',
  owner_id UUID NOT NULL COMMENT 'assets.owner_id',
  visibility ENUM('timeline', 'archive', 'hidden', 'locked') NOT NULL COMMENT 'assets.visibility',
  deleted_at DATETIME(3) DEFAULT NULL COMMENT 'assets.deleted_at: in the trash when set',
  file_created_at DATETIME(3) NOT NULL COMMENT 'assets.file_created_at: results are in its order',
  city VARCHAR(255) DEFAULT NULL COMMENT 'asset_exif.city',
  state VARCHAR(255) DEFAULT NULL COMMENT 'asset_exif.state',
  country VARCHAR(255) DEFAULT NULL COMMENT 'asset_exif.country',
  make VARCHAR(255) DEFAULT NULL COMMENT 'asset_exif.make',
  model VARCHAR(255) DEFAULT NULL COMMENT 'asset_exif.model',
  lens_model VARCHAR(255) DEFAULT NULL COMMENT 'asset_exif.lens_model',
  PRIMARY KEY (owner_id, file_created_at, id)
    COMMENT 'an owner''s assets in capture order, each row beside the next: a search by no place or camera and the suggestions read one range of it per owner',
  UNIQUE KEY asset_search_id_uq (id)
    COMMENT 'one row per asset; the triggers find it by id',
  KEY asset_search_city_idx (owner_id, city, visibility, deleted_at)
    COMMENT 'search by place: an owner''s assets of one city (in capture order: the primary key follows)',
  KEY asset_search_camera_idx (owner_id, make, model, visibility, deleted_at)
    COMMENT 'search by camera: an owner''s assets of one maker (and model)',
  KEY asset_search_country_idx (owner_id, country, city, visibility, deleted_at)
    COMMENT 'search by country; the cities of a country to suggest',
  KEY asset_search_state_idx (owner_id, state, country, visibility, deleted_at)
    COMMENT 'search by region',
  KEY asset_search_lens_idx (owner_id, lens_model, make, visibility, deleted_at)
    COMMENT 'search by lens',
  KEY asset_search_model_idx (owner_id, model, make, visibility, deleted_at)
    COMMENT 'search by camera model',
  CONSTRAINT asset_search_asset_fk FOREIGN KEY (id) REFERENCES assets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  STATS_SAMPLE_PAGES=1000
  COMMENT='search''s copy of each asset: owner, rule columns, place, camera; kept by triggers on assets and asset_exif';

-- The one definition of a row, from assets and asset_exif.
CREATE OR REPLACE SQL SECURITY INVOKER VIEW asset_search_source AS
  SELECT a.id, a.owner_id, a.visibility, a.deleted_at, a.file_created_at,
    e.city, e.state, e.country, e.make, e.model, e.lens_model
  FROM assets a JOIN asset_exif e ON e.asset_id = a.id;

-- Rewrite one asset's row.
DELIMITER $$
CREATE OR REPLACE PROCEDURE asset_search_refresh(asset UUID)
  COMMENT 'asset_search row of one asset, from asset_search_source'
BEGIN
  DELETE FROM asset_search WHERE id = asset;
  INSERT INTO asset_search SELECT * FROM asset_search_source WHERE id = asset;
END$$
DELIMITER ;

DELIMITER $$
-- (On assets only when a copied column changes: a favourite or a new
-- file name leaves the row as it is.)
CREATE TRIGGER IF NOT EXISTS assets_search_update AFTER UPDATE ON assets FOR EACH ROW
  IF NOT (NEW.owner_id <=> OLD.owner_id AND NEW.visibility <=> OLD.visibility
      AND NEW.deleted_at <=> OLD.deleted_at AND NEW.file_created_at <=> OLD.file_created_at) THEN
    CALL asset_search_refresh(NEW.id);
  END IF$$
CREATE TRIGGER IF NOT EXISTS asset_exif_search_insert AFTER INSERT ON asset_exif FOR EACH ROW
  CALL asset_search_refresh(NEW.asset_id)$$
CREATE TRIGGER IF NOT EXISTS asset_exif_search_update AFTER UPDATE ON asset_exif FOR EACH ROW
  CALL asset_search_refresh(NEW.asset_id)$$
DELIMITER ;

-- The rows of the assets there already.
INSERT IGNORE INTO asset_search SELECT * FROM asset_search_source;
