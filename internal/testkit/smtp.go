package testkit

import (
	"io"
	"net"
	"strconv"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// Mail is one message a test SMTP server received.
type Mail struct {
	From string
	To   []string
	Data string
}

// Inbox is a real SMTP server (emersion/go-smtp) on loopback that keeps what
// it receives.
type Inbox struct {
	Host string
	Port int
	mu   sync.Mutex
	mail []Mail
}

// Mails returns what has arrived so far.
func (in *Inbox) Mails() []Mail {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]Mail(nil), in.mail...)
}

// StartSMTP starts the server; it stops when the test ends.
func StartSMTP(t testing.TB) *Inbox {
	t.Helper()
	in := &Inbox{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{in: in}, nil }))
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	in.Host = host
	in.Port, _ = strconv.Atoi(port)
	return in
}

type session struct {
	in  *Inbox
	cur Mail
}

func (s *session) Reset()        { s.cur = Mail{} }
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.cur.From = from
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.To = append(s.cur.To, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = string(b)
	s.in.mu.Lock()
	s.in.mail = append(s.in.mail, s.cur)
	s.in.mu.Unlock()
	return nil
}
