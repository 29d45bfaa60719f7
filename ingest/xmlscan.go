package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// xmlScanner cuts XML into text and markup, byte by byte, without
// decoding it: what the annotation copies it copies exactly, and a sheet of
// 800 MB goes through at the speed of a copy. It understands only what it
// must to find tags: quoted attribute values, comments, CDATA sections,
// processing instructions and declarations.
type xmlScanner struct {
	r       *bufio.Reader
	markup  []byte // the current markup, reused
	pending bool   // a '<' was read with the text before it
}

type tokKind int

const (
	tokText  tokKind = iota // character data, in pieces
	tokStart                // <name ...>
	tokEmpty                // <name .../>
	tokEnd                  // </name>
	tokOther                // comment, CDATA, PI, declaration
)

// maxMarkup bounds one tag: a hostile attribute of a gigabyte is refused,
// not held.
const maxMarkup = 1 << 20

var errMarkupTooLong = errors.New("xml: a tag longer than 1 MiB")

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{r: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next token: its kind, its bytes (valid until the next
// call) and, for tags, the element's local name. At the end it returns io.EOF.
func (s *xmlScanner) next() (tokKind, []byte, []byte, error) {
	if !s.pending {
		b, err := s.r.ReadSlice('<')
		switch {
		case err == nil:
			s.pending = true
			if len(b) > 1 {
				return tokText, b[:len(b)-1], nil, nil
			}
		case errors.Is(err, bufio.ErrBufferFull):
			return tokText, b, nil, nil
		case err == io.EOF && len(b) > 0:
			return tokText, b, nil, nil
		default:
			return 0, nil, nil, err
		}
	}
	s.pending = false
	m, err := s.readMarkup()
	if err != nil {
		return 0, nil, nil, err
	}
	switch {
	case m[1] == '!' || m[1] == '?':
		return tokOther, m, nil, nil
	case m[1] == '/':
		return tokEnd, m, localName(m[2:]), nil
	case m[len(m)-2] == '/':
		return tokEmpty, m, localName(m[1:]), nil
	}
	return tokStart, m, localName(m[1:]), nil
}

// readMarkup reads a markup whose '<' was read, up to its end.
func (s *xmlScanner) readMarkup() ([]byte, error) {
	m := append(s.markup[:0], '<')
	var quote byte
	end, least := ">", 0 // what ends it (outside quotes in a tag), and its least length
	for first := true; ; first = false {
		b, err := s.r.ReadSlice('>')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		from := len(m)
		m = append(m, b...)
		if len(m) > maxMarkup {
			return nil, errMarkupTooLong
		}
		if first {
			switch {
			case bytes.HasPrefix(m, []byte("<!--")):
				end, least = "-->", 7
			case bytes.HasPrefix(m, []byte("<![CDATA[")):
				end, least = "]]>", 12
			case bytes.HasPrefix(m, []byte("<?")):
				end, least = "?>", 4
			}
		}
		if end == ">" && m[1] != '!' { // a tag: '>' may sit inside a quoted value
			for _, c := range m[from:] {
				switch {
				case quote != 0 && c == quote:
					quote = 0
				case quote == 0 && (c == '"' || c == '\''):
					quote = c
				}
			}
		}
		if err == nil && quote == 0 && len(m) >= least && bytes.HasSuffix(m, []byte(end)) {
			s.markup = m
			return m, nil
		}
	}
}

// localName is the name a tag's bytes start with, without its prefix.
func localName(b []byte) []byte {
	i := 0
	for i < len(b) && !isSpace(b[i]) && b[i] != '>' && b[i] != '/' {
		i++
	}
	name := b[:i]
	if j := bytes.IndexByte(name, ':'); j >= 0 {
		name = name[j+1:]
	}
	return name
}

// prefixOf is the namespace prefix of a tag's name, with its colon ("x:"),
// or "".
func prefixOf(tag []byte) string {
	b := bytes.TrimLeft(tag, "</")
	i := 0
	for i < len(b) && !isSpace(b[i]) && b[i] != '>' && b[i] != '/' {
		i++
	}
	if j := bytes.IndexByte(b[:i], ':'); j >= 0 {
		return string(b[:j+1])
	}
	return ""
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// xmlAttr is one attribute of a tag: its value, undecoded, and where the
// whole attribute (with the space before it) sits in the tag.
type xmlAttr struct {
	name, value []byte
	from, to    int
}

// tagAttrs lists a start tag's attributes. Names keep their prefix.
func tagAttrs(tag []byte) []xmlAttr {
	var list []xmlAttr
	i := 1
	for i < len(tag) && !isSpace(tag[i]) && tag[i] != '>' && tag[i] != '/' {
		i++
	}
	for {
		from := i
		for i < len(tag) && isSpace(tag[i]) {
			i++
		}
		n := i
		for i < len(tag) && tag[i] != '=' && !isSpace(tag[i]) && tag[i] != '>' && tag[i] != '/' {
			i++
		}
		if i == n {
			return list
		}
		name := tag[n:i]
		for i < len(tag) && (isSpace(tag[i]) || tag[i] == '=') {
			i++
		}
		if i >= len(tag) || (tag[i] != '"' && tag[i] != '\'') {
			return list
		}
		q := tag[i]
		j := bytes.IndexByte(tag[i+1:], q)
		if j < 0 {
			return list
		}
		list = append(list, xmlAttr{name: name, value: tag[i+1 : i+1+j], from: from, to: i + 2 + j})
		i += 2 + j
	}
}

// attrValue is the value of the attribute name (unprefixed) of a tag.
func attrValue(tag []byte, name string) ([]byte, bool) {
	for _, a := range tagAttrs(tag) {
		if string(a.name) == name {
			return a.value, true
		}
	}
	return nil, false
}
