package demo

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/stepupauth/stepup/schemas"
)

// rbaColumns are the columns of the RBA login dataset that the reader uses.
var rbaColumns = []string{
	"index", "Login Timestamp", "User ID", "IP Address", "Country", "Region", "City", "ASN",
	"User Agent String", "Device Type", "Login Successful", "Is Attack IP",
	"Is Account Takeover",
}

const rbaTimeLayout = "2006-01-02 15:04:05.999"

// ReadRBA reads a login history in the format of the RBA login dataset
// (Wiefling et al.) and calls fn with one login action per row, in file
// order. The dataset's country, region, city and ASN become the event's edge
// geo hints; its labels become Record.Labels.
//
// Some public extracts rewrote ";" as "|" and "," as "&" in the user agent;
// a user agent that holds "|" and no ";" is mapped back.
func ReadRBA(r io.Reader, fn func(Record) error) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("cannot read RBA header: %w", err)
	}
	col := map[string]int{}
	for i, name := range header {
		col[strings.TrimSpace(name)] = i
	}
	for _, name := range rbaColumns {
		if _, ok := col[name]; !ok {
			return fmt.Errorf("not an RBA login file: column %q is missing", name)
		}
	}

	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		rec, err := rbaRecord(func(name string) string { return row[col[name]] })
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		rec.Line = line
		if err := fn(rec); err != nil {
			return err
		}
	}
}

func rbaRecord(get func(string) string) (Record, error) {
	at, err := time.ParseInLocation(rbaTimeLayout, get("Login Timestamp"), time.UTC)
	if err != nil {
		return Record{}, fmt.Errorf("bad Login Timestamp: %w", err)
	}
	user := get("User ID")
	ev := schemas.UserAction{
		Meta: schemas.Meta{ID: "rba-" + get("index"), Type: schemas.TypeUserAction,
			UserID: user, Time: at},
		Action: schemas.ActionLogin,
		Device: schemas.Device{
			IP:        get("IP Address"),
			UserAgent: clipString(unescapeUA(get("User Agent String")), 1024),
			Platform:  clipString(get("Device Type"), 32),
		},
	}
	if ok, err := strconv.ParseBool(get("Login Successful")); err == nil {
		ev.Succeeded = &ok
	}
	ev.Geo = rbaGeo(get)

	value, err := json.Marshal(ev)
	if err != nil {
		return Record{}, err
	}
	rec := Record{Kind: KindAction, Key: user, Value: value, EventID: ev.ID, Phase: 0,
		Headers: productHeaders(ev.ID, ev.Type)}
	if isTrue(get("Is Account Takeover")) {
		rec.Labels = append(rec.Labels, LabelAccountTakeover)
	}
	if isTrue(get("Is Attack IP")) {
		rec.Labels = append(rec.Labels, LabelAttackIP)
	}
	return rec, nil
}

func rbaGeo(get func(string) string) *schemas.Geo {
	g := &schemas.Geo{}
	if c := strings.ToUpper(get("Country")); len(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' &&
		c[1] >= 'A' && c[1] <= 'Z' {
		g.Country = c
	}
	g.Region = hint(get("Region"))
	g.City = hint(get("City"))
	if asn, err := strconv.ParseUint(get("ASN"), 10, 32); err == nil {
		g.ASN = uint32(asn)
	}
	if *g == (schemas.Geo{}) {
		return nil
	}
	return g
}

// hint drops the dataset's "-" placeholder.
func hint(s string) string {
	if s == "-" {
		return ""
	}
	return clipString(s, 128)
}

func unescapeUA(ua string) string {
	if strings.Contains(ua, "|") && !strings.Contains(ua, ";") {
		ua = strings.ReplaceAll(ua, "|", ";")
		ua = strings.ReplaceAll(ua, "&", ",")
	}
	return ua
}

func isTrue(s string) bool {
	b, err := strconv.ParseBool(s)
	return err == nil && b
}

func clipString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// productHeaders are the CloudEvents headers a well-behaved product service
// sends with an event.
func productHeaders(id, typ string) map[string]string {
	return map[string]string{
		schemas.HeaderSpecVersion: schemas.SpecVersion,
		schemas.HeaderID:          id,
		schemas.HeaderType:        typ,
		schemas.HeaderSource:      "/stepupd/demo",
		schemas.HeaderContentType: schemas.ContentTypeJSON,
	}
}
