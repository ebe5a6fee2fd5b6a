package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Keyring holds the AES-256-GCM keys for personal fields: the current key,
// which encrypts, and older ones, which still decrypt rows written before a
// rotation. Rows carry the id of the key that sealed them. Keys never enter the
// database or the repository.
type Keyring struct {
	current string
	aeads   map[string]cipher.AEAD
	// audit keys by id: the current one makes new entries' HMACs and signs
	// checkpoints; all verify.
	audit        map[string]*auditKey
	auditCurrent string
	// person is the current key of the repeat-victim blind index, derived
	// from the current field key.
	person []byte
	// name is the current key of the case list's name search, derived from
	// the current field key (namesearch.go).
	name []byte
}

// NewKeyring builds a keyring; the first key encrypts, all decrypt. Each key is
// 32 raw bytes.
func NewKeyring(keys ...[]byte) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("no encryption key")
	}
	k := &Keyring{aeads: map[string]cipher.AEAD{}, audit: map[string]*auditKey{}}
	for i, key := range keys {
		if len(key) != 32 {
			return nil, fmt.Errorf("encryption key %d has %d bytes, want 32 (AES-256)", i+1, len(key))
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("encryption key %d: %w", i+1, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("encryption key %d: %w", i+1, err)
		}
		sum := sha256.Sum256(append([]byte("tryggspor key id\x00"), key...))
		id := hex.EncodeToString(sum[:6])
		ak, err := newAuditKey(key)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			k.current, k.auditCurrent = id, ak.id
			if k.person, err = personKey(key); err != nil {
				return nil, err
			}
			if k.name, err = nameKey(key); err != nil {
				return nil, err
			}
		}
		k.aeads[id], k.audit[ak.id] = aead, ak
	}
	return k, nil
}

// ParseKey reads a key as base64 or hex text (as stored in a key file or env).
func ParseKey(text string) ([]byte, error) {
	text = strings.TrimSpace(text)
	if b, err := base64.StdEncoding.DecodeString(text); err == nil && len(b) == 32 {
		return b, nil
	}
	if b, err := hex.DecodeString(text); err == nil && len(b) == 32 {
		return b, nil
	}
	return nil, errors.New("key must be 32 bytes as base64 or hex")
}

// ReadKeyFile reads one key from a file, refusing files others can read.
func ReadKeyFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("key file %s is readable by others (mode %v): chmod 600 it", path, st.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	k, err := ParseKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return k, nil
}

// GenerateKeyFile writes a fresh random key to path (mode 0600) unless the file
// exists; used by `tryggspor dev` to keep a key beside its database.
func GenerateKeyFile(path string) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("generate key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("create key file: %w", err)
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("write key file: %w", err)
	}
	return wrap(f.Close(), "write key file")
}

// Keys is the store's keyring, for restoring a backup with the same keys. It
// hands out no key material.
func (s *Store) Keys() *Keyring { return s.keys }

// CurrentID is the id of the key that encrypts new data.
func (k *Keyring) CurrentID() string { return k.current }

// seal encrypts v as JSON, bound to aad (the row's identity) so a ciphertext
// moved to another row fails to open. It returns nil for an empty value.
func (k *Keyring) seal(v any, aad string) ([]byte, string, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, "", fmt.Errorf("seal: %w", err)
	}
	if string(plain) == "{}" {
		return nil, "", nil
	}
	aead := k.aeads[k.current]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, "", fmt.Errorf("seal: nonce: %w", err)
	}
	return aead.Seal(nonce, nonce, plain, []byte(aad)), k.current, nil
}

// open decrypts what seal produced into v; a nil blob leaves v as it is.
func (k *Keyring) open(blob []byte, keyID, aad string, v any) error {
	if blob == nil {
		return nil
	}
	aead, ok := k.aeads[keyID]
	if !ok {
		return fmt.Errorf("no key with id %s in the keyring", keyID)
	}
	ns := aead.NonceSize()
	if len(blob) < ns {
		return errors.New("ciphertext too short")
	}
	plain, err := aead.Open(nil, blob[:ns], blob[ns:], []byte(aad))
	if err != nil {
		return fmt.Errorf("decrypt with key %s: %w", keyID, err)
	}
	return json.Unmarshal(plain, v)
}
