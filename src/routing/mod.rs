//! Routing: where a session's Flink statements run and how.
//!
//! * [`clusters`]: the Flink clusters (managed ones provisioned and supervised), their health,
//!   gateway clients and pools of pre-opened Flink sessions.
//! * [`binding`]: one session's binding to a cluster: its Flink session's lifecycle, the state
//!   replayed into it, and running a statement there.
//! * [`materialize`]: the recorded objects a statement names, created in the Flink session just
//!   before it runs.
//! * [`results`]: a Flink result as a MySQL response's rows.
//! * [`shape`]: a query's result columns before it runs (COM_STMT_PREPARE), a table's column types.

pub mod binding;
pub mod clusters;
pub mod materialize;
pub mod results;
pub mod shape;

pub use binding::{DEFAULT_DATABASE, FlinkBinding, quote_ident};
pub use clusters::{Cluster, ClusterView, Clusters, ConnectorView};
