package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"time"

	"tryggspor/internal/tryggspor"
)

var (
	slugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)
)

// baseURLErr refuses a base URL that browsers would not keep the session
// cookies for: the cookies are Secure (__Host- prefix), which browsers honour
// over plain http only on loopback, so an http base URL on any other host
// makes every sign-in fail as "started in another tab".
func baseURLErr(base string) error {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return nil // reported as not absolute
	}
	if u.Scheme == "https" {
		return nil
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
		return nil
	}
	return fmt.Errorf("server.base_url %q: plain http on a host other than loopback loses the Secure session cookies, so no sign-in could finish; use https (TLS at a proxy in front is fine)", base)
}

// validate checks the sign-in providers: each complete, with a client
// secret, claims or fixed values for role and organisation, and (in
// [[oidc.providers]]) what it may assert.
func (o OIDC) validate() []error {
	var errs []error
	if o.Timeout != "" {
		if d, err := time.ParseDuration(o.Timeout); err != nil || d < 100*time.Millisecond || d > 2*time.Minute {
			errs = append(errs, fmt.Errorf("oidc.timeout %q: want a duration between 100ms and 2m, e.g. \"5s\"", o.Timeout))
		}
	}
	if len(o.Providers) > 0 && o.Issuer != "" {
		errs = append(errs, errors.New("oidc: use either the single [oidc] table (issuer, client_id, …) or [[oidc.providers]] tables, not both"))
	}
	list := o.List()
	if len(list) == 0 {
		return append(errs, errors.New("oidc.issuer and oidc.client_id are required (or [[oidc.providers]] tables)"))
	}
	seen := map[string]bool{}
	for _, p := range list {
		where := "oidc"
		if len(o.Providers) > 0 {
			where = fmt.Sprintf("oidc.providers %q", p.Name)
			if !slugRe.MatchString(p.Name) {
				errs = append(errs, fmt.Errorf("%s: name must be a slug (a-z, 0-9, -)", where))
			}
			if seen[p.Name] {
				errs = append(errs, fmt.Errorf("%s: name used twice", where))
			}
			seen[p.Name] = true
			if len(p.AllowedRoles) == 0 || len(p.AllowedOrgKinds) == 0 {
				errs = append(errs, fmt.Errorf("%s: allowed_roles and allowed_org_kinds are required: say what this provider may assert", where))
			}
		}
		errs = append(errs, p.validate(where)...)
	}
	return errs
}

func (p Provider) validate(where string) []error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(where+": "+format, a...)) }
	if p.Issuer == "" || p.ClientID == "" {
		bad("issuer and client_id are required")
	}
	if u, err := url.Parse(p.Issuer); p.Issuer != "" && (err != nil || u.Host == "" || (u.Scheme != "https" && baseURLErr(p.Issuer) != nil)) {
		bad("issuer %q must be an https URL (plain http only on loopback)", p.Issuer)
	}
	if p.ClientSecret == "" {
		bad("client_secret_file is required and must not be empty (env TRYGGSPOR_OIDC_CLIENT_SECRET_FILE for the single [oidc] table)")
	}
	if p.RoleClaim == "" && p.FixedRole == "" {
		bad("role_claim (or fixed_role) is required")
	}
	if p.OrgClaim == "" && p.FixedOrg == "" {
		bad("org_claim (or fixed_org) is required")
	}
	if n := len(p.AllowedRoles) + len(p.AllowedOrgKinds) + len(p.AllowedOrgs); n > 0 && (len(p.AllowedRoles) == 0 || len(p.AllowedOrgKinds) == 0) {
		bad("allowed_roles and allowed_org_kinds go together: with only one, the other would refuse everyone")
	}
	switch p.TokenAuthMethod {
	case "", "client_secret_basic", "client_secret_post":
	default:
		bad("token_auth_method %q: want \"client_secret_basic\" or \"client_secret_post\"", p.TokenAuthMethod)
	}
	switch p.OrgValue {
	case "", "code", "orgno":
	default:
		bad("org_value %q: want \"code\" or \"orgno\"", p.OrgValue)
	}
	for v, r := range p.RoleMap {
		if !tryggspor.Known("userrole", r) {
			bad("role_map: %q maps to unknown role %q", v, r)
		}
	}
	for _, r := range p.AllowedRoles {
		if !tryggspor.Known("userrole", r) {
			bad("allowed_roles: unknown role %q", r)
		}
	}
	for _, k := range p.AllowedOrgKinds {
		if !tryggspor.Known("orgkind", k) {
			bad("allowed_org_kinds: unknown kind %q", k)
		}
	}
	if p.FixedRole != "" {
		if !tryggspor.Known("userrole", p.FixedRole) {
			bad("fixed_role: unknown role %q", p.FixedRole)
		} else if len(p.AllowedRoles) > 0 && !slices.Contains(p.AllowedRoles, p.FixedRole) {
			bad("fixed_role %q is not in allowed_roles", p.FixedRole)
		}
	}
	return errs
}
