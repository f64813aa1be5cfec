package config

import "strings"

// Error is every invalid variable a loader found. Its message is one line,
// the problems separated by "; ", each naming its variable: the service
// prints it alone when it cannot start (cmd/main.go).
type Error struct {
	problems []error
}

// Join returns nil when every err is nil, else an *Error holding the others;
// errors joined by errors.Join or an earlier Join are flattened into it.
func Join(errs ...error) error {
	var problems []error
	var add func(error)
	add = func(err error) {
		if err == nil {
			return
		}
		if multi, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range multi.Unwrap() {
				add(e)
			}
			return
		}
		problems = append(problems, err)
	}
	for _, err := range errs {
		add(err)
	}
	if len(problems) == 0 {
		return nil
	}
	return &Error{problems: problems}
}

// Error joins the problems on one line; a value that held a line break
// cannot split it.
func (e *Error) Error() string {
	msgs := make([]string, len(e.problems))
	for i, p := range e.problems {
		msgs[i] = lineBreaks.Replace(p.Error())
	}
	return strings.Join(msgs, "; ")
}

var lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// Unwrap gives errors.Is and errors.As every problem.
func (e *Error) Unwrap() []error { return e.problems }
