CREATE TABLE `users` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  `updated_at` datetime(6) NULL,
  `email` varchar(191) NOT NULL,
  `first_name` varchar(100) NOT NULL,
  `last_name` varchar(100) NOT NULL,
  `status` varchar(20) NOT NULL DEFAULT 'active',
  `nickname` varchar(50) NULL,
  `bio` varchar(255) NULL COMMENT "Free text shown on the profile",
  `karma` int NOT NULL DEFAULT (2 * 5),
  `phone_number` varchar(32) NULL,
  `created_by` varchar(64) NOT NULL DEFAULT 'system',
  PRIMARY KEY (`id`),
  UNIQUE INDEX `users_email_key` (`email`),
  INDEX `users_last_name_idx` (`last_name`),
  INDEX `users_name_idx` (`last_name`, `first_name` DESC),
  CONSTRAINT `users_status_check` CHECK (status IN ('active', 'blocked')),
  CONSTRAINT `users_email_check` CHECK (email <> '')
) COMMENT "Customer accounts";

CREATE TABLE `sample` (
  `id` bigint NOT NULL,
  `bool` bool NOT NULL DEFAULT false,
  `int8` tinyint NOT NULL DEFAULT -1,
  `int16` smallint NOT NULL,
  `int32` int NOT NULL,
  `int64` bigint NOT NULL,
  `uint` bigint unsigned NOT NULL,
  `uint8` tinyint unsigned NOT NULL,
  `uint16` smallint unsigned NOT NULL,
  `uint32` int unsigned NOT NULL,
  `uint64` bigint unsigned NOT NULL,
  `float32` float NOT NULL DEFAULT 1.5,
  `float64` double NOT NULL,
  `string` varchar(255) NOT NULL DEFAULT '',
  `bytes` longblob NOT NULL,
  `time` datetime(6) NOT NULL,
  `duration` bigint NOT NULL,
  `json` json NOT NULL,
  `uuid` char(36) NOT NULL,
  `null_string` varchar(255) NULL,
  `null_int64` bigint NULL,
  `null_int32` int NULL,
  `null_int16` smallint NULL,
  `null_byte` tinyint unsigned NULL,
  `null_float64` double NULL,
  `null_bool` bool NULL,
  `null_time` datetime(6) NULL,
  `null_generic` bigint NULL,
  `ptr_uuid` char(36) NULL,
  `ptr_json` json NULL,
  `named` varchar(255) NOT NULL,
  `forced` bigint NOT NULL DEFAULT 7,
  `verbatim` char(2) NOT NULL,
  `http_status` bigint NULL,
  PRIMARY KEY (`id`)
);

CREATE TABLE `order` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `user_id` bigint NOT NULL,
  `total` decimal(12,2) NOT NULL DEFAULT 0,
  `placed_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  `shipped` datetime(6) NULL,
  `reference` varchar(40) NOT NULL,
  `channel` varchar(20) NOT NULL DEFAULT 'web',
  PRIMARY KEY (`id`),
  INDEX `order_user_idx` (`user_id`),
  UNIQUE INDEX `order_reference_uk` (`reference`),
  INDEX `order_channel_idx` (`channel`),
  INDEX `order_user_placed_idx` (`user_id`, `placed_at` DESC),
  CONSTRAINT `order_user_id_fkey` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON UPDATE NO ACTION ON DELETE CASCADE
);

CREATE TABLE `product` (
  `id` char(36) NOT NULL,
  `name` varchar(255) NOT NULL,
  `price` bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`),
  CONSTRAINT `product_price_check` CHECK (price >= 0)
);

CREATE TABLE `product_variants` (
  `product_id` char(36) NOT NULL,
  `sku` varchar(64) NOT NULL,
  `active` bool NOT NULL DEFAULT true,
  PRIMARY KEY (`product_id`, `sku`),
  UNIQUE INDEX `product_variants_product_sku_key` (`product_id`, `sku`),
  CONSTRAINT `product_variants_product_id_fkey` FOREIGN KEY (`product_id`) REFERENCES `product` (`id`) ON DELETE CASCADE
);

CREATE TABLE `order_item` (
  `order_id` bigint NOT NULL,
  `line` smallint NOT NULL,
  `product_id` char(36) NOT NULL,
  `sku` varchar(64) NOT NULL,
  `quantity` smallint unsigned NOT NULL DEFAULT 1,
  PRIMARY KEY (`order_id`, `line`),
  INDEX `order_item_variant_fk` (`product_id`, `sku`),
  CONSTRAINT `order_item_order_fk` FOREIGN KEY (`order_id`) REFERENCES `order` (`id`) ON DELETE CASCADE,
  CONSTRAINT `order_item_variant_fk` FOREIGN KEY (`product_id`, `sku`) REFERENCES `product_variants` (`product_id`, `sku`) ON UPDATE CASCADE ON DELETE RESTRICT,
  CONSTRAINT `order_item_quantity_check` CHECK (quantity > 0)
);
