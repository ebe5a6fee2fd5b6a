package tryggspor

import "context"

// Directory is the organisations, read once for a page: the one place a
// code's name is looked up and a form's list of organisations is made.
type Directory struct {
	list  []Organisation
	names map[string]string
}

// NewDirectory indexes orgs by code.
func NewDirectory(orgs []Organisation) Directory {
	d := Directory{list: orgs, names: make(map[string]string, len(orgs))}
	for _, o := range orgs {
		d.names[o.Code] = o.Name
	}
	return d
}

// Directory returns the organisations as a Directory.
func (s *Service) Directory(ctx context.Context) (Directory, error) {
	orgs, err := s.Organisations(ctx)
	if err != nil {
		return Directory{}, err
	}
	return NewDirectory(orgs), nil
}

// List is every organisation, in the store's order.
func (d Directory) List() []Organisation { return d.list }

// Name is the organisation's name, or "" for an unknown code.
func (d Directory) Name(code string) string { return d.names[code] }

// Names are the names by code (shared: not to be changed).
func (d Directory) Names() map[string]string { return d.names }

// Options are (code, name) pairs of the organisations keep admits.
func (d Directory) Options(keep func(Organisation) bool) [][2]string {
	var out [][2]string
	for _, o := range d.list {
		if keep(o) {
			out = append(out, [2]string{o.Code, o.Name})
		}
	}
	return out
}
