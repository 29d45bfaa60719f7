package querytest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"pantau/queries"
)

// Fill commits a synthetic program of the given size into db through the
// batch API, the way the benchmarks build databases larger than a workbook
// can hold: the UMKs of nine regions for 2014 and 2015, 140 field
// facilitators (some at two trainings under two IDs), respondents spread
// over a year of survey days, and groups of up to six stage rows. Rows are
// committed a million at a time, so memory stays bounded at any size. The
// same size always gives the same rows.
func Fill(ctx context.Context, db *queries.DB, respondents, groups int) error {
	regions := []string{"Kota Malang", "Kab. Malang", "Kota Batu", "Kota Surabaya", "Kab. Sidoarjo",
		"Kota Mojokerto", "Kab. Mojokerto", "Kab. Probolinggo", "Kab. Jember"}
	genders := []string{"P", "P", "P", "L", ""}
	products := []string{"Batik", "batik", "Sepatu", "Tas", "Makanan Ringan", "Bordir", "Rokok", "Konveksi", "Kerajinan Bambu", "", "Sandal", "Mainan"}
	start := time.Date(2014, 9, 1, 0, 0, 0, 0, time.UTC)

	first := func(b *queries.Batch) error {
		for i, region := range regions {
			for _, year := range []int{2014, 2015} {
				if year == 2015 && i%3 == 0 {
					continue // these use the 2014 UMK in 2015
				}
				if err := b.AddRegion(queries.RegionWage{Row: 2, Key: strings.ToLower(fmt.Sprintf("%s|%d", region, year)), Region: region,
					Province: "Jawa Timur", Year: year, UMK: int64(1_200_000 + 100_000*i + 150_000*(year-2014))}); err != nil {
					return err
				}
			}
		}
		for i := range 140 {
			name, region := fmt.Sprintf("F%d", i), regions[i%len(regions)]
			p := queries.Participant{Row: 2, Key: strings.ToLower(name + "|Fasilitator Lapang|" + region), Name: name,
				Gender: genders[i%len(genders)], Role: "Fasilitator Lapang", FieldFacilitator: i%10 != 0, Region: region,
				Training: "TOT Organisasi dan Pengorganisasian", TrainingDate: time.Date(2014, 9, 11, 0, 0, 0, 0, time.UTC)}
			if err := b.AddParticipant(p); err != nil {
				return err
			}
			if i%4 == 0 {
				p.ID, p.Key = fmt.Sprintf("ID-%d", i), strings.ToLower(fmt.Sprintf("ID-%d", i))
				p.Training, p.TrainingDate = "Pelatihan Survei", time.Date(2014, 10, 20, 0, 0, 0, 0, time.UTC)
				if err := b.AddParticipant(p); err != nil {
					return err
				}
			}
		}
		for i := range groups {
			reached := start.AddDate(0, 0, i%200)
			code := fmt.Sprintf("G%07d", i)
			for stage := 1; stage <= 1+i%6; stage++ {
				members := -1
				if stage%2 == 0 {
					members = 5 + i%20 + stage
				}
				if err := b.AddGroupStage(queries.GroupStage{Row: 2, Key: strings.ToLower(fmt.Sprintf("%s|%d", code, stage)), Code: code,
					Region: regions[i%len(regions)], Stage: stage, ReachedOn: reached.AddDate(0, 0, 20*stage), Members: members}); err != nil {
					return err
				}
			}
		}
		return nil
	}

	answers := []byte("YN-")
	const chunk = 1_000_000
	for lo := 0; lo == 0 || lo < respondents; lo += chunk {
		err := commit(ctx, db, fmt.Sprintf("synthetic-%d-%d-%d", respondents, groups, lo), func(b *queries.Batch) error {
			if lo == 0 {
				if err := first(b); err != nil {
					return err
				}
			}
			for i := lo; i < min(lo+chunk, respondents); i++ {
				r := queries.Respondent{Row: 2, ID: fmt.Sprintf("R%08d", i), SurveyDate: start.AddDate(0, 0, i%365),
					Region: regions[i%len(regions)], Gender: genders[i%len(genders)], WorkType: "POS",
					Product: products[(i/7)%len(products)], MonthlyWage: -1}
				r.Key = strings.ToLower(r.ID)
				if i%3 == 0 {
					r.WorkType = "SE"
				}
				for j := range r.Problems {
					switch answers[(i*7+j*i/3+j)%3] {
					case 'Y':
						r.Problems[j] = queries.Yes
					case 'N':
						r.Problems[j] = queries.No
					}
				}
				if i%10 != 0 {
					r.MonthlyWage = int64(400_000 + (i*7919)%2_000_000)
				}
				if err := b.AddRespondent(r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func commit(ctx context.Context, db *queries.DB, name string, add func(*queries.Batch) error) error {
	b, err := db.NewBatch(ctx)
	if err != nil {
		return err
	}
	defer b.Close()
	if err := add(b); err != nil {
		return err
	}
	_, _, err = b.Commit(ctx, queries.ImportMeta{FileName: name + ".xlsx", SHA256: name, By: "bench", At: time.Now()},
		func(map[queries.Kind]queries.Counts) []queries.SheetCounts { return nil })
	return err
}
