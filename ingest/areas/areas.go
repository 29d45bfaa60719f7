// Package areas is Indonesia's official catalogue of administrative areas
// (Kemendagri): provinces, kabupaten/kota (regencies), kecamatan (districts)
// and desa/kelurahan (villages), each with its official code. The data comes
// from the npm package idn-area-data (MIT code, ODbL data), packed by ./gen
// at build time (`make assets`) and embedded; it is read once, on first use.
package areas

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode"
)

//go:embed catalogue.txt.gz
var packed []byte

// Area is one area of any level: its official code and name.
type Area struct {
	Code string // "35", "35.09", "35.09.01", "35.09.01.2001"
	Name string // as the catalogue writes it: "Kabupaten Jember", "Sumbersari"
}

// Province is a province and its regencies, in code order.
type Province struct {
	Area
	Regencies []*Regency
}

// Regency is a kabupaten or kota and its districts.
type Regency struct {
	Area
	Province  *Province
	Districts []*District
	byKey     map[string]*District
}

// District is a kecamatan and its villages.
type District struct {
	Area
	Regency  *Regency
	Villages []Village

	// byKey indexes Villages by Key(name), built on the first lookup: an
	// upload touches a few hundred of the 7,000 kecamatan, and the index of
	// all 83,000 villages would cost every pantau process megabytes.
	indexed sync.Once
	byKey   map[string]int
}

// Village is a desa or kelurahan.
type Village struct {
	Area
}

// Catalogue is the whole catalogue.
type Catalogue struct {
	Provinces []*Province
	Regencies []*Regency
	byCode    map[string]*Regency
}

// Load returns the catalogue, unpacking it on the first call only.
var Load = sync.OnceValue(func() *Catalogue {
	c, err := parse(packed)
	if err != nil {
		panic("areas: the embedded catalogue is corrupt (run make assets): " + err.Error())
	}
	return c
})

func parse(data []byte) (*Catalogue, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	c := &Catalogue{byCode: map[string]*Regency{}}
	var (
		p *Province
		r *Regency
		d *District
	)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		code, name, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			return nil, fmt.Errorf("line %q", sc.Text())
		}
		a := Area{Code: code, Name: name}
		// Lines are in code order, so a parent comes just before its children.
		switch strings.Count(code, ".") {
		case 0:
			p = &Province{Area: a}
			c.Provinces = append(c.Provinces, p)
		case 1:
			if p == nil || !strings.HasPrefix(code, p.Code+".") {
				return nil, fmt.Errorf("regency %s without its province", code)
			}
			r = &Regency{Area: a, Province: p, byKey: map[string]*District{}}
			p.Regencies = append(p.Regencies, r)
			c.Regencies = append(c.Regencies, r)
			c.byCode[code] = r
		case 2:
			if r == nil || !strings.HasPrefix(code, r.Code+".") {
				return nil, fmt.Errorf("district %s without its regency", code)
			}
			d = &District{Area: a, Regency: r}
			r.Districts = append(r.Districts, d)
			r.byKey[Key(name)] = d
		case 3:
			if d == nil || !strings.HasPrefix(code, d.Code+".") {
				return nil, fmt.Errorf("village %s without its district", code)
			}
			d.Villages = append(d.Villages, Village{Area: a})
		default:
			return nil, fmt.Errorf("code %q", code)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return c, zr.Close()
}

// Regency returns the regency of a code such as "35.09".
func (c *Catalogue) Regency(code string) (*Regency, bool) {
	r, ok := c.byCode[code]
	return r, ok
}

// Province returns the province whose name is name, ignoring case and
// spaces ("jawa timur", "JawaTimur").
func (c *Catalogue) Province(name string) (*Province, bool) {
	k := Key(name)
	for _, p := range c.Provinces {
		if Key(p.Name) == k {
			return p, true
		}
	}
	return nil, false
}

// District returns the kecamatan of r whose key is key.
func (r *Regency) District(key string) (*District, bool) {
	d, ok := r.byKey[key]
	return d, ok
}

// Village returns the desa or kelurahan of d whose key is key; of two
// with one name, the first.
func (d *District) Village(key string) (*Village, bool) {
	d.indexed.Do(func() {
		d.byKey = make(map[string]int, len(d.Villages))
		for i := len(d.Villages) - 1; i >= 0; i-- {
			d.byKey[Key(d.Villages[i].Name)] = i
		}
	})
	i, ok := d.byKey[key]
	if !ok {
		return nil, false
	}
	return &d.Villages[i], true
}

// Key is how area names are compared: lowercased, letters and digits only,
// so "Prajurit Kulon", "PRAJURITKULON" and "prajurit-kulon" are one name.
func Key(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		case r > unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
