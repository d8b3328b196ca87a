package profiles

import "errors"

// LineErrors splits an Import error into the per-line rejections (reported
// to the user, the other lines still imported) and any other error (a read
// failure), which the caller must treat as fatal.
func LineErrors(err error) (lines []error, other error) {
	if err == nil {
		return nil, nil
	}
	var ie *ImportError
	if !errors.As(err, &ie) {
		return nil, err
	}
	for _, le := range ie.Lines {
		lines = append(lines, le)
	}
	// A read error is joined with the ImportError; keep it if there is one.
	if j, ok := err.(interface{ Unwrap() []error }); ok && err != error(ie) {
		for _, e := range j.Unwrap() {
			if !errors.As(e, &ie) {
				other = errors.Join(other, e)
			}
		}
	}
	return lines, other
}
