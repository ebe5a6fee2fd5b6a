package auth

import (
	"slices"
	"strings"

	"tryggspor/internal/tryggspor"
)

// identity maps verified ID-token claims to an identity: every role the
// token asserts (after the role map), every organisation it names, and
// what this provider may assert. Deciding whether that is one role, one
// known organisation and within the provider's trust is the sign-in use
// case's job, so that every refusal is audited in one place.
func (c *Client) identity(iss, sub string, claims map[string]any) tryggspor.Identity {
	id := tryggspor.Identity{Issuer: iss, Subject: sub, Provider: c.cfg.Name, Trust: c.cfg.Trust}
	id.Name = personName(claims)
	id.Email = email(claims)
	id.Roles = c.roles(claims)
	if len(id.Roles) == 1 {
		id.Role = id.Roles[0]
	}
	if c.cfg.FixedOrg != "" {
		id.Orgs = []string{c.cfg.FixedOrg}
	} else if c.cfg.OrgValue == "orgno" {
		id.OrgNos = orgNumbers(lookup(claims, c.cfg.OrgClaim))
	} else {
		for _, v := range claimStrings(lookup(claims, c.cfg.OrgClaim)) {
			if m, ok := c.cfg.OrgMap[v]; ok {
				v = m
			}
			if !slices.Contains(id.Orgs, v) {
				id.Orgs = append(id.Orgs, v)
			}
		}
	}
	if len(id.Orgs) == 1 {
		id.Org = id.Orgs[0]
	}
	return id
}

// roles are the distinct valid roles the claim asserts; values the role map
// does not know (other groups, other apps' roles) are ignored.
func (c *Client) roles(claims map[string]any) []tryggspor.Role {
	if c.cfg.FixedRole != "" {
		return []tryggspor.Role{tryggspor.Role(c.cfg.FixedRole)}
	}
	var out []tryggspor.Role
	for _, v := range claimStrings(lookup(claims, c.cfg.RoleClaim)) {
		r := v
		if len(c.cfg.RoleMap) > 0 {
			r = c.cfg.RoleMap[v]
		}
		if role := tryggspor.Role(r); role.Valid() && !slices.Contains(out, role) {
			out = append(out, role)
		}
	}
	return out
}

// lookup finds a claim by name, or by a dotted path into nested objects
// (Keycloak's resource_access.tryggspor.roles) when no claim has the whole
// name.
func lookup(claims map[string]any, name string) any {
	if name == "" {
		return nil
	}
	if v, ok := claims[name]; ok {
		return v
	}
	var cur any = claims
	for _, part := range strings.Split(name, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

func personName(claims map[string]any) string {
	if n, _ := claims["name"].(string); strings.TrimSpace(n) != "" {
		return strings.TrimSpace(n)
	}
	g, _ := claims["given_name"].(string)
	f, _ := claims["family_name"].(string)
	return strings.TrimSpace(g + " " + f)
}

// email is the e-mail claim, unless the provider says it is not verified.
func email(claims map[string]any) string {
	e, _ := claims["email"].(string)
	if v, ok := claims["email_verified"].(bool); ok && !v {
		return ""
	}
	return strings.TrimSpace(e)
}

// claimStrings accepts a claim that is one string or a list of strings.
func claimStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// orgNumbers collects the distinct organisation numbers a claim holds: a
// string or list of strings ("0192:311234567" or "311234567"), or objects
// such as Ansattporten's authorization_details, searched for the keys that
// carry one ("orgno": {"ID": "0192:…"} and "reportees": [{"ID": "0192:…"}]).
func orgNumbers(v any) []string {
	var out []string
	add := func(s string) {
		s = tryggspor.NormaliseOrgNo(s)
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > 4 {
			return
		}
		switch x := v.(type) {
		case string:
			add(x)
		case []any:
			for _, e := range x {
				walk(e, depth+1)
			}
		case map[string]any:
			if o, ok := x["orgno"]; ok {
				walk(idOf(o), depth+1)
			}
			if r, ok := x["reportees"]; ok {
				list, _ := r.([]any)
				for _, e := range list {
					walk(idOf(e), depth+1)
				}
			}
		}
	}
	walk(v, 0)
	return out
}

// idOf is the "ID" of an ISO 6523 identifier object, or a plain string.
func idOf(v any) any {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		for _, k := range []string{"ID", "id"} {
			if s, ok := x[k].(string); ok {
				return s
			}
		}
	}
	return nil
}
