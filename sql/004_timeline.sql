-- 004: the timeline. Month counts kept per owner, visibility, trash and
-- favourite state, so /timeline/buckets costs in proportion to owners and
-- months, not assets; and a version per owner for ETags. Both are kept by
-- triggers, inside the statement (and so the transaction) that changes an
-- asset, whichever code path that is: they cannot drift from the assets.
-- (MariaDB fires no triggers for foreign-key cascades; partnerd never hard-
-- deletes users, whose assets are the only ones a cascade would remove.)

CREATE TABLE IF NOT EXISTS asset_month_counts (
  owner_id UUID NOT NULL COMMENT 'whose assets',
  trashed TINYINT(1) NOT NULL COMMENT '1: in the trash',
  visibility ENUM('timeline', 'archive', 'hidden', 'locked') NOT NULL COMMENT 'asset visibility',
  favorite TINYINT(1) NOT NULL COMMENT 'the owner''s favourite flag',
  month DATE NOT NULL COMMENT 'first day of the local calendar month of the capture time',
  n INT NOT NULL COMMENT 'how many assets; rows at 0 are kept and skipped',
  PRIMARY KEY (owner_id, trashed, visibility, favorite, month)
    COMMENT 'one index range per owner and state gives that owner''s months'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='assets per owner, state and month, kept by triggers on assets';

CREATE TABLE IF NOT EXISTS asset_owner_versions (
  owner_id UUID NOT NULL COMMENT 'whose assets',
  version BIGINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'bumped by every change of one of their assets',
  PRIMARY KEY (owner_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='a change counter per owner: timeline ETags';

ALTER TABLE assets
  ADD INDEX IF NOT EXISTS assets_owner_created_idx (owner_id, created_at)
    COMMENT 'timeline ordered by upload time (orderBy=createdAt)';

DELIMITER $$
CREATE TRIGGER IF NOT EXISTS assets_counts_insert AFTER INSERT ON assets FOR EACH ROW
BEGIN
  INSERT INTO asset_month_counts (owner_id, trashed, visibility, favorite, month, n)
    VALUES (NEW.owner_id, NEW.deleted_at IS NOT NULL, NEW.visibility, NEW.is_favorite,
      DATE_FORMAT(NEW.local_date_time, '%Y-%m-01'), 1)
    ON DUPLICATE KEY UPDATE n = n + 1;
  INSERT INTO asset_owner_versions (owner_id, version) VALUES (NEW.owner_id, 1)
    ON DUPLICATE KEY UPDATE version = version + 1;
END$$
DELIMITER ;

DELIMITER $$
CREATE TRIGGER IF NOT EXISTS assets_counts_delete AFTER DELETE ON assets FOR EACH ROW
BEGIN
  UPDATE asset_month_counts SET n = n - 1
    WHERE owner_id = OLD.owner_id AND trashed = (OLD.deleted_at IS NOT NULL)
      AND visibility = OLD.visibility AND favorite = OLD.is_favorite
      AND month = DATE_FORMAT(OLD.local_date_time, '%Y-%m-01');
  INSERT INTO asset_owner_versions (owner_id, version) VALUES (OLD.owner_id, 1)
    ON DUPLICATE KEY UPDATE version = version + 1;
END$$
DELIMITER ;

DELIMITER $$
CREATE TRIGGER IF NOT EXISTS assets_counts_update AFTER UPDATE ON assets FOR EACH ROW
BEGIN
  IF NOT (OLD.owner_id <=> NEW.owner_id AND (OLD.deleted_at IS NULL) = (NEW.deleted_at IS NULL)
      AND OLD.visibility <=> NEW.visibility AND OLD.is_favorite <=> NEW.is_favorite
      AND DATE_FORMAT(OLD.local_date_time, '%Y-%m-01') = DATE_FORMAT(NEW.local_date_time, '%Y-%m-01'))
  THEN
    UPDATE asset_month_counts SET n = n - 1
      WHERE owner_id = OLD.owner_id AND trashed = (OLD.deleted_at IS NOT NULL)
        AND visibility = OLD.visibility AND favorite = OLD.is_favorite
        AND month = DATE_FORMAT(OLD.local_date_time, '%Y-%m-01');
    INSERT INTO asset_month_counts (owner_id, trashed, visibility, favorite, month, n)
      VALUES (NEW.owner_id, NEW.deleted_at IS NOT NULL, NEW.visibility, NEW.is_favorite,
        DATE_FORMAT(NEW.local_date_time, '%Y-%m-01'), 1)
      ON DUPLICATE KEY UPDATE n = n + 1;
  END IF;
  -- Any change may alter a bucket's contents (dates, thumbhash, place).
  INSERT INTO asset_owner_versions (owner_id, version) VALUES (NEW.owner_id, 1)
    ON DUPLICATE KEY UPDATE version = version + 1;
END$$
DELIMITER ;

-- Assets that existed before this migration.
INSERT INTO asset_month_counts (owner_id, trashed, visibility, favorite, month, n)
  SELECT owner_id, deleted_at IS NOT NULL, visibility, is_favorite,
    DATE_FORMAT(local_date_time, '%Y-%m-01'), COUNT(*)
  FROM assets GROUP BY 1, 2, 3, 4, 5
  ON DUPLICATE KEY UPDATE n = VALUES(n);
INSERT INTO asset_owner_versions (owner_id, version)
  SELECT owner_id, 1 FROM assets GROUP BY owner_id
  ON DUPLICATE KEY UPDATE version = version + 1;
