package losanttest

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"github.com/specdriven/losant/gen"
)

// The lists of token owners the fake serves, by the spec's
// x-losant-collection: GET /applications and GET /instances.
const (
	applicationsCollection = "applications"
	instancesCollection    = "instances"
)

var ownerCollections = []string{applicationsCollection, instancesCollection}

// listOwners answers a list of the owners a user's token reaches, queried
// as a token list is. The spec gives no scope of an application or an
// instance to these lists, and the fake holds a token of either to that
// whatever scopes it was given.
func (s *Server) listOwners(w http.ResponseWriter, r *http.Request, op operation, caller gen.APIToken) {
	if caller.OwnerType != gen.APITokenOwnerTypeUser {
		writeFailure(w, lacksScope(op))
		return
	}
	query := r.URL.Query()
	q, f := parseListQuery(query)
	if f != nil {
		writeFailure(w, f)
		return
	}
	switch op.collection {
	case applicationsCollection:
		// The fake has no organizations: every application is in its
		// owner's sandbox, so all the user may see (no orgId) and only the
		// user's own (orgId blank) are the same, and an organization's ID
		// matches none.
		orgID, given := query["orgId"]
		if given && orgID[0] != "" {
			s.writePage(w, r, s.store.applicationPage("", q))
			return
		}
		s.writePage(w, r, s.store.applicationPage(caller.OwnerID, q))
	default: // readSpec admits ownerCollections only
		s.writePage(w, r, s.store.instancePage(caller.OwnerID, q))
	}
}

// applicationKind is the application lists' kind.
var applicationKind = listKind[gen.Application]{
	item: func(a gen.Application) listed {
		return listed{id: a.ID, name: a.Name, created: a.CreationDate, updated: a.LastUpdated}
	},
	sortBy: map[string]func(a, b gen.Application) int{
		string(gen.ApplicationSortFieldOwnerID): func(a, b gen.Application) int { return strings.Compare(a.OwnerID, b.OwnerID) },
	},
}

// instanceKind is the instance lists' kind.
var instanceKind = listKind[gen.Instance]{
	item: func(in gen.Instance) listed {
		return listed{id: in.ID, name: in.Name, created: in.CreationDate, updated: in.LastUpdated}
	},
}

// applicationPage answers a list query on the applications the user owns
// ("": none). A user has tens of applications, not the tokens' thousands:
// each list sorts them afresh.
func (s *store) applicationPage(user string, q listQuery) gen.Applications {
	s.mu.Lock()
	var owned []gen.Application
	for _, a := range s.apps {
		if user != "" && a.OwnerID == user {
			owned = append(owned, gen.Application{
				ID: a.ID, ApplicationID: a.ID, Name: a.Name, Description: a.Description,
				OwnerID: a.OwnerID, OwnerType: gen.ApplicationOwnerTypeUser,
				CreationDate: a.CreationDate, LastUpdated: a.CreationDate,
			})
		}
	}
	s.mu.Unlock()
	items, total := listOwned(q, applicationKind, owned)
	filter, field := q.ownerFilter()
	return gen.Applications{Items: items, Count: len(items), TotalCount: total, Page: q.page, PerPage: q.perPage,
		SortField: gen.ApplicationSortField(q.sortField), SortDirection: q.sortDirection, Filter: filter, FilterField: field}
}

// instancePage answers a list query on the instances the user is a
// member of, each with its members and their roles.
func (s *store) instancePage(user string, q listQuery) gen.Instances {
	s.mu.Lock()
	var joined []gen.Instance
	for _, in := range s.instances {
		if !slices.Contains(in.Members, user) {
			continue
		}
		members := make([]gen.InstanceMember, len(in.Members))
		for i, m := range in.Members {
			members[i] = gen.InstanceMember{UserID: m, Role: cmp.Or(in.MemberRoles[m], gen.InstanceMemberRoleAdmin)}
		}
		joined = append(joined, gen.Instance{ID: in.ID, InstanceID: in.ID, Name: in.Name, Members: members,
			CreationDate: in.CreationDate, LastUpdated: in.CreationDate})
	}
	s.mu.Unlock()
	items, total := listOwned(q, instanceKind, joined)
	filter, field := q.ownerFilter()
	return gen.Instances{Items: items, Count: len(items), TotalCount: total, Page: q.page, PerPage: q.perPage,
		SortField: gen.InstanceSortField(q.sortField), SortDirection: q.sortDirection, Filter: filter, FilterField: field}
}

// listOwned sorts owners, which the store no longer holds, by q's sort
// field and picks q's page: its owners, and how many the list holds.
func listOwned[T any](q listQuery, k listKind[T], owners []T) (page []T, total int) {
	slices.SortFunc(owners, k.order(q.sortField))
	return pick(q, k, owners, func(o T) T { return o })
}

// ownerFilter is q's filter and its field as a page of owners reports
// them: none without a filter.
func (q listQuery) ownerFilter() (string, gen.OwnerFilterField) {
	if q.filter == "" {
		return "", ""
	}
	return q.filter, gen.OwnerFilterField(q.filterField)
}
