-- Message: add users.name
-- Revision: a03e77c41b92
-- Revises: 5f1c2a9b7d30
-- Created: 2026-11-25T10:30:00Z

-- strata:upgrade
ALTER TABLE users ADD COLUMN name TEXT NOT NULL DEFAULT '';

-- strata:downgrade
ALTER TABLE users DROP COLUMN name;
