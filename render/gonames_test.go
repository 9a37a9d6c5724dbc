package render

import "testing"

func TestGoName(t *testing.T) {
	for in, want := range map[string]string{
		"user_id":      "UserID",
		"userId":       "UserID",
		"UserID":       "UserID",
		"http_url":     "HTTPURL",
		"api_key":      "APIKey",
		"uuid":         "UUID",
		"ip_addr":      "IPAddr",
		"json_doc":     "JSONDoc",
		"sql_text":     "SQLText",
		"type":         "Type",
		"func":         "Func",
		"2fa_code":     "X2faCode",
		"user-agent":   "UserAgent",
		"Mixed Case":   "MixedCase",
		"HTTPServer":   "HTTPServer",
		"größe":        "Größe",
		"名前":           "X名前",
		"$$":           "",
		"order_items":  "OrderItems",
		"created_at_2": "CreatedAt2",
	} {
		if got := goName(in); got != want {
			t.Errorf("goName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNamerDisambiguates(t *testing.T) {
	n := newNamer()
	var got []string
	for _, s := range []string{"user_id", "userId", "UserID", "$$", "%%", "user_id2"} {
		got = append(got, n.claim(s, "Column"))
	}
	want := []string{"UserID", "UserID2", "UserID3", "Column", "Column2", "UserID22"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("claims %v, want %v", got, want)
			break
		}
	}
}

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{
		"users":          "users",
		"Mixed Case":     "mixed_case",
		"sales_windows":  "sales_windows_table",
		"stats_linux":    "stats_linux_table",
		"x_amd64":        "x_amd64_table",
		"unit_test":      "unit_test_table",
		"_private":       "private",
		"$$":             "table",
		"windows":        "windows",
		"OrderItems":     "order_items",
		"report_js_wasm": "report_js_wasm_table",
	} {
		if got := fileName(in); got != want {
			t.Errorf("fileName(%q) = %q, want %q", in, got, want)
		}
	}
}
