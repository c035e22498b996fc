-- 050: my own marks on a partner's asset (README "Beyond Immich"). A
-- recipient of a partner share may favourite a partner's photo for
-- themselves, or archive it for themselves (hide it from their own
-- timeline, search and map); the owner's own flag and visibility are never
-- touched, and nobody else sees the marks. The statements (stmts.c, "MY
-- MARKS") show them through the access rule: a mark never grants access,
-- it only changes how an asset the rule already shows me looks to me.
--
-- The timeline's month counts stay O(months): asset_mark_counts holds, per
-- viewer and owner, how the viewer's marks move that owner's month counts
-- (asset_month_counts, sql/004 and 010) as the viewer sees them. Each mark
-- takes its asset out of the state a partner sees by default (the owner's
-- visibility, not a favourite) and puts it into the state the viewer sees
-- (archived by me: 'archive' when the owner's visibility is 'timeline';
-- favourite: mine). Triggers keep it, in the same statement as every
-- change to a mark or to a marked asset; the db suite compares it with a
-- recount after thousands of random changes.

CREATE TABLE IF NOT EXISTS asset_marks (
  viewer_id UUID NOT NULL COMMENT 'whose marks: a recipient of the owner''s share',
  asset_id UUID NOT NULL COMMENT 'a partner''s asset (never the viewer''s own)',
  favorite TINYINT(1) NOT NULL DEFAULT 0 COMMENT '1: a favourite of the viewer''s',
  archived TINYINT(1) NOT NULL DEFAULT 0 COMMENT '1: archived for the viewer (hidden from their timeline, search and map)',
  PRIMARY KEY (viewer_id, asset_id) COMMENT 'one row per viewer and asset; the statements join on it',
  KEY asset_marks_asset_idx (asset_id) COMMENT 'the triggers find an asset''s marks',
  CONSTRAINT asset_marks_asset_fk FOREIGN KEY (asset_id) REFERENCES assets (id) ON DELETE CASCADE,
  CONSTRAINT asset_marks_viewer_fk FOREIGN KEY (viewer_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='a viewer''s own favourite and archive marks on partners'' assets';

CREATE TABLE IF NOT EXISTS asset_mark_counts (
  viewer_id UUID NOT NULL COMMENT 'whose view',
  owner_id UUID NOT NULL COMMENT 'whose assets',
  trashed TINYINT(1) NOT NULL COMMENT 'the asset''s state: 1 in the trash',
  visibility ENUM('timeline', 'archive', 'hidden', 'locked') NOT NULL
    COMMENT 'the asset''s own visibility (the access rule reads this)',
  shown ENUM('timeline', 'archive', 'hidden', 'locked') NOT NULL
    COMMENT 'the visibility the viewer sees',
  favorite TINYINT(1) NOT NULL COMMENT 'the favourite flag the viewer sees',
  month DATE NOT NULL COMMENT 'first day of the local calendar month of the capture time',
  n INT NOT NULL COMMENT 'how many assets to add (negative: to take away) in that state; rows at 0 are kept and skipped',
  PRIMARY KEY (viewer_id, owner_id, trashed, visibility, shown, favorite, month)
    COMMENT 'one index range per viewer and owner'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='how a viewer''s marks move an owner''s month counts, kept by triggers';

-- One mark of one asset, in the asset's present state, counted (delta 1)
-- or uncounted (-1): out of the default state, into the viewer's.
CREATE OR REPLACE PROCEDURE asset_mark_count(viewer UUID, asset UUID, favorite TINYINT,
    archived TINYINT, delta INT)
  COMMENT 'move one marked asset between the default and the viewer''s state in asset_mark_counts'
  INSERT INTO asset_mark_counts (viewer_id, owner_id, trashed, visibility, shown, favorite, month, n)
    SELECT viewer, a.owner_id, a.deleted_at IS NOT NULL, a.visibility, a.visibility, 0,
        DATE_FORMAT(a.local_date_time, '%Y-%m-01'), -delta
      FROM assets a WHERE a.id = asset
    UNION ALL
    SELECT viewer, a.owner_id, a.deleted_at IS NOT NULL, a.visibility,
        IF(archived = 1 AND a.visibility = 'timeline', 'archive', a.visibility), favorite,
        DATE_FORMAT(a.local_date_time, '%Y-%m-01'), delta
      FROM assets a WHERE a.id = asset
    ON DUPLICATE KEY UPDATE n = n + VALUES(n);

-- Every mark of one asset, in one asset state, counted or uncounted.
CREATE OR REPLACE PROCEDURE asset_marks_count(asset UUID, owner UUID, trashed TINYINT,
    vis VARCHAR(16), local DATETIME(3), delta INT)
  COMMENT 'count (1) or uncount (-1) every viewer''s mark of asset in the given state'
  INSERT INTO asset_mark_counts (viewer_id, owner_id, trashed, visibility, shown, favorite, month, n)
    SELECT m.viewer_id, owner, trashed, vis, vis, 0, DATE_FORMAT(local, '%Y-%m-01'), -delta
      FROM asset_marks m WHERE m.asset_id = asset
    UNION ALL
    SELECT m.viewer_id, owner, trashed, vis, IF(m.archived = 1 AND vis = 'timeline', 'archive', vis),
        m.favorite, DATE_FORMAT(local, '%Y-%m-01'), delta
      FROM asset_marks m WHERE m.asset_id = asset
    ON DUPLICATE KEY UPDATE n = n + VALUES(n);

-- A mark changed: its viewer's answers change (sql/007's counter).
CREATE OR REPLACE PROCEDURE viewer_touch_self(viewer UUID)
  COMMENT 'bump the version of one viewer'
  INSERT INTO viewer_versions (viewer_id, version) VALUES (viewer, 1)
  ON DUPLICATE KEY UPDATE version = viewer_versions.version + 1;

-- The marks' own changes (a mark's asset is there: the cascade that
-- removes marks with their asset fires no trigger, see below).
DELIMITER $$
CREATE TRIGGER IF NOT EXISTS asset_marks_insert AFTER INSERT ON asset_marks FOR EACH ROW
BEGIN
  CALL asset_mark_count(NEW.viewer_id, NEW.asset_id, NEW.favorite, NEW.archived, 1);
  CALL viewer_touch_self(NEW.viewer_id);
END$$
DELIMITER ;

DELIMITER $$
CREATE TRIGGER IF NOT EXISTS asset_marks_update AFTER UPDATE ON asset_marks FOR EACH ROW
BEGIN
  IF NOT (OLD.favorite <=> NEW.favorite AND OLD.archived <=> NEW.archived
      AND OLD.viewer_id <=> NEW.viewer_id AND OLD.asset_id <=> NEW.asset_id) THEN
    CALL asset_mark_count(OLD.viewer_id, OLD.asset_id, OLD.favorite, OLD.archived, -1);
    CALL asset_mark_count(NEW.viewer_id, NEW.asset_id, NEW.favorite, NEW.archived, 1);
    CALL viewer_touch_self(OLD.viewer_id);
    CALL viewer_touch_self(NEW.viewer_id);
  END IF;
END$$
DELIMITER ;

DELIMITER $$
CREATE TRIGGER IF NOT EXISTS asset_marks_delete AFTER DELETE ON asset_marks FOR EACH ROW
BEGIN
  CALL asset_mark_count(OLD.viewer_id, OLD.asset_id, OLD.favorite, OLD.archived, -1);
  CALL viewer_touch_self(OLD.viewer_id);
END$$
DELIMITER ;

-- A marked asset changes state (owner, trash, visibility, month): its
-- marks move with it. (Its viewers' counters already move: sql/010.)
DELIMITER $$
CREATE TRIGGER IF NOT EXISTS assets_marks_update AFTER UPDATE ON assets FOR EACH ROW
BEGIN
  IF NOT (OLD.owner_id <=> NEW.owner_id AND (OLD.deleted_at IS NULL) = (NEW.deleted_at IS NULL)
      AND OLD.visibility <=> NEW.visibility
      AND DATE_FORMAT(OLD.local_date_time, '%Y-%m-01') = DATE_FORMAT(NEW.local_date_time, '%Y-%m-01'))
  THEN
    CALL asset_marks_count(OLD.id, OLD.owner_id, OLD.deleted_at IS NOT NULL, OLD.visibility,
      OLD.local_date_time, -1);
    CALL asset_marks_count(NEW.id, NEW.owner_id, NEW.deleted_at IS NOT NULL, NEW.visibility,
      NEW.local_date_time, 1);
  END IF;
END$$
DELIMITER ;

-- Before: the cascade removes the marks (without their triggers, which
-- MariaDB does not fire for cascades) before an AFTER trigger runs.
CREATE TRIGGER IF NOT EXISTS assets_marks_delete BEFORE DELETE ON assets FOR EACH ROW
  CALL asset_marks_count(OLD.id, OLD.owner_id, OLD.deleted_at IS NOT NULL, OLD.visibility,
    OLD.local_date_time, -1);
