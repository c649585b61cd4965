//! Fuzz target: any text through `translate`, in both dialects and for both Flink lines, must
//! give a translation or a typed error, never a panic. `cargo +nightly fuzz run translate`
//! from `dialects/` (seed it with the corpus: `fuzz/seed.sh`).

#![no_main]

use libfuzzer_sys::fuzz_target;
use weir_dialects::{FlinkTarget, MapSchema, NoSchema, SourceDialect, translate};

fuzz_target!(|data: &[u8]| {
    let Ok(sql) = std::str::from_utf8(data) else { return };
    let schema = MapSchema::new().with_table(
        "t",
        &[
            ("a", weir_dialects::FlinkType::Int),
            ("s", weir_dialects::FlinkType::String),
            ("d", weir_dialects::FlinkType::Timestamp(0)),
        ],
    );
    for dialect in [SourceDialect::MySql, SourceDialect::Oracle] {
        for target in [FlinkTarget::V1_20, FlinkTarget::V2_2] {
            let _ = translate(sql, dialect, &target, &NoSchema, None);
            let _ = translate(sql, dialect, &target, &schema, Some("'connector' = 'blackhole'"));
        }
    }
});
