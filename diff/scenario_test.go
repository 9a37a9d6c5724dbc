package diff_test

import (
	"fmt"
	"os"

	"github.com/strata-db/strata/diff"
	"strings"
	"testing"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
)

// scenario is one model edit: the models before and after, as declarations
// of the models package in which « and » stand for struct tag backquotes.
type scenario struct {
	name   string
	v1, v2 string
	// skip names the dialects that cannot do the edit, with the reason.
	skip map[dialect.Name]string
}

const users = `
//strata:table
type User struct {
	ID    int64  «strata:"pk;autoincrement"»
	Email string «strata:"size:100"»
}
`

const usersPosts = users + `
//strata:table
type Post struct {
	ID     int64  «strata:"pk;autoincrement"»
	UserID int64  «strata:"fk:user.id"»
	Title  string «strata:"size:200"»
}
`

// measurements declares a table partitioned by range of at, with the
// given extra directives and partitions (NAME BOUND).
func measurements(directive string, partitions ...string) string {
	s := "\n//strata:table\n//strata:partition by range (at)\n"
	for _, p := range partitions {
		s += "//strata:partition " + p + "\n"
	}
	if directive != "" {
		s += "//strata:" + directive + "\n"
	}
	return s + "type Measurement struct {\n\tID int64 «strata:\"pk\"»\n\tAt time.Time «strata:\"pk;type:date\"»\n\tValue float64\n}\n"
}

// moodEnum is a //strata:enum type with its values.
const moodEnum = `
//strata:enum
type Mood string

const (
	MoodSad Mood = "sad"
	MoodOK  Mood = "ok"
)
`

// item declares a table "item" with the given field lines.
func item(fields ...string) string {
	return "\n//strata:table\ntype Item struct {\n\tID int64 «strata:\"pk\"»\n\t" + strings.Join(fields, "\n\t") + "\n}\n"
}

// itemWith declares the table "item" with doc-comment directives.
func itemWith(directives []string, fields ...string) string {
	return "\n//strata:table\n//strata:" + strings.Join(directives, "\n//strata:") + "\ntype Item struct {\n\tID int64 «strata:\"pk\"»\n\t" + strings.Join(fields, "\n\t") + "\n}\n"
}

const noComments = "SQLite has no table or column comments"

// threeTables are customers, orders and order lines, each referencing the
// one before.
const threeTables = `
//strata:table
type Customer struct {
	ID   int64  «strata:"pk;autoincrement"»
	Name string «strata:"size:100"»
}

//strata:table
type Orders struct {
	ID         int64 «strata:"pk;autoincrement"»
	CustomerID int64 «strata:"fk:customer.id;ondelete:CASCADE"»
	Total      int64 «strata:"default:0"»
}

//strata:table
type Line struct {
	OrderID int64  «strata:"pk;fk:orders.id;ondelete:CASCADE"»
	No      int32  «strata:"pk"»
	SKU     string «db:"sku" strata:"size:20"»
}
`

const threeTablesEdited = `
//strata:table
type Customer struct {
	ID    int64   «strata:"pk;autoincrement"»
	Name  string  «strata:"size:150"»
	Email *string «strata:"size:100;unique"»
}

//strata:table
//strata:index orders_customer_total_idx (customer_id, total DESC)
type Orders struct {
	ID         int64  «strata:"pk;autoincrement"»
	CustomerID *int64 «strata:"fk:customer.id;ondelete:SET NULL"»
	Total      int64  «strata:"default:0;check:total >= 0"»
}

//strata:table
type Line struct {
	OrderID    int64  «strata:"pk;fk:orders.id;ondelete:RESTRICT"»
	No         int32  «strata:"pk"»
	CustomerID *int64 «strata:"fk:customer.id"»
}
`

// compositeParent is a table with a two-column primary key.
const compositeParent = `
//strata:table
type Parent struct {
	A int64 «strata:"pk"»
	B int64 «strata:"pk"»
}
`

// cyclicTables are two tables referencing each other.
const cyclicTables = users + `
//strata:table
type Author struct {
	ID     int64  «strata:"pk"»
	BestID *int64 «strata:"fk:book.id;ondelete:SET NULL"»
}

//strata:table
type Book struct {
	ID       int64 «strata:"pk"»
	AuthorID int64 «strata:"fk:author.id;ondelete:CASCADE"»
}
`

// widenedKey is a primary key and the foreign key referencing it, both of
// Go type typ.
func widenedKey(typ string) string {
	return fmt.Sprintf(`
//strata:table
type Parent struct {
	ID %[1]s «strata:"pk;autoincrement"»
}

//strata:table
type Child struct {
	ID       int64 «strata:"pk"»
	ParentID %[1]s «strata:"fk:parent.id;index;ondelete:CASCADE"»
}
`, typ)
}

// keywordTables are tables, columns, indexes, keys and checks named with
// SQL keywords; edited adds to each. (A check cannot quote a keyword
// column the same way on every dialect, so the checks name other columns.)
func keywordTables(edited bool) string {
	s := `
//strata:table order
//strata:index group (select, from DESC)
//strata:check where id > 0
type Order struct {
	ID     int64   «strata:"pk"»
	Select string  «db:"select" strata:"size:20"»
	From   *string «db:"from" strata:"size:20"»
}

//strata:table select
type Select struct {
	ID      int64 «db:"table" strata:"pk"»
	OrderID int64 «db:"order" strata:"fk:order.id;fk_name:references;ondelete:CASCADE"»
}
`
	if edited {
		s = strings.NewReplacer(
			"//strata:check where id > 0", "//strata:check where id > 0\n//strata:index having (from) unique",
			"From   *string «db:\"from\" strata:\"size:20\"»", "From   *string «db:\"from\" strata:\"size:40\"»\n\tLimit  int32   «db:\"limit\" strata:\"default:0\"»",
			"OrderID int64 «db:\"order\"", "OrderID *int64 «db:\"order\"",
		).Replace(s)
	}
	return s
}

// spacedTables are a table and columns whose names hold spaces and capitals.
func spacedTables(edited bool) string {
	s := `
//strata:table Order Items
type OrderItem struct {
	ID        int64 «db:"Item ID" strata:"pk"»
	UnitPrice int64 «db:"Unit Price" strata:"default:0"»
}
`
	if edited {
		s = strings.Replace(s, "UnitPrice int64 «db:\"Unit Price\" strata:\"default:0\"»",
			"UnitPrice int64 «db:\"Unit Price\" strata:\"default:0;index:Price Index\"»\n\tNote *string «db:\"Note Text\" strata:\"size:30\"»", 1)
	}
	return s
}

// everything declares every mapped Go type, every field option and every
// table directive all three dialects support.
const everything = `
type Status string

type Cents int64

// Account is a customer account.
//
//strata:table accounts
//strata:comment Customer accounts
//strata:renamed_from old_accounts
//strata:index accounts_name_idx (last_name, first_name DESC)
//strata:index accounts_names_key (first_name, last_name) unique
//strata:check accounts_email_check email <> ''
type Account struct {
	ID        int64          «strata:"pk;autoincrement"»
	Email     string         «db:"email" strata:"size:191;unique"»
	FirstName string         «strata:"size:100"»
	LastName  string         «strata:"size:100;index"»
	Status    Status         «strata:"size:20;default:'active';check:status IN ('active', 'blocked')"»
	Nickname  *string        «strata:"size:50;index:accounts_nick_idx"»
	Bio       sql.NullString «strata:"comment:Shown on the profile"»
	Karma     int32          «strata:"default:(2 * 5)"»
	Phone     string         «db:"phone_number" strata:"size:32;renamed_from:phone;null"»
	CreatedAt time.Time      «strata:"default:CURRENT_TIMESTAMP"»
	Skipped   string         «db:"-"»
}

//strata:table
type Product struct {
	ID    uuid.UUID «strata:"pk"»
	Name  string    «strata:"notnull"»
	Price Cents     «strata:"default:0;check:price >= 0"»
}

//strata:table product_variants
type ProductVariant struct {
	ProductID uuid.UUID «strata:"pk;fk:product.id;ondelete:CASCADE;unique:product_variants_product_sku_key"»
	SKU       string    «db:"sku" strata:"pk;size:64;unique:product_variants_product_sku_key"»
	Active    bool      «strata:"default:true"»
}

//strata:table
type Purchase struct {
	ID        int64     «strata:"pk;autoincrement"»
	AccountID int64     «strata:"fk:accounts.id;ondelete:CASCADE;onupdate:NO ACTION;index:purchase_account_idx"»
	Total     float64   «strata:"type:decimal(12,2);default:0"»
	PlacedAt  time.Time «strata:"default:CURRENT_TIMESTAMP"»
	Shipped   sql.NullTime
	Reference string    «strata:"size:40;unique:purchase_reference_uk"»
}

//strata:table
type PurchaseLine struct {
	PurchaseID int64     «strata:"pk;fk:purchase.id;ondelete:CASCADE;fk_name:purchase_line_purchase_fk"»
	Line       int16     «strata:"pk"»
	ProductID  uuid.UUID «strata:"fk:product_variants.product_id;fk_name:purchase_line_variant_fk"»
	SKU        string    «db:"sku" strata:"size:64;fk:product_variants.sku;fk_name:purchase_line_variant_fk;onupdate:CASCADE;ondelete:RESTRICT"»
	Quantity   uint16    «strata:"default:1;check:quantity > 0"»
	Note       *string   «strata:"fk:accounts.email;ondelete:SET NULL"»
}

//strata:table
type Sample struct {
	ID          int              «strata:"pk"»
	Bool        bool             «strata:"default:false"»
	Int8        int8             «strata:"default:-1"»
	Int16       int16
	Int32       int32
	Int64       int64
	Uint        uint
	Uint8       uint8
	Uint16      uint16
	Uint32      uint32
	Uint64      uint64
	Float32     float32          «strata:"default:1.5"»
	Float64     float64
	String      string           «strata:"default:''"»
	Bytes       []byte
	Time        time.Time
	Duration    time.Duration
	JSON        json.RawMessage
	UUID        uuid.UUID
	NullString  sql.NullString
	NullInt64   sql.NullInt64
	NullInt32   sql.NullInt32
	NullInt16   sql.NullInt16
	NullByte    sql.NullByte
	NullFloat64 sql.NullFloat64
	NullBool    sql.NullBool
	NullTime    sql.NullTime
	NullGeneric sql.Null[Cents]
	PtrUUID     *uuid.UUID
	PtrJSON     *json.RawMessage
	Named       Status
	Forced      *int64           «strata:"notnull;default:7"»
	Verbatim    string           «strata:"type:char(2)"»
	HTTPStatus  int              «strata:"null"»
	Sized       string           «strata:"size:10"»
	Small       int16            «strata:"type:smallint"»
}
`

var scenarios = []scenario{
	// Tables.
	{name: "add_table", v1: users, v2: usersPosts},
	{name: "drop_table", v1: usersPosts, v2: users},
	{name: "everything_from_nothing", v1: "", v2: everything},

	// Columns.
	{name: "add_column_nullable", v1: item(), v2: item("Note *string")},
	{name: "add_column_not_null_default", v1: item(), v2: item(`Score int32 «strata:"default:0"»`)},
	{name: "drop_column", v1: item("Note *string", `Score int32 «strata:"default:0"»`), v2: item("Note *string")},
	{name: "null_to_not_null", v1: item(`Nick *string «strata:"size:30"»`), v2: item(`Nick string «strata:"size:30"»`)},
	{name: "not_null_to_null", v1: item(`Nick string «strata:"size:30"»`), v2: item(`Nick *string «strata:"size:30"»`)},

	// Types.
	{name: "widen_integer", v1: item(`N int64 «strata:"type:smallint"»`), v2: item(`N int64 «strata:"type:bigint"»`)},
	{name: "narrow_integer", v1: item(`N int64 «strata:"type:bigint"»`), v2: item(`N int64 «strata:"type:smallint"»`)},
	{name: "widen_string", v1: item(`S string «strata:"size:50"»`), v2: item(`S string «strata:"size:200"»`)},
	{name: "narrow_string", v1: item(`S string «strata:"size:200"»`), v2: item(`S string «strata:"size:50"»`)},
	{name: "widen_decimal", v1: item(`P float64 «strata:"type:decimal(10,2)"»`), v2: item(`P float64 «strata:"type:decimal(14,4)"»`)},
	{name: "narrow_decimal_scale", v1: item(`P float64 «strata:"type:decimal(10,4)"»`), v2: item(`P float64 «strata:"type:decimal(10,2)"»`)},
	{name: "sized_string_to_unsized", v1: item(`S string «strata:"size:20"»`), v2: item(`S string «strata:"type:text"»`)},

	// Defaults.
	{name: "default_add", v1: item(`Status string «strata:"size:20"»`), v2: item(`Status string «strata:"size:20;default:'new'"»`)},
	{name: "default_change", v1: item(`Status string «strata:"size:20;default:'new'"»`), v2: item(`Status string «strata:"size:20;default:'open'"»`)},
	{name: "default_drop", v1: item(`Status string «strata:"size:20;default:'new'"»`), v2: item(`Status string «strata:"size:20"»`)},
	{name: "default_number_change", v1: item(`Qty int32 «strata:"default:1"»`), v2: item(`Qty int32 «strata:"default:2"»`)},
	{name: "default_expression_add", v1: item("At time.Time"), v2: item(`At time.Time «strata:"default:CURRENT_TIMESTAMP"»`)},
	{name: "default_expression_change", v1: item(`Karma int32 «strata:"default:(2 * 5)"»`), v2: item(`Karma int32 «strata:"default:(3 * 5)"»`)},

	// Unique and plain indexes.
	{name: "unique_add", v1: item(`Code string «strata:"size:20"»`), v2: item(`Code string «strata:"size:20;unique"»`)},
	{name: "unique_drop", v1: item(`Code string «strata:"size:20;unique"»`), v2: item(`Code string «strata:"size:20"»`)},
	{name: "index_add", v1: item(`Code string «strata:"size:20"»`), v2: item(`Code string «strata:"size:20;index"»`)},
	{name: "index_drop", v1: item(`Code string «strata:"size:20;index"»`), v2: item(`Code string «strata:"size:20"»`)},
	{name: "index_becomes_unique", v1: item(`Code string «strata:"size:20;index:item_code"»`), v2: item(`Code string «strata:"size:20;unique:item_code"»`)},
	{
		name: "composite_index_column_order",
		v1:   itemWith([]string{"index item_name_idx (last, first)"}, `First string «strata:"size:20"»`, `Last string «strata:"size:20"»`),
		v2:   itemWith([]string{"index item_name_idx (first, last)"}, `First string «strata:"size:20"»`, `Last string «strata:"size:20"»`),
	},
	{
		name: "index_part_descending",
		v1:   itemWith([]string{"index item_name_idx (last, first)"}, `First string «strata:"size:20"»`, `Last string «strata:"size:20"»`),
		v2:   itemWith([]string{"index item_name_idx (last, first DESC)"}, `First string «strata:"size:20"»`, `Last string «strata:"size:20"»`),
	},
	{
		name: "partial_index_add",
		v1:   item("UserID int64", "RevokedAt *time.Time"),
		v2:   itemWith([]string{"index item_active_idx (user_id) unique where revoked_at IS NULL"}, "UserID int64", "RevokedAt *time.Time"),
		skip: map[dialect.Name]string{dialect.MySQL: "MariaDB has no partial indexes"},
	},
	{
		name: "expression_index_add",
		v1:   item("Token string"),
		v2:   itemWith([]string{"index item_token_idx ((lower(token)))"}, "Token string"),
		skip: map[dialect.Name]string{dialect.MySQL: "MariaDB has no expression index parts"},
	},

	{
		name: "expression_unique_index_on_varchar",
		v1:   item(`Email string «strata:"size:100"»`),
		v2:   itemWith([]string{"index item_email_key ((lower(email))) unique"}, `Email string «strata:"size:100"»`),
		skip: map[dialect.Name]string{dialect.MySQL: "MariaDB has no expression index parts"},
	},
	{
		name: "partial_index_on_non_empty",
		v1:   item(`Email string «strata:"size:100"»`),
		v2:   itemWith([]string{"index item_email_idx (email) where email <> ''"}, `Email string «strata:"size:100"»`),
		skip: map[dialect.Name]string{dialect.MySQL: "MariaDB has no partial indexes"},
	},

	// Foreign keys.
	{name: "fk_add", v1: users + item("UserID int64"), v2: users + item(`UserID int64 «strata:"fk:user.id"»`)},
	{name: "fk_drop", v1: users + item(`UserID int64 «strata:"fk:user.id"»`), v2: users + item("UserID int64")},
	{name: "fk_on_delete_change", v1: users + item(`UserID *int64 «strata:"fk:user.id;ondelete:CASCADE"»`), v2: users + item(`UserID *int64 «strata:"fk:user.id;ondelete:SET NULL"»`)},
	{name: "fk_on_update_change", v1: users + item(`UserID int64 «strata:"fk:user.id"»`), v2: users + item(`UserID int64 «strata:"fk:user.id;onupdate:CASCADE"»`)},

	// Checks.
	{name: "check_add", v1: item("Qty int32"), v2: item(`Qty int32 «strata:"check:qty > 0"»`)},
	{name: "check_drop", v1: item(`Qty int32 «strata:"check:qty > 0"»`), v2: item("Qty int32")},
	{name: "check_change", v1: item(`Qty int32 «strata:"check:qty > 0"»`), v2: item(`Qty int32 «strata:"check:qty >= 0"»`)},
	{name: "table_check_add", v1: item("Lo int32", "Hi int32"), v2: itemWith([]string{"check item_range_check lo <= hi"}, "Lo int32", "Hi int32")},

	// Comments.
	{name: "comment_add", v1: item("Qty int32"), v2: itemWith([]string{"comment Stock items"}, `Qty int32 «strata:"comment:How many"»`), skip: map[dialect.Name]string{dialect.SQLite: noComments}},
	{name: "comment_change", v1: itemWith([]string{"comment Stock items"}, `Qty int32 «strata:"comment:How many"»`), v2: itemWith([]string{"comment Items in stock"}, `Qty int32 «strata:"comment:Count on hand"»`), skip: map[dialect.Name]string{dialect.SQLite: noComments}},
	{name: "comment_drop", v1: itemWith([]string{"comment Stock items"}, `Qty int32 «strata:"comment:How many"»`), v2: item("Qty int32"), skip: map[dialect.Name]string{dialect.SQLite: noComments}},

	// Primary keys.
	{name: "primary_key_extend", v1: item(`Code string «strata:"size:20"»`), v2: item(`Code string «strata:"pk;size:20"»`)},
	{
		name: "primary_key_move",
		v1:   "\n//strata:table\ntype Item struct {\n\tID int64 «strata:\"pk\"»\n\tCode string «strata:\"size:20\"»\n}\n",
		v2:   "\n//strata:table\ntype Item struct {\n\tID int64\n\tCode string «strata:\"pk;size:20\"»\n}\n",
	},
	{
		name: "autoincrement_add",
		v1:   "\n//strata:table\ntype Item struct {\n\tID int64 «strata:\"pk\"»\n}\n",
		v2:   "\n//strata:table\ntype Item struct {\n\tID int64 «strata:\"pk;autoincrement\"»\n}\n",
	},
	{
		name: "autoincrement_drop",
		v1:   "\n//strata:table\ntype Item struct {\n\tID int64 «strata:\"pk;autoincrement\"»\n}\n",
		v2:   "\n//strata:table\ntype Item struct {\n\tID int64 «strata:\"pk\"»\n}\n",
	},

	// Renames by hint.
	{name: "table_rename", v1: users, v2: strings.Replace(users, "//strata:table", "//strata:table members\n//strata:renamed_from user", 1)},
	{name: "column_rename", v1: users, v2: strings.Replace(users, `Email string «strata:"size:100"»`, `Mail string «strata:"size:100;renamed_from:email"»`, 1)},
	{
		name: "column_rename_keeps_unique_index",
		v1:   item(`Email string «strata:"size:100;unique"»`),
		v2:   item(`Mail string «strata:"size:100;unique;renamed_from:email"»`),
	},
	{
		name: "referenced_table_and_column_rename",
		v1:   usersPosts,
		v2: strings.NewReplacer(
			"//strata:table\ntype User", "//strata:table members\n//strata:renamed_from user\ntype User",
			`fk:user.id`, `fk:members.id`,
			`Title  string «strata:"size:200"»`, `Headline string «strata:"size:200;renamed_from:title"»`,
		).Replace(usersPosts),
	},

	// What real schemas hold.
	{
		name: "enum_like_check_add",
		v1:   item(`Status string «strata:"size:20;default:'new'"»`),
		v2:   item(`Status string «strata:"size:20;default:'new';check:status IN ('new', 'paid', 'shipped')"»`),
	},
	{
		name: "enum_like_check_gains_value",
		v1:   item(`Status string «strata:"size:20;check:status IN ('new', 'paid')"»`),
		v2:   item(`Status string «strata:"size:20;check:status IN ('new', 'paid', 'refunded')"»`),
	},
	{
		name: "check_with_function_on_varchar",
		v1:   item(`Code string «strata:"size:20"»`),
		v2:   item(`Code string «strata:"size:20;check:length(code) >= 3 AND upper(code) = code"»`),
	},
	{
		name: "default_function_call",
		v1:   item(`Code string «strata:"size:20"»`),
		v2:   item(`Code string «strata:"size:20;default:(upper('x'))"»`),
	},
	{
		name: "generated_column_add",
		v1:   item("Price int64", "Qty int32"),
		v2:   item("Price int64", "Qty int32", `Total int64 «strata:"generated:price * qty"»`),
	},
	{
		name: "generated_column_on_function",
		v1:   item(`Email string «strata:"size:100"»`),
		v2:   item(`Email string «strata:"size:100"»`, `EmailKey string «strata:"size:100;generated:lower(email);unique"»`),
	},
	{name: "json_column_add", v1: item(), v2: item("Meta *json.RawMessage")},
	{
		name: "json_column_with_default",
		v1:   item(),
		v2:   item(`Meta json.RawMessage «strata:"default:'{}'"»`),
	},
	{
		name: "array_column_add",
		v1:   item(),
		v2:   item(`Tags string «strata:"type:text[];default:'{}'"»`),
		skip: map[dialect.Name]string{dialect.MySQL: "arrays are PostgreSQL's", dialect.SQLite: "arrays are PostgreSQL's"},
	},
	{name: "bytes_column_add", v1: item(), v2: item("Data []byte")},
	{name: "bool_default_flip", v1: item(`Active bool «strata:"default:true"»`), v2: item(`Active bool «strata:"default:false"»`)},
	{
		name: "decimal_with_default_add",
		v1:   item(),
		v2:   item(`Price float64 «strata:"type:decimal(10,2);default:0.00;check:price >= 0"»`),
	},
	{
		name: "text_to_varchar",
		v1:   item(`S string «strata:"type:text"»`),
		v2:   item(`S string «strata:"size:50"»`),
	},
	{
		name: "time_precision_change",
		v1:   item(`At time.Time «strata:"type:timestamp(6)"»`),
		v2:   item(`At time.Time «strata:"type:timestamp(3)"»`),
	},
	{
		name: "expression_index_change",
		v1:   itemWith([]string{"index item_email_idx ((lower(email)))"}, `Email string «strata:"size:100"»`),
		v2:   itemWith([]string{"index item_email_idx ((upper(email)))"}, `Email string «strata:"size:100"»`),
		skip: map[dialect.Name]string{dialect.MySQL: "MariaDB has no expression index parts"},
	},
	{
		name: "partial_index_predicate_change",
		v1:   itemWith([]string{"index item_open_idx (user_id) where closed_at IS NULL"}, "UserID int64", "ClosedAt *time.Time"),
		v2:   itemWith([]string{"index item_open_idx (user_id) where closed_at IS NOT NULL"}, "UserID int64", "ClosedAt *time.Time"),
		skip: map[dialect.Name]string{dialect.MySQL: "MariaDB has no partial indexes"},
	},
	{
		name: "composite_unique_add",
		v1:   item(`TenantID int64`, `Code string «strata:"size:20"»`),
		v2:   item(`TenantID int64 «strata:"unique:item_tenant_code_key"»`, `Code string «strata:"size:20;unique:item_tenant_code_key"»`),
	},
	{name: "multi_column_fk_add", v1: compositeParent + item("PA int64", "PB int64"), v2: compositeParent + item(`PA int64 «strata:"fk:parent.a;fk_name:item_parent_fk"»`, `PB int64 «strata:"fk:parent.b;fk_name:item_parent_fk"»`)},
	{name: "multi_column_fk_drop", v1: compositeParent + item(`PA int64 «strata:"fk:parent.a;fk_name:item_parent_fk"»`, `PB int64 «strata:"fk:parent.b;fk_name:item_parent_fk"»`), v2: compositeParent + item("PA int64", "PB int64")},
	{name: "self_reference_add", v1: item("ManagerID *int64"), v2: item(`ManagerID *int64 «strata:"fk:item.id;ondelete:SET NULL"»`)},
	{name: "cyclic_foreign_keys_add", v1: "", v2: cyclicTables},
	{name: "cyclic_foreign_keys_drop", v1: cyclicTables, v2: users},
	{name: "parent_and_child_dropped", v1: users + compositeParent + item(`PA int64 «strata:"fk:parent.a;fk_name:item_parent_fk"»`, `PB int64 «strata:"fk:parent.b;fk_name:item_parent_fk"»`), v2: users},
	{
		name: "fk_to_unique_column_add",
		v1:   strings.Replace(users, `Email string «strata:"size:100"»`, `Email string «strata:"size:100;unique"»`, 1) + item(`Owner string «strata:"size:100"»`),
		v2:   strings.Replace(users, `Email string «strata:"size:100"»`, `Email string «strata:"size:100;unique"»`, 1) + item(`Owner string «strata:"size:100;fk:user.email;onupdate:CASCADE"»`),
	},
	{
		name: "referenced_key_widened",
		v1:   widenedKey("int32"),
		v2:   widenedKey("int64"),
		skip: map[dialect.Name]string{dialect.SQLite: "SQLite stores both as integer: nothing changes"},
	},
	{name: "keyword_names_everywhere", v1: keywordTables(false), v2: keywordTables(true)},
	{name: "names_with_spaces_and_case", v1: spacedTables(false), v2: spacedTables(true)},
	{
		name: "comment_with_quotes",
		v1:   item("Qty int32"),
		v2:   itemWith([]string{"comment Stock 'items'; see \"docs\""}, `Qty int32 «strata:"comment:it's; \"quoted\""»`),
		skip: map[dialect.Name]string{dialect.SQLite: noComments},
	},
	{
		name: "column_added_with_check_and_default",
		v1:   item(),
		v2:   item(`Qty int32 «strata:"default:1;check:qty > 0"»`),
	},
	{
		name: "drop_column_with_index_and_check",
		v1:   itemWith([]string{"check item_qty_check qty >= 0"}, "Note *string", `Qty int32 «strata:"index"»`),
		v2:   item("Note *string"),
	},
	{
		name: "unsigned_widen",
		v1:   item("N uint16"),
		v2:   item("N uint32"),
		skip: map[dialect.Name]string{dialect.SQLite: "SQLite stores both as integer: nothing changes"},
	},

	// The vocabulary of issue 13.
	{
		name: "collate_add_pg",
		v1:   item(`Code string «strata:"size:20"»`),
		v2:   item(`Code string «strata:"size:20;collate:C"»`, `Name string «strata:"collate:POSIX"»`),
		skip: only(dialect.Postgres),
	},
	{
		name: "collate_change_pg",
		v1:   item(`Code string «strata:"size:20;collate:C"»`, `Name string «strata:"collate:POSIX"»`),
		v2:   item(`Code string «strata:"size:20;collate:POSIX"»`, `Name string`),
		skip: only(dialect.Postgres),
	},
	{
		name: "collate_sqlite",
		v1:   item(`Code string`, `Name string «strata:"collate:RTRIM"»`),
		v2:   item(`Code string «strata:"collate:NOCASE"»`, `Name string`, `Note string «strata:"collate:BINARY;default:''"»`),
		skip: only(dialect.SQLite),
	},
	{
		name: "collate_and_charset_mysql",
		v1:   item(`Code string «strata:"size:20"»`, `Name string «strata:"size:20"»`),
		v2:   item(`Code string «strata:"size:20;collate:utf8mb4_bin"»`, `Name string «strata:"size:20;charset:latin1;collate:latin1_swedish_ci"»`, `Note string «strata:"size:20;charset:latin1;collate:latin1_bin"»`),
		skip: only(dialect.MySQL),
	},
	{
		name: "autoupdate_add",
		v1:   item(`At time.Time «strata:"default:CURRENT_TIMESTAMP"»`),
		v2:   item(`At time.Time «strata:"default:CURRENT_TIMESTAMP;autoupdate:CURRENT_TIMESTAMP"»`, `Stamp time.Time «strata:"type:timestamp;default:CURRENT_TIMESTAMP;autoupdate:CURRENT_TIMESTAMP"»`),
		skip: only(dialect.MySQL),
	},
	{
		name: "autoupdate_drop",
		v1:   item(`At time.Time «strata:"default:CURRENT_TIMESTAMP;autoupdate:CURRENT_TIMESTAMP"»`),
		v2:   item(`At time.Time «strata:"default:CURRENT_TIMESTAMP"»`),
		skip: only(dialect.MySQL),
	},
	{
		name: "identity_options",
		v1:   "\n//strata:table\ntype Item struct {\n\tID int64 «strata:\"pk;autoincrement\"»\n}\n",
		v2:   "\n//strata:table\ntype Item struct {\n\tID int64 «strata:\"pk;autoincrement:always,start=100,increment=5\"»\n}\n",
		skip: only(dialect.Postgres),
	},
	{
		name: "identity_options_from_nothing",
		v1:   "",
		v2:   "\n//strata:table\ntype Item struct {\n\tID int32 «strata:\"pk;autoincrement:start=10\"»\n}\n",
		skip: only(dialect.Postgres),
	},
	{
		name: "identity_outside_the_key",
		v1:   item(`No int64`),
		v2:   item(`No int64 «strata:"autoincrement:always,increment=10"»`, `Other int32 «strata:"autoincrement"»`),
		skip: only(dialect.Postgres),
	},
	{
		name: "virtual_generated_column_add",
		v1:   item("Price int64", "Qty int32"),
		v2:   item("Price int64", "Qty int32", `Total int64 «strata:"generated:price * qty;virtual"»`),
		skip: map[dialect.Name]string{dialect.Postgres: "PostgreSQL generates stored columns only"},
	},

	{
		name: "primary_key_named",
		v1:   "",
		v2:   itemWith([]string{"pk item_id_key"}, "Code string"),
	},
	{
		name: "primary_key_renamed",
		v1:   item("Code string"),
		v2:   itemWith([]string{"pk item_identity"}, "Code string"),
		skip: map[dialect.Name]string{dialect.MySQL: "MySQL's key is PRIMARY", dialect.SQLite: "SQLite names no primary key"},
	},
	{
		name: "unique_constraint_add",
		v1:   item(`TenantID int64`, `Code string «strata:"size:20"»`),
		v2:   itemWith([]string{"unique item_tenant_code_uq (tenant_id, code)"}, `TenantID int64`, `Code string «strata:"size:20"»`),
		skip: map[dialect.Name]string{dialect.SQLite: "SQLite keeps no unique constraint names"},
	},
	{
		name: "unique_index_becomes_constraint",
		v1:   itemWith([]string{"index item_code_uq (code) unique"}, `Code *string «strata:"size:20"»`),
		v2:   itemWith([]string{"unique item_code_uq (code) nulls not distinct"}, `Code *string «strata:"size:20"»`),
		skip: only(dialect.Postgres),
	},
	{
		name: "index_method_include_opclass",
		v1:   item(`Name string`, `Tags string «strata:"type:text[]"»`, `Meta json.RawMessage`),
		v2: itemWith([]string{
			"index item_name_idx (name text_pattern_ops DESC) include (id)",
			"index item_tags_idx (tags) using gin",
			"index item_meta_idx (meta jsonb_path_ops) using GIN",
			"index item_name_hash (name) using hash",
			"index item_name_nnd ((lower(name))) unique nulls not distinct",
		}, `Name string`, `Tags string «strata:"type:text[]"»`, `Meta json.RawMessage`),
		skip: only(dialect.Postgres),
	},
	{
		name: "index_method_change",
		v1:   itemWith([]string{"index item_tags_idx (tags) using gist"}, `Tags string «strata:"type:tsvector"»`),
		v2:   itemWith([]string{"index item_tags_idx (tags) using gin"}, `Tags string «strata:"type:tsvector"»`),
		skip: only(dialect.Postgres),
	},
	{
		name: "index_prefix_and_fulltext",
		v1:   item(`Title string «strata:"size:200"»`, `Body string «strata:"type:text"»`),
		v2:   itemWith([]string{"index item_title_idx (title(20), id DESC)", "index item_body_ft (body) using fulltext"}, `Title string «strata:"size:200"»`, `Body string «strata:"type:text"»`),
		skip: only(dialect.MySQL),
	},
	{
		name: "index_prefix_change",
		v1:   itemWith([]string{"index item_title_idx (title(20))"}, `Title string «strata:"size:200"»`),
		v2:   itemWith([]string{"index item_title_idx (title(40))"}, `Title string «strata:"size:200"»`),
		skip: only(dialect.MySQL),
	},
	{
		name: "table_charset_and_collate",
		v1:   item(`Name string «strata:"size:20"»`),
		v2:   itemWith([]string{"charset latin1", "collate latin1_bin"}, `Name string «strata:"size:20"»`),
		skip: only(dialect.MySQL),
	},
	{
		name: "sqlite_strict_without_rowid",
		v1:   item(`Name string`),
		v2:   itemWith([]string{"strict", "without_rowid"}, `Name string`, `N int64 «strata:"type:INTEGER"»`),
		skip: only(dialect.SQLite),
	},

	{
		name: "enum_type_add",
		v1:   item(),
		v2:   moodEnum + item(`Mood Mood «strata:"default:'ok'"»`, `Was *Mood`),
	},
	{
		name: "enum_type_gains_value",
		v1:   moodEnum + item(`Mood Mood`),
		v2:   moodEnum + "\nconst MoodGreat Mood = \"great\"\n" + item(`Mood Mood`),
		skip: map[dialect.Name]string{dialect.Postgres: "PostgreSQL cannot remove an enum value on the way down (TestEnumValueAdded)", dialect.SQLite: "text on SQLite: nothing changes"},
	},
	{
		name: "enum_column_added_beside_a_changed_check",
		v1:   item(`Qty int32 «strata:"check:qty > 0"»`),
		v2:   moodEnum + item(`Qty int32 «strata:"check:qty >= 0"»`, `Mood Mood «strata:"default:'ok'"»`),
	},
	{
		name: "enum_type_declared_unused",
		v1:   item(),
		v2:   moodEnum + item(),
		skip: map[dialect.Name]string{dialect.MySQL: "a column type on MySQL: nothing to create", dialect.SQLite: "text on SQLite: nothing to create"},
	},
	{
		name: "enum_type_dropped_with_its_table",
		v1:   users + moodEnum + item(`Mood Mood`),
		v2:   users,
	},

	{
		name: "partitioned_table_add",
		v1:   "",
		v2:   measurements("", "m_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')", "m_rest DEFAULT"),
		skip: only(dialect.Postgres),
	},
	{
		name: "partition_added_and_dropped",
		v1:   measurements("", "m_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"),
		v2:   measurements("", "m_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')"),
		skip: only(dialect.Postgres),
	},
	{
		name: "partition_bound_change",
		v1:   measurements("", "m_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"),
		v2:   measurements("", "m_2024 FOR VALUES FROM ('2024-01-01') TO ('2024-07-01')"),
		skip: only(dialect.Postgres),
	},
	{
		name: "partitioned_by_list_and_hash_expressions",
		v1:   "",
		v2: `
//strata:table
//strata:partition by list ((lower(code)))
//strata:partition codes_ab FOR VALUES IN ('a', 'b')
type Codes struct {
	Code string
	N    int32
}

//strata:table
//strata:partition by hash (id, (k + 1))
//strata:partition buckets_0 FOR VALUES WITH (modulus 2, remainder 0)
//strata:partition buckets_1 FOR VALUES WITH (modulus 2, remainder 1)
type Buckets struct {
	ID int64
	K  int32
}
`,
		skip: only(dialect.Postgres),
	},
	{
		name: "partition_bounds_written_unlike_the_server",
		v1:   "",
		v2: `
//strata:table
//strata:partition by range (at)
//strata:partition events_2024 for values from ('2024-01-01') to ('2025-01-01')
type Events struct {
	ID int64     «strata:"pk"»
	At time.Time «strata:"pk"»
}

//strata:table
//strata:partition by list (code)
//strata:partition tags_ab FOR VALUES IN ('a','b')
type Tags struct {
	Code string
}
`,
		skip: only(dialect.Postgres),
	},
	{
		name: "partitioned_table_dropped",
		v1:   users + measurements("", "m_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"),
		v2:   users,
		skip: only(dialect.Postgres),
	},

	// The existing vocabulary that adopted schemas lean on.
	{
		name: "serial_columns",
		v1:   "",
		v2:   "\n//strata:table\ntype Item struct {\n\tID int64 «strata:\"pk;type:bigserial\"»\n\tNo int32 «strata:\"type:serial\"»\n}\n",
		skip: only(dialect.Postgres),
	},
	{
		name: "array_columns",
		v1:   item(),
		v2:   item(`Ints string «strata:"type:integer[]"»`, `Names *string «strata:"type:character varying(20)[]"»`, `Grid string «strata:"type:numeric(12,2)[]"»`),
		skip: only(dialect.Postgres),
	},
	{
		name: "mysql_enum_and_set_types",
		v1:   item(),
		v2:   item(`State string «strata:"type:enum('new','paid');default:'new'"»`, `Tags *string «strata:"type:set('a','b','c')"»`),
		skip: only(dialect.MySQL),
	},
	{
		name: "sized_types",
		v1:   item(),
		v2:   item(`Code string «strata:"type:char(3)"»`, `Price float64 «strata:"type:numeric(12,2)"»`, `Flags string «strata:"type:bit(8)"»`),
		skip: map[dialect.Name]string{dialect.SQLite: "SQLite keeps declared types verbatim (covered by the type scenarios)"},
	},

	// Several tables at once.
	{name: "three_tables_with_foreign_keys", v1: threeTables, v2: threeTablesEdited},
}

// only skips a scenario on every dialect but d.
func only(d dialect.Name) map[dialect.Name]string {
	skip := make(map[dialect.Name]string)
	for _, o := range dialect.All {
		if o != d {
			skip[o] = "a " + string(d) + " feature"
		}
	}
	return skip
}

// TestScenario runs each model edit on each dialect through the real CLI:
// models v1, autogenerate, upgrade, models v2, autogenerate (each statement
// but CREATE TABLE on one line), upgrade; then
// the database must show what v2 declares, check must agree, a second
// autogenerate must find nothing, and downgrade -1 must restore the v1
// schema exactly.
func TestScenario(t *testing.T) {
	// STRATA_TEST_PLAN_ALONE=1 plans every change on its own, in strata's
	// dependency order, to check that order against every scenario.
	if os.Getenv("STRATA_TEST_PLAN_ALONE") == "1" {
		defer diff.SetBatching(0, 1)()
	}
	if len(scenarios) < 80 {
		t.Fatalf("%d scenarios, want at least 80", len(scenarios))
	}
	for _, d := range dialect.All {
		t.Run(string(d), func(t *testing.T) {
			for _, sc := range scenarios {
				t.Run(sc.name, func(t *testing.T) {
					if reason, ok := sc.skip[d]; ok {
						t.Skip(reason)
					}
					runScenario(t, d, sc)
				})
			}
		})
	}
}

func runScenario(t *testing.T, d dialect.Name, sc scenario) {
	p := newProject(t, testdb.New(t, d))

	// v1 without tables writes no revision, and there is nothing to upgrade.
	p.setModels(sc.v1)
	out := p.mustRun(0, "revision", "--autogenerate", "-m", "v1", "--rev-id", "0001")
	tables := strings.Contains(sc.v1, "//strata:table")
	if tables != (len(p.revisions()) == 1) {
		t.Fatalf("autogenerate v1 wrote %v, want a revision: %v\n%s", p.revisions(), tables, out)
	}
	if tables {
		p.mustRun(0, "upgrade", "head")
	}
	v1 := p.inspect()

	p.setModels(sc.v2)
	before := p.revisions()
	out = p.mustRun(0, "revision", "--autogenerate", "-m", "v2", "--rev-id", "0002")
	if after := p.revisions(); len(after) != len(before)+1 {
		t.Fatalf("autogenerate v2 wrote no revision (have %v)\n%s", after, out)
	}
	up, down := p.sections("0002")
	for _, stmt := range append(up, down...) {
		if !strings.HasPrefix(stmt, "CREATE TABLE ") && strings.Contains(stmt, "\n") {
			t.Errorf("statement on more than one line:\n%s", stmt)
		}
	}
	p.mustRun(0, "upgrade", "head")
	v2 := p.inspect()
	p.matchesModels(v2)
	if code, out := p.run("check"); code != 0 {
		t.Errorf("check after upgrade: exit %d, want 0\n%s\n%s", code, out, p.revisionText())
	}

	before = p.revisions()
	out = p.mustRun(0, "revision", "--autogenerate", "-m", "again", "--rev-id", "0003")
	if !strings.Contains(out, "no changes detected") {
		t.Errorf("second autogenerate: want \"no changes detected\", got\n%s", out)
	}
	if after := p.revisions(); len(after) != len(before) {
		t.Errorf("second autogenerate wrote a revision: %v\n%s", after, p.revisionText())
	}

	p.mustRun(0, "downgrade", "-1")
	p.sameSchema("schema after downgrade -1 differs from v1", v1, p.inspect())
	if t.Failed() {
		t.Logf("revisions:\n%s", p.revisionText())
	}
}
