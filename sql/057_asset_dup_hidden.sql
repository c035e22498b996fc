-- 057: duplicates once (issue 18, README "Beyond Immich"). In a merged
-- view (the timeline with partners, search, the map with partners) a file
-- that is in my library and a partner's (same checksum), or in two
-- partners', appears once. A partner's own library (userId=), single
-- asset reads, albums, thumbnails and originals are unchanged: the access
-- rule still grants every copy; this only hides copies from merged lists.
--
-- For viewer V and checksum c (assets has UNIQUE (owner_id, checksum): at
-- most one copy per owner) the candidate copies are V's own copy if it is
-- not in the trash (any visibility: if I archived mine, a partner's must
-- not resurface in my timeline), and each partner copy V's merged timeline
-- would show: a live sharer's, shared with V in the timeline (in_timeline),
-- not trashed, visibility 'timeline', taken on or after the share's start
-- date, not archived by V's own mark (sql/050). The winner is V's own copy
-- if there is one, else the copy of the partner whose share with V is the
-- oldest (partners.created_at, then the sharer's id). Every other partner
-- candidate is hidden for V; own copies never are.
--
-- O(months) stays O(months): nothing walks assets per request. The hidden
-- copies are kept in asset_dup_hidden (the merged statements anti-join it
-- on its primary key) and their moves of the month counts in
-- asset_dup_counts (one more term of the timeline's kept counts), by
-- triggers in the same statement as every change they depend on, through
-- one procedure that recomputes one (viewer, checksum) group. A change
-- that cannot touch any group (a checksum no other asset has: nine
-- uploads in ten) costs one probe of assets_checksum_idx. The db suite
-- compares both tables with their definition, the view
-- asset_dup_hidden_source, after thousands of random changes.

ALTER TABLE assets
  ADD INDEX IF NOT EXISTS assets_checksum_idx (checksum)
    COMMENT 'the copies of a file across owners (duplicates once, sql/057)';

CREATE TABLE IF NOT EXISTS asset_dup_hidden (
  viewer_id UUID NOT NULL COMMENT 'whose merged views leave the copy out',
  asset_id UUID NOT NULL COMMENT 'the hidden copy: a partner''s asset, never the viewer''s own',
  owner_id UUID NOT NULL COMMENT 'its owner, as counted in asset_dup_counts',
  checksum BINARY(20) NOT NULL COMMENT 'its checksum: the group it was hidden in',
  month DATE NOT NULL COMMENT 'first day of its local capture month, as counted',
  PRIMARY KEY (viewer_id, asset_id) COMMENT 'the merged statements'' anti-join',
  KEY asset_dup_hidden_group_idx (viewer_id, checksum) COMMENT 'one group''s rows, for the triggers'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='partner copies of a file a viewer''s merged views show once, kept by triggers (no foreign keys: the triggers remove the rows themselves, and a cascade would not uncount them)';

-- Hidden copies are by construction in the state a partner's timeline
-- shows (not trashed, visibility 'timeline', not archived by me) and never
-- my favourites' concern (withPartners forbids isFavorite): the month is
-- the only state the counts need.
CREATE TABLE IF NOT EXISTS asset_dup_counts (
  viewer_id UUID NOT NULL COMMENT 'whose merged timeline',
  owner_id UUID NOT NULL COMMENT 'whose assets',
  month DATE NOT NULL COMMENT 'first day of the local calendar month of the capture time',
  n INT NOT NULL COMMENT 'minus the hidden copies of owner''s in that month; rows at 0 are kept and skipped',
  PRIMARY KEY (viewer_id, owner_id, month) COMMENT 'one index range per viewer and owner'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='how hiding duplicates moves an owner''s timeline month counts for a viewer, kept by triggers';

-- Every viewer's candidate copies (the definition above), own = 1 for the
-- viewer's own copy; shared_at orders the partners' copies.
CREATE OR REPLACE SQL SECURITY INVOKER VIEW asset_dup_candidates AS
  SELECT a.owner_id AS viewer_id, a.id AS asset_id, a.owner_id, a.checksum,
      CAST(DATE_FORMAT(a.local_date_time, '%Y-%m-01') AS DATE) AS month,
      1 AS own, CAST(NULL AS DATETIME(3)) AS shared_at
    FROM assets a WHERE a.deleted_at IS NULL
  UNION ALL
  SELECT p.shared_with_id, a.id, a.owner_id, a.checksum,
      CAST(DATE_FORMAT(a.local_date_time, '%Y-%m-01') AS DATE), 0, p.created_at
    FROM partners p JOIN users s ON s.id = p.shared_by_id AND s.deleted_at IS NULL
    JOIN assets a ON a.owner_id = p.shared_by_id
    LEFT JOIN asset_marks m ON m.viewer_id = p.shared_with_id AND m.asset_id = a.id
    WHERE p.in_timeline = 1 AND a.deleted_at IS NULL AND a.visibility = 'timeline'
      AND (p.start_date IS NULL OR a.local_date_time >= p.start_date)
      AND NOT m.archived <=> 1;

-- The hidden copies: every candidate but the first of its group (mine
-- first, then the oldest share's). The rows asset_dup_hidden must hold.
CREATE OR REPLACE SQL SECURITY INVOKER VIEW asset_dup_hidden_source AS
  SELECT r.viewer_id, r.asset_id, r.owner_id, r.checksum, r.month
  FROM (SELECT c.viewer_id, c.asset_id, c.owner_id, c.checksum, c.month, c.own,
      ROW_NUMBER() OVER (PARTITION BY c.viewer_id, c.checksum
        ORDER BY c.own DESC, c.shared_at, c.owner_id) AS rn
    FROM asset_dup_candidates c) r
  WHERE r.own = 0 AND r.rn > 1;

-- Count (delta -1) or uncount (1) viewer's hidden copies of checksum cs.
CREATE OR REPLACE PROCEDURE asset_dup_count(viewer UUID, cs BINARY(20), delta INT)
  COMMENT 'move asset_dup_counts by delta for each hidden copy of one group'
  INSERT INTO asset_dup_counts (viewer_id, owner_id, month, n)
    SELECT h.viewer_id, h.owner_id, h.month, delta FROM asset_dup_hidden h
    WHERE h.viewer_id = viewer AND h.checksum = cs
    ON DUPLICATE KEY UPDATE n = n + VALUES(n);

-- One group (viewer, checksum) again from its definition: uncount and
-- delete its hidden rows, insert and count them anew; the viewer's change
-- counter (sql/007) moves when the copies hidden differ.
DELIMITER $$
CREATE OR REPLACE PROCEDURE asset_dup_recompute(viewer UUID, cs BINARY(20))
  COMMENT 'recompute the hidden copies of one viewer and checksum'
BEGIN
  DECLARE was, now_hidden TEXT DEFAULT NULL;
  SELECT GROUP_CONCAT(h.asset_id ORDER BY h.asset_id) INTO was FROM asset_dup_hidden h
    WHERE h.viewer_id = viewer AND h.checksum = cs;
  IF was IS NOT NULL THEN
    CALL asset_dup_count(viewer, cs, 1);
    DELETE FROM asset_dup_hidden WHERE viewer_id = viewer AND checksum = cs;
  END IF;
  INSERT INTO asset_dup_hidden (viewer_id, asset_id, owner_id, checksum, month)
    SELECT s.viewer_id, s.asset_id, s.owner_id, s.checksum, s.month
    FROM asset_dup_hidden_source s WHERE s.viewer_id = viewer AND s.checksum = cs;
  IF ROW_COUNT() > 0 THEN
    CALL asset_dup_count(viewer, cs, -1);
    SELECT GROUP_CONCAT(h.asset_id ORDER BY h.asset_id) INTO now_hidden FROM asset_dup_hidden h
      WHERE h.viewer_id = viewer AND h.checksum = cs;
  END IF;
  IF NOT was <=> now_hidden THEN
    CALL viewer_touch_self(viewer);
  END IF;
END$$
DELIMITER ;

-- An asset of owner with checksum cs was added, changed or removed: its
-- groups are owner's and those of everyone owner shares with in their
-- timeline. Nothing to do when no other asset has the checksum (then no
-- group of it has two copies, before or after).
DELIMITER $$
CREATE OR REPLACE PROCEDURE asset_dup_asset(asset UUID, owner UUID, cs BINARY(20))
  COMMENT 'recompute the groups one asset is or was in'
BEGIN
  IF EXISTS (SELECT 1 FROM assets y WHERE y.checksum = cs AND y.id <> asset) THEN
    CALL asset_dup_recompute(owner, cs);
    FOR r IN (SELECT p.shared_with_id AS viewer FROM partners p
        WHERE p.shared_by_id = owner AND p.in_timeline = 1) DO
      CALL asset_dup_recompute(r.viewer, cs);
    END FOR;
  END IF;
END$$
DELIMITER ;

-- The share of sharer with viewer was made, ended, shown or hidden in the
-- timeline, dated, or its sharer deleted or restored: the groups of
-- viewer's that hold a copy of sharer's and another copy, the viewer's own
-- or another timeline partner's (a set-based join on assets_checksum_idx:
-- a 10,000-asset library costs 10,000 probes and one recompute per file
-- the two libraries have in common).
DELIMITER $$
CREATE OR REPLACE PROCEDURE asset_dup_share(sharer UUID, viewer UUID)
  COMMENT 'recompute the groups of viewer a change of sharer''s share can touch'
BEGIN
  FOR r IN (SELECT DISTINCT x.checksum AS cs FROM assets x
      JOIN assets y ON y.checksum = x.checksum AND y.owner_id <> sharer
      WHERE x.owner_id = sharer AND (y.owner_id = viewer OR y.owner_id IN
        (SELECT p.shared_by_id FROM partners p WHERE p.shared_with_id = viewer
          AND p.in_timeline = 1))) DO
    CALL asset_dup_recompute(viewer, r.cs);
  END FOR;
END$$
DELIMITER ;

-- The assets' changes. After delete: the row is gone when the procedure
-- reads assets (asset_dup_hidden has no foreign key to cascade from).
CREATE TRIGGER IF NOT EXISTS assets_dup_insert AFTER INSERT ON assets FOR EACH ROW
  CALL asset_dup_asset(NEW.id, NEW.owner_id, NEW.checksum);

DELIMITER $$
CREATE TRIGGER IF NOT EXISTS assets_dup_update AFTER UPDATE ON assets FOR EACH ROW
BEGIN
  IF NOT (OLD.owner_id <=> NEW.owner_id AND OLD.checksum <=> NEW.checksum
      AND OLD.visibility <=> NEW.visibility AND OLD.deleted_at <=> NEW.deleted_at
      AND OLD.local_date_time <=> NEW.local_date_time) THEN
    CALL asset_dup_asset(NEW.id, NEW.owner_id, NEW.checksum);
    IF NOT (OLD.owner_id <=> NEW.owner_id AND OLD.checksum <=> NEW.checksum) THEN
      CALL asset_dup_asset(OLD.id, OLD.owner_id, OLD.checksum);
    END IF;
  END IF;
END$$
DELIMITER ;

CREATE TRIGGER IF NOT EXISTS assets_dup_delete AFTER DELETE ON assets FOR EACH ROW
  CALL asset_dup_asset(OLD.id, OLD.owner_id, OLD.checksum);

-- My archive mark takes a partner's copy out of my candidates, or puts it
-- back. (A mark removed with its asset by the cascade fires nothing; the
-- asset's own delete trigger above recomputes its groups.)
DELIMITER $$
CREATE OR REPLACE PROCEDURE asset_dup_mark(viewer UUID, asset UUID)
  COMMENT 'recompute the group of viewer''s that holds a marked asset'
BEGIN
  DECLARE cs BINARY(20) DEFAULT NULL;
  SELECT a.checksum INTO cs FROM assets a WHERE a.id = asset;
  IF cs IS NOT NULL AND EXISTS (SELECT 1 FROM assets y WHERE y.checksum = cs
      AND y.id <> asset) THEN
    CALL asset_dup_recompute(viewer, cs);
  END IF;
END$$
DELIMITER ;

CREATE TRIGGER IF NOT EXISTS asset_marks_dup_insert AFTER INSERT ON asset_marks FOR EACH ROW
  CALL asset_dup_mark(NEW.viewer_id, NEW.asset_id);

DELIMITER $$
CREATE TRIGGER IF NOT EXISTS asset_marks_dup_update AFTER UPDATE ON asset_marks FOR EACH ROW
BEGIN
  IF NOT (OLD.archived <=> NEW.archived AND OLD.viewer_id <=> NEW.viewer_id
      AND OLD.asset_id <=> NEW.asset_id) THEN
    CALL asset_dup_mark(NEW.viewer_id, NEW.asset_id);
    IF NOT (OLD.viewer_id <=> NEW.viewer_id AND OLD.asset_id <=> NEW.asset_id) THEN
      CALL asset_dup_mark(OLD.viewer_id, OLD.asset_id);
    END IF;
  END IF;
END$$
DELIMITER ;

CREATE TRIGGER IF NOT EXISTS asset_marks_dup_delete AFTER DELETE ON asset_marks FOR EACH ROW
  CALL asset_dup_mark(OLD.viewer_id, OLD.asset_id);

-- The shares' changes: made, ended, shown or hidden in the timeline,
-- dated or undated.
DELIMITER $$
CREATE TRIGGER IF NOT EXISTS partners_dup_insert AFTER INSERT ON partners FOR EACH ROW
BEGIN
  IF NEW.in_timeline = 1 THEN
    CALL asset_dup_share(NEW.shared_by_id, NEW.shared_with_id);
  END IF;
END$$
DELIMITER ;

DELIMITER $$
CREATE TRIGGER IF NOT EXISTS partners_dup_update AFTER UPDATE ON partners FOR EACH ROW
BEGIN
  IF NOT (OLD.shared_by_id <=> NEW.shared_by_id AND OLD.shared_with_id <=> NEW.shared_with_id
      AND OLD.in_timeline <=> NEW.in_timeline AND OLD.start_date <=> NEW.start_date
      AND OLD.created_at <=> NEW.created_at) AND (OLD.in_timeline = 1 OR NEW.in_timeline = 1) THEN
    CALL asset_dup_share(NEW.shared_by_id, NEW.shared_with_id);
    IF NOT (OLD.shared_by_id <=> NEW.shared_by_id AND OLD.shared_with_id <=> NEW.shared_with_id) THEN
      CALL asset_dup_share(OLD.shared_by_id, OLD.shared_with_id);
    END IF;
  END IF;
END$$
DELIMITER ;

DELIMITER $$
CREATE TRIGGER IF NOT EXISTS partners_dup_delete AFTER DELETE ON partners FOR EACH ROW
BEGIN
  IF OLD.in_timeline = 1 THEN
    CALL asset_dup_share(OLD.shared_by_id, OLD.shared_with_id);
  END IF;
END$$
DELIMITER ;

-- A sharer's account deleted or restored: their copies leave or rejoin
-- every recipient's candidates.
DELIMITER $$
CREATE TRIGGER IF NOT EXISTS users_dup_update AFTER UPDATE ON users FOR EACH ROW
BEGIN
  IF NOT (OLD.deleted_at IS NULL) <=> (NEW.deleted_at IS NULL) THEN
    FOR r IN (SELECT p.shared_with_id AS viewer FROM partners p
        WHERE p.shared_by_id = NEW.id AND p.in_timeline = 1) DO
      CALL asset_dup_share(NEW.id, r.viewer);
    END FOR;
  END IF;
END$$
DELIMITER ;

-- What existed before this migration (safe to run again: the rows the
-- view defines, and the counts recounted from them).
INSERT IGNORE INTO asset_dup_hidden (viewer_id, asset_id, owner_id, checksum, month)
  SELECT viewer_id, asset_id, owner_id, checksum, month FROM asset_dup_hidden_source;
INSERT INTO asset_dup_counts (viewer_id, owner_id, month, n)
  SELECT viewer_id, owner_id, month, -COUNT(*) FROM asset_dup_hidden
  GROUP BY viewer_id, owner_id, month
  ON DUPLICATE KEY UPDATE n = VALUES(n);
