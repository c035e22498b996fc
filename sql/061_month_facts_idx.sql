-- 061: a month's bucket asks two facts of the viewer before it reads the
-- month (stmts.c TL_MONTH_PARAMS): do I have a mark that shows in it
-- (asset_mark_counts), or a partner's copy hidden as a duplicate
-- (asset_dup_counts)? Neither table has rows at 0 (sql/058), so a row is
-- the answer; these indexes make each one key lookup instead of a walk of
-- the viewer's rows of every owner and state.
ALTER TABLE asset_mark_counts
  ADD INDEX IF NOT EXISTS asset_mark_counts_month_idx (viewer_id, month)
    COMMENT 'does the viewer have a mark in this month (the bucket)';
ALTER TABLE asset_dup_counts
  ADD INDEX IF NOT EXISTS asset_dup_counts_month_idx (viewer_id, month)
    COMMENT 'does the viewer have a hidden copy in this month (the bucket)';
