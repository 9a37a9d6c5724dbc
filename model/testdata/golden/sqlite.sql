CREATE TABLE `users` (
  `id` integer NOT NULL PRIMARY KEY AUTOINCREMENT,
  `created_at` datetime NOT NULL DEFAULT (CURRENT_TIMESTAMP),
  `updated_at` datetime NULL,
  `email` varchar(191) NOT NULL,
  `first_name` varchar(100) NOT NULL,
  `last_name` varchar(100) NOT NULL,
  `status` varchar(20) NOT NULL DEFAULT 'active',
  `nickname` varchar(50) NULL,
  `bio` text NULL,
  `karma` integer NOT NULL DEFAULT (2 * 5),
  `phone_number` varchar(32) NULL,
  `created_by` varchar(64) NOT NULL DEFAULT 'system',
  CONSTRAINT `users_status_check` CHECK (status IN ('active', 'blocked')),
  CONSTRAINT `users_email_check` CHECK (email <> '')
);
CREATE UNIQUE INDEX `users_email_key` ON `users` (`email`);
CREATE INDEX `users_last_name_idx` ON `users` (`last_name`);
CREATE INDEX `users_name_idx` ON `users` (`last_name`, `first_name` DESC);

CREATE TABLE `order` (
  `id` integer NOT NULL PRIMARY KEY AUTOINCREMENT,
  `user_id` integer NOT NULL,
  `total` decimal(12,2) NOT NULL DEFAULT 0,
  `placed_at` datetime NOT NULL DEFAULT (CURRENT_TIMESTAMP),
  `shipped` datetime NULL,
  `reference` varchar(40) NOT NULL,
  `channel` varchar(20) NOT NULL DEFAULT 'web',
  CONSTRAINT `order_user_id_fkey` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON UPDATE NO ACTION ON DELETE CASCADE
);
CREATE INDEX `order_user_idx` ON `order` (`user_id`);
CREATE UNIQUE INDEX `order_reference_uk` ON `order` (`reference`);
CREATE INDEX `order_channel_idx` ON `order` (`channel`);
CREATE INDEX `order_user_placed_idx` ON `order` (`user_id`, `placed_at` DESC);

CREATE TABLE `product` (
  `id` text NOT NULL,
  `name` text NOT NULL,
  `price` integer NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`),
  CONSTRAINT `product_price_check` CHECK (price >= 0)
);

CREATE TABLE `product_variants` (
  `product_id` text NOT NULL,
  `sku` varchar(64) NOT NULL,
  `active` boolean NOT NULL DEFAULT true,
  PRIMARY KEY (`product_id`, `sku`),
  CONSTRAINT `product_variants_product_id_fkey` FOREIGN KEY (`product_id`) REFERENCES `product` (`id`) ON DELETE CASCADE
);
CREATE UNIQUE INDEX `product_variants_product_sku_key` ON `product_variants` (`product_id`, `sku`);

CREATE TABLE `order_item` (
  `order_id` integer NOT NULL,
  `line` integer NOT NULL,
  `product_id` text NOT NULL,
  `sku` varchar(64) NOT NULL,
  `quantity` integer NOT NULL DEFAULT 1,
  PRIMARY KEY (`order_id`, `line`),
  CONSTRAINT `order_item_order_fk` FOREIGN KEY (`order_id`) REFERENCES `order` (`id`) ON DELETE CASCADE,
  CONSTRAINT `order_item_variant_fk` FOREIGN KEY (`product_id`, `sku`) REFERENCES `product_variants` (`product_id`, `sku`) ON UPDATE CASCADE ON DELETE RESTRICT,
  CONSTRAINT `order_item_quantity_check` CHECK (quantity > 0)
);

CREATE TABLE `sample` (
  `id` integer NOT NULL,
  `bool` boolean NOT NULL DEFAULT false,
  `int8` integer NOT NULL DEFAULT -1,
  `int16` integer NOT NULL,
  `int32` integer NOT NULL,
  `int64` integer NOT NULL,
  `uint` integer NOT NULL,
  `uint8` integer NOT NULL,
  `uint16` integer NOT NULL,
  `uint32` integer NOT NULL,
  `uint64` integer NOT NULL,
  `float32` real NOT NULL DEFAULT 1.5,
  `float64` real NOT NULL,
  `string` text NOT NULL DEFAULT '',
  `bytes` blob NOT NULL,
  `time` datetime NOT NULL,
  `duration` integer NOT NULL,
  `json` text NOT NULL,
  `uuid` text NOT NULL,
  `null_string` text NULL,
  `null_int64` integer NULL,
  `null_int32` integer NULL,
  `null_int16` integer NULL,
  `null_byte` integer NULL,
  `null_float64` real NULL,
  `null_bool` boolean NULL,
  `null_time` datetime NULL,
  `null_generic` integer NULL,
  `ptr_uuid` text NULL,
  `ptr_json` text NULL,
  `named` text NOT NULL,
  `forced` integer NOT NULL DEFAULT 7,
  `verbatim` char(2) NOT NULL,
  `http_status` integer NULL,
  PRIMARY KEY (`id`)
);

CREATE TABLE `session` (
  `id` integer NOT NULL PRIMARY KEY AUTOINCREMENT,
  `user_id` integer NOT NULL,
  `token` text NOT NULL,
  `created_at` datetime NOT NULL,
  `revoked_at` datetime NULL
);
CREATE UNIQUE INDEX `session_active_user_idx` ON `session` (`user_id`) WHERE revoked_at IS NULL;
CREATE INDEX `session_token_lower_idx` ON `session` ((lower(token)), `created_at` DESC);
