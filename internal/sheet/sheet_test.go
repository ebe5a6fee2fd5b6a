package sheet

import (
	"bytes"
	"testing"
)

func TestSafe(t *testing.T) {
	for in, want := range map[string]string{
		"-5": "-5", "+3": "+3", "12,5": "12,5", "0": "0", "": "",
		"=1+1": "'=1+1", "-cmd|' /C calc'!A0": "'-cmd|' /C calc'!A0", "+47 912 34 567": "'+47 912 34 567",
		"@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx", "Bærum": "Bærum", "a=b": "a=b",
	} {
		if got := Safe(in); got != want {
			t.Errorf("Safe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriterForExcel(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	if err := w.Write([]string{"Tabell", "=HYPERLINK(\"x\")", "-5"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]string{"a;b", "c"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "\ufeffTabell;\"'=HYPERLINK(\"\"x\"\")\";-5\n\"a;b\";c\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
