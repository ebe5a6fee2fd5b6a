package orgs

import (
	"strings"
	"testing"

	"tryggspor/internal/tryggspor"
)

func TestParseCSV(t *testing.T) {
	in := "\ufeffcode;name;kind;parent;municipality\noslo;Oslo pd;police_unit;;Oslo\nvest;Enhet Vest;police_unit;oslo;Bærum\nskole-1;Skolen;school;;Bærum\n"
	got, err := ParseCSV(strings.NewReader(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[1].Parent != "oslo" || got[2].Kind != tryggspor.OrgSchool || got[1].Municipality != "Bærum" {
		t.Errorf("parsed %+v", got)
	}
}

func TestParseCSVListsEveryBadRow(t *testing.T) {
	in := "code,name,kind,parent,municipality\nOSLO,Oslo,police_unit,,\nvest,,police_unit,nowhere,\nskole,Skole,schol,,\nvest2,V2,police_unit,skole-x,\nskole-x,S,school,,\n"
	_, err := ParseCSV(strings.NewReader(in), nil)
	if err == nil {
		t.Fatal("bad file accepted")
	}
	for _, want := range []string{"row 2, column code", "row 3, column name", "row 3, column parent: Ukjent", "row 4, column kind",
		"row 5, column parent: En politienhet må ligge under en politienhet"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestParentMayBeKnownAlready(t *testing.T) {
	known := []tryggspor.Organisation{{Code: "vest", Kind: tryggspor.OrgPoliceUnit}}
	if _, err := ParseCSV(strings.NewReader("code,name,kind,parent\nny,Ny seksjon,police_unit,vest\n"), known); err != nil {
		t.Fatal(err)
	}
}
