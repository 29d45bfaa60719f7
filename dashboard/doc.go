// Package dashboard will hold the Echo server: pages, JSON API, auth,
// uploads and the summary workbooks. It is the next piece of pantau.
package dashboard
