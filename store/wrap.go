package store

import "fmt"

// wrap says what was being done when err happened; nil stays nil. Kinds
// (tryggspor.ErrorKind) and sentinels (errors.Is) survive the wrapping.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
