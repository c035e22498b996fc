-- 064: a bucket looks up my marks only on the photos someone marked
-- (issue 18's "within 10 %"). A month's bucket in which I have a mark
-- (sql/061's fact) joined every partner's row of it to asset_marks, one
-- primary-key lookup each: a bucket of 1,000 with `make bench`'s marks
-- (3 % of the partners' photos, in every month) made 732 lookups to find
-- about 25 marks, and ran at 84 % of the rate of the same bucket without
-- marks. asset_timeline now carries how many viewers have a mark on each
-- asset; the bucket's join gives the lookup a key only where that is not
-- 0, and MariaDB makes no lookup for a NULL key.
-- Kept as the rest of the row: asset_timeline_source (sql/006) is the
-- definition, now with the count, so a refresh (every change of the
-- asset) writes it; triggers on asset_marks add and take away one as a
-- viewer's row of an asset comes and goes (a mark's flags changing
-- keeps its row). The only cascade into asset_marks that fires no
-- trigger is an asset's deletion, which takes the timeline row with it
-- (and a user's, which partnerd never deletes). The db suite compares
-- the table with its definition after thousands of random changes,
-- marks among them, and each bucket with the rows its statement reads
-- without the count.

ALTER TABLE asset_timeline ADD COLUMN IF NOT EXISTS marked INT NOT NULL DEFAULT 0
  COMMENT 'how many viewers have a row in asset_marks for this asset: 0, the bucket looks up no mark';

-- The definition of sql/006 keeps its name for the columns it had
-- (asset_timeline_columns), and the definition of the row adds the count.
DELIMITER $$
BEGIN NOT ATOMIC
  IF NOT EXISTS (SELECT 1 FROM information_schema.views WHERE table_schema = DATABASE()
      AND table_name = 'asset_timeline_columns') THEN
    RENAME TABLE asset_timeline_source TO asset_timeline_columns;
  END IF;
END$$
DELIMITER ;
CREATE OR REPLACE SQL SECURITY INVOKER VIEW asset_timeline_source AS
  SELECT c.*, (SELECT COUNT(*) FROM asset_marks m WHERE m.asset_id = c.id) AS marked
  FROM asset_timeline_columns c;

CREATE TRIGGER IF NOT EXISTS asset_marks_timeline_insert AFTER INSERT ON asset_marks
  FOR EACH ROW UPDATE asset_timeline SET marked = marked + 1 WHERE id = NEW.asset_id;
CREATE TRIGGER IF NOT EXISTS asset_marks_timeline_delete AFTER DELETE ON asset_marks
  FOR EACH ROW UPDATE asset_timeline SET marked = marked - 1 WHERE id = OLD.asset_id;

-- The counts of the marks there already.
UPDATE asset_timeline t JOIN (SELECT asset_id, COUNT(*) AS n FROM asset_marks GROUP BY asset_id) m
  ON m.asset_id = t.id SET t.marked = m.n;
