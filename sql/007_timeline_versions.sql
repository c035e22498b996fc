-- 007: one change counter per viewer. It moves with every change that can
-- alter anything a viewer's timelines show: any asset (or its EXIF) of
-- theirs or of anyone who shares with them, a share with them made, ended
-- or shown or hidden, a sharer's account deleted or restored. A timeline
-- answer computed at version v stays right while the counter is v, so the
-- worker keeps recent answers and checks them with one primary-key read,
-- and the ETag is that counter.

CREATE TABLE IF NOT EXISTS timeline_versions (
  viewer_id UUID NOT NULL COMMENT 'whose timelines',
  version BIGINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'bumped by every change that can alter them',
  PRIMARY KEY (viewer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='a change counter per viewer: timeline ETags and the worker''s timeline cache';

-- The owner's own timelines and those of everyone the owner shares with.
CREATE OR REPLACE PROCEDURE timeline_touch(owner UUID)
  COMMENT 'bump the timeline version of owner and of everyone owner shares with'
  INSERT INTO timeline_versions (viewer_id, version)
    SELECT owner, 1 UNION ALL
    SELECT p.shared_with_id, 1 FROM partners p WHERE p.shared_by_id = owner
  ON DUPLICATE KEY UPDATE version = timeline_versions.version + 1;

CREATE TRIGGER IF NOT EXISTS assets_versions_insert AFTER INSERT ON assets FOR EACH ROW
  CALL timeline_touch(NEW.owner_id);
CREATE TRIGGER IF NOT EXISTS assets_versions_update AFTER UPDATE ON assets FOR EACH ROW
BEGIN
  CALL timeline_touch(NEW.owner_id);
  IF NOT OLD.owner_id <=> NEW.owner_id THEN
    CALL timeline_touch(OLD.owner_id);
  END IF;
END;
CREATE TRIGGER IF NOT EXISTS assets_versions_delete AFTER DELETE ON assets FOR EACH ROW
  CALL timeline_touch(OLD.owner_id);
CREATE TRIGGER IF NOT EXISTS asset_exif_versions_update AFTER UPDATE ON asset_exif FOR EACH ROW
  CALL timeline_touch((SELECT owner_id FROM assets WHERE id = NEW.asset_id));

-- A share changes what its recipient sees.
CREATE TRIGGER IF NOT EXISTS partners_versions_insert AFTER INSERT ON partners FOR EACH ROW
  INSERT INTO timeline_versions (viewer_id, version) VALUES (NEW.shared_with_id, 1)
    ON DUPLICATE KEY UPDATE version = version + 1;
CREATE TRIGGER IF NOT EXISTS partners_versions_update AFTER UPDATE ON partners FOR EACH ROW
  INSERT INTO timeline_versions (viewer_id, version) VALUES (NEW.shared_with_id, 1), (OLD.shared_with_id, 1)
    ON DUPLICATE KEY UPDATE version = version + 1;
CREATE TRIGGER IF NOT EXISTS partners_versions_delete AFTER DELETE ON partners FOR EACH ROW
  INSERT INTO timeline_versions (viewer_id, version) VALUES (OLD.shared_with_id, 1)
    ON DUPLICATE KEY UPDATE version = version + 1;

-- A deleted (or restored) account's assets leave (or return to) the
-- timelines of those it shared with.
CREATE TRIGGER IF NOT EXISTS users_versions_update AFTER UPDATE ON users FOR EACH ROW
BEGIN
  IF NOT OLD.deleted_at <=> NEW.deleted_at THEN
    CALL timeline_touch(NEW.id);
  END IF;
END;

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
END;
