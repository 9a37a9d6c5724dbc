-- The SQLite fixture of the models round trip (render/models_test.go):
-- every feature of issue 13 point 1 this dialect has.
CREATE TABLE accounts (
    id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    email varchar(191) NOT NULL,
    display_name text,
    http_url text,
    balance decimal(12,2) NOT NULL DEFAULT 0,
    active boolean NOT NULL DEFAULT true,
    score real,
    visits integer NOT NULL DEFAULT 0,
    avatar blob,
    settings text NOT NULL DEFAULT '{}',
    created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
    birthday date,
    nickname char(8),
    status varchar(20) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
    code text COLLATE NOCASE,
    CONSTRAINT balance_not_negative CHECK (balance >= 0)
);
CREATE UNIQUE INDEX accounts_email_key ON accounts (email);
CREATE INDEX accounts_name_lower_idx ON accounts (lower(display_name));
CREATE INDEX accounts_created_idx ON accounts (created_at DESC, id);
CREATE INDEX accounts_active_idx ON accounts (visits) WHERE active;

CREATE TABLE "order" (
    "ID" integer NOT NULL PRIMARY KEY,
    account_id integer NOT NULL,
    "select" text,
    "2fa_code" text,
    "user-agent" text,
    "type" text DEFAULT 'a;b',
    note text DEFAULT 'it''s; (odd)',
    weird text DEFAULT ('`x`'),
    CONSTRAINT order_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE ON UPDATE RESTRICT
);

CREATE TABLE order_items (
    order_id integer NOT NULL REFERENCES "order" ("ID") ON DELETE CASCADE,
    line integer NOT NULL,
    sku varchar(40) NOT NULL,
    quantity integer NOT NULL DEFAULT 1,
    unit_price decimal(10,2) NOT NULL,
    -- A comment in the statement, with a quote: SQLite keeps it (Atlas's).
    total real GENERATED ALWAYS AS (quantity * unit_price) STORED,
    total_virtual numeric(12) GENERATED ALWAYS AS (quantity * unit_price) VIRTUAL,
    PRIMARY KEY (order_id, line),
    CONSTRAINT order_items_quantity_check CHECK (quantity > 0)
);

CREATE TABLE shipments (
    id integer NOT NULL PRIMARY KEY,
    order_id integer NOT NULL,
    line integer NOT NULL,
    shipped_on date,
    CONSTRAINT shipments_item_fkey FOREIGN KEY (order_id, line) REFERENCES order_items (order_id, line) ON DELETE SET NULL
);
CREATE INDEX shipments_item_idx ON shipments (order_id, line);

CREATE TABLE tags (
    id integer NOT NULL PRIMARY KEY,
    name text NOT NULL,
    slug varchar(60) NOT NULL,
    parent_id integer REFERENCES tags (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX tags_slug_key ON tags (slug);
CREATE UNIQUE INDEX tags_parent_name_key ON tags (parent_id, name);

CREATE TABLE account_tags (
    account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    tag_id integer NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    added_at datetime DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (account_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX account_tags_tag_id_idx ON account_tags (tag_id);

CREATE TABLE strict_things (
    id integer NOT NULL PRIMARY KEY,
    n integer NOT NULL,
    label text
) STRICT;

CREATE TABLE "Mixed Case" (
    "Id" integer NOT NULL PRIMARY KEY,
    "userId" integer,
    user_id integer,
    "URL" text
);

CREATE TABLE counters (
    name text NOT NULL PRIMARY KEY,
    value integer NOT NULL DEFAULT 0,
    step integer NOT NULL DEFAULT 1,
    uid blob,
    CONSTRAINT step_positive CHECK (step > 0)
);

-- Key columns declared without NOT NULL, as most SQLite schemas have them.
CREATE TABLE legacy_ids (
    id integer PRIMARY KEY,
    label text
);

-- File names the go tool would ignore or build on one platform only, and
-- names that are no Go identifier as they are.
CREATE TABLE sales_windows (id integer NOT NULL PRIMARY KEY, "größe" integer, "名前" text);
CREATE TABLE run_test (id integer NOT NULL PRIMARY KEY, "user ID" integer, "user_id" integer, "$$" integer);

-- Types declared in upper case, as many hand-written schemas have them.
CREATE TABLE upper_types (
    id INTEGER NOT NULL PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    amount DECIMAL(10,2),
    note TEXT,
    data BLOB,
    at DATETIME
);

-- Generated columns of a type holding a comma, which Atlas's inspector fails on.
CREATE TABLE invoices (
  id integer PRIMARY KEY,
  net decimal(12,2) NOT NULL,
  gross decimal(12,2) GENERATED ALWAYS AS (net * 1.2) STORED,
  label text AS ('net, gross: ' || net) VIRTUAL
);
