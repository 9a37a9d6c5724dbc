// The model test corpus: its own module, so the main module's go test and
// go vet ignore it. github.com/google/uuid is a local stub.
module example.com/shop

go 1.26

require github.com/google/uuid v1.6.0

replace github.com/google/uuid => ./uuid
