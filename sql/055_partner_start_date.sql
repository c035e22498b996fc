-- 055: a share from a date on (issue 18). A sharer may limit a share to
-- what was taken on or after a day: the recipient then sees only the
-- sharer's assets whose local capture date (assets.local_date_time's date)
-- is on or after partners.start_date, everywhere (the access rule in
-- stmts.c reads the column). NULL is the whole library, as before.
--
-- The change counters (sql/007, 010) follow: an edit of an asset moves a
-- recipient's counter only when the asset was or is in a state a partner
-- may see AND on or after that recipient's start date, before or after the
-- edit; so moving an asset's date across the start date moves it (the new
-- date is seen), and editing an asset from before the date does not. A
-- change of start_date itself is an UPDATE of partners, whose trigger
-- (sql/007) moves both sides.

ALTER TABLE partners
  ADD COLUMN IF NOT EXISTS start_date DATE DEFAULT NULL
    COMMENT 'the sharer''s choice: share only assets taken (local date) on or after this day; NULL = the whole library';

-- A change to owner's asset: owner, and each of owner's recipients who
-- could see it before (old_see, taken old_local) or after (new_see,
-- new_local) by the partner clause with its start date.
CREATE OR REPLACE PROCEDURE viewer_touch_asset_dated(owner UUID,
    old_see TINYINT, old_local DATETIME(3), new_see TINYINT, new_local DATETIME(3))
  COMMENT 'bump the version of owner and of every recipient of owner who sees the asset before or after'
  INSERT INTO viewer_versions (viewer_id, version)
    SELECT owner, 1 UNION ALL
    SELECT p.shared_with_id, 1 FROM partners p
      WHERE p.shared_by_id = owner
      AND ((old_see = 1 AND (p.start_date IS NULL OR old_local >= p.start_date))
        OR (new_see = 1 AND (p.start_date IS NULL OR new_local >= p.start_date)))
  ON DUPLICATE KEY UPDATE version = viewer_versions.version + 1;

DROP TRIGGER IF EXISTS assets_versions_insert;
DROP TRIGGER IF EXISTS assets_versions_update;
DROP TRIGGER IF EXISTS assets_versions_delete;
DROP TRIGGER IF EXISTS asset_exif_versions_update;

CREATE TRIGGER assets_versions_insert AFTER INSERT ON assets FOR EACH ROW
  CALL viewer_touch_asset_dated(NEW.owner_id, 0, NEW.local_date_time,
    NEW.deleted_at IS NULL AND NEW.visibility IN ('timeline', 'hidden'), NEW.local_date_time);

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
    CALL viewer_touch_asset_dated(NEW.owner_id, old_partners, OLD.local_date_time,
      new_partners, NEW.local_date_time);
    IF old_albums OR new_albums THEN
      CALL viewer_touch_albums_showing(NEW.id, NEW.owner_id);
    END IF;
  ELSE
    CALL viewer_touch_asset_dated(OLD.owner_id, old_partners, OLD.local_date_time,
      0, OLD.local_date_time);
    CALL viewer_touch_asset_dated(NEW.owner_id, 0, NEW.local_date_time,
      new_partners, NEW.local_date_time);
    IF old_albums THEN
      CALL viewer_touch_albums_showing(OLD.id, OLD.owner_id);
    END IF;
    IF new_albums THEN
      CALL viewer_touch_albums_showing(NEW.id, NEW.owner_id);
    END IF;
  END IF;
END$$
DELIMITER ;

CREATE TRIGGER assets_versions_delete AFTER DELETE ON assets FOR EACH ROW
  CALL viewer_touch_asset_dated(OLD.owner_id,
    OLD.deleted_at IS NULL AND OLD.visibility IN ('timeline', 'hidden'), OLD.local_date_time,
    0, OLD.local_date_time);

-- An EXIF edit is an edit of its asset, seen by whoever sees the asset.
DELIMITER $$
CREATE TRIGGER asset_exif_versions_update AFTER UPDATE ON asset_exif FOR EACH ROW
BEGIN
  DECLARE owner UUID;
  DECLARE local DATETIME(3);
  DECLARE partners_see, albums_see TINYINT DEFAULT 0;
  SELECT a.owner_id, a.local_date_time,
      a.deleted_at IS NULL AND a.visibility IN ('timeline', 'hidden'),
      a.deleted_at IS NULL AND a.visibility <> 'locked'
    INTO owner, local, partners_see, albums_see
    FROM assets a WHERE a.id = NEW.asset_id;
  IF owner IS NOT NULL THEN
    CALL viewer_touch_asset_dated(owner, partners_see, local, partners_see, local);
    IF albums_see THEN
      CALL viewer_touch_albums_showing(NEW.asset_id, owner);
    END IF;
  END IF;
END$$
DELIMITER ;
