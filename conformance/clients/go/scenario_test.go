// Weir conformance scenario, played by a Go service using database/sql with
// github.com/go-sql-driver/mysql.
//
// The service pins one connection (sql.Conn) for the whole story, because the temporary
// tables and the batch-mode switch live in the Flink session behind it. Every query that
// carries arguments goes through COM_STMT_PREPARE/EXECUTE/CLOSE (the driver's default,
// interpolateParams=false). Steps stop at the first failure; the two login steps open their
// own connections and always run unless WEIR_SKIP_AUTH_STEPS=1.
//
// Environment: WEIR_HOST, WEIR_PORT (127.0.0.1:3307), WEIR_USER (root), WEIR_PASSWORD (empty),
// WEIR_TLS_CA, WEIR_SKIP_AUTH_STEPS. Run: conformance/clients/go/run.sh
package scenario

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

const (
	sha2User     = "weir_sha2"
	sha2Password = "sha2pass"
	trickyText   = `it's a \ test` // a quote and a backslash
	stepTimeout  = 3 * time.Minute
)

var (
	jobIDPattern   = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)
	showJobsHeader = []string{"job id", "job name", "status", "start time"}
	tally          struct{ passed, failed, skipped int }
)

func env(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return fallback
}

// TestMain prints the plain closing line "N passed, M failed[, K skipped]".
func TestMain(m *testing.M) {
	code := m.Run()
	line := fmt.Sprintf("%d passed, %d failed", tally.passed, tally.failed)
	if tally.skipped > 0 {
		line += fmt.Sprintf(", %d skipped", tally.skipped)
	}
	fmt.Println(line)
	os.Exit(code)
}

func config(user, password string) *mysql.Config {
	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd = user, password
	cfg.Net = "tcp"
	cfg.Addr = net.JoinHostPort(env("WEIR_HOST", "127.0.0.1"), env("WEIR_PORT", "3307"))
	cfg.Timeout = 10 * time.Second
	return cfg
}

// tlsConfig checks nothing, or only the certificate chain against WEIR_TLS_CA (not the host name).
func tlsConfig(t *testing.T) *tls.Config {
	caFile := os.Getenv("WEIR_TLS_CA")
	if caFile == "" {
		return &tls.Config{InsecureSkipVerify: true}
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatalf("reading WEIR_TLS_CA: %v", err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatalf("WEIR_TLS_CA %s holds no PEM certificate", caFile)
	}
	return &tls.Config{
		InsecureSkipVerify: true, // replaced by the chain check below
		VerifyConnection: func(cs tls.ConnectionState) error {
			opts := x509.VerifyOptions{Roots: roots, Intermediates: x509.NewCertPool()}
			for _, c := range cs.PeerCertificates[1:] {
				opts.Intermediates.AddCert(c)
			}
			_, err := cs.PeerCertificates[0].Verify(opts)
			return err
		},
	}
}

type story struct {
	t          *testing.T
	conn       *sql.Conn
	table      string
	sink       string
	jobsBefore map[string]bool
	stopped    bool
}

// step runs one part of the story as a subtest; after a failure the remaining steps are skipped.
func (s *story) step(name string, fn func(t *testing.T, ctx context.Context)) {
	if s.stopped {
		return
	}
	ok := s.t.Run(name, func(t *testing.T) {
		defer count(t)
		ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
		defer cancel()
		fn(t, ctx)
	})
	if !ok {
		s.stopped = true
	}
}

func count(t *testing.T) {
	switch {
	case t.Skipped():
		tally.skipped++
	case t.Failed():
		tally.failed++
	default:
		tally.passed++
	}
}

// rows runs a query (prepared when args are given) and returns column names, database type
// names and all rows as Go values.
func (s *story) rows(t *testing.T, ctx context.Context, conn *sql.Conn, query string, args ...any) ([]string, []string, [][]any) {
	t.Helper()
	rs, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rs.Close()
	names, _ := rs.Columns()
	types, _ := rs.ColumnTypes()
	typeNames := make([]string, len(types))
	for i, ct := range types {
		typeNames[i] = ct.DatabaseTypeName()
	}
	var out [][]any
	for rs.Next() {
		vals := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatalf("%s: scan: %v", query, err)
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		out = append(out, vals)
	}
	if err := rs.Err(); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return names, typeNames, out
}

// single runs a query that must return one value and its database type name.
func (s *story) single(t *testing.T, ctx context.Context, query string) (any, string) {
	t.Helper()
	_, types, rows := s.rows(t, ctx, s.conn, query)
	if len(rows) != 1 || len(rows[0]) != 1 {
		t.Fatalf("%s returned %v, wanted one value", query, rows)
	}
	return rows[0][0], types[0]
}

func (s *story) exec(t *testing.T, ctx context.Context, query string) {
	t.Helper()
	if _, err := s.conn.ExecContext(ctx, query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func (s *story) expectError(t *testing.T, ctx context.Context, query string, code uint16, state string) {
	t.Helper()
	_, err := s.conn.ExecContext(ctx, query)
	var me *mysql.MySQLError
	if !errors.As(err, &me) {
		t.Fatalf("%s: wanted MySQL error %d (%s), got %v", query, code, state, err)
	}
	if me.Number != code || string(me.SQLState[:]) != state {
		t.Fatalf("%s failed with %d (%s) %q, wanted %d (%s)", query, me.Number, me.SQLState[:], me.Message, code, state)
	}
}

func isIntegerType(name string) bool { return strings.HasSuffix(name, "INT") }

// showJobIDs returns SHOW JOBS' job ids after checking its columns.
func (s *story) showJobIDs(t *testing.T, ctx context.Context) map[string]bool {
	t.Helper()
	names, _, rows := s.rows(t, ctx, s.conn, "SHOW JOBS")
	if !reflect.DeepEqual(names, showJobsHeader) {
		t.Fatalf("SHOW JOBS columns are %q, wanted %q", names, showJobsHeader)
	}
	ids := map[string]bool{}
	for _, r := range rows {
		ids[strings.ToLower(fmt.Sprint(r[0]))] = true
	}
	return ids
}

func TestScenario(t *testing.T) {
	s := &story{t: t, table: "t_go", sink: "sink_go"}
	db := sql.OpenDB(mustConnector(t, config(env("WEIR_USER", "root"), env("WEIR_PASSWORD", ""))))
	defer db.Close()

	// a. connect
	s.step("a1_service_connects_and_SELECT_1_returns_integer_1", func(t *testing.T, ctx context.Context) {
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatalf("connect: %v", err)
		}
		s.conn = conn
		v, typ := s.single(t, ctx, "SELECT 1")
		if fmt.Sprint(v) != "1" || !isIntegerType(typ) {
			t.Fatalf("SELECT 1 returned %v of type %s", v, typ)
		}
	})
	s.step("a2_current_database_is_default_database", func(t *testing.T, ctx context.Context) {
		if v, _ := s.single(t, ctx, "SELECT DATABASE()"); v != "default_database" {
			t.Fatalf("SELECT DATABASE() returned %v", v)
		}
	})
	s.step("a3_version_comment_is_not_empty", func(t *testing.T, ctx context.Context) {
		if v, _ := s.single(t, ctx, "SELECT @@version_comment"); strings.TrimSpace(fmt.Sprint(v)) == "" || v == nil {
			t.Fatalf("@@version_comment is %v", v)
		}
	})
	s.step("a4_autocommit_is_integer_1", func(t *testing.T, ctx context.Context) {
		if v, typ := s.single(t, ctx, "SELECT @@autocommit"); fmt.Sprint(v) != "1" || !isIntegerType(typ) {
			t.Fatalf("@@autocommit is %v of type %s", v, typ)
		}
	})

	// b. a datagen table
	s.step("b_creates_a_temporary_datagen_table_of_100_rows", func(t *testing.T, ctx context.Context) {
		s.exec(t, ctx, "CREATE TEMPORARY TABLE "+s.table+" (id BIGINT, name STRING, price DECIMAL(10,2)) "+
			"WITH ('connector'='datagen','number-of-rows'='100','fields.id.kind'='sequence',"+
			"'fields.id.start'='1','fields.id.end'='100','fields.name.length'='5')")
	})

	// c. a batch aggregate
	s.step("c1_switches_the_session_to_batch_mode", func(t *testing.T, ctx context.Context) {
		s.exec(t, ctx, "SET 'execution.runtime-mode' = 'batch'")
	})
	s.step("c2_counts_100_rows_whose_ids_sum_to_5050", func(t *testing.T, ctx context.Context) {
		names, types, rows := s.rows(t, ctx, s.conn, "SELECT COUNT(*) AS n, SUM(id) AS s FROM "+s.table)
		if !reflect.DeepEqual(names, []string{"n", "s"}) || len(rows) != 1 {
			t.Fatalf("got columns %q and rows %v, wanted n, s and one row", names, rows)
		}
		if fmt.Sprint(rows[0]) != "[100 5050]" || !isIntegerType(types[0]) || !isIntegerType(types[1]) {
			t.Fatalf("got n=%v (%s), s=%v (%s), wanted integers 100 and 5050", rows[0][0], types[0], rows[0][1], types[1])
		}
	})

	// d. parameters (server-side prepared statements)
	s.step("d1_prepared_range_query_returns_ids_3_to_5", func(t *testing.T, ctx context.Context) {
		_, _, rows := s.rows(t, ctx, s.conn, "SELECT id, name FROM "+s.table+" WHERE id BETWEEN ? AND ? ORDER BY id", 3, 5)
		var ids []any
		for _, r := range rows {
			ids = append(ids, r[0])
			if name, ok := r[1].(string); !ok || len(name) != 5 {
				t.Errorf("name %v is not a 5-character string", r[1])
			}
		}
		if !reflect.DeepEqual(ids, []any{int64(3), int64(4), int64(5)}) {
			t.Fatalf("got ids %v (%T), wanted int64 3, 4, 5", ids, ids)
		}
	})
	s.step("d2_text_parameter_with_quote_and_backslash_comes_back_unchanged", func(t *testing.T, ctx context.Context) {
		_, _, rows := s.rows(t, ctx, s.conn, "SELECT ? AS s", trickyText)
		if len(rows) != 1 || rows[0][0] != trickyText {
			t.Fatalf("sent %q, got back %v", trickyText, rows)
		}
	})

	// e. errors
	s.step("e1_missing_table_fails_with_1146_42S02", func(t *testing.T, ctx context.Context) {
		s.expectError(t, ctx, "SELECT * FROM no_such_table", 1146, "42S02")
	})
	s.step("e2_same_connection_still_answers_SELECT_1", func(t *testing.T, ctx context.Context) {
		if v, _ := s.single(t, ctx, "SELECT 1"); fmt.Sprint(v) != "1" {
			t.Fatalf("SELECT 1 returned %v", v)
		}
	})
	s.step("e3_syntax_error_fails_with_1064_42000", func(t *testing.T, ctx context.Context) {
		s.expectError(t, ctx, "SELEC 1", 1064, "42000")
		if v, _ := s.single(t, ctx, "SELECT 1"); fmt.Sprint(v) != "1" {
			t.Fatalf("SELECT 1 after the syntax error returned %v", v)
		}
	})

	// f. an INSERT job. go-sql-driver does not expose the OK packet's info string, so the
	// job is recognised as the SHOW JOBS row that was not there before the INSERT.
	s.step("f1_creates_a_blackhole_sink", func(t *testing.T, ctx context.Context) {
		s.exec(t, ctx, "CREATE TEMPORARY TABLE "+s.sink+" (id BIGINT) WITH ('connector'='blackhole')")
	})
	s.step("f2_insert_returns_an_OK_not_rows", func(t *testing.T, ctx context.Context) {
		s.jobsBefore = s.showJobIDs(t, ctx)
		names, _, rows := s.rows(t, ctx, s.conn, "INSERT INTO "+s.sink+" SELECT id FROM "+s.table)
		if len(names) != 0 || len(rows) != 0 {
			t.Fatalf("INSERT answered with columns %q and %d rows, wanted an OK packet", names, len(rows))
		}
	})
	s.step("f3_show_jobs_lists_the_new_job", func(t *testing.T, ctx context.Context) {
		var fresh []string
		for id := range s.showJobIDs(t, ctx) {
			if !s.jobsBefore[id] {
				fresh = append(fresh, id)
			}
		}
		if len(fresh) == 0 {
			t.Fatalf("SHOW JOBS lists no job that was not there before the INSERT")
		}
		for _, id := range fresh {
			if !jobIDPattern.MatchString(id) {
				t.Fatalf("new job id %q is not 32 hex digits", id)
			}
		}
		t.Logf("new job(s): %v", fresh)
	})
	if s.conn != nil {
		s.conn.Close()
	}

	// g. logins, each on its own connection
	s.stopped = false
	authStep := func(name string, cfg func(t *testing.T) *mysql.Config) {
		s.step(name, func(t *testing.T, ctx context.Context) {
			if os.Getenv("WEIR_SKIP_AUTH_STEPS") == "1" {
				t.Skip("WEIR_SKIP_AUTH_STEPS=1")
			}
			authDB := sql.OpenDB(mustConnector(t, cfg(t)))
			defer authDB.Close()
			var one int
			if err := authDB.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
				t.Fatalf("login and SELECT 1: %v", err)
			}
			if one != 1 {
				t.Fatalf("SELECT 1 returned %d", one)
			}
		})
		s.stopped = false
	}
	// go-sql-driver has no switch for the auth plugin: it follows the server's choice and
	// handles caching_sha2_password itself (asking for the RSA key when needed).
	authStep("g1_logs_in_with_caching_sha2_password", func(t *testing.T) *mysql.Config {
		return config(sha2User, sha2Password)
	})
	// A TLS config makes the driver refuse a server without TLS (ErrNoTLS).
	authStep("g2_logs_in_over_tls", func(t *testing.T) *mysql.Config {
		cfg := config(env("WEIR_USER", "root"), env("WEIR_PASSWORD", ""))
		cfg.TLS = tlsConfig(t)
		return cfg
	})
}

func mustConnector(t *testing.T, cfg *mysql.Config) driver.Connector {
	t.Helper()
	c, err := mysql.NewConnector(cfg)
	if err != nil {
		t.Fatalf("driver config: %v", err)
	}
	return c
}
