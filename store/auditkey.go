package store

import (
	"bytes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// auditKey is one key of the audit chain: it makes the entries' HMACs and
// signs the checkpoints. Without it, an entry cannot be forged or the chain
// recomputed, and a checkpoint cannot be faked.
type auditKey struct {
	id     string
	mac    []byte
	signer note.Signer
	verify note.Verifier
}

// newAuditKey builds the audit key from 32 bytes of secret material.
func newAuditKey(secret []byte) (*auditKey, error) {
	mac, err := hkdf.Key(sha256.New, secret, nil, "tryggspor audit chain hmac", 32)
	if err != nil {
		return nil, fmt.Errorf("audit key: %w", err)
	}
	seed, err := hkdf.Key(sha256.New, secret, nil, "tryggspor audit checkpoint ed25519", 32)
	if err != nil {
		return nil, fmt.Errorf("audit key: %w", err)
	}
	sum := sha256.Sum256(append([]byte("tryggspor audit key id\x00"), secret...))
	k := &auditKey{id: "a" + hex.EncodeToString(sum[:6]), mac: mac}
	// note.GenerateKey reads the Ed25519 seed from its reader: a derived
	// seed gives the same signing key every time the same secret is loaded.
	skey, vkey, err := note.GenerateKey(bytes.NewReader(seed), "tryggspor-audit-"+k.id)
	if err != nil {
		return nil, fmt.Errorf("audit signing key: %w", err)
	}
	if k.signer, err = note.NewSigner(skey); err != nil {
		return nil, fmt.Errorf("audit signing key: %w", err)
	}
	if k.verify, err = note.NewVerifier(vkey); err != nil {
		return nil, fmt.Errorf("audit signing key: %w", err)
	}
	return k, nil
}

// sum is the entry hash under this key.
func (k *auditKey) sum(fields []string) string {
	m := hmac.New(sha256.New, k.mac)
	m.Write([]byte(strings.Join(fields, "\x1f")))
	return hex.EncodeToString(m.Sum(nil))
}

// SetAuditKey makes secret (32 bytes, from audit.key_file) the key of the
// audit chain. Without it, the chain's key is derived from the current field
// key; either way the key lives outside the database. Keys already in the
// ring (earlier ones) still verify the entries they made.
func (k *Keyring) SetAuditKey(secret []byte) error {
	if len(secret) != 32 {
		return fmt.Errorf("audit key has %d bytes, want 32", len(secret))
	}
	ak, err := newAuditKey(secret)
	if err != nil {
		return err
	}
	k.audit[ak.id], k.auditCurrent = ak, ak.id
	return nil
}

// AuditVerifierKey is the public key that checks the signed checkpoints, in
// the signed-note format, for publishing beside them.
func (k *Keyring) AuditVerifierKey() string {
	v := k.audit[k.auditCurrent].verify
	return v.Name()
}

// auditVerifiers lets note.Open check a checkpoint against every audit key.
type auditVerifiers map[string]*auditKey

func (v auditVerifiers) Verifier(name string, hash uint32) (note.Verifier, error) {
	for _, k := range v {
		if k.verify.Name() == name && k.verify.KeyHash() == hash {
			return k.verify, nil
		}
	}
	return nil, &note.UnknownVerifierError{Name: name, KeyHash: hash}
}
