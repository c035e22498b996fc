-- 001: accounts. Users, their login sessions and their API keys.
-- Ids are MariaDB's native UUID type (16 bytes on disk, text on the wire);
-- every id partnerd creates is a version-4 UUID, as Immich clients validate.
-- Times are DATETIME(3) in UTC (every connection sets time_zone = '+00:00').

CREATE TABLE IF NOT EXISTS users (
  id UUID NOT NULL
    COMMENT 'version-4 UUID, the id clients see',
  email VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
    COMMENT 'login, lowercased by partnerd before it is stored or looked up',
  name VARCHAR(255) NOT NULL DEFAULT ''
    COMMENT 'display name',
  password_hash VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT ''
    COMMENT 'Argon2id ($argon2id$, libsodium) or bcrypt ($2b$, imported from Immich, rehashed at next login); empty: no password login',
  is_admin TINYINT(1) NOT NULL DEFAULT 0
    COMMENT '1 for administrators',
  avatar_color VARCHAR(16) CHARACTER SET ascii NULL
    COMMENT 'Immich avatar colour name; NULL: derived from the email',
  profile_image_path VARCHAR(1024) NOT NULL DEFAULT ''
    COMMENT 'path of the profile image, empty when none',
  profile_changed_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    COMMENT 'when name, email or picture last changed',
  should_change_password TINYINT(1) NOT NULL DEFAULT 1
    COMMENT 'ask the user to choose a new password at next login',
  storage_label VARCHAR(255) NULL
    COMMENT 'Immich storage label (admin: "admin"); unique when set',
  quota_size_bytes BIGINT NULL
    COMMENT 'storage quota, NULL for none',
  status ENUM('active', 'removing', 'deleted') NOT NULL DEFAULT 'active'
    COMMENT 'Immich user status; soft deletion sets deleted',
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    COMMENT 'account creation',
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
    COMMENT 'last change of any column',
  deleted_at DATETIME(3) NULL
    COMMENT 'soft deletion; a deleted user cannot log in and shares nothing',
  PRIMARY KEY (id),
  UNIQUE KEY users_email_uq (email)
    COMMENT 'one account per email, deleted ones included',
  UNIQUE KEY users_storage_label_uq (storage_label)
    COMMENT 'storage labels are unique where set',
  KEY users_created_idx (created_at)
    COMMENT 'GET /api/users lists by creation time'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='accounts';

CREATE TABLE IF NOT EXISTS sessions (
  id UUID NOT NULL
    COMMENT 'version-4 UUID of the session',
  token_hash BINARY(32) NOT NULL
    COMMENT 'SHA-256 of the 256-bit bearer token; the token itself is never stored',
  user_id UUID NOT NULL
    COMMENT 'whose session',
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    COMMENT 'login time',
  last_used_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    COMMENT 'last request, updated at most once an hour',
  expires_at DATETIME(3) NULL
    COMMENT 'after this the token is refused; NULL: no expiry',
  device_type VARCHAR(255) NOT NULL DEFAULT ''
    COMMENT 'client description from the User-Agent',
  device_os VARCHAR(255) NOT NULL DEFAULT ''
    COMMENT 'client operating system, when known',
  PRIMARY KEY (id),
  UNIQUE KEY sessions_token_uq (token_hash)
    COMMENT 'every request looks its session up by token hash',
  KEY sessions_user_idx (user_id)
    COMMENT 'a user''s sessions, for logout everywhere and deletion',
  CONSTRAINT sessions_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='login sessions';

CREATE TABLE IF NOT EXISTS api_keys (
  id UUID NOT NULL
    COMMENT 'version-4 UUID of the key',
  name VARCHAR(255) NOT NULL DEFAULT 'API Key'
    COMMENT 'the owner''s label for the key',
  key_hash BINARY(32) NOT NULL
    COMMENT 'SHA-256 of the 256-bit secret; the secret is shown once and never stored',
  user_id UUID NOT NULL
    COMMENT 'whose key',
  permissions VARCHAR(4096) CHARACTER SET ascii NOT NULL
    COMMENT 'comma-separated Immich permission names; "all" grants every one',
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    COMMENT 'creation time',
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
    COMMENT 'last change',
  PRIMARY KEY (id),
  UNIQUE KEY api_keys_key_uq (key_hash)
    COMMENT 'every request with x-api-key looks the key up by hash',
  KEY api_keys_user_idx (user_id)
    COMMENT 'GET /api/api-keys lists a user''s keys',
  CONSTRAINT api_keys_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='API keys';
