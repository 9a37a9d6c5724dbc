package model

import "ariga.io/atlas/sql/schema"

// EncodeCache is encodeCache of an entry holding r, for benchmarks.
func EncodeCache(r *schema.Realm) ([]byte, error) { return encodeCache(&cacheEntry{Realm: r}) }

// DecodeCache is decodeCache of an entry, for benchmarks.
func DecodeCache(data []byte) error {
	var e cacheEntry
	return decodeCache(data, &e)
}
