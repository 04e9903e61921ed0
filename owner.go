package losant

import "github.com/specdriven/losant/gen"

// An Owner is what a set of API tokens belongs to: the authenticated user
// (User), an application (Application) or an Enterprise instance
// (Instance). Client.APITokens binds the token actions to one.
//
// The zero Owner is none: a call made with it fails with ErrInvalidArgument.
type Owner struct {
	ops *gen.APITokenOperations // the owner kind's request builders
	id  string
}

// User is the authenticated user, whose tokens are at /me/tokens.
func User() Owner { return Owner{ops: &gen.UserAPITokenOperations} }

// Application is the application with this ID.
func Application(applicationID string) Owner {
	return Owner{ops: &gen.ApplicationAPITokenOperations, id: applicationID}
}

// Instance is the Losant Enterprise instance with this ID.
func Instance(instanceID string) Owner {
	return Owner{ops: &gen.InstanceAPITokenOperations, id: instanceID}
}

// Type is the ownerType of the owner's tokens: APITokenOwnerTypeUser,
// APITokenOwnerTypeApplication or APITokenOwnerTypeInstance; empty for the
// zero Owner.
func (o Owner) Type() APITokenOwnerType {
	if o.ops == nil {
		return ""
	}
	return APITokenOwnerType(o.ops.OwnerType)
}

// ID is the owner's ID, as given; empty for the user, whose requests name
// no ID.
func (o Owner) ID() string { return o.id }

// String names the owner for a message: "user", "application 575e…".
// It quotes an ID only once it is known to be one, so that a secret passed
// by mistake is not printed.
func (o Owner) String() string {
	switch {
	case o.ops == nil:
		return "no owner"
	case o.ops.OwnerIDParam == "":
		return o.ops.OwnerType
	case checkObjectID(o.ops.OwnerIDParam, o.id) != nil:
		return o.ops.OwnerType + " (invalid ID)"
	}
	return o.ops.OwnerType + " " + o.id
}

// check refuses an owner no request can be made for: the zero Owner, or
// an ID that is not an ObjectId, with the API's name for it
// ("applicationId").
func (o Owner) check() error {
	if o.ops == nil {
		return invalid("owner", "none given; want losant.User(), losant.Application(id) or losant.Instance(id)")
	}
	if o.ops.OwnerIDParam == "" {
		return nil
	}
	return checkObjectID(o.ops.OwnerIDParam, o.id)
}
