-- 007: one change counter per viewer. It moves with every change that can
-- alter a timeline answer or the partner list of that viewer: any asset
-- (or its EXIF) of theirs or of anyone who shares with them; a share
-- with them or by them made, ended, shown or hidden; the account of
-- someone they share with either way renamed, re-pictured, deleted or
-- restored. An answer computed at version v stays right while the counter
-- is v, so the worker keeps recent answers and checks them with one
-- primary-key read, and the ETag is that counter.

CREATE TABLE IF NOT EXISTS viewer_versions (
  viewer_id UUID NOT NULL COMMENT 'whose answers',
  version BIGINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'bumped by every change that can alter them',
  PRIMARY KEY (viewer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='a change counter per viewer: ETags and the worker''s cache of timelines and partner lists';

-- A change to owner's library: owner and everyone owner shares with.
CREATE OR REPLACE PROCEDURE viewer_touch(owner UUID)
  COMMENT 'bump the version of owner and of everyone owner shares with'
  INSERT INTO viewer_versions (viewer_id, version)
    SELECT owner, 1 UNION ALL
    SELECT p.shared_with_id, 1 FROM partners p WHERE p.shared_by_id = owner
  ON DUPLICATE KEY UPDATE version = viewer_versions.version + 1;

-- A change to who u is: u and everyone u shares with either way.
CREATE OR REPLACE PROCEDURE viewer_touch_partners(u UUID)
  COMMENT 'bump the version of u and of everyone sharing with u either way'
  INSERT INTO viewer_versions (viewer_id, version)
    SELECT u, 1 UNION ALL
    SELECT p.shared_with_id, 1 FROM partners p WHERE p.shared_by_id = u UNION ALL
    SELECT p.shared_by_id, 1 FROM partners p WHERE p.shared_with_id = u
  ON DUPLICATE KEY UPDATE version = viewer_versions.version + 1;

CREATE TRIGGER IF NOT EXISTS assets_versions_insert AFTER INSERT ON assets FOR EACH ROW
  CALL viewer_touch(NEW.owner_id);
DELIMITER $$
CREATE TRIGGER IF NOT EXISTS assets_versions_update AFTER UPDATE ON assets FOR EACH ROW
BEGIN
  CALL viewer_touch(NEW.owner_id);
  IF NOT OLD.owner_id <=> NEW.owner_id THEN
    CALL viewer_touch(OLD.owner_id);
  END IF;
END$$
DELIMITER ;
CREATE TRIGGER IF NOT EXISTS assets_versions_delete AFTER DELETE ON assets FOR EACH ROW
  CALL viewer_touch(OLD.owner_id);
CREATE TRIGGER IF NOT EXISTS asset_exif_versions_update AFTER UPDATE ON asset_exif FOR EACH ROW
  CALL viewer_touch((SELECT owner_id FROM assets WHERE id = NEW.asset_id));

-- A share changes its recipient's timelines and both partner lists.
CREATE TRIGGER IF NOT EXISTS partners_versions_insert AFTER INSERT ON partners FOR EACH ROW
  INSERT INTO viewer_versions (viewer_id, version)
    VALUES (NEW.shared_with_id, 1), (NEW.shared_by_id, 1)
    ON DUPLICATE KEY UPDATE version = version + 1;
CREATE TRIGGER IF NOT EXISTS partners_versions_update AFTER UPDATE ON partners FOR EACH ROW
  INSERT INTO viewer_versions (viewer_id, version)
    VALUES (NEW.shared_with_id, 1), (NEW.shared_by_id, 1),
      (OLD.shared_with_id, 1), (OLD.shared_by_id, 1)
    ON DUPLICATE KEY UPDATE version = version + 1;
CREATE TRIGGER IF NOT EXISTS partners_versions_delete AFTER DELETE ON partners FOR EACH ROW
  INSERT INTO viewer_versions (viewer_id, version)
    VALUES (OLD.shared_with_id, 1), (OLD.shared_by_id, 1)
    ON DUPLICATE KEY UPDATE version = version + 1;

-- An account deleted or restored takes its assets out of (or back into)
-- its partners' timelines and itself out of their lists; a new name,
-- email or picture shows in their lists.
DELIMITER $$
CREATE TRIGGER IF NOT EXISTS users_versions_update AFTER UPDATE ON users FOR EACH ROW
BEGIN
  IF NOT (OLD.deleted_at <=> NEW.deleted_at AND OLD.name <=> NEW.name
      AND OLD.email <=> NEW.email AND OLD.profile_image_path <=> NEW.profile_image_path
      AND OLD.avatar_color <=> NEW.avatar_color
      AND OLD.profile_changed_at <=> NEW.profile_changed_at) THEN
    CALL viewer_touch_partners(NEW.id);
  END IF;
END$$
DELIMITER ;

-- The per-owner counters of 004 gave way to the per-viewer ones: the
-- month-count triggers again without them, through one procedure.
DROP TRIGGER IF EXISTS assets_counts_insert;
DROP TRIGGER IF EXISTS assets_counts_delete;
DROP TRIGGER IF EXISTS assets_counts_update;
DROP TABLE IF EXISTS asset_owner_versions;

CREATE OR REPLACE PROCEDURE asset_month_count(owner UUID, trashed TINYINT,
    vis VARCHAR(16), favorite TINYINT, local DATETIME(3), delta INT)
  COMMENT 'add delta to the month count of one owner, state and local month'
  INSERT INTO asset_month_counts (owner_id, trashed, visibility, favorite, month, n)
    VALUES (owner, trashed, vis, favorite, DATE_FORMAT(local, '%Y-%m-01'), delta)
    ON DUPLICATE KEY UPDATE n = n + delta;

CREATE TRIGGER assets_counts_insert AFTER INSERT ON assets FOR EACH ROW
  CALL asset_month_count(NEW.owner_id, NEW.deleted_at IS NOT NULL, NEW.visibility,
    NEW.is_favorite, NEW.local_date_time, 1);
CREATE TRIGGER assets_counts_delete AFTER DELETE ON assets FOR EACH ROW
  CALL asset_month_count(OLD.owner_id, OLD.deleted_at IS NOT NULL, OLD.visibility,
    OLD.is_favorite, OLD.local_date_time, -1);
DELIMITER $$
CREATE TRIGGER assets_counts_update AFTER UPDATE ON assets FOR EACH ROW
BEGIN
  IF NOT (OLD.owner_id <=> NEW.owner_id AND (OLD.deleted_at IS NULL) = (NEW.deleted_at IS NULL)
      AND OLD.visibility <=> NEW.visibility AND OLD.is_favorite <=> NEW.is_favorite
      AND DATE_FORMAT(OLD.local_date_time, '%Y-%m-01') = DATE_FORMAT(NEW.local_date_time, '%Y-%m-01'))
  THEN
    CALL asset_month_count(OLD.owner_id, OLD.deleted_at IS NOT NULL, OLD.visibility,
      OLD.is_favorite, OLD.local_date_time, -1);
    CALL asset_month_count(NEW.owner_id, NEW.deleted_at IS NOT NULL, NEW.visibility,
      NEW.is_favorite, NEW.local_date_time, 1);
  END IF;
END$$
DELIMITER ;
