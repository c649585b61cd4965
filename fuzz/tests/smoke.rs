//! The protocol fuzz target in `cargo test`: every captured client session in `seeds/protocol/`
//! replays cleanly (and logs in), then a few thousand mutations of them pass the same checks as
//! in the long runs (no panic, no hang, no torn reply, allocation within the cap).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

#[global_allocator]
static ALLOC: weir_fuzz::alloc::Counting = weir_fuzz::alloc::Counting;

fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/protocol");
    let mut seeds: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    seeds.sort();
    assert!(seeds.len() >= 8, "captured sessions in {}", dir.display());
    seeds
}

#[test]
fn every_captured_session_replays_and_logs_in() {
    for (name, input) in seeds() {
        let s = weir_fuzz::check(&input).unwrap_or_else(|f| panic!("{name}: {f:?}"));
        assert!(s.logged_in, "{name}: the mock accepts the captured login ({s:?})");
    }
}

#[test]
fn mutations_of_the_captured_sessions_pass_the_checks() {
    let inputs: Vec<Vec<u8>> = seeds().into_iter().map(|(_, s)| s).collect();
    let mut m = weir_fuzz::mutate::Mutator::new(17, &inputs);
    let mut input = Vec::new();
    for n in 0..3_000 {
        m.next_input(&mut input);
        if let Err(f) = weir_fuzz::check(&input) {
            panic!("mutation {n} (seed 17): {f:?}; input {input:02x?}");
        }
    }
}

#[test]
fn an_announced_length_is_not_allocated_before_its_bytes() {
    // A logged-in client announcing a 16 MiB command and sending 3 bytes of it (the allocation
    // check fails if the reader sizes its buffer from the header).
    let inputs: Vec<Vec<u8>> = seeds().into_iter().map(|(_, s)| s).collect();
    let login = weir_fuzz::mutate::frames(&inputs[0]).into_iter().next().unwrap();
    let mut input = Vec::new();
    weir_fuzz::mutate::encode(&[login], &mut input);
    weir_fuzz::check(&input).unwrap(); // the runtime of this thread, once
    // Just under the mock's max_allowed_packet (1 MiB), so the reader takes it.
    input.extend_from_slice(&[0x00, 0x00, 0x0F, 0, 0x03, b'S', b'E']);
    let s = weir_fuzz::check(&input).unwrap();
    assert!(s.allocated < 512 << 10, "allocated {} bytes for 7 bytes of a packet announcing 960 KiB", s.allocated);
}
