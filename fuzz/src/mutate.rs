//! A structure-aware mutator for the stable driver: inputs are client sessions split into MySQL
//! frames (3-byte length, sequence id, payload), mutated one to four times — frames dropped,
//! repeated, swapped or taken from another session; payload bytes flipped, set to the values
//! length-encoded integers treat specially, inserted, deleted, cut; integer fields set to edge
//! values; command bytes, statement ids and SQL texts replaced; declared lengths and sequence ids
//! falsified — and sometimes cut or bit-flipped as raw bytes after encoding. Deterministic for a
//! seed, so a failure is replayed by its number.

/// SplitMix64: small, fast, and good enough to pick mutations.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next_u64() % n as u64) as usize }
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn byte(&mut self) -> u8 {
        self.next_u64() as u8
    }
}

/// One frame as sent: the header's declared length (usually the payload's), its sequence id
/// and payload.
#[derive(Clone, Debug)]
pub struct Frame {
    pub declared: Option<u32>,
    pub seq: u8,
    pub payload: Vec<u8>,
}

/// Splits a client byte stream into frames; bytes after the last whole frame become a frame of
/// their own (sent as they are).
pub fn frames(stream: &[u8]) -> Vec<Frame> {
    let mut out = Vec::new();
    let mut at = 0;
    while stream.len() - at >= 4 {
        let len = usize::from(stream[at]) | usize::from(stream[at + 1]) << 8 | usize::from(stream[at + 2]) << 16;
        let Some(p) = stream.get(at + 4..at + 4 + len) else { break };
        out.push(Frame { declared: None, seq: stream[at + 3], payload: p.to_vec() });
        at += 4 + len;
    }
    if at < stream.len() {
        // A torn tail: declared as the bytes that are there, so re-encoding keeps them.
        let rest = &stream[at..];
        out.push(Frame { declared: Some(u32::MAX), seq: 0, payload: rest.to_vec() });
    }
    out
}

/// Encodes frames back into a byte stream.
pub fn encode(frames: &[Frame], out: &mut Vec<u8>) {
    out.clear();
    for f in frames {
        if f.declared == Some(u32::MAX) {
            out.extend_from_slice(&f.payload);
            continue;
        }
        let len = f.declared.unwrap_or(f.payload.len() as u32).min(0xFF_FFFF);
        out.extend_from_slice(&len.to_le_bytes()[..3]);
        out.push(f.seq);
        out.extend_from_slice(&f.payload);
    }
}

/// Values length-encoded integers and flags treat specially.
const INTERESTING_BYTES: [u8; 10] = [0x00, 0x01, 0x7F, 0x80, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF];
const INTERESTING_U32: [u32; 9] = [0, 1, 2, 0x7F, 0xFF, 0xFFFF, 0xFF_FFFF, 0x7FFF_FFFF, u32::MAX];

/// Statements the mock answers in its different ways, to put in COM_QUERY and COM_STMT_PREPARE.
const TEXTS: [&str; 14] = [
    "SELECT 1",
    "ROWS 12",
    "ROWS 7 FAIL",
    "TYPES",
    "OK",
    "ERR",
    "SET NAMES latin1",
    "SET NAMES ascii",
    "SET NAMES klingon",
    "SELECT 1; ROWS 3; OK",
    "SELECT ?, ?, ?",
    "ECHO ?",
    "",
    "/* only a comment */",
];

const COMMANDS: [u8; 18] =
    [0x01, 0x02, 0x03, 0x04, 0x09, 0x0C, 0x0E, 0x11, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1F, 0x20];

pub struct Mutator {
    pub rng: Rng,
    seeds: Vec<Vec<Frame>>,
}

impl Mutator {
    pub fn new(seed: u64, seeds: &[Vec<u8>]) -> Self {
        assert!(!seeds.is_empty(), "the mutator needs at least one seed");
        Self { rng: Rng::new(seed), seeds: seeds.iter().map(|s| frames(s)).collect() }
    }

    /// The next input, written into `out`.
    pub fn next_input(&mut self, out: &mut Vec<u8>) {
        let mut f = self.seeds[self.rng.below(self.seeds.len())].clone();
        for _ in 0..1 + self.rng.below(4) {
            self.mutate_frames(&mut f);
        }
        encode(&f, out);
        if self.rng.chance(8) {
            self.mutate_bytes(out);
        }
    }

    fn mutate_frames(&mut self, f: &mut Vec<Frame>) {
        let rng = &mut self.rng;
        if f.is_empty() {
            f.push(Frame { declared: None, seq: 0, payload: vec![0x03] });
        }
        let i = rng.below(f.len());
        match rng.below(20) {
            0 if f.len() > 1 => {
                f.remove(i);
            }
            1 => {
                let dup = f[i].clone();
                f.insert(i, dup);
            }
            2 => {
                let j = rng.below(f.len());
                f.swap(i, j);
            }
            3 => {
                // A frame of another session (its commands after this session's login).
                let other = &self.seeds[rng.below(self.seeds.len())];
                if let Some(frame) = other.get(rng.below(other.len())) {
                    f.insert(i, frame.clone());
                }
            }
            4 => f.truncate(i.max(1)),
            5 => {
                let p = &mut f[i].payload;
                if !p.is_empty() {
                    let at = rng.below(p.len());
                    p[at] ^= 1 << rng.below(8);
                }
            }
            6 | 7 => {
                let p = &mut f[i].payload;
                if !p.is_empty() {
                    let at = rng.below(p.len());
                    p[at] = INTERESTING_BYTES[rng.below(INTERESTING_BYTES.len())];
                }
            }
            8 => {
                let p = &mut f[i].payload;
                let at = rng.below(p.len() + 1);
                let n = 1 + rng.below(16);
                let bytes: Vec<u8> = (0..n).map(|_| if rng.chance(2) { INTERESTING_BYTES[rng.below(10)] } else { rng.byte() }).collect();
                p.splice(at..at, bytes);
            }
            9 => {
                let p = &mut f[i].payload;
                if !p.is_empty() {
                    let at = rng.below(p.len());
                    let n = 1 + rng.below((p.len() - at).min(32));
                    p.drain(at..at + n);
                }
            }
            10 => {
                let keep = rng.below(f[i].payload.len() + 1);
                f[i].payload.truncate(keep);
            }
            11 => {
                // A 16- or 32-bit field (ids, counts, flags, capabilities) set to an edge value.
                let p = &mut f[i].payload;
                let width = if rng.chance(2) { 2 } else { 4 };
                if p.len() >= width {
                    let at = rng.below(p.len() - width + 1);
                    let v = INTERESTING_U32[rng.below(INTERESTING_U32.len())].to_le_bytes();
                    p[at..at + width].copy_from_slice(&v[..width]);
                }
            }
            12 => {
                if let Some(b) = f[i].payload.first_mut() {
                    *b = if rng.chance(4) { rng.byte() } else { COMMANDS[rng.below(COMMANDS.len())] };
                }
            }
            13 => {
                // A statement id: an open one (1, 2), none (0) or any.
                let p = &mut f[i].payload;
                if p.len() >= 5 && (0x17..=0x1A).contains(&p[0]) {
                    let id = [0u32, 1, 2, 3, u32::MAX, rng.next_u64() as u32][rng.below(6)];
                    p[1..5].copy_from_slice(&id.to_le_bytes());
                }
            }
            14 => {
                // A text the mock answers in one of its ways, as a query or a prepare.
                let cmd = if rng.chance(3) { 0x16 } else { 0x03 };
                let mut p = vec![cmd];
                p.extend_from_slice(TEXTS[rng.below(TEXTS.len())].as_bytes());
                f.insert(i.max(1).min(f.len()), Frame { declared: None, seq: 0, payload: p });
            }
            15 => {
                f[i].seq = if rng.chance(2) { f[i].seq.wrapping_add(1) } else { rng.byte() };
            }
            16 => {
                let len = f[i].payload.len() as u32;
                f[i].declared = Some([0, 1, len.saturating_sub(1), len + 1, 0xFF_FFFF, 0xFF_FFFE, rng.next_u64() as u32 & 0xFF_FFFF][rng.below(7)]);
            }
            17 => {
                let p = &mut f[i].payload;
                let n = 1 + rng.below(64);
                p.extend((0..n).map(|_| rng.byte()));
            }
            _ => {
                // Repeat a piece of the payload (grows lists: parameters, attributes).
                let p = &mut f[i].payload;
                if !p.is_empty() {
                    let at = rng.below(p.len());
                    let n = 1 + rng.below((p.len() - at).min(64));
                    let piece: Vec<u8> = p[at..at + n].to_vec();
                    for _ in 0..1 + rng.below(8) {
                        p.splice(at..at, piece.iter().copied());
                    }
                }
            }
        }
    }

    fn mutate_bytes(&mut self, out: &mut Vec<u8>) {
        let rng = &mut self.rng;
        if out.is_empty() {
            return;
        }
        match rng.below(3) {
            0 => out.truncate(rng.below(out.len())),
            1 => {
                for _ in 0..1 + rng.below(4) {
                    let at = rng.below(out.len());
                    out[at] = rng.byte();
                }
            }
            _ => {
                let at = rng.below(out.len());
                out[at] ^= 1 << rng.below(8);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_including_a_torn_tail() {
        let mut stream = vec![3, 0, 0, 0, b'a', b'b', b'c', 1, 0, 0, 1, 0x0E];
        stream.extend_from_slice(&[9, 0, 0, 0, 1, 2]);
        let f = frames(&stream);
        assert_eq!(f.len(), 3);
        let mut out = Vec::new();
        encode(&f, &mut out);
        assert_eq!(out, stream);
    }

    #[test]
    fn the_mutator_is_deterministic() {
        let seeds = vec![vec![1, 0, 0, 0, 0x0E], vec![9, 0, 0, 0, 3, b'S', b'E', b'L', b'E', b'C', b'T', b' ', b'1']];
        let (mut a, mut b) = (Mutator::new(7, &seeds), Mutator::new(7, &seeds));
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for _ in 0..1000 {
            a.next_input(&mut x);
            b.next_input(&mut y);
            assert_eq!(x, y);
        }
    }
}
