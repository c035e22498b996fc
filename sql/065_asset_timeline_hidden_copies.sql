-- 065: a bucket looks up my hidden copies only on the photos someone's
-- merged views hide (issue 14: the months rows with the answers cache
-- off). A month's bucket in which I have a hidden copy (sql/061's fact)
-- joined every partner's row of it to asset_dup_hidden, one primary-key
-- lookup each: on `make bench`'s library a bucket of 1,000 with 28 such
-- copies made about 750 lookups, and the month's statement took 2.2 ms
-- where the same statement with no lookup took 1.5 ms. asset_timeline now
-- carries how many viewers hide each asset as a copy, as sql/064 made it
-- carry how many have a mark on it: the bucket gives the lookup a key only
-- where that is not 0, and MariaDB makes no lookup for a NULL key.
-- Kept the same way: asset_timeline_source (sql/006, sql/064) is the
-- definition, now with this count too, so a refresh (every change of the
-- asset) writes it; triggers on asset_dup_hidden add and take away one as
-- a viewer's row of an asset comes and goes (its rows are only inserted
-- and deleted, by sql/057's procedures; no foreign key cascades into it).
-- The db suite compares the table with its definition after thousands of
-- random changes, hidden copies among them, and each month's bucket with
-- the direct statement's rows, which still probe every row.

ALTER TABLE asset_timeline ADD COLUMN IF NOT EXISTS hidden_copies INT NOT NULL DEFAULT 0
  COMMENT 'how many viewers have a row in asset_dup_hidden for this asset: 0, the bucket looks up no hidden copy';

-- The count by asset: the definition below and the backfill read it by
-- asset, where the table's keys begin with the viewer.
ALTER TABLE asset_dup_hidden ADD INDEX IF NOT EXISTS asset_dup_hidden_asset_idx (asset_id)
  COMMENT 'an asset''s rows: asset_timeline.hidden_copies (sql/065)';

CREATE OR REPLACE SQL SECURITY INVOKER VIEW asset_timeline_source AS
  SELECT c.*, (SELECT COUNT(*) FROM asset_marks m WHERE m.asset_id = c.id) AS marked,
    (SELECT COUNT(*) FROM asset_dup_hidden h WHERE h.asset_id = c.id) AS hidden_copies
  FROM asset_timeline_columns c;

CREATE TRIGGER IF NOT EXISTS asset_dup_hidden_timeline_insert AFTER INSERT ON asset_dup_hidden
  FOR EACH ROW UPDATE asset_timeline SET hidden_copies = hidden_copies + 1 WHERE id = NEW.asset_id;
CREATE TRIGGER IF NOT EXISTS asset_dup_hidden_timeline_delete AFTER DELETE ON asset_dup_hidden
  FOR EACH ROW UPDATE asset_timeline SET hidden_copies = hidden_copies - 1 WHERE id = OLD.asset_id;

-- The counts of the copies hidden already.
UPDATE asset_timeline t JOIN (SELECT asset_id, COUNT(*) AS n FROM asset_dup_hidden GROUP BY asset_id) h
  ON h.asset_id = t.id SET t.hidden_copies = h.n;
