package response

// PaginatedResult is one page of a cursor-paginated list.
type PaginatedResult[T any] struct {
	Items []T
	// NextCursor continues after the last item; "" when HasMore is false.
	NextCursor string
	HasMore    bool
}
