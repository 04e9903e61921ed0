package losanttest

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// Owner types of a Token.
const (
	OwnerUser        = "user"
	OwnerApplication = "application"
)

// Fixtures is the data a server starts with. Its JSON form is the
// fixtures file of cmd/losant-fake (see testdata/fixtures.json).
type Fixtures struct {
	Users        []User        `json:"users"`
	Applications []Application `json:"applications"`
	Tokens       []Token       `json:"tokens"`
}

// User is a Losant user. The zero ID is filled with a new one.
type User struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

// Application is a Losant application, owned by a user. The zero ID is
// filled with a new one.
type Application struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	OwnerID string `json:"ownerId"` // the owning user's ID
}

// Token is an API token: the record the API's actions work on, and the
// bearer credential a request presents (Secret). A token authenticates
// requests while it is active and not expired, and reaches what its owner
// reaches, with its scopes.
type Token struct {
	ID             string     `json:"id"`
	Name           string     `json:"name"`
	Description    string     `json:"description,omitempty"`
	OwnerType      string     `json:"ownerType"` // OwnerUser or OwnerApplication
	OwnerID        string     `json:"ownerId"`
	Scope          []string   `json:"scope"`
	Status         string     `json:"status,omitempty"` // "active" (the default) or "inactive"
	ExpirationDate *time.Time `json:"expirationDate,omitempty"`
	// Secret is the bearer token string. The zero Secret is filled with a
	// new random one.
	Secret string `json:"token"`
}

// LoadFixtures reads a fixtures file.
func LoadFixtures(path string) (Fixtures, error) {
	var f Fixtures
	data, err := os.ReadFile(path)
	if err != nil {
		return f, fmt.Errorf("losanttest: fixtures: %w", err)
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return f, fmt.Errorf("losanttest: fixtures %s: %w", path, err)
	}
	return f, nil
}
