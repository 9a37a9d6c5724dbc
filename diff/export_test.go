package diff

// SetBatching lets tests plan every change set in batches of size n.
func SetBatching(threshold, size int) (restore func()) {
	t, s := batchThreshold, batchSize
	batchThreshold, batchSize = threshold, size
	return func() { batchThreshold, batchSize = t, s }
}

// Normalize is normalize, for tests that compare schemas as Plan does.
var Normalize = normalize
