package xlsx

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// The focused reader of worksheet XML reads a subset of XML byte by byte:
// elements, attributes in either quotes, character data with the five
// named entities and character references. It accepts only what
// encoding/xml (which excelize decodes with) accepts and reads the same
// way; at anything else (a comment, CDATA, a processing instruction, a
// name outside ASCII, markup it cannot be sure of) it stops with
// errOutside, and the caller reads the sheet with excelize instead.
var errOutside = errors.New("xlsx: XML outside the focused reader's subset")

// maxToken bounds one tag or run of text held at once; a longer one is
// left to excelize, as before.
const maxToken = 64 << 20

// xmlBuf is a window on a stream of XML.
type xmlBuf struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool
	err      error  // the stream's error, other than io.EOF
	refuse   []byte // bytes that make the stream errOutside wherever they are
}

func newXMLBuf(r io.Reader) *xmlBuf {
	return &xmlBuf{r: r, buf: make([]byte, 256<<10)}
}

// more reads more of the stream into the window, keeping buf[pos:end]
// (moved to the window's start: slices of the window are invalid after).
// It returns false when nothing more comes.
func (x *xmlBuf) more() bool {
	if x.eof {
		return false
	}
	if x.pos > 0 {
		x.end = copy(x.buf, x.buf[x.pos:x.end])
		x.pos = 0
	}
	if x.end == len(x.buf) {
		if len(x.buf) >= maxToken {
			x.eof, x.err = true, errOutside
			return false
		}
		x.buf = append(x.buf, make([]byte, len(x.buf))...)
	}
	for {
		n, err := x.r.Read(x.buf[x.end:])
		if x.refuse != nil && bytes.Contains(x.buf[max(0, x.end-len(x.refuse)):x.end+n], x.refuse) {
			x.eof, x.err = true, errOutside
			return false
		}
		x.end += n
		if err != nil {
			x.eof = true
			if err != io.EOF {
				x.err = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

// window is the bytes not yet consumed.
func (x *xmlBuf) window() []byte { return x.buf[x.pos:x.end] }

// tag is one start, empty or end tag.
type tag struct {
	end, empty bool
	name       []byte // with its prefix, as written
	local      []byte
	attrs      []xmlAttr
}

type xmlAttr struct {
	local    []byte
	prefixed bool
	value    []byte // raw: entities not decoded
}

// status of a parse over the window.
type status int

const (
	done    status = iota
	more           // the window ends first
	outside        // not in the subset
)

// parseTag reads the markup starting at b[0] == '<' into t, returning its
// length. Only plain tags are in the subset.
func parseTag(b []byte, t *tag) (int, status) {
	t.end, t.empty, t.attrs = false, false, t.attrs[:0]
	i := 1
	if i >= len(b) {
		return 0, more
	}
	if b[i] == '/' {
		t.end = true
		i++
	}
	n, local, st := parseName(b[i:])
	if st != done {
		return 0, st
	}
	t.name, t.local = b[i:i+n], b[i+n-local:i+n]
	i += n
	for {
		j := skipSpace(b, i)
		if j >= len(b) {
			return 0, more
		}
		switch c := b[j]; {
		case c == '>':
			return j + 1, done
		case c == '/' && !t.end:
			if j+1 >= len(b) {
				return 0, more
			}
			if b[j+1] != '>' {
				return 0, outside
			}
			t.empty = true
			return j + 2, done
		case t.end:
			return 0, outside
		}
		i = j
		n, local, st := parseName(b[i:])
		if st != done {
			return 0, st
		}
		a := xmlAttr{local: b[i+n-local : i+n], prefixed: local < n}
		i = skipSpace(b, i+n)
		if i >= len(b) {
			return 0, more
		}
		if b[i] != '=' {
			return 0, outside
		}
		i = skipSpace(b, i+1)
		if i >= len(b) {
			return 0, more
		}
		q := b[i]
		if q != '"' && q != '\'' {
			return 0, outside
		}
		k := bytes.IndexByte(b[i+1:], q)
		if k < 0 {
			if bytes.IndexByte(b[i+1:], '<') >= 0 {
				return 0, outside
			}
			return 0, more
		}
		a.value = b[i+1 : i+1+k]
		if bytes.IndexByte(a.value, '<') >= 0 || !plain(a.value) && !validText(a.value, true) {
			return 0, outside
		}
		t.attrs = append(t.attrs, a)
		i += k + 2
	}
}

// parseName reads an ASCII XML name with at most one prefix, returning its
// length and the length of its local part.
func parseName(b []byte) (n, local int, st status) {
	colon := -1
	for n < len(b) {
		c := b[n]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_':
		case c >= '0' && c <= '9' || c == '.' || c == '-':
			if n == 0 || n == colon+1 {
				return 0, 0, outside
			}
		case c == ':':
			if n == 0 || colon >= 0 {
				return 0, 0, outside
			}
			colon = n
		case c >= utf8.RuneSelf:
			return 0, 0, outside
		default:
			if n == 0 || n == colon+1 {
				return 0, 0, outside
			}
			return n, n - colon - 1, done
		}
		n++
	}
	return 0, 0, more
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// decodeText appends the character data raw (up to a '<', or an attribute
// value when inAttr) to dst as encoding/xml decodes it: entities replaced,
// "\r\n" and "\r" made "\n". ok is false for what encoding/xml refuses:
// an unknown entity, "]]>" outside an attribute, invalid UTF-8, or a
// character XML does not allow.
func decodeText(dst, raw []byte, inAttr bool) ([]byte, bool) {
	if plain(raw) {
		return append(dst, raw...), true
	}
	from := len(dst)
	var b0, b1 byte
	for i := 0; i < len(raw); i++ {
		b := raw[i]
		if !inAttr && b0 == ']' && b1 == ']' && b == '>' {
			return dst, false
		}
		switch {
		case b == '&':
			r, n := entity(raw[i:])
			if n == 0 {
				return dst, false
			}
			dst = utf8.AppendRune(dst, r)
			i += n - 1
			b0, b1 = 0, 0
			continue
		case b == '\r':
			dst = append(dst, '\n')
		case b1 == '\r' && b == '\n':
		default:
			dst = append(dst, b)
		}
		b0, b1 = b1, b
	}
	for rest := dst[from:]; len(rest) > 0; {
		r, size := utf8.DecodeRune(rest)
		if r == utf8.RuneError && size == 1 || !inCharacterRange(r) {
			return dst, false
		}
		rest = rest[size:]
	}
	return dst, true
}

// validText tells text encoding/xml accepts.
func validText(raw []byte, inAttr bool) bool {
	var scratch [256]byte
	_, ok := decodeText(scratch[:0], raw, inAttr)
	return ok
}

// plain tells text that decodes to itself: printable ASCII without '&',
// '>' (of "]]>") or '\r'.
func plain(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' || c >= 0x7f || c == '&' || c == '>' {
			return false
		}
	}
	return true
}

// entity reads "&...;" at the start of b as encoding/xml does, returning
// the character and the length, 0 when encoding/xml would refuse it.
func entity(b []byte) (rune, int) {
	end := bytes.IndexByte(b, ';')
	if end < 2 {
		return 0, 0
	}
	name := b[1:end]
	switch string(name) {
	case "lt":
		return '<', end + 1
	case "gt":
		return '>', end + 1
	case "amp":
		return '&', end + 1
	case "apos":
		return '\'', end + 1
	case "quot":
		return '"', end + 1
	}
	if name[0] != '#' || len(name) < 2 {
		return 0, 0
	}
	digits, base := name[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 {
		return 0, 0
	}
	for _, c := range digits {
		if !(c >= '0' && c <= '9' || base == 16 && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
			return 0, 0
		}
	}
	n, err := strconv.ParseUint(string(digits), base, 64)
	if err != nil || n > utf8.MaxRune {
		return 0, 0
	}
	return rune(n), end + 1
}

// inCharacterRange is encoding/xml's test of a character XML allows.
func inCharacterRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
