// Model packages with one class of error each, for model's error tests.
module example.com/errs

go 1.26
