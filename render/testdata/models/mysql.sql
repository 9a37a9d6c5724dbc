-- The MySQL/MariaDB fixture of the models round trip (render/models_test.go):
-- every feature of issue 13 point 1 this dialect has.
CREATE TABLE accounts (
    id bigint NOT NULL AUTO_INCREMENT,
    email varchar(191) NOT NULL,
    display_name varchar(255) DEFAULT NULL COMMENT 'Shown on the profile',
    http_url text COMMENT 'A "quoted" `backquoted` value, with ''single'' quotes',
    balance decimal(12,2) NOT NULL DEFAULT 0.00,
    active tinyint(1) NOT NULL DEFAULT 1,
    score float DEFAULT NULL,
    ratio double DEFAULT 0.5,
    age tinyint unsigned DEFAULT NULL,
    level smallint NOT NULL DEFAULT 0 CHECK (level >= 0),
    token varchar(36) DEFAULT (uuid()),
    visits int NOT NULL DEFAULT 0,
    big_visits bigint unsigned NOT NULL DEFAULT 0,
    medium mediumint DEFAULT NULL,
    avatar longblob,
    thumbnail blob,
    settings json DEFAULT NULL,
    created_at datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    birthday date DEFAULT NULL,
    wake_at time DEFAULT NULL,
    nickname char(8) DEFAULT NULL,
    status enum('active','blocked','it''s') NOT NULL DEFAULT 'active',
    perms set('read','write') DEFAULT NULL,
    bio mediumtext,
    code varchar(20) CHARACTER SET ascii COLLATE ascii_bin DEFAULT NULL,
    title varchar(100) COLLATE utf8mb4_bin DEFAULT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY accounts_email_key (email),
    KEY accounts_created_idx (created_at DESC, id),
    KEY accounts_name_prefix_idx (display_name(20)),
    CONSTRAINT balance_not_negative CHECK (balance >= 0)
) COMMENT='Customer accounts; one per e-mail';

CREATE TABLE `order` (
    `ID` int NOT NULL AUTO_INCREMENT,
    account_id bigint NOT NULL,
    `select` text,
    `2fa_code` varchar(10) DEFAULT NULL,
    `user-agent` varchar(200) DEFAULT NULL,
    `type` varchar(10) DEFAULT 'a;b',
    note varchar(40) DEFAULT 'it''s; (odd)',
    PRIMARY KEY (`ID`),
    KEY order_account_fk (account_id),
    CONSTRAINT order_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE ON UPDATE RESTRICT
);

CREATE TABLE order_items (
    order_id int NOT NULL,
    line int NOT NULL,
    sku varchar(40) NOT NULL,
    quantity int NOT NULL DEFAULT 1,
    unit_price decimal(10,2) NOT NULL,
    total decimal(12,2) GENERATED ALWAYS AS (quantity * unit_price) STORED,
    total_virtual decimal(12,2) AS (quantity * unit_price) VIRTUAL,
    PRIMARY KEY (order_id, line),
    KEY order_items_sku_idx (sku),
    CONSTRAINT order_items_order_fk FOREIGN KEY (order_id) REFERENCES `order` (`ID`) ON DELETE CASCADE,
    CONSTRAINT order_items_quantity_check CHECK (quantity > 0)
);

CREATE TABLE shipments (
    id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
    order_id int NOT NULL,
    line int NOT NULL,
    shipped_on date DEFAULT NULL,
    KEY shipments_item_idx (order_id, line),
    CONSTRAINT shipments_item_fkey FOREIGN KEY (order_id, line) REFERENCES order_items (order_id, line) ON DELETE CASCADE
);

CREATE TABLE tags (
    id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name varchar(100) NOT NULL,
    slug varchar(60) NOT NULL,
    parent_id bigint DEFAULT NULL,
    UNIQUE KEY tags_slug_key (slug),
    UNIQUE KEY tags_parent_name_key (parent_id, name),
    CONSTRAINT tags_parent_fk FOREIGN KEY (parent_id) REFERENCES tags (id) ON DELETE SET NULL
);

CREATE TABLE account_tags (
    account_id bigint NOT NULL,
    tag_id bigint NOT NULL,
    added_at datetime DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (account_id, tag_id),
    KEY account_tags_tag_id_idx (tag_id),
    CONSTRAINT account_tags_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE,
    CONSTRAINT account_tags_tag_fk FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE
);

CREATE TABLE articles (
    id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
    title varchar(200) NOT NULL,
    body text NOT NULL,
    FULLTEXT KEY articles_fulltext_idx (title, body)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci;

CREATE TABLE places (
    id int NOT NULL PRIMARY KEY,
    location point NOT NULL,
    SPATIAL KEY places_location_idx (location)
);

CREATE TABLE `Mixed Case` (
    `Id` int NOT NULL PRIMARY KEY,
    `userId` int DEFAULT NULL,
    user_id int DEFAULT NULL,
    `URL` varchar(255) DEFAULT NULL
);

CREATE TABLE counters (
    name varchar(64) NOT NULL PRIMARY KEY,
    value bigint NOT NULL DEFAULT 0,
    step smallint NOT NULL DEFAULT 1,
    uid binary(16) DEFAULT NULL,
    CONSTRAINT step_positive CHECK (step > 0)
) COMMENT='Line one
line two';

-- File names the go tool would ignore or build on one platform only, and
-- names that are no Go identifier as they are.
CREATE TABLE sales_windows (id integer NOT NULL PRIMARY KEY, `größe` integer, `名前` text);
CREATE TABLE run_test (id integer NOT NULL PRIMARY KEY, `user ID` integer, `user_id` integer, `$$` integer);

-- Types with and without their length or precision.
CREATE TABLE measures (
    id int NOT NULL PRIMARY KEY,
    at_ms datetime(3) DEFAULT NULL,
    plain_dt datetime DEFAULT NULL,
    scaled decimal(5,0) DEFAULT NULL,
    raw_id varbinary(16) DEFAULT NULL,
    yr year DEFAULT NULL,
    bits bit(3) DEFAULT NULL,
    dbl double(10,2) DEFAULT NULL,
    tiny_text tinytext,
    long_text longtext,
    small_u smallint unsigned NOT NULL DEFAULT 0,
    int_u int unsigned DEFAULT NULL,
    ts3 timestamp(3) NULL DEFAULT NULL,
    ch char(1) NOT NULL DEFAULT 'x'
);

-- A foreign key to a column that is indexed but not unique: MySQL allows
-- it, fk: does not.
CREATE TABLE loose_refs (
    id int NOT NULL PRIMARY KEY,
    sku varchar(40) DEFAULT NULL,
    CONSTRAINT loose_refs_sku_fk FOREIGN KEY (sku) REFERENCES order_items (sku)
);
