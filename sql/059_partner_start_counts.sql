-- 059: the month a dated share begins in, counted from its day, kept
-- (issue 18, README "Beyond Immich"). A share with a start date shows its
-- recipient the whole months from that day on from the kept month counts
-- (sql/004, 050, 057); the month the day falls in (when it is not the
-- first) was counted from that month's rows on every months request,
-- each joined to the recipient's marks and hidden duplicates: about 250
-- rows per partner, the dated buckets at 65 % of the undated rate.
-- partner_start_counts holds that count per share and per state the
-- recipient's view may ask for, so a months request reads a few rows per
-- dated share instead. Triggers recount one share, in the same statement
-- as every change the count depends on: the share made or dated (an
-- ended share's rows go with it, by the foreign key), an asset of the
-- sharer's in that month added, changed or removed, a mark of the
-- recipient's on one, a copy of one hidden from the recipient or shown
-- again. A recount reads the one month of the sharer (assets_owner_month_idx).
-- The db suite compares the table with its definition, the view
-- partner_start_counts_source, after thousands of random changes.

CREATE TABLE IF NOT EXISTS partner_start_counts (
  shared_by_id UUID NOT NULL COMMENT 'the sharer: whose assets',
  shared_with_id UUID NOT NULL COMMENT 'the recipient: whose view',
  shown ENUM('timeline', 'archive', 'hidden', 'locked') NOT NULL
    COMMENT 'the visibility the recipient sees (the asset''s, or archive by their own mark)',
  favorite TINYINT(1) NOT NULL COMMENT 'the favourite flag the recipient sees (their own mark)',
  dup_hidden TINYINT(1) NOT NULL
    COMMENT '1: a copy the recipient''s merged views leave out (asset_dup_hidden, sql/057)',
  n INT NOT NULL COMMENT 'how many of the sharer''s assets the recipient may see, taken in the start date''s month on or after it; never 0',
  PRIMARY KEY (shared_by_id, shared_with_id, shown, favorite, dup_hidden)
    COMMENT 'one range per share: a months request reads its share''s rows',
  CONSTRAINT partner_start_counts_share_fk FOREIGN KEY (shared_by_id, shared_with_id)
    REFERENCES partners (shared_by_id, shared_with_id) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='per dated share, its start month counted from the start date as the recipient sees it, kept by triggers';

-- The definition: for each share with a start date that is not the first
-- of its month, the sharer's assets of that month taken on or after the
-- day that the partner clause shows (not trashed, timeline or hidden),
-- by the state the recipient sees them in (MY MARKS) and whether they
-- are a hidden duplicate for the recipient. (Grouped by position: in
-- GROUP BY, "favorite" would name the mark's column, NULL without one.)
CREATE OR REPLACE SQL SECURITY INVOKER VIEW partner_start_counts_source AS
  SELECT p.shared_by_id, p.shared_with_id,
      IF(f.archived = 1 AND a.visibility = 'timeline', 'archive', a.visibility) AS shown,
      COALESCE(f.favorite, 0) AS favorite, dh.asset_id IS NOT NULL AS dup_hidden,
      COUNT(*) AS n
    FROM partners p JOIN assets a ON a.owner_id = p.shared_by_id
      AND a.local_month = p.start_date - INTERVAL (DAYOFMONTH(p.start_date) - 1) DAY
      AND a.local_date_time >= p.start_date
    LEFT JOIN asset_marks f ON f.viewer_id = p.shared_with_id AND f.asset_id = a.id
    LEFT JOIN asset_dup_hidden dh ON dh.viewer_id = p.shared_with_id AND dh.asset_id = a.id
    WHERE DAYOFMONTH(p.start_date) > 1 AND a.deleted_at IS NULL
      AND a.visibility IN ('timeline', 'hidden')
    GROUP BY 1, 2, 3, 4, 5;

-- One share counted again from its definition.
DELIMITER $$
CREATE OR REPLACE PROCEDURE partner_start_recount(sharer UUID, viewer UUID)
  COMMENT 'recount the start month of one share'
BEGIN
  DELETE FROM partner_start_counts WHERE shared_by_id = sharer AND shared_with_id = viewer;
  INSERT INTO partner_start_counts (shared_by_id, shared_with_id, shown, favorite, dup_hidden, n)
    SELECT s.shared_by_id, s.shared_with_id, s.shown, s.favorite, s.dup_hidden, s.n
    FROM partner_start_counts_source s
    WHERE s.shared_by_id = sharer AND s.shared_with_id = viewer;
END$$
DELIMITER ;

-- A change to owner's assets of month: the dated shares of owner's that
-- begin in that month are counted again (none, nearly always: one range
-- of the sharer's shares, by the primary key).
DELIMITER $$
CREATE OR REPLACE PROCEDURE partner_start_asset(owner UUID, month DATE)
  COMMENT 'recount the dated shares of owner that begin in month'
BEGIN
  FOR r IN (SELECT p.shared_with_id AS viewer FROM partners p
      WHERE p.shared_by_id = owner AND DAYOFMONTH(p.start_date) > 1
      AND p.start_date - INTERVAL (DAYOFMONTH(p.start_date) - 1) DAY = month) DO
    CALL partner_start_recount(owner, r.viewer);
  END FOR;
END$$
DELIMITER ;

-- A change of viewer's view of owner's asset of month (a mark, a hidden
-- copy): the share of owner with viewer, if it begins in that month.
DELIMITER $$
CREATE OR REPLACE PROCEDURE partner_start_view(owner UUID, viewer UUID, month DATE)
  COMMENT 'recount the share of owner with viewer if it begins in month'
BEGIN
  IF EXISTS (SELECT 1 FROM partners p WHERE p.shared_by_id = owner
      AND p.shared_with_id = viewer AND DAYOFMONTH(p.start_date) > 1
      AND p.start_date - INTERVAL (DAYOFMONTH(p.start_date) - 1) DAY = month) THEN
    CALL partner_start_recount(owner, viewer);
  END IF;
END$$
DELIMITER ;

-- The assets' changes (after the triggers of sql/057, which were made
-- first and so run first; the hidden copies they change recount too).
CREATE TRIGGER IF NOT EXISTS assets_start_insert AFTER INSERT ON assets FOR EACH ROW
  CALL partner_start_asset(NEW.owner_id, NEW.local_month);

DELIMITER $$
CREATE TRIGGER IF NOT EXISTS assets_start_update AFTER UPDATE ON assets FOR EACH ROW
BEGIN
  IF NOT (OLD.owner_id <=> NEW.owner_id AND OLD.local_date_time <=> NEW.local_date_time
      AND OLD.visibility <=> NEW.visibility
      AND (OLD.deleted_at IS NULL) = (NEW.deleted_at IS NULL)) THEN
    CALL partner_start_asset(NEW.owner_id, NEW.local_month);
    IF NOT (OLD.owner_id <=> NEW.owner_id AND OLD.local_month <=> NEW.local_month) THEN
      CALL partner_start_asset(OLD.owner_id, OLD.local_month);
    END IF;
  END IF;
END$$
DELIMITER ;

CREATE TRIGGER IF NOT EXISTS assets_start_delete AFTER DELETE ON assets FOR EACH ROW
  CALL partner_start_asset(OLD.owner_id, OLD.local_month);

-- A mark (favourite or archive) of the recipient's. (Marks removed with
-- their asset by the cascade fire nothing; the asset's delete does.)
DELIMITER $$
CREATE OR REPLACE PROCEDURE partner_start_mark(viewer UUID, asset UUID)
  COMMENT 'recount the share a marked asset is counted in, if any'
BEGIN
  DECLARE owner UUID DEFAULT NULL;
  DECLARE month DATE DEFAULT NULL;
  SELECT a.owner_id, a.local_month INTO owner, month FROM assets a WHERE a.id = asset;
  IF owner IS NOT NULL THEN
    CALL partner_start_view(owner, viewer, month);
  END IF;
END$$
DELIMITER ;

CREATE TRIGGER IF NOT EXISTS asset_marks_start_insert AFTER INSERT ON asset_marks FOR EACH ROW
  CALL partner_start_mark(NEW.viewer_id, NEW.asset_id);

DELIMITER $$
CREATE TRIGGER IF NOT EXISTS asset_marks_start_update AFTER UPDATE ON asset_marks FOR EACH ROW
BEGIN
  CALL partner_start_mark(NEW.viewer_id, NEW.asset_id);
  IF NOT (OLD.viewer_id <=> NEW.viewer_id AND OLD.asset_id <=> NEW.asset_id) THEN
    CALL partner_start_mark(OLD.viewer_id, OLD.asset_id);
  END IF;
END$$
DELIMITER ;

CREATE TRIGGER IF NOT EXISTS asset_marks_start_delete AFTER DELETE ON asset_marks FOR EACH ROW
  CALL partner_start_mark(OLD.viewer_id, OLD.asset_id);

-- A copy hidden from the recipient as a duplicate, or shown again (the
-- rows carry the owner and month they were counted in).
CREATE TRIGGER IF NOT EXISTS asset_dup_hidden_start_insert AFTER INSERT ON asset_dup_hidden
  FOR EACH ROW CALL partner_start_view(NEW.owner_id, NEW.viewer_id, NEW.month);
CREATE TRIGGER IF NOT EXISTS asset_dup_hidden_start_delete AFTER DELETE ON asset_dup_hidden
  FOR EACH ROW CALL partner_start_view(OLD.owner_id, OLD.viewer_id, OLD.month);

-- The share made or dated again (ended: its rows go by the foreign key).
CREATE TRIGGER IF NOT EXISTS partners_start_insert AFTER INSERT ON partners FOR EACH ROW
  CALL partner_start_recount(NEW.shared_by_id, NEW.shared_with_id);

DELIMITER $$
CREATE TRIGGER IF NOT EXISTS partners_start_update AFTER UPDATE ON partners FOR EACH ROW
BEGIN
  IF NOT (OLD.start_date <=> NEW.start_date AND OLD.shared_by_id <=> NEW.shared_by_id
      AND OLD.shared_with_id <=> NEW.shared_with_id) THEN
    CALL partner_start_recount(NEW.shared_by_id, NEW.shared_with_id);
  END IF;
END$$
DELIMITER ;

-- What existed before this migration (safe to run again).
DELETE FROM partner_start_counts;
INSERT INTO partner_start_counts (shared_by_id, shared_with_id, shown, favorite, dup_hidden, n)
  SELECT shared_by_id, shared_with_id, shown, favorite, dup_hidden, n
  FROM partner_start_counts_source;
