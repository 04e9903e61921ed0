package checks

import (
	"errors"

	"github.com/specdriven/losant/gen"
)

// Complete refuses a 2xx body that decoded but lacks what every answer
// of its kind has, such as {} for a token or a page: taken as it is, it
// would read as "nothing there" and pass an audit (fail closed).
func Complete(into any) error {
	switch v := into.(type) {
	case *gen.APIToken:
		if v.ID == "" {
			return errors.New("response body has no id: not an API token")
		}
	case *gen.APITokenPage:
		if v.Items == nil {
			return errors.New("response body has no items: not a page of API tokens")
		}
	case *gen.Applications:
		if v.Items == nil {
			return errors.New("response body has no items: not a page of applications")
		}
	case *gen.Instances:
		if v.Items == nil {
			return errors.New("response body has no items: not a page of instances")
		}
	}
	return nil
}
