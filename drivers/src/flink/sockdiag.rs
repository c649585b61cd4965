//! The machine's listening TCP sockets, asked of the kernel's socket diagnostics (netlink
//! `NETLINK_SOCK_DIAG`, as `ss -ltn` does). Asked for listeners only, the kernel walks its
//! listening table and nothing else, where reading `/proc/net/tcp` walks every TCP socket of the
//! machine (on a busy host, hundreds of thousands), every time the cluster watch looks.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// `SOCK_DIAG_BY_FAMILY` (linux/sock_diag.h).
const SOCK_DIAG_BY_FAMILY: u16 = 20;
/// `NLM_F_REQUEST | NLM_F_DUMP` (linux/netlink.h).
const DUMP_REQUEST: u16 = 0x1 | 0x300;
/// `NLMSG_ERROR`, `NLMSG_DONE`.
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
/// `1 << TCP_LISTEN`.
const LISTEN_STATES: u32 = 1 << 10;
/// `struct nlmsghdr`.
const HEADER_LEN: usize = 16;
/// `struct inet_diag_req_v2`: family, protocol, extensions, pad, states, then the 48-byte
/// `inet_diag_sockid` (left zero: every socket).
const REQUEST_LEN: usize = 56;
/// In `struct inet_diag_msg`: the source port (big-endian) and the inode.
const SPORT_AT: usize = 4;
const INODE_AT: usize = 68;
const MESSAGE_LEN: usize = 72;

/// The inodes of the TCP sockets listening on each of `ports` (IPv4 and IPv6, any address).
/// An error when the kernel's socket diagnostics cannot be asked here (a sandbox without them).
pub(crate) fn listening_inodes_on(ports: &[u16]) -> io::Result<BTreeMap<u16, BTreeSet<u64>>> {
    let mut found: BTreeMap<u16, BTreeSet<u64>> = ports.iter().map(|&p| (p, BTreeSet::new())).collect();
    for family in [libc::AF_INET, libc::AF_INET6] {
        for (port, inode) in listeners(family)? {
            if let Some(inodes) = found.get_mut(&port) {
                inodes.insert(inode);
            }
        }
    }
    Ok(found)
}

/// Every listening TCP socket of `family`: (port, inode).
fn listeners(family: libc::c_int) -> io::Result<Vec<(u16, u64)>> {
    let socket = open()?;
    send(&socket, &request(family as u8))?;
    let mut listeners = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = receive(&socket, &mut buf)?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "socket diagnostics ended without NLMSG_DONE"));
        }
        if parse(&buf[..n], &mut listeners)? {
            return Ok(listeners);
        }
    }
}

/// The dump request for `family`'s TCP listeners.
fn request(family: u8) -> Vec<u8> {
    let mut m = Vec::with_capacity(HEADER_LEN + REQUEST_LEN);
    m.extend_from_slice(&((HEADER_LEN + REQUEST_LEN) as u32).to_ne_bytes());
    m.extend_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
    m.extend_from_slice(&DUMP_REQUEST.to_ne_bytes());
    m.extend_from_slice(&1u32.to_ne_bytes()); // sequence
    m.extend_from_slice(&0u32.to_ne_bytes()); // port id: the kernel fills it in
    m.extend_from_slice(&[family, libc::IPPROTO_TCP as u8, 0, 0]);
    m.extend_from_slice(&LISTEN_STATES.to_ne_bytes());
    m.resize(HEADER_LEN + REQUEST_LEN, 0);
    m
}

/// Reads one datagram of netlink messages into `out`; true once the dump is done.
fn parse(mut data: &[u8], out: &mut Vec<(u16, u64)>) -> io::Result<bool> {
    let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, format!("socket diagnostics: {what}"));
    while data.len() >= HEADER_LEN {
        let len = u32::from_ne_bytes([data[0], data[1], data[2], data[3]]) as usize;
        let kind = u16::from_ne_bytes([data[4], data[5]]);
        if len < HEADER_LEN || len > data.len() {
            return Err(bad("a message's length is out of bounds"));
        }
        let body = &data[HEADER_LEN..len];
        match kind {
            NLMSG_DONE => return Ok(true),
            NLMSG_ERROR => {
                let errno = body.get(..4).map(|b| i32::from_ne_bytes([b[0], b[1], b[2], b[3]])).unwrap_or(0);
                return Err(io::Error::from_raw_os_error(errno.checked_neg().unwrap_or(libc::EIO)));
            }
            SOCK_DIAG_BY_FAMILY if body.len() >= MESSAGE_LEN => {
                let port = u16::from_be_bytes([body[SPORT_AT], body[SPORT_AT + 1]]);
                let inode = u32::from_ne_bytes([body[INODE_AT], body[INODE_AT + 1], body[INODE_AT + 2], body[INODE_AT + 3]]);
                out.push((port, u64::from(inode)));
            }
            SOCK_DIAG_BY_FAMILY => return Err(bad("a socket's message is too short")),
            _ => {}
        }
        // Messages are 4-byte aligned.
        let next = (len + 3) & !3;
        data = data.get(next..).unwrap_or(&[]);
    }
    Ok(false)
}

fn open() -> io::Result<OwnedFd> {
    // SAFETY: socket(2) with constant arguments; the returned descriptor is checked and then
    // owned (closed on drop).
    let fd = unsafe { libc::socket(libc::AF_NETLINK, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, libc::NETLINK_SOCK_DIAG) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` is a descriptor just opened and owned by nobody else.
    let socket = unsafe { OwnedFd::from_raw_fd(fd) };
    // The kernel answers at once; never wait on it for long.
    let timeout = libc::timeval { tv_sec: 2, tv_usec: 0 };
    // SAFETY: `timeout` is a valid timeval for the length given.
    let set = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVTIMEO,
            std::ptr::from_ref(&timeout).cast(),
            std::mem::size_of::<libc::timeval>() as libc::socklen_t,
        )
    };
    if set < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(socket)
}

fn send(socket: &OwnedFd, message: &[u8]) -> io::Result<()> {
    // SAFETY: sockaddr_nl is plain data; all zero is the kernel's address (pid 0, no groups).
    let mut kernel: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
    kernel.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    // SAFETY: `message` and `kernel` are valid for the lengths given.
    let sent = unsafe {
        libc::sendto(
            socket.as_raw_fd(),
            message.as_ptr().cast(),
            message.len(),
            0,
            std::ptr::from_ref(&kernel).cast(),
            std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
        )
    };
    if sent < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

fn receive(socket: &OwnedFd, buf: &mut [u8]) -> io::Result<usize> {
    // SAFETY: `buf` is valid for writes of its length.
    let n = unsafe { libc::recv(socket.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), 0) };
    usize::try_from(n).map_err(|_| io::Error::last_os_error())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The socket's inode, from the process's own descriptor table.
    fn inode_of(socket: &impl AsRawFd) -> u64 {
        let link = std::fs::read_link(format!("/proc/self/fd/{}", socket.as_raw_fd())).unwrap();
        link.to_str().unwrap().strip_prefix("socket:[").unwrap().strip_suffix(']').unwrap().parse().unwrap()
    }

    #[test]
    fn the_kernel_names_the_listeners_on_given_ports_ipv4_and_ipv6() {
        let v4 = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let v6 = std::net::TcpListener::bind("[::1]:0").unwrap();
        let (p4, p6) = (v4.local_addr().unwrap().port(), v6.local_addr().unwrap().port());
        // A connected socket on a listened port is not a listener.
        let client = std::net::TcpStream::connect(("127.0.0.1", p4)).unwrap();
        let (accepted, _) = v4.accept().unwrap();
        let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let p_free = free.local_addr().unwrap().port();
        drop(free);
        let found = listening_inodes_on(&[p4, p6, p_free]).unwrap();
        assert_eq!(found[&p4], BTreeSet::from([inode_of(&v4)]));
        assert_eq!(found[&p6], BTreeSet::from([inode_of(&v6)]));
        assert!(found[&p_free].is_empty());
        assert!(!found[&p4].contains(&inode_of(&accepted)) && !found[&p4].contains(&inode_of(&client)));
    }

    #[test]
    fn a_dump_is_read_to_its_end_and_an_error_is_an_error() {
        let mut data = Vec::new();
        // One socket message: port 8081 (big-endian), inode 4242.
        let mut msg = vec![0u8; MESSAGE_LEN];
        msg[SPORT_AT..SPORT_AT + 2].copy_from_slice(&8081u16.to_be_bytes());
        msg[INODE_AT..INODE_AT + 4].copy_from_slice(&4242u32.to_ne_bytes());
        for (kind, body) in [(SOCK_DIAG_BY_FAMILY, msg), (NLMSG_DONE, vec![0u8; 4])] {
            data.extend_from_slice(&((HEADER_LEN + body.len()) as u32).to_ne_bytes());
            data.extend_from_slice(&kind.to_ne_bytes());
            data.extend_from_slice(&[0u8; 10]);
            data.extend_from_slice(&body);
        }
        let mut out = Vec::new();
        assert!(parse(&data, &mut out).unwrap());
        assert_eq!(out, vec![(8081, 4242)]);

        let mut error = Vec::new();
        error.extend_from_slice(&((HEADER_LEN + 4) as u32).to_ne_bytes());
        error.extend_from_slice(&NLMSG_ERROR.to_ne_bytes());
        error.extend_from_slice(&[0u8; 10]);
        error.extend_from_slice(&(-libc::EACCES).to_ne_bytes());
        assert_eq!(parse(&error, &mut Vec::new()).unwrap_err().raw_os_error(), Some(libc::EACCES));
        // A length past the datagram is refused, not read.
        let mut cut = data.clone();
        cut[0] = 200;
        assert!(parse(&cut[..40], &mut Vec::new()).is_err());
    }
}
