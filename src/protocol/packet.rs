//! Packet framing: 3-byte length, 1-byte sequence id, payload; payloads of 16 MiB - 1 or more are
//! split into several frames and joined again on reading.
//!
//! During the connection phase the reader takes bytes straight from the stream (no read-ahead),
//! so that the bytes of a TLS handshake that follow an SSLRequest are never swallowed; once the
//! connection is established, [`PacketIo::enable_read_buffer`] turns read-ahead on (one read
//! system call serves many small commands). Writes are collected into one buffer per response and
//! flushed once.
//!
//! A frame's declared length is never trusted for allocation: a payload grows as its bytes
//! arrive, [`READ_STEP`] at a time, so a client that announces 16 MiB and sends three bytes costs
//! three bytes (plus one step), not 16 MiB.

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Largest payload of one frame.
pub const MAX_FRAME: usize = 0xFF_FFFF;

/// Read-ahead buffer size once buffering is on.
const READ_AHEAD: usize = 16 * 1024;

/// How much of a payload is allocated ahead of the bytes that fill it.
pub const READ_STEP: usize = 64 * 1024;

/// Errors of the framing layer.
#[derive(Debug, thiserror::Error)]
pub enum PacketError {
    #[error("connection closed by the client")]
    Closed,
    #[error("i/o error: {0}")]
    Io(#[from] io::Error),
    #[error("packet of {size} bytes exceeds max_allowed_packet ({limit})")]
    TooLarge { size: usize, limit: usize },
    #[error("packets out of order: expected sequence {expected}, got {got}")]
    OutOfOrder { expected: u8, got: u8 },
}

/// One side of a connection, speaking packets.
pub struct PacketIo<S> {
    stream: S,
    seq: u8,
    out: Vec<u8>,
    max_packet: usize,
    /// Read-ahead bytes (`rbuf[rpos..rlen]` not yet consumed); `None` while buffering is off.
    /// The buffer keeps its full length (zeroed once), so a refill writes into it as it is.
    rbuf: Option<Vec<u8>>,
    rpos: usize,
    rlen: usize,
}

impl<S: AsyncRead + AsyncWrite + Unpin> PacketIo<S> {
    pub fn new(stream: S, max_packet: usize) -> Self {
        Self { stream, seq: 0, out: Vec::with_capacity(16 * 1024), max_packet, rbuf: None, rpos: 0, rlen: 0 }
    }

    /// The largest logical packet [`read_packet`](Self::read_packet) accepts from now on.
    pub fn set_max_packet(&mut self, max_packet: usize) {
        self.max_packet = max_packet;
    }

    pub fn max_packet(&self) -> usize {
        self.max_packet
    }

    /// Turns read-ahead on (after the connection phase, when no TLS switch can follow).
    pub fn enable_read_buffer(&mut self) {
        self.rbuf.get_or_insert_with(|| vec![0; READ_AHEAD]);
    }

    /// Fills `dst` from the read-ahead buffer and the stream.
    async fn read_exact(&mut self, dst: &mut [u8]) -> io::Result<()> {
        let Some(buf) = self.rbuf.as_mut() else {
            return self.stream.read_exact(dst).await.map(|_| ());
        };
        let mut filled = 0;
        while filled < dst.len() {
            if self.rpos < self.rlen {
                let n = (self.rlen - self.rpos).min(dst.len() - filled);
                dst[filled..filled + n].copy_from_slice(&buf[self.rpos..self.rpos + n]);
                self.rpos += n;
                filled += n;
                continue;
            }
            if dst.len() - filled >= READ_AHEAD {
                // Large payloads go straight to their destination.
                self.stream.read_exact(&mut dst[filled..]).await?;
                return Ok(());
            }
            let n = self.stream.read(&mut buf[..]).await?;
            self.rlen = n;
            self.rpos = 0;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        Ok(())
    }

    /// Gives back the stream (to wrap it in TLS). Unflushed output is discarded.
    pub fn into_inner(self) -> S {
        self.stream
    }

    pub fn get_ref(&self) -> &S {
        &self.stream
    }

    /// Continues an exchange at sequence `seq` (after a TLS switch).
    pub fn set_seq(&mut self, seq: u8) {
        self.seq = seq;
    }

    /// Starts a new command exchange: the next packet read must carry sequence 0.
    pub fn reset_seq(&mut self) {
        self.seq = 0;
    }

    pub fn seq(&self) -> u8 {
        self.seq
    }

    /// Reads one logical packet, joining continuation frames.
    pub async fn read_packet(&mut self) -> Result<Vec<u8>, PacketError> {
        let mut payload = Vec::new();
        loop {
            let mut header = [0u8; 4];
            match self.read_exact(&mut header).await {
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof && payload.is_empty() => {
                    return Err(PacketError::Closed);
                }
                Err(e) => return Err(e.into()),
            }
            let len = usize::from(header[0]) | usize::from(header[1]) << 8 | usize::from(header[2]) << 16;
            if header[3] != self.seq {
                return Err(PacketError::OutOfOrder { expected: self.seq, got: header[3] });
            }
            self.seq = self.seq.wrapping_add(1);
            let total = payload.len() + len;
            if total > self.max_packet {
                return Err(PacketError::TooLarge { size: total, limit: self.max_packet });
            }
            // Grow with the bytes that arrive, never ahead of them by more than one step.
            while payload.len() < total {
                let start = payload.len();
                let end = total.min(start + READ_STEP);
                payload.resize(end, 0);
                self.read_exact(&mut payload[start..]).await?;
            }
            if len < MAX_FRAME {
                return Ok(payload);
            }
        }
    }

    /// Queues one logical packet (split into frames as needed) for the next [`flush`](Self::flush).
    pub fn write_packet(&mut self, payload: &[u8]) {
        let mut chunks = payload.chunks(MAX_FRAME);
        loop {
            let chunk = chunks.next().unwrap_or(&[]);
            let len = chunk.len() as u32;
            self.out.extend_from_slice(&len.to_le_bytes()[..3]);
            self.out.push(self.seq);
            self.seq = self.seq.wrapping_add(1);
            self.out.extend_from_slice(chunk);
            // A payload that is an exact multiple of MAX_FRAME ends with an empty frame.
            if chunk.len() < MAX_FRAME {
                break;
            }
        }
    }

    /// Bytes queued and not yet flushed.
    pub fn pending(&self) -> usize {
        self.out.len()
    }

    pub async fn flush(&mut self) -> Result<(), PacketError> {
        if !self.out.is_empty() {
            self.stream.write_all(&self.out).await?;
            self.out.clear();
        }
        self.stream.flush().await?;
        Ok(())
    }

    /// Flushes when enough output has accumulated (used while streaming rows).
    pub async fn flush_if_large(&mut self) -> Result<(), PacketError> {
        if self.out.len() >= 64 * 1024 {
            self.flush().await?;
        }
        Ok(())
    }

    pub async fn shutdown(&mut self) {
        let _ = self.stream.shutdown().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn large_payloads_split_and_join() {
        for size in [0usize, 10, MAX_FRAME - 1, MAX_FRAME, MAX_FRAME + 5, 2 * MAX_FRAME] {
            let (a, b) = tokio::io::duplex(1 << 20);
            let payload: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            let expected = payload.clone();
            let writer = tokio::spawn(async move {
                let mut w = PacketIo::new(a, usize::MAX);
                w.write_packet(&payload);
                w.flush().await.unwrap();
                w
            });
            let mut r = PacketIo::new(b, usize::MAX);
            let got = r.read_packet().await.unwrap();
            assert_eq!(got.len(), expected.len());
            assert!(got == expected);
            let w = writer.await.unwrap();
            assert_eq!(w.seq(), r.seq(), "both sides agree on the sequence after {size} bytes");
        }
    }

    #[tokio::test]
    async fn buffered_reads_return_the_same_packets() {
        let (a, b) = tokio::io::duplex(1 << 20);
        let payloads: Vec<Vec<u8>> = vec![b"one".to_vec(), vec![7u8; 40_000], vec![], b"four".to_vec(), vec![1u8; MAX_FRAME + 3]];
        let expected = payloads.clone();
        let writer = tokio::spawn(async move {
            let mut w = PacketIo::new(a, usize::MAX);
            for p in &payloads {
                w.reset_seq();
                w.write_packet(p);
            }
            w.flush().await.unwrap();
            w
        });
        let mut r = PacketIo::new(b, usize::MAX);
        r.enable_read_buffer();
        for want in expected {
            r.reset_seq();
            let got = r.read_packet().await.unwrap();
            assert!(got == want, "{} bytes", want.len());
        }
        drop(writer.await.unwrap());
        assert!(matches!(r.read_packet().await, Err(PacketError::Closed)));
    }

    #[tokio::test]
    async fn oversized_and_out_of_order_packets_are_errors() {
        let (a, b) = tokio::io::duplex(1024);
        let mut w = PacketIo::new(a, usize::MAX);
        w.write_packet(&[0u8; 100]);
        w.flush().await.unwrap();
        let mut r = PacketIo::new(b, 50);
        assert!(matches!(r.read_packet().await, Err(PacketError::TooLarge { size: 100, limit: 50 })));

        let (a, b) = tokio::io::duplex(1024);
        let mut w = PacketIo::new(a, usize::MAX);
        w.write_packet(b"x");
        w.flush().await.unwrap();
        let mut r = PacketIo::new(b, usize::MAX);
        r.seq = 3;
        assert!(matches!(r.read_packet().await, Err(PacketError::OutOfOrder { expected: 3, got: 0 })));
    }

    #[tokio::test]
    async fn eof_before_a_packet_is_a_clean_close() {
        let (a, b) = tokio::io::duplex(16);
        drop(a);
        let mut r = PacketIo::new(b, 1024);
        assert!(matches!(r.read_packet().await, Err(PacketError::Closed)));
    }
}
