package main

import (
	"encoding/json"
	"net/url"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/sqlclient"
)

// reportEnv describes the database and directory of a report (Atlas's "Env").
type reportEnv struct {
	Driver string         `json:"Driver,omitempty"`
	URL    *sqlclient.URL `json:"URL,omitempty"`
	Dir    string         `json:"Dir,omitempty"`
}

func newReportEnv(c *sqlclient.Client, dirURL string) reportEnv {
	e := reportEnv{Driver: c.Name, URL: c.URL}
	if u, err := url.Parse(dirURL); err == nil {
		e.Dir = u.Redacted()
	}
	return e
}

// fileList is a list of migration files marshalled as {Name, Version, Description}.
type fileList []migrate.File

func (l fileList) MarshalJSON() ([]byte, error) {
	type file struct {
		Name        string `json:"Name,omitempty"`
		Version     string `json:"Version,omitempty"`
		Description string `json:"Description,omitempty"`
	}
	out := make([]file, len(l))
	for i, f := range l {
		out[i] = file{f.Name(), f.Version(), f.Desc()}
	}
	return json.Marshal(out)
}
