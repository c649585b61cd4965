package scenario

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"
)

// TestMetadata: a Grafana-style service asks information_schema for a table's columns with a
// parameterised query, which go-sql-driver/mysql sends as a server-side prepared statement
// (COM_STMT_PREPARE / COM_STMT_EXECUTE). The table lives in the connection's Flink session, so
// the story keeps one connection.
func TestMetadata(t *testing.T) {
	db := sql.OpenDB(mustConnector(t, config(env("WEIR_USER", "root"), env("WEIR_PASSWORD", ""))))
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}
	defer conn.Close()
	table := fmt.Sprintf("metrics_%d", time.Now().UnixNano())

	t.Run("h1 creates a table in Flink", func(t *testing.T) {
		defer count(t)
		_, err := conn.ExecContext(ctx, "CREATE TABLE "+table+" (ts TIMESTAMP(3), host VARCHAR(64), cpu DOUBLE, PRIMARY KEY (host) NOT ENFORCED) WITH ('connector' = 'datagen')")
		if err != nil {
			t.Fatalf("CREATE TABLE: %v", err)
		}
	})
	t.Run("h2 a parameterised information_schema query lists its columns", func(t *testing.T) {
		defer count(t)
		rs, err := conn.QueryContext(ctx,
			"SELECT COLUMN_NAME, DATA_TYPE, NUMERIC_PRECISION FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
			table)
		if err != nil {
			t.Fatalf("query: %v", err)
		}
		defer rs.Close()
		var got []string
		for rs.Next() {
			var name, dataType string
			var precision sql.NullInt64
			if err := rs.Scan(&name, &dataType, &precision); err != nil {
				t.Fatalf("scan: %v", err)
			}
			got = append(got, fmt.Sprintf("%s:%s:%v", name, dataType, precision.Int64))
		}
		if err := rs.Err(); err != nil {
			t.Fatalf("rows: %v", err)
		}
		want := []string{"ts:datetime:0", "host:varchar:0", "cpu:double:22"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("columns are %v, wanted %v", got, want)
		}
	})
	t.Run("h3 the primary key is in KEY_COLUMN_USAGE", func(t *testing.T) {
		defer count(t)
		var column string
		err := conn.QueryRowContext(ctx,
			"SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY'",
			"default_database", table).Scan(&column)
		if err != nil || column != "host" {
			t.Fatalf("primary key column is %q (%v), wanted host", column, err)
		}
	})
}
