-- Message: create users
-- Revision: 5f1c2a9b7d30
-- Revises:
-- Created: 2026-11-25T09:00:00Z

-- strata:upgrade
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE
);

-- strata:downgrade
DROP TABLE users;
