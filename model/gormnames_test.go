package model

import "testing"

// TestGORMSnake checks GORM's column and table naming on the cases GORM's
// own NamingStrategy gives (gorm.io/gorm v1.31.2, schema/naming.go).
func TestGORMSnake(t *testing.T) {
	for in, want := range map[string]string{
		"UserID": "user_id", "APIKeyID": "api_key_id", "HTTPServer": "http_server", "IPv4": "ipv4",
		"URLPath": "url_path", "OAuthClient": "o_auth_client", "Name": "name", "ID": "id", "A": "a",
		"CreatedAt": "created_at", "I8": "i8", "Already_Snake": "already_snake", "HTMLToJSON": "html_to_json",
	} {
		if got := gormSnake(in); got != want {
			t.Errorf("gormSnake(%q) = %q, want %q", in, got, want)
		}
	}
	n := gormNamer{maxLen: 64}
	for in, want := range map[string]string{"Policy": "policies", "Datar": "datars", "Person": "people", "OAuthClient": "o_auth_clients"} {
		if got := n.table(in); got != want {
			t.Errorf("table(%q) = %q, want %q", in, got, want)
		}
	}
	if got, want := n.joinTable("UserSpeak"), "user_speaks"; got != want {
		t.Errorf("joinTable(UserSpeak) = %q, want %q", got, want)
	}
	if got, want := n.joinTable("user_friends"), "user_friends"; got != want {
		t.Errorf("joinTable(user_friends) = %q, want %q", got, want)
	}
}
