// Package common declares a shop schema that exercises every strata option,
// every mapped Go type and every directive supported by all three dialects.
package common

import (
	"database/sql"
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"example.com/shop/base"
)

// Status is a named type over string.
type Status string

// Cents is a named type over int64.
type Cents int64

// User is a customer account.
//
//strata:table users
//strata:comment Customer accounts
//strata:renamed_from accounts
//strata:index users_name_idx (last_name, first_name DESC)
//strata:check users_email_check email <> ''
type User struct {
	base.Model
	Email     string         `db:"email,omitempty" strata:"size:191;unique"`
	FirstName string         `strata:"size:100"`
	LastName  string         `strata:"size:100;index"`
	Status    Status         `strata:"size:20;default:'active';check:status IN ('active', 'blocked')"`
	Nickname  *string        `strata:"size:50"`
	Bio       sql.NullString `strata:"comment:Free text shown on the profile"`
	Karma     int32          `strata:"default:(2 * 5)"`
	Phone     string         `db:"phone_number" strata:"size:32;renamed_from:phone;null"`
	Password  string         `db:"-"`
	internal  int
	*audit
}

type audit struct {
	*base.Audit
}

// Product is a catalogue entry, keyed by UUID.
//
//strata:table
type Product struct {
	ID    uuid.UUID `strata:"pk"`
	Name  string    `strata:"notnull"`
	Price Cents     `strata:"default:0;check:price >= 0"`
}

// ProductVariant is a sellable variant of a product.
//
//strata:table product_variants
type ProductVariant struct {
	ProductID uuid.UUID `strata:"pk;fk:product.id;ondelete:CASCADE;unique:product_variants_product_sku_key"`
	SKU       string    `db:"sku" strata:"pk;size:64;unique:product_variants_product_sku_key"`
	Active    bool      `strata:"default:true"`
}

// Order is a placed order; its name is a reserved word.
//
//strata:table
//strata:index order_user_placed_idx (user_id, placed_at DESC)
type Order struct {
	ID        int64     `strata:"pk;autoincrement"`
	UserID    int64     `strata:"fk:users.id;ondelete:CASCADE;onupdate:NO ACTION;index:order_user_idx"`
	Total     float64   `strata:"type:decimal(12,2);default:0"`
	PlacedAt  time.Time `strata:"default:CURRENT_TIMESTAMP"`
	Shipped   sql.NullTime
	Reference string `strata:"size:40;unique:order_reference_uk"`
	Channel   Status `strata:"size:20;default:'web';index"`
}

// OrderItem is one line of an order: a composite primary key and a
// composite foreign key.
//
//strata:table
type OrderItem struct {
	OrderID   int64     `strata:"pk;fk:order.id;ondelete:CASCADE;fk_name:order_item_order_fk"`
	Line      int16     `strata:"pk"`
	ProductID uuid.UUID `strata:"fk:product_variants.product_id;fk_name:order_item_variant_fk"`
	SKU       string    `db:"sku" strata:"size:64;fk:product_variants.sku;fk_name:order_item_variant_fk;onupdate:CASCADE;ondelete:RESTRICT"`
	Quantity  uint16    `strata:"default:1;check:quantity > 0"`
}

// Sample has a column of every mapped Go type.
//
//strata:table
type Sample struct {
	ID          int              `strata:"pk"`
	Bool        bool             `strata:"default:false"`
	Int8        int8             `strata:"default:-1"`
	Int16       int16            ``
	Int32       int32            ``
	Int64       int64            ``
	Uint        uint             ``
	Uint8       uint8            ``
	Uint16      uint16           ``
	Uint32      uint32           ``
	Uint64      uint64           ``
	Float32     float32          `strata:"default:1.5"`
	Float64     float64          ``
	String      string           `strata:"default:''"`
	Bytes       []byte           ``
	Time        time.Time        ``
	Duration    time.Duration    ``
	JSON        json.RawMessage  ``
	UUID        uuid.UUID        ``
	NullString  sql.NullString   ``
	NullInt64   sql.NullInt64    ``
	NullInt32   sql.NullInt32    ``
	NullInt16   sql.NullInt16    ``
	NullByte    sql.NullByte     ``
	NullFloat64 sql.NullFloat64  ``
	NullBool    sql.NullBool     ``
	NullTime    sql.NullTime     ``
	NullGeneric sql.Null[Cents]  ``
	PtrUUID     *uuid.UUID       ``
	PtrJSON     *json.RawMessage ``
	Named       Status           ``
	Forced      *int64           `strata:"notnull;default:7"`
	Verbatim    string           `strata:"type:char(2)"`
	HTTPStatus  int              `strata:"null"`
}
