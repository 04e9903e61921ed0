package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/specdriven/losant"
)

// tokenJSON is a token in the JSON output: one stable shape, whatever the
// API adds. Secret is set only in the answer to a create or a rotation.
type tokenJSON struct {
	ID             string                   `json:"id"`
	Name           string                   `json:"name"`
	Description    string                   `json:"description"`
	OwnerType      string                   `json:"ownerType"`
	OwnerID        string                   `json:"ownerId"`
	Status         string                   `json:"status"`
	Scope          []string                 `json:"scope"`
	DefaultRole    string                   `json:"defaultRole"`
	OrgRoles       []losant.APITokenOrgRole `json:"orgRoles"`
	CreationDate   *time.Time               `json:"creationDate"`
	LastUpdated    *time.Time               `json:"lastUpdated"`
	ExpirationDate *time.Time               `json:"expirationDate"` // null: never expires
	Secret         string                   `json:"secret,omitempty"`
}

func toJSON(t *losant.APIToken) tokenJSON {
	out := tokenJSON{
		ID: t.ID, Name: t.Name, Description: t.Description, OwnerType: string(t.OwnerType), OwnerID: t.OwnerID,
		Status: string(t.Status), Scope: t.Scope, DefaultRole: string(t.DefaultRole), OrgRoles: t.OrgRoles,
		ExpirationDate: t.ExpirationDate, Secret: t.Token,
	}
	if out.Scope == nil {
		out.Scope = []string{}
	}
	if out.OrgRoles == nil {
		out.OrgRoles = []losant.APITokenOrgRole{}
	}
	if !t.CreationDate.IsZero() {
		out.CreationDate = &t.CreationDate
	}
	if !t.LastUpdated.IsZero() {
		out.LastUpdated = &t.LastUpdated
	}
	return out
}

// printer writes a command's result as a table or as JSON.
type printer struct {
	w    io.Writer
	json bool
}

func (p printer) writeJSON(v any) error {
	enc := json.NewEncoder(p.w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// token prints one token: its fields one a line, or a JSON object.
func (p printer) token(t *losant.APIToken) error {
	if p.json {
		return p.writeJSON(toJSON(t))
	}
	tw := tabwriter.NewWriter(p.w, 0, 4, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "%s:\t%s\n", k, v) }
	row("id", t.ID)
	row("name", t.Name)
	if t.Description != "" {
		row("description", t.Description)
	}
	row("owner", string(t.OwnerType)+" "+t.OwnerID)
	row("status", string(t.Status))
	row("scope", strings.Join(t.Scope, ", "))
	if t.DefaultRole != "" {
		row("default role", string(t.DefaultRole))
	}
	for _, org := range t.OrgRoles {
		row("org role", fmt.Sprintf("%s %s (%d application, %d dashboard roles)", org.OrgID, org.Role, len(org.ApplicationRoles), len(org.DashboardRoles)))
	}
	if !t.CreationDate.IsZero() {
		row("created", formatTime(&t.CreationDate))
	}
	row("expires", formatTime(t.ExpirationDate))
	if t.Token != "" {
		row("secret", t.Token+"  (store it now: no later call returns it)")
	}
	return tw.Flush()
}

// tokens prints a list: a table, or {"tokens": [...]}.
func (p printer) tokens(list []*losant.APIToken) error {
	if p.json {
		out := struct {
			Tokens []tokenJSON `json:"tokens"`
		}{Tokens: []tokenJSON{}}
		for _, t := range list {
			out.Tokens = append(out.Tokens, toJSON(t))
		}
		return p.writeJSON(out)
	}
	tw := tabwriter.NewWriter(p.w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSTATUS\tEXPIRES\tSCOPE")
	for _, t := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Status, formatTime(t.ExpirationDate), strings.Join(t.Scope, ","))
	}
	return tw.Flush()
}

// deleted prints what a delete did.
func (p printer) deleted(id string) error {
	if p.json {
		return p.writeJSON(map[string]string{"deleted": id})
	}
	_, err := fmt.Fprintf(p.w, "deleted %s\n", id)
	return err
}

// rotation prints a rotation: both tokens, and whether it is complete.
func (p printer) rotation(r *losant.Rotation, completed bool, next string) error {
	if p.json {
		return p.writeJSON(struct {
			Predecessor tokenJSON `json:"predecessor"`
			Successor   tokenJSON `json:"successor"`
			Completed   bool      `json:"completed"`
		}{toJSON(r.Predecessor), toJSON(r.Successor), completed})
	}
	if r.Successor.Token != "" {
		fmt.Fprintln(p.w, "successor:")
		if err := p.token(r.Successor); err != nil {
			return err
		}
	}
	if completed {
		_, err := fmt.Fprintf(p.w, "rotation complete: %s is inactive, %s is active\n", r.Predecessor.ID, r.Successor.ID)
		return err
	}
	_, err := fmt.Fprintf(p.w, "%s is still active. Put the new secret in place, then run:\n  %s\n", r.Predecessor.ID, next)
	return err
}

func formatTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "never"
	}
	return t.UTC().Format(time.RFC3339)
}
