package ingest

// SetCheckPlaces turns the kecamatan and desa checks off or on, for the
// benchmark that compares ingest with and without them.
func SetCheckPlaces(on bool) { checkPlaces = on }
