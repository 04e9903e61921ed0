package losant

import (
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/limits"
	"github.com/specdriven/losant/internal/shipped/wire"
)

// An Owner is what a set of API tokens belongs to: the authenticated user
// (User), an application (Application) or an Enterprise instance
// (Instance). Client.APITokens binds the token actions to one.
//
// The zero Owner is none: a call made with it fails with ErrInvalidArgument.
// So does a call made with an owner whose ID is not an ObjectId; such an ID
// is not kept, so that an Owner printed with any verb cannot show a secret
// passed in its place.
type Owner struct {
	ops     *wire.APITokenOperations // the owner kind's request builders
	id      string                   // an ObjectId, or empty
	invalid string                   // why the ID given was refused; empty when it was not
}

// User is the authenticated user, whose tokens are at /me/tokens.
func User() Owner { return Owner{ops: wire.Operations(string(gen.APITokenOwnerTypeUser))} }

// Application is the application with this ID.
func Application(applicationID string) Owner {
	return newOwner(gen.APITokenOwnerTypeApplication, applicationID)
}

// Instance is the Losant Enterprise instance with this ID.
func Instance(instanceID string) Owner {
	return newOwner(gen.APITokenOwnerTypeInstance, instanceID)
}

// newOwner is the owner of this type and ID, with the ID dropped and the
// reason kept if it is not an ObjectId.
func newOwner(ownerType gen.APITokenOwnerType, id string) Owner {
	ops := wire.Operations(string(ownerType))
	if problem := limits.ObjectIDProblem(id); problem != "" {
		return Owner{ops: ops, invalid: problem}
	}
	return Owner{ops: ops, id: id}
}

// Type is the ownerType of the owner's tokens: gen.APITokenOwnerTypeUser,
// gen.APITokenOwnerTypeApplication or gen.APITokenOwnerTypeInstance; empty for the
// zero Owner.
func (o Owner) Type() gen.APITokenOwnerType {
	if o.ops == nil {
		return ""
	}
	return gen.APITokenOwnerType(o.ops.OwnerType)
}

// ID is the owner's ID: empty for the user, whose requests name no ID, and
// for an ID that is not an ObjectId, which is not kept.
func (o Owner) ID() string { return o.id }

// String names the owner for a message: "user", "application
// 575ec8687ae143cd83dc4a97" (the whole ID), "application (invalid ID)",
// or "no owner" for the zero Owner, which every call refuses.
func (o Owner) String() string {
	switch {
	case o.ops == nil:
		return "no owner"
	case o.invalid != "":
		return o.ops.OwnerType + " (invalid ID)"
	case o.ops.OwnerIDParam == "":
		return o.ops.OwnerType
	}
	return o.ops.OwnerType + " " + o.id
}

// check refuses an owner no request can be made for: the zero Owner, or
// one whose ID is not an ObjectId, with the API's name for it
// ("applicationId").
func (o Owner) check() error {
	switch {
	case o.ops == nil:
		return invalid("owner", "none given; want losant.User(), losant.Application(id) or losant.Instance(id)")
	case o.invalid != "":
		return invalid(o.ops.OwnerIDParam, "%s", o.invalid)
	}
	return nil
}
