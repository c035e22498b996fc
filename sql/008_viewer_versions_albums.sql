-- 008: the viewer counter of 007 also covers what albums show, so that an
-- asset's own answer (GET /api/assets/:id) can be kept under it: it moves
-- for every member of an album when the album gains or loses an asset or a
-- member or is deleted, and for every member of every album holding an
-- asset when that asset or its EXIF changes or it is deleted.

-- Every member of album (its owner is a member too).
CREATE OR REPLACE PROCEDURE viewer_touch_album(album UUID)
  COMMENT 'bump the version of every member of album'
  INSERT INTO viewer_versions (viewer_id, version)
    SELECT au.user_id, 1 FROM album_users au WHERE au.album_id = album
  ON DUPLICATE KEY UPDATE version = viewer_versions.version + 1;

-- Every member of every album holding asset.
CREATE OR REPLACE PROCEDURE viewer_touch_albums_of(asset UUID)
  COMMENT 'bump the version of every member of every album holding asset'
  INSERT INTO viewer_versions (viewer_id, version)
    SELECT DISTINCT au.user_id, 1 FROM album_assets aa
      JOIN album_users au ON au.album_id = aa.album_id WHERE aa.asset_id = asset
  ON DUPLICATE KEY UPDATE version = viewer_versions.version + 1;

CREATE TRIGGER IF NOT EXISTS assets_album_versions_update AFTER UPDATE ON assets FOR EACH ROW
  CALL viewer_touch_albums_of(NEW.id);
-- Before: the cascade empties album_assets before an AFTER trigger runs.
CREATE TRIGGER IF NOT EXISTS assets_album_versions_delete BEFORE DELETE ON assets FOR EACH ROW
  CALL viewer_touch_albums_of(OLD.id);
CREATE TRIGGER IF NOT EXISTS asset_exif_album_versions_update AFTER UPDATE ON asset_exif FOR EACH ROW
  CALL viewer_touch_albums_of(NEW.asset_id);

CREATE TRIGGER IF NOT EXISTS album_assets_versions_insert AFTER INSERT ON album_assets FOR EACH ROW
  CALL viewer_touch_album(NEW.album_id);
CREATE TRIGGER IF NOT EXISTS album_assets_versions_delete AFTER DELETE ON album_assets FOR EACH ROW
  CALL viewer_touch_album(OLD.album_id);

CREATE TRIGGER IF NOT EXISTS album_users_versions_insert AFTER INSERT ON album_users FOR EACH ROW
  CALL viewer_touch_album(NEW.album_id);
CREATE TRIGGER IF NOT EXISTS album_users_versions_update AFTER UPDATE ON album_users FOR EACH ROW
  CALL viewer_touch_album(NEW.album_id);
-- A member who leaves no longer sees the album's assets of others.
DELIMITER $$
CREATE TRIGGER IF NOT EXISTS album_users_versions_delete AFTER DELETE ON album_users FOR EACH ROW
BEGIN
  CALL viewer_touch_album(OLD.album_id);
  INSERT INTO viewer_versions (viewer_id, version) VALUES (OLD.user_id, 1)
    ON DUPLICATE KEY UPDATE version = version + 1;
END$$
DELIMITER ;

-- Before: deleting an album cascades to its members and assets, and
-- cascades run no triggers.
CREATE TRIGGER IF NOT EXISTS albums_versions_delete BEFORE DELETE ON albums FOR EACH ROW
  CALL viewer_touch_album(OLD.id);
DELIMITER $$
CREATE TRIGGER IF NOT EXISTS albums_versions_update AFTER UPDATE ON albums FOR EACH ROW
BEGIN
  IF NOT OLD.deleted_at <=> NEW.deleted_at THEN
    CALL viewer_touch_album(NEW.id);
  END IF;
END$$
DELIMITER ;
