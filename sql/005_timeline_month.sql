-- 005: one month of an owner as a single index range. The timeline bucket
-- joins the owner set to assets; with (owner_id, local_date_time) MariaDB
-- uses only owner_id for that join and reads the owner's whole history.
-- An equality on both parts reads just the month.

ALTER TABLE assets
  ADD COLUMN IF NOT EXISTS local_month DATE
    AS (DATE(local_date_time) - INTERVAL (DAYOFMONTH(local_date_time) - 1) DAY) PERSISTENT
    COMMENT 'first day of the local calendar month of the capture time (derived)',
  ADD INDEX IF NOT EXISTS assets_owner_month_idx (owner_id, local_month, local_date_time)
    COMMENT 'timeline bucket: one month of one owner, in capture order';
