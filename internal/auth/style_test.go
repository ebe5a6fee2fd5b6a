package auth

import (
	"slices"
	"testing"

	"golang.org/x/oauth2"
)

// TestAuthStyles: the token endpoint is tried with the configured method
// alone, else with the ones the discovery document names, basic first, and
// both when it names neither.
func TestAuthStyles(t *testing.T) {
	h, p := oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams
	for _, c := range []struct {
		configured string
		supported  []string
		want       []oauth2.AuthStyle
	}{
		{"", nil, []oauth2.AuthStyle{h, p}},
		{"", []string{"client_secret_post", "client_secret_basic"}, []oauth2.AuthStyle{h, p}},
		{"", []string{"client_secret_basic", "private_key_jwt"}, []oauth2.AuthStyle{h}},
		{"", []string{"private_key_jwt", "client_secret_post"}, []oauth2.AuthStyle{p}},
		{"client_secret_post", []string{"client_secret_basic", "client_secret_post"}, []oauth2.AuthStyle{p}},
		{"client_secret_basic", []string{"client_secret_post"}, []oauth2.AuthStyle{h}},
	} {
		if got := authStyles(c.configured, c.supported); !slices.Equal(got, c.want) {
			t.Errorf("authStyles(%q, %v) = %v, want %v", c.configured, c.supported, got, c.want)
		}
	}
}
