-- 067: asset_timeline_moves' own description. Since sql/066 the table also
-- carries `counted`, the count each viewer's view of an owner's month
-- starts from, so its rows are the whole timeline view per viewer, owner
-- and month, not only the moves of marks and hidden copies sql/063 named.
-- A comment only: no row changes.

ALTER TABLE asset_timeline_moves
  COMMENT='per viewer, owner and month, the timeline view''s count: the owner''s count (counted, for the owner and each recipient) and the viewer''s marks'' and hidden copies'' moves of it; kept by triggers';
