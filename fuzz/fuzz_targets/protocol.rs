//! libFuzzer target: one input is one client's byte stream on a connection to Weir's protocol
//! layer (over the mock session of `weir_fuzz::mock`). It must never panic, hang, or end a reply
//! mid-packet. From the repository root, nightly toolchain, `cargo install cargo-fuzz`:
//!
//! ```sh
//! cargo +nightly fuzz run --features libfuzzer protocol fuzz/corpus/protocol fuzz/seeds/protocol -- \
//!     -max_total_time=600 -rss_limit_mb=1024 -malloc_limit_mb=64
//! ```
//!
//! (`-malloc_limit_mb` bounds any single allocation: a declared length must not be allocated
//! before its bytes arrive.)
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match weir_fuzz::connection(data) {
        weir_fuzz::Outcome::Hung => panic!("the connection neither answered nor closed"),
        weir_fuzz::Outcome::Closed(s) => assert_eq!(s.trailing, 0, "the server's reply ended inside a packet"),
    }
});
