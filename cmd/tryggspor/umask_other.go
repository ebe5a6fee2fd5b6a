//go:build !unix

package main

// privateFiles has no umask to set on this platform; the store still creates
// its database file 0600.
func privateFiles() {}
