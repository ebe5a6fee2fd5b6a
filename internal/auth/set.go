package auth

import (
	"errors"
	"fmt"
)

// Set is the configured providers, in the order the sign-in page shows
// them.
type Set struct {
	list   []*Client
	byName map[string]*Client
	// Route, when set, names the provider a login_hint belongs to (the dev
	// providers know their demo users); "" when it knows none.
	Route func(loginHint string) string
}

// NewSet holds clients; names must differ (config validation sees to it).
func NewSet(clients ...*Client) *Set {
	s := &Set{byName: map[string]*Client{}}
	for _, c := range clients {
		s.list = append(s.list, c)
		s.byName[c.Name()] = c
	}
	return s
}

// List returns the providers in order (none for a nil set).
func (s *Set) List() []*Client {
	if s == nil {
		return nil
	}
	return s.list
}

// Get returns the provider called name, or nil.
func (s *Set) Get(name string) *Client {
	if s == nil {
		return nil
	}
	return s.byName[name]
}

// Ready is nil when every provider has been discovered: a provider its
// users cannot sign in with makes the service not ready, so a rollout does
// not replace a working instance with one that cannot sign anyone in.
func (s *Set) Ready() error {
	var errs []error
	for _, c := range s.List() {
		if err := c.Ready(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.Name(), err))
		}
	}
	if len(s.List()) == 0 {
		errs = append(errs, errors.New("no sign-in provider configured"))
	}
	return errors.Join(errs...)
}
