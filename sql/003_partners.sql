-- 003: partner sharing. A row means "shared_by shares their whole library
-- with shared_with", one way; sharing back is a second row.

CREATE TABLE IF NOT EXISTS partners (
  shared_by_id UUID NOT NULL
    COMMENT 'the sharer, whose photos and videos are shown',
  shared_with_id UUID NOT NULL
    COMMENT 'the recipient, who may view, download and add them to their own albums',
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    COMMENT 'when sharing began',
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
    COMMENT 'last change of in_timeline',
  in_timeline TINYINT(1) NOT NULL DEFAULT 0
    COMMENT 'the recipient''s choice: show this sharer in their main timeline (off by default)',
  PRIMARY KEY (shared_by_id, shared_with_id)
    COMMENT 'one share per pair and direction; also "whom do I share with"',
  KEY partners_shared_with_idx (shared_with_id, in_timeline)
    COMMENT 'who shares with me, and whom I show in my timeline (access rule, timeline owner set)',
  CONSTRAINT partners_shared_by_fk FOREIGN KEY (shared_by_id) REFERENCES users (id)
    ON DELETE CASCADE,
  CONSTRAINT partners_shared_with_fk FOREIGN KEY (shared_with_id) REFERENCES users (id)
    ON DELETE CASCADE,
  CONSTRAINT partners_not_self CHECK (shared_by_id <> shared_with_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='partner shares';

CREATE TABLE IF NOT EXISTS partner_audit (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT
    COMMENT 'order of deletions',
  shared_by_id UUID NOT NULL COMMENT 'the former sharer',
  shared_with_id UUID NOT NULL COMMENT 'the former recipient',
  deleted_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    COMMENT 'when the share ended (for the mobile sync stream to come)',
  PRIMARY KEY (id),
  KEY partner_audit_with_idx (shared_with_id, deleted_at)
    COMMENT 'deletions a recipient has not synced yet',
  KEY partner_audit_by_idx (shared_by_id, deleted_at)
    COMMENT 'deletions a sharer has not synced yet'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='ended partner shares; MariaDB does not fire triggers for foreign-key cascades, and users are only ever soft-deleted';

CREATE TRIGGER IF NOT EXISTS partners_delete_audit AFTER DELETE ON partners
  FOR EACH ROW INSERT INTO partner_audit (shared_by_id, shared_with_id)
  VALUES (OLD.shared_by_id, OLD.shared_with_id);
