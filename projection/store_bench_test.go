package projection_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stepupauth/stepup/projection"
)

// BenchmarkInsertBatch measures InsertBatch with batches of new rows. Run it
// with STEPUP_TEST_DATABASE_URL set:
//
//	go test ./projection -run '^$' -bench InsertBatch -benchtime 100x
func BenchmarkInsertBatch(b *testing.B) {
	for _, size := range []int{100, 500, 1000} {
		b.Run(fmt.Sprintf("rows=%d", size), func(b *testing.B) {
			ctx := context.Background()
			store := projection.NewStore(newPool(b, migratedDB(b)))
			benchInsert(b, size, func(batch []projection.Row) (int, error) {
				return store.InsertBatch(ctx, batch)
			})
		})
	}
}
