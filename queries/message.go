package queries

import "fmt"

// Message is anything pantau says to a person, in both of its languages:
// Bahasa Indonesia and English. Every package words its messages this way
// (ingest's cell problems, the queries' refusals, the dashboard's catalog
// through locale.Msg) and only the edge, a page or the command line,
// chooses the language with In.
type Message struct{ ID, EN string }

// Msgf formats a message in both languages with the same arguments.
func Msgf(id, en string, args ...any) Message {
	if len(args) == 0 {
		return Message{ID: id, EN: en}
	}
	return Message{ID: fmt.Sprintf(id, args...), EN: fmt.Sprintf(en, args...)}
}

// In is the message in lang: "en" for English, Bahasa Indonesia otherwise.
func (m Message) In(lang string) string {
	if lang == "en" {
		return m.EN
	}
	return m.ID
}

// Error lets a *Message be returned as an error (a cell's reason in
// ingest); it reads in English, for logs.
func (m *Message) Error() string { return m.EN }
