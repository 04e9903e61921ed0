package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
)

// policy is what audit holds every token to; a zero limit is not checked.
type policy struct {
	maxLifetime, maxAge time.Duration
	maxInactive         time.Duration // an inactive token's retention, from its lastUpdated
	forbidScopes        []string
	allowNeverExpires   bool
	allowInactive       bool
}

// finding is one way a token breaks the policy.
type finding struct {
	Owner     *ownerJSON `json:"owner"` // as list's JSON names a token's owner
	owner     namedOwner
	ownerFlag string // with --all-owners: the flag that names the owner to a command
	TokenID   string `json:"tokenId"`
	Name      string `json:"name"`
	Rule      string `json:"rule"`
	Detail    string `json:"detail"`
}

// check lists the ways t breaks the policy at now.
func (p policy) check(t *gen.APIToken, now time.Time) []finding {
	var out []finding
	add := func(rule, detail string, args ...any) {
		out = append(out, finding{TokenID: t.ID, Name: t.Name, Rule: rule, Detail: fmt.Sprintf(detail, args...)})
	}
	if t.Status != gen.APITokenStatusActive {
		switch {
		case p.allowInactive:
		case p.maxInactive > 0 && !t.LastUpdated.IsZero() && now.Sub(t.LastUpdated) > p.maxInactive:
			add("inactive", "status %s since %s ago (its lastUpdated), over the %s kept: delete it (retire --older-than)",
				t.Status, days(now.Sub(t.LastUpdated)), days(p.maxInactive))
		case p.maxInactive == 0:
			add("inactive", "status %s, but not deleted: delete it if it is retired", t.Status)
		}
		return out
	}
	switch exp := t.ExpirationDate; {
	case exp == nil && !p.allowNeverExpires:
		add("never-expires", "it never expires")
	case exp != nil && !exp.After(now):
		add("expired", "it expired on %s, but is not deleted", timestamp(*exp))
	case exp != nil && p.maxLifetime > 0 && exp.Sub(t.CreationDate) > p.maxLifetime:
		add("lifetime", "it lives %s, over the %s allowed", days(exp.Sub(t.CreationDate)), days(p.maxLifetime))
	}
	if p.maxAge > 0 && !t.CreationDate.IsZero() && now.Sub(t.CreationDate) > p.maxAge {
		add("age", "made %s ago, over the %s allowed: rotate it", days(now.Sub(t.CreationDate)), days(p.maxAge))
	}
	for _, s := range t.Scope {
		if matchesAny(s, p.forbidScopes) {
			add("scope", "it holds %s, a forbidden scope", s)
		}
	}
	return out
}

// setOwner names o as the owner of the token f found, for JSON (the shape
// list gives a token's owner) and a table; swept: with --all-owners, where
// -o ids names the owner too.
func (f *finding) setOwner(o namedOwner, swept bool) {
	f.owner, f.Owner = o, toOwnerJSON(o)
	if swept {
		f.ownerFlag = ownerFlag(o)
	}
}

// days writes a span in days, the unit token lifetimes are counted in.
func days(d time.Duration) string {
	return fmt.Sprintf("%.0f days", d.Hours()/24)
}

func (c *commands) audit() *cobra.Command {
	var (
		p      policy
		noUser bool
		sw     sweepFlags
	)
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Check every token of the chosen owners against a policy; exit status 6 when one breaks it",
		Long: `Audit reads every token of the user (unless --no-user) and of each application
(--application, repeated) and instance (--instance, repeated), and reports each
way one breaks the policy: an active token that never expires, has expired,
lives longer than --max-lifetime, is older than --max-age, or holds a scope
--forbid-scope matches (a glob: 'all.*'); an inactive token not deleted, or,
with --max-inactive, one inactive for longer than that (counted from its
lastUpdated, which is when it was deactivated unless it changed since). The
exit status is 6 when there is a finding, so that CI can run it.

With --all-owners it reads every owner the access token reaches instead (the
user unless --no-user, each application it may see, each instance it is a
member of), --concurrency requests at a time; an owner that cannot be read is
named on stderr, the others go on, and the exit status is 9.`,
		Example: `  losant-tokens audit                                     # exit 6 when it finds a token to fix
  losant-tokens audit -a 575ec8687ae143cd83dc4a97 --max-lifetime 90d --forbid-scope 'all.*'   # exit 6
  losant-tokens audit --allow-never-expires --max-age 180d --max-inactive 30d -o json
  losant-tokens audit --all-owners --forbid-scope 'all.Organization*' -o ids   # exit 6`,
		Args: exactArgs(0),
		RunE: c.actionOn(func() ([]losant.Owner, error) {
			if err := sw.check(c); err != nil || sw.allOwners {
				return nil, err
			}
			return c.auditedOwners(noUser)
		}, func(cmd *cobra.Command, s session, _ []string) error {
			if err := checkScopePatterns("--forbid-scope", p.forbidScopes); err != nil {
				return err
			}
			if p.allowInactive && p.maxInactive > 0 {
				return usageError{errors.New("--allow-inactive and --max-inactive: give one")}
			}
			now := c.env.now()
			findings := s.out.findings() // printed as found: memory stays flat however many tokens
			if sw.allOwners {
				return c.auditEveryOwner(cmd.Context(), s, p, now, noUser, *sw.concurrency, findings)
			}
			checked := 0
			for _, owner := range s.owners {
				for t, err := range s.client.APITokens(owner).All(cmd.Context(), losant.APITokenListOptions{}) {
					if err != nil {
						return fmt.Errorf("reading the tokens of %s: %w", owner, err)
					}
					checked++
					for _, f := range p.check(t, now) {
						f.setOwner(namedOwner{Owner: owner}, false)
						if err := findings.add(f); err != nil {
							return err
						}
					}
				}
			}
			if err := findings.end(checked); err != nil {
				return err
			}
			return foundAny(findings, checked)
		}),
	}
	f := cmd.Flags()
	f.BoolVar(&noUser, "no-user", false, "leave the user's own tokens out")
	c.registerSweep(cmd, &sw)
	f.Var(durationFlag{&p.maxLifetime}, "max-lifetime", "the longest a token may live, from creation to expiry (90d, 12w); 0: any")
	f.Var(durationFlag{&p.maxAge}, "max-age", "the oldest an active token may be before it is rotated (180d); 0: any")
	f.StringArrayVar(&p.forbidScopes, "forbid-scope", nil, "a scope no token may hold; a glob such as 'all.*'; repeat for more")
	f.BoolVar(&p.allowNeverExpires, "allow-never-expires", false, "allow tokens that never expire")
	f.BoolVar(&p.allowInactive, "allow-inactive", false, "allow inactive tokens that are not deleted")
	f.Var(durationFlag{&p.maxInactive}, "max-inactive", "allow inactive tokens for this long after their lastUpdated (30d), as a rollback's retention; 0: none")
	return cmd
}

// foundAny is the error of an audit that found tokens to fix; nil if none.
func foundAny(findings *findingStream, checked int) error {
	if findings.n > 0 {
		return fmt.Errorf("%w: %d findings in %d tokens", errFindings, findings.n, checked)
	}
	return nil
}

// ownerAudit is what an audit found in one owner's tokens: the findings
// wait in a spool until printed.
type ownerAudit struct {
	found   *spool[finding]
	checked int
}

// auditEveryOwner audits every owner the client reaches (--all-owners):
// each owner's findings are printed once all its tokens are read.
func (c *commands) auditEveryOwner(ctx context.Context, s session, p policy, now time.Time, noUser bool, concurrency int, findings *findingStream) error {
	read := func(ctx context.Context, tokens losant.APITokenService) (ownerAudit, error) {
		a := ownerAudit{found: newSpool[finding]()}
		for t, err := range tokens.All(ctx, losant.APITokenListOptions{}) {
			if err == nil {
				a.checked++
				for _, f := range p.check(t, now) {
					if err = a.found.put(&f); err != nil {
						break
					}
				}
			}
			if err != nil {
				a.found.close()
				return ownerAudit{}, err
			}
		}
		return a, nil
	}
	checked := 0
	emit := func(o namedOwner, a ownerAudit) error {
		defer a.found.close()
		checked += a.checked
		for f, err := range a.found.rows() {
			if err != nil {
				return err
			}
			f.setOwner(o, true)
			if err := findings.add(*f); err != nil {
				return err
			}
		}
		return nil
	}
	outcome, err := sweep(ctx, c, s.client, noUser, concurrency, read, emit, func(a ownerAudit) { a.found.close() })
	if err != nil {
		return err
	}
	if err := findings.endSweep(checked, outcome); err != nil {
		return err
	}
	return outcome.result(foundAny(findings, checked))
}

// auditedOwners are the owners audit reads: the user unless noUser, and
// every application and instance the flags name.
func (c *commands) auditedOwners(noUser bool) ([]losant.Owner, error) {
	if err := errors.Join(checkIDs("--application", c.g.applications), checkIDs("--instance", c.g.instances)); err != nil {
		return nil, usageError{err}
	}
	var owners []losant.Owner
	if !noUser {
		owners = append(owners, losant.User())
	}
	for _, id := range c.g.applications {
		owners = append(owners, losant.Application(id))
	}
	for _, id := range c.g.instances {
		owners = append(owners, losant.Instance(id))
	}
	if len(owners) == 0 {
		return nil, usageError{fmt.Errorf("--no-user and no --application or --instance: nothing to audit")}
	}
	return owners, nil
}
