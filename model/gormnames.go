package model

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jinzhu/inflection"
)

// gormInitialisms are the words GORM's NamingStrategy writes as one word
// (schema/naming.go): UserID → user_id, but OAuthClient → o_auth_client.
var gormInitialisms = strings.NewReplacer(func() []string {
	words := []string{"API", "ASCII", "CPU", "CSS", "DNS", "EOF", "GUID", "HTML", "HTTP", "HTTPS", "ID", "IP", "JSON",
		"LHS", "QPS", "RAM", "RHS", "RPC", "SLA", "SMTP", "SSH", "TLS", "TTL", "UID", "UI", "UUID", "URI", "URL", "UTF8",
		"VM", "XML", "XSRF", "XSS"}
	var pairs []string
	for _, w := range words {
		pairs = append(pairs, w, w[:1]+strings.ToLower(w[1:]))
	}
	return pairs
}()...)

// gormSnake is GORM's NamingStrategy.toDBName, byte for byte: the
// initialisms become title case, then an underscore goes before each upper
// case letter that starts a word.
func gormSnake(name string) string {
	if name == "" {
		return ""
	}
	value := name
	if upperRun(name) {
		value = gormInitialisms.Replace(name)
	}
	upper := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	var (
		b                  strings.Builder
		lastCase, nextCase bool
		curCase            = upper(value[0])
	)
	for i := 0; i < len(value)-1; i++ {
		v := value[i]
		nextCase = upper(value[i+1])
		nextNumber := value[i+1] >= '0' && value[i+1] <= '9'
		if curCase {
			if !(lastCase && (nextCase || nextNumber)) && i > 0 && value[i-1] != '_' && value[i+1] != '_' {
				b.WriteByte('_')
			}
			b.WriteByte(v + 32)
		} else {
			b.WriteByte(v)
		}
		lastCase, curCase = curCase, nextCase
	}
	last := value[len(value)-1]
	if curCase {
		if !lastCase && len(value) > 1 {
			b.WriteByte('_')
		}
		b.WriteByte(last + 32)
	} else {
		b.WriteByte(last)
	}
	return b.String()
}

// upperRun reports whether s has two upper case letters in a row, as
// every initialism has: without one the replacer has nothing to do.
func upperRun(s string) bool {
	for i := 1; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' && s[i-1] >= 'A' && s[i-1] <= 'Z' {
			return true
		}
	}
	return false
}

// gormNamer is GORM's NamingStrategy with the settings strata.toml gives.
type gormNamer struct {
	GORMNaming
	maxLen int // IdentifierMaxLength: 63 with the postgres driver, else 64
}

func (n gormNamer) table(structName string) string {
	if n.SingularTable {
		return n.TablePrefix + gormSnake(structName)
	}
	return n.TablePrefix + inflection.Plural(gormSnake(structName))
}

// joinTable is JoinTableName: an all-lower-case many2many value is kept.
func (n gormNamer) joinTable(s string) string {
	if strings.ToLower(s) == s {
		return n.TablePrefix + s
	}
	return n.table(s)
}

// name is formatName: PREFIX_TABLE_NAME, cut to the limit with a hash.
func (n gormNamer) name(prefix, table, name string) string {
	s := strings.ReplaceAll(prefix+"_"+table+"_"+name, ".", "_")
	if utf8.RuneCountInString(s) > n.maxLen {
		sum := sha1.Sum([]byte(s))
		s = s[:n.maxLen-8] + hex.EncodeToString(sum[:])[:8]
	}
	return s
}

// title is cases.Title(language.Und, cases.NoLower) of a Go identifier.
func title(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToTitle(r)) + s[size:]
}
