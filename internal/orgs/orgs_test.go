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

func TestOrgNoColumnIsOptionalAndChecked(t *testing.T) {
	known := []tryggspor.Organisation{{Code: "skole", Name: "Skole", Kind: tryggspor.OrgSchool, OrgNo: "921111118"}}
	got, err := ParseCSV(strings.NewReader("code,name,kind\nskole,Skolen,school\n"), known)
	if err != nil || got[0].OrgNo != "921111118" {
		t.Fatalf("a file without orgno must keep the registered number: %+v %v", got, err)
	}
	got, err = ParseCSV(strings.NewReader("code,name,kind,orgno\nskole,Skolen,school,0192:987 654 325\n"), known)
	if err != nil || got[0].OrgNo != "987654325" {
		t.Fatalf("orgno with prefix and spaces: %+v %v", got, err)
	}
	_, err = ParseCSV(strings.NewReader("code,name,kind,orgno\nskole,Skolen,school,987654321\nannen,Annen,school,921111118\n"), nil)
	if err == nil || !strings.Contains(err.Error(), "row 2, column orgno") {
		t.Errorf("bad check digit: %v", err)
	}
	_, err = ParseCSV(strings.NewReader("code,name,kind,orgno\nannen,Annen,school,921111118\n"), known)
	if err == nil || !strings.Contains(err.Error(), "row 2, column orgno: Organisasjonsnummeret er allerede brukt") {
		t.Errorf("number of another organisation: %v", err)
	}
}
