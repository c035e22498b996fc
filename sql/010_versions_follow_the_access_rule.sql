-- 010: a change to an asset moves the change counters (sql/007) of exactly
-- the viewers who could see it, before or after, by the access rule of
-- stmts.c ("THE ACCESS RULE"): its owner; the people its owner shares with
-- only when the asset was or is in a state a partner may see (not trashed,
-- timeline or hidden); the members of albums its owner put it in only when
-- it was or is in a state an album shows (not trashed, not locked). So
-- editing an archived or locked asset no longer moves a partner's ETag. The
-- db suite checks these triggers against the rule, column by column.

-- A change to owner's asset: owner, and owner's partners if they see it.
CREATE OR REPLACE PROCEDURE viewer_touch_asset(owner UUID, partners_see TINYINT)
  COMMENT 'bump the version of owner and, if partners_see, of everyone owner shares with'
  INSERT INTO viewer_versions (viewer_id, version)
    SELECT owner, 1 UNION ALL
    SELECT p.shared_with_id, 1 FROM partners p
      WHERE partners_see = 1 AND p.shared_by_id = owner
  ON DUPLICATE KEY UPDATE version = viewer_versions.version + 1;

-- Every member of every album that shows asset (put there by owner).
CREATE OR REPLACE PROCEDURE viewer_touch_albums_showing(asset UUID, owner UUID)
  COMMENT 'bump the version of every member of every album owner put asset in'
  INSERT INTO viewer_versions (viewer_id, version)
    SELECT DISTINCT au.user_id, 1 FROM album_assets aa
      JOIN album_users au ON au.album_id = aa.album_id
      WHERE aa.asset_id = asset AND aa.added_by_id = owner
  ON DUPLICATE KEY UPDATE version = viewer_versions.version + 1;

DROP TRIGGER IF EXISTS assets_versions_insert;
DROP TRIGGER IF EXISTS assets_versions_update;
DROP TRIGGER IF EXISTS assets_versions_delete;
DROP TRIGGER IF EXISTS asset_exif_versions_update;
DROP TRIGGER IF EXISTS assets_album_versions_update;
DROP TRIGGER IF EXISTS assets_album_versions_delete;
DROP TRIGGER IF EXISTS asset_exif_album_versions_update;

CREATE TRIGGER assets_versions_insert AFTER INSERT ON assets FOR EACH ROW
  CALL viewer_touch_asset(NEW.owner_id,
    NEW.deleted_at IS NULL AND NEW.visibility IN ('timeline', 'hidden'));

DELIMITER $$
CREATE TRIGGER assets_versions_update AFTER UPDATE ON assets FOR EACH ROW
BEGIN
  DECLARE old_partners TINYINT DEFAULT
    OLD.deleted_at IS NULL AND OLD.visibility IN ('timeline', 'hidden');
  DECLARE new_partners TINYINT DEFAULT
    NEW.deleted_at IS NULL AND NEW.visibility IN ('timeline', 'hidden');
  DECLARE old_albums TINYINT DEFAULT OLD.deleted_at IS NULL AND OLD.visibility <> 'locked';
  DECLARE new_albums TINYINT DEFAULT NEW.deleted_at IS NULL AND NEW.visibility <> 'locked';
  IF OLD.owner_id <=> NEW.owner_id THEN
    CALL viewer_touch_asset(NEW.owner_id, old_partners OR new_partners);
    IF old_albums OR new_albums THEN
      CALL viewer_touch_albums_showing(NEW.id, NEW.owner_id);
    END IF;
  ELSE
    CALL viewer_touch_asset(OLD.owner_id, old_partners);
    CALL viewer_touch_asset(NEW.owner_id, new_partners);
    IF old_albums THEN
      CALL viewer_touch_albums_showing(OLD.id, OLD.owner_id);
    END IF;
    IF new_albums THEN
      CALL viewer_touch_albums_showing(NEW.id, NEW.owner_id);
    END IF;
  END IF;
END$$
DELIMITER ;

-- Before: the cascade empties album_assets before an AFTER trigger runs.
DELIMITER $$
CREATE TRIGGER assets_album_versions_delete BEFORE DELETE ON assets FOR EACH ROW
BEGIN
  IF OLD.deleted_at IS NULL AND OLD.visibility <> 'locked' THEN
    CALL viewer_touch_albums_showing(OLD.id, OLD.owner_id);
  END IF;
END$$
DELIMITER ;
CREATE TRIGGER assets_versions_delete AFTER DELETE ON assets FOR EACH ROW
  CALL viewer_touch_asset(OLD.owner_id,
    OLD.deleted_at IS NULL AND OLD.visibility IN ('timeline', 'hidden'));

-- An EXIF edit is an edit of its asset, seen by whoever sees the asset.
DELIMITER $$
CREATE TRIGGER asset_exif_versions_update AFTER UPDATE ON asset_exif FOR EACH ROW
BEGIN
  DECLARE owner UUID;
  DECLARE partners_see, albums_see TINYINT DEFAULT 0;
  SELECT a.owner_id, a.deleted_at IS NULL AND a.visibility IN ('timeline', 'hidden'),
      a.deleted_at IS NULL AND a.visibility <> 'locked'
    INTO owner, partners_see, albums_see
    FROM assets a WHERE a.id = NEW.asset_id;
  IF owner IS NOT NULL THEN
    CALL viewer_touch_asset(owner, partners_see);
    IF albums_see THEN
      CALL viewer_touch_albums_showing(NEW.asset_id, owner);
    END IF;
  END IF;
END$$
DELIMITER ;

-- Who put an asset in an album decides whether its members see it (009):
-- a change of it is a change of the album, old and new.
DELIMITER $$
CREATE TRIGGER IF NOT EXISTS album_assets_versions_update AFTER UPDATE ON album_assets FOR EACH ROW
BEGIN
  CALL viewer_touch_album(NEW.album_id);
  IF NOT OLD.album_id <=> NEW.album_id THEN
    CALL viewer_touch_album(OLD.album_id);
  END IF;
END$$
DELIMITER ;
