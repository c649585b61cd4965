//! Secrets in statement texts: the values of `'password' = '…'`-style options are masked
//! wherever Weir shows a statement back (SHOW CREATE CATALOG, PROCESSLIST, errors, logs); what
//! Weir records and sends to Flink keeps them. The scanner is the driver's, which masks its logs.

pub use weir_drivers::gateway::{MASK, mask_secrets as mask};
