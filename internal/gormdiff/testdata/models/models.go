// Package models is a battery of GORM models, one or more per rule strata
// reads: real AutoMigrate and strata's reading of this source must build
// the same schema.
package models

import (
	"database/sql"
	"database/sql/driver"
	"time"

	"gorm.io/gorm"
)

// Migrate is how the application migrates; strata finds the models here.
func Migrate(db *gorm.DB) error {
	return db.AutoMigrate(All()...)
}

// All lists the models.
func All() []any {
	return []any{
		&User{}, &Company{}, &Language{}, &Pet{}, &OAuthClient{}, &Policy{}, &Datar{}, &Person{}, &Address{},
		&Account{}, &Blog{}, &Article{}, &Sample{}, &NullRow{}, &Setting{}, &Custom{}, &Quirk{}, &Order{},
		&Event{}, &Membership{}, &Product{}, &Permission{}, &Temperature{}, &Log{}, &Ticket{}, &Enrollment{},
		&Country{}, &Customer{}, &CreditCard{}, &Employee{}, &Node{}, &Owner{}, &Car{}, &Toy{}, &Kid{}, &Dog{},
		&Book{}, &Tag{}, &Team{}, &Member{}, &VeryLongModelNameForIdentifierTruncationTest{}, &Document{},
		&Wallet{}, &Level{}, &Flag{}, &Stamp{}, &Counter{}, &SoftNote{}, &Memo{},
	}
}

type User struct {
	gorm.Model
	Name      string
	Email     string `gorm:"uniqueIndex;size:120"`
	Code      string `gorm:"unique"`
	Age       uint32
	Score     float64
	Active    bool `gorm:"default:true"`
	CompanyID *uint
	Company   Company    `gorm:"constraint:OnDelete:SET NULL"`
	Languages []Language `gorm:"many2many:user_speaks"`
	Friends   []*User    `gorm:"many2many:user_friends"`
	Pets      []Pet      `gorm:"constraint:OnUpdate:CASCADE,OnDelete:CASCADE"`
	Born      time.Time
	Nickname  *string
}

type Company struct {
	ID   int
	Name string `gorm:"size:100;check:name_checker,name <> 'x'"`
}

type Language struct {
	Code string `gorm:"primarykey"`
	Name string
}

type Pet struct {
	ID     uint
	UserID uint
	Name   string `gorm:"index:idx_pet_name,sort:desc;size:40;not null"`
}

type OAuthClient struct {
	ID         uint
	ClientID   string `gorm:"size:64"`
	APIKeyID   int64
	HTTPServer string `gorm:"size:30"`
}

type Policy struct {
	ID   uint
	Rule string
}

type Datar struct {
	ID    uint
	Value int
}

type Person struct {
	ID   uint
	Name string `gorm:"column:full_name;size:80"`
}

type Address struct {
	ID     uint
	Street string `gorm:"size:120;not null"`
}

type Account struct {
	ID      uint
	Balance int64
}

func (Account) TableName() string { return "accounts_tbl" }

type Author struct {
	Name  string
	Email string `gorm:"size:80"`
}

type Blog struct {
	ID      int
	Author  Author `gorm:"embedded;embeddedPrefix:author_"`
	Upvotes int32
}

type Base struct {
	ID        uint64 `gorm:"primaryKey"`
	CreatedAt time.Time
	UpdatedAt int64 `gorm:"autoUpdateTime:milli"`
}

type Article struct {
	Base
	Title string `gorm:"size:200;not null"`
	Body  string
}

type Sample struct {
	ID    uint
	I8    int8
	I16   int16
	I32   int32
	I64   int64
	U8    uint8
	U16   uint16
	U64   uint64
	F32   float32
	Price float64 `gorm:"precision:10;scale:2"`
	Ratio float64 `gorm:"precision:8"`
	Data  []byte
	Small []byte `gorm:"size:1000"`
}

type NullRow struct {
	ID int64
	A  sql.NullString
	B  sql.NullInt64
	C  sql.NullTime
	D  sql.NullBool
	E  sql.NullFloat64
	F  sql.NullInt32
	G  *int
	H  *time.Time
}

type Setting struct {
	ID      uint
	Theme   string  `gorm:"default:'dark'"`
	Count   int     `gorm:"default:5"`
	Ratio   float64 `gorm:"default:1.5"`
	Enabled bool    `gorm:"not null;default:false"`
	Label   string  `gorm:"size:20;default:hello"`
}

type Custom struct {
	ID     uint
	Given  string `gorm:"type:varchar(63)"`
	Note   string `gorm:"type:text"`
	Amount int    `gorm:"type:bigint"`
	Count  int    `gorm:"type:uint"`
}

// Quirk holds tags GORM reads differently from what they seem to say.
type Quirk struct {
	ID      uint
	Spaced  string `gorm:"size: 255"`
	Named   string `gorm:"size:20;index: idx_spaced"`
	Legacy  string `gorm:"size:20;unique_index"`
	Trimmed string `gorm:" size:30"`
}

type Order struct {
	ID         uint
	CustomerID int       `gorm:"index:idx_order_cust_date,priority:2"`
	PlacedAt   time.Time `gorm:"index:idx_order_cust_date,priority:1"`
	Status     string    `gorm:"size:20;index:,composite:state"`
}

type Event struct {
	ID   uint
	Kind string    `gorm:"size:30;index;index:idx_event_kind_at,priority:1"`
	At   time.Time `gorm:"index:idx_event_kind_at,priority:2"`
}

type Membership struct {
	ID     uint
	TeamID uint `gorm:"uniqueIndex:idx_member"`
	UserID uint `gorm:"uniqueIndex:idx_member"`
}

type Product struct {
	ID   uint
	Name string `gorm:"comment:product name"`
	SKU  string `gorm:"size:32;uniqueIndex"`
}

type Permission struct {
	ID         uint
	Computed   string `gorm:"->"`
	Hidden     string `gorm:"-"`
	NoMigr     string `gorm:"-:migration"`
	WriteOnly  string `gorm:"<-:create"`
	AllIgnored string `gorm:"-:all"`
}

type Temperature struct {
	ID      uint
	Celsius int `gorm:"check:celsius > -273"`
}

type Log struct {
	ID        uint
	CreatedAt int64 `gorm:"autoCreateTime"`
	UpdatedAt int64 `gorm:"autoUpdateTime:nano"`
	Message   string
}

type Ticket struct {
	Number int64 `gorm:"primaryKey;autoIncrement"`
	Title  string
}

type Enrollment struct {
	StudentID uint   `gorm:"primaryKey"`
	CourseID  uint   `gorm:"primaryKey"`
	Grade     string `gorm:"size:2"`
}

type Country struct {
	Code string `gorm:"primaryKey;size:2"`
	Name string
}

type Customer struct {
	ID         uint
	Name       string
	CreditCard CreditCard
}

type CreditCard struct {
	ID         uint
	Number     string `gorm:"size:19"`
	CustomerID uint
}

type Employee struct {
	ID        uint
	Name      string
	ManagerID *uint
	Manager   *Employee
}

type Node struct {
	ID       uint
	ParentID *uint
	Children []Node `gorm:"foreignKey:ParentID"`
}

type Owner struct {
	ID   uint
	Ref  string `gorm:"size:40;uniqueIndex"`
	Cars []Car  `gorm:"foreignKey:OwnerRef;references:Ref"`
}

type Car struct {
	ID       uint
	OwnerRef string `gorm:"size:40"`
}

type Toy struct {
	ID        uint
	Name      string
	OwnerID   uint
	OwnerType string `gorm:"size:20"`
}

type Kid struct {
	ID   uint
	Toys []Toy `gorm:"polymorphic:Owner"`
}

type Dog struct {
	ID  uint
	Toy Toy `gorm:"polymorphic:Owner"`
}

type Book struct {
	ID   uint
	Tags []Tag `gorm:"many2many:book_tags;joinForeignKey:BookRef;joinReferences:TagRef"`
}

type Tag struct {
	ID   uint
	Name string `gorm:"size:40"`
}

type Team struct {
	ID      uint
	Members []Member `gorm:"many2many:TeamMember;constraint:OnDelete:CASCADE"`
}

type Member struct {
	ID   uint
	Name string
}

type VeryLongModelNameForIdentifierTruncationTest struct {
	ID                                   uint
	AnotherQuiteLongFieldNameForTheIndex string `gorm:"size:10;index"`
}

// Document stores Go values through serializers.
type Document struct {
	ID   uint
	Meta map[string]string `gorm:"serializer:json"`
	Tags []string          `gorm:"serializer:json"`
}

// Money is a Valuer strata cannot run: it types the column by its first
// field, as GORM does for a Valuer whose zero value is NULL.
type Money struct {
	Cents    int64
	Currency string
}

func (m Money) Value() (driver.Value, error) {
	if m.Cents == 0 {
		return nil, nil
	}
	return m.Cents, nil
}

type Wallet struct {
	ID      uint
	Balance Money
}

type Rank int16

type Level struct {
	ID   uint
	Rank Rank
}

type Flag struct {
	ID uint
	On bool `gorm:"not null;default:false"`
}

type Stamp struct {
	ID uint
	At time.Time `gorm:"precision:6"`
}

type Counter struct {
	ID    uint
	Hits  uint16 `gorm:"not null;default:0"`
	Total uint64
}

// SoftNote is soft-deleted, with a partial index on live rows.
type SoftNote struct {
	ID        uint
	Body      string `gorm:"size:50;index:idx_live_body,where:deleted_at IS NULL"`
	DeletedAt gorm.DeletedAt
}

// Authored is embedded with its association.
type Authored struct {
	WriterID *uint
	Writer   *Member
}

// Memo has a belongs-to association through an embedded struct.
type Memo struct {
	ID uint
	Authored
	Text string `gorm:"size:100"`
}
