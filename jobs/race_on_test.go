//go:build race

package jobs

// raceEnabled: the race detector slows the reference regexps of
// fastre_test.go about fifteen times; those tests then read a sample.
const raceEnabled = true
